//! A single EC2 instance: the bastion host in a public subnet. IMDSv2 only, an encrypted
//! root volume, and a public address it asks for itself (public subnets hand out none).

use super::tags;
use crate::aws::ec2::filter;
use crate::aws::{ami, aws};
use crate::engine::Fact;
use crate::engine::charge::{Charge, Role};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, HttpTokensState, InstanceMetadataOptionsRequest,
    InstanceNetworkInterfaceSpecification, InstanceStateName, ResourceType, VolumeType,
};
use std::time::Duration;

#[derive(Debug)]
pub struct Instance {
    pub name: String,
    pub instance_type: String,
    pub subnet: String,
    pub security_groups: Vec<String>,
    pub key_pair: Option<String>,
    /// Extra ordering (e.g. the subnet's route to the Internet gateway).
    pub after: Vec<String>,
}

const LIVE: [&str; 4] = ["pending", "running", "stopping", "stopped"];

/// Amazon Linux's root device, where the encrypted volume goes.
pub const ROOT_DEVICE: &str = "/dev/xvda";

pub async fn describe(cx: &Ctx, id: &str) -> Result<Option<aws_sdk_ec2::types::Instance>, Error> {
    let out = cx
        .ec2()
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .map_err(aws("DescribeInstances"));
    let out = match out {
        Ok(o) => o,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .next()
        .cloned())
}

async fn state(cx: &Ctx, id: &str) -> Result<Option<InstanceStateName>, Error> {
    Ok(describe(cx, id)
        .await?
        .and_then(|i| i.state().and_then(|s| s.name()).cloned()))
}

fn live(i: &aws_sdk_ec2::types::Instance) -> bool {
    i.state()
        .and_then(|s| s.name())
        .is_some_and(|n| LIVE.contains(&n.as_str()))
}

/// An encrypted root volume (gp3) of `gib`.
fn encrypted_root(gib: i32) -> BlockDeviceMapping {
    BlockDeviceMapping::builder()
        .device_name(ROOT_DEVICE)
        .ebs(
            EbsBlockDevice::builder()
                .encrypted(true)
                .volume_size(gib)
                .volume_type(VolumeType::Gp3)
                .delete_on_termination(true)
                .build(),
        )
        .build()
}

#[async_trait]
impl Resource for Instance {
    fn kind(&self) -> &'static str {
        "instance"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::Bastion {
            instance: ready.id.clone(),
        }]
    }
    /// The bastion: its hours, its root volume and its public address.
    fn charges(&self) -> Vec<Charge> {
        vec![
            Charge::Instances {
                role: Role::Bastion,
                instance_type: self.instance_type.clone(),
                count: 1,
                max: 1,
            },
            Charge::Volumes {
                gib: crate::aws::ami::MIN_ROOT_GIB.unsigned_abs(),
                count: 1,
            },
            Charge::PublicIpv4 {
                holder: Role::Bastion,
                count: 1,
            },
        ]
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.subnet.clone()];
        d.extend(self.security_groups.iter().cloned());
        d.extend(self.key_pair.iter().cloned());
        d.extend(self.after.iter().cloned());
        d
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(40)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::ec2(
            region,
            &format!("InstanceDetails:instanceId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let mut filters = tags::ec2_filters(cx);
        filters.push(
            aws_sdk_ec2::types::Filter::builder()
                .name("instance-state-name")
                .set_values(Some(LIVE.iter().map(|s| s.to_string()).collect()))
                .build(),
        );
        let out = cx
            .ec2()
            .describe_instances()
            .set_filters(Some(filters))
            .send()
            .await
            .map_err(aws("DescribeInstances"))?;
        Ok(Found::tagged(
            out.reservations()
                .iter()
                .flat_map(|r| r.instances())
                .filter(|i| tags::ec2_ours(cx, i.tags()) && live(i))
                .filter_map(|i| i.instance_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let image = ami::latest_amazon_linux(&cx.aws, &self.instance_type).await?;
        let root = ami::root_gib(&cx.aws, &image).await;
        let groups = self
            .security_groups
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        let mut call = cx
            .ec2_once()
            .run_instances()
            .image_id(image)
            .instance_type(self.instance_type.as_str().into())
            .min_count(1)
            .max_count(1)
            .client_token(&cx.token)
            // The bastion asks for its own public address: the subnet hands out none.
            .network_interfaces(
                InstanceNetworkInterfaceSpecification::builder()
                    .device_index(0)
                    .subnet_id(cx.dep(&self.subnet)?)
                    .set_groups(Some(groups))
                    .associate_public_ip_address(true)
                    .delete_on_termination(true)
                    .build(),
            )
            .block_device_mappings(encrypted_root(root))
            // IMDSv2 only: a request forged through the instance cannot read its credentials.
            .metadata_options(
                InstanceMetadataOptionsRequest::builder()
                    .http_tokens(HttpTokensState::Required)
                    .http_endpoint(aws_sdk_ec2::types::InstanceMetadataEndpointState::Enabled)
                    .build(),
            )
            .tag_specifications(tags::ec2_spec(cx, ResourceType::Instance))
            .tag_specifications(tags::ec2_spec(cx, ResourceType::Volume));
        if let Some(key) = &self.key_pair {
            call = call.key_name(cx.dep(key)?);
        }
        let out = call.send().await.map_err(aws("RunInstances"))?;
        out.instances()
            .first()
            .and_then(|i| i.instance_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("RunInstances returned no instance".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("instance {id} to be running"),
            Duration::from_secs(600),
            || async {
                match state(cx, id).await? {
                    Some(InstanceStateName::Running) => Ok(Poll::Ready),
                    Some(InstanceStateName::Stopped) => {
                        cx.ec2_once()
                            .start_instances()
                            .instance_ids(id)
                            .send()
                            .await
                            .map_err(aws("StartInstances"))?;
                        Ok(Poll::Pending)
                    }
                    Some(InstanceStateName::Terminated | InstanceStateName::ShuttingDown)
                    | None => Err(Error::Failed(format!(
                        "instance {id} was terminated; the next apply launches a new one"
                    ))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const WHY: &str = "the bastion keeps nothing, so a new one is launched";
        let mut s = vec![
            Setting::replace("instance type", self.instance_type.as_str(), WHY),
            Setting::replace("subnet", cx.dep_or_new(&self.subnet), WHY),
            Setting::replace("public IPv4", true, WHY),
            Setting::replace("root volume encrypted", true, WHY),
            Setting::update("IMDSv2 required", true),
            Setting::update(
                "security groups",
                Value::set(self.security_groups.iter().map(|k| cx.dep_or_new(k))),
            ),
        ];
        if let Some(key) = &self.key_pair {
            s.push(Setting::replace("key pair", cx.dep_or_new(key), WHY));
        }
        s
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(i) = describe(cx, id).await? else {
            return Ok(a);
        };
        a.insert(
            "instance type",
            i.instance_type()
                .map(|t| t.as_str())
                .unwrap_or_default()
                .into(),
        );
        a.insert("subnet", i.subnet_id().unwrap_or_default().into());
        a.insert("public IPv4", i.public_ip_address().is_some().into());
        a.insert(
            "IMDSv2 required",
            (i.metadata_options().and_then(|m| m.http_tokens())
                == Some(&aws_sdk_ec2::types::HttpTokensState::Required))
            .into(),
        );
        a.insert(
            "security groups",
            Value::set(i.security_groups().iter().filter_map(|g| g.group_id())),
        );
        if let Some(key) = i.key_name() {
            a.insert("key pair", key.into());
        }
        let root = i
            .block_device_mappings()
            .iter()
            .find(|b| b.device_name() == i.root_device_name())
            .and_then(|b| b.ebs())
            .and_then(|e| e.volume_id());
        let encrypted = match root {
            Some(volume) => cx
                .ec2()
                .describe_volumes()
                .volume_ids(volume)
                .send()
                .await
                .map_err(aws("DescribeVolumes"))?
                .volumes()
                .first()
                .and_then(|v| v.encrypted())
                .unwrap_or(false),
            None => false,
        };
        a.insert("root volume encrypted", encrypted.into());
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        for c in changes {
            match c.name {
                "security groups" => {
                    let groups = self
                        .security_groups
                        .iter()
                        .map(|k| cx.dep(k).map(str::to_string))
                        .collect::<Result<Vec<_>, _>>()?;
                    cx.ec2_once()
                        .modify_instance_attribute()
                        .instance_id(id)
                        .set_groups(Some(groups))
                        .send()
                        .await
                        .map_err(aws("ModifyInstanceAttribute"))?;
                }
                "IMDSv2 required" => {
                    cx.ec2_once()
                        .modify_instance_metadata_options()
                        .instance_id(id)
                        .http_tokens(HttpTokensState::Required)
                        .send()
                        .await
                        .map_err(aws("ModifyInstanceMetadataOptions"))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .terminate_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(aws("TerminateInstances"))?;
        Ok(())
    }

    /// Its network interface keeps the subnet and security group busy until it is gone.
    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("instance {id} to terminate"),
            Duration::from_secs(900),
            || async {
                Ok(match state(cx, id).await? {
                    None | Some(InstanceStateName::Terminated) => Poll::Ready,
                    _ => Poll::Pending,
                })
            },
        )
        .await
    }

    /// Instances tagged with the stack, less the Auto Scaling group's own (they belong to
    /// the group and go with it; they carry the stack's tag but no `hawiz:key`, and on
    /// AWS the group's name tag).
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_instances()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeInstances"))?;
            out.extend(
                page.reservations()
                    .iter()
                    .flat_map(|r| r.instances())
                    .filter(|i| live(i))
                    .filter(|i| {
                        !i.tags()
                            .iter()
                            .any(|t| t.key() == Some("aws:autoscaling:groupName"))
                    })
                    .filter_map(|i| tags::ec2_swept(&cx.stack, i.instance_id(), i.tags()))
                    .filter(|s| s.key.is_some()),
            );
        }
        Ok(out)
    }
}

/// Public and private addresses of instances, for the `ssh -J` hint.
pub async fn addresses(
    clients: &crate::aws::Clients,
    ids: &[String],
) -> Result<Vec<(String, Option<String>, Option<String>)>, crate::aws::AwsError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let out = clients
        .ec2
        .describe_instances()
        .set_instance_ids(Some(ids.to_vec()))
        .filters(filter("instance-state-name", "running"))
        .send()
        .await
        .map_err(aws("DescribeInstances"))?;
    Ok(out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| {
            (
                i.instance_id().unwrap_or_default().to_string(),
                i.public_ip_address().map(str::to_string),
                i.private_ip_address().map(str::to_string),
            )
        })
        .collect())
}
