//! A single EC2 instance: the bastion host in a public subnet, IMDSv2 only.

use crate::aws::ec2::filter;
use crate::aws::{ami, aws, ec2};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    HttpTokensState, InstanceMetadataOptionsRequest, InstanceStateName, ResourceType,
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

async fn state(cx: &Ctx, id: &str) -> Result<Option<InstanceStateName>, Error> {
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
        .and_then(|i| i.state())
        .and_then(|s| s.name())
        .cloned())
}

#[async_trait]
impl Resource for Instance {
    fn kind(&self) -> &'static str {
        "instance"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.subnet.clone()];
        d.extend(self.security_groups.iter().cloned());
        d.extend(self.key_pair.iter().cloned());
        d.extend(self.after.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let mut filters = ec2::tag_filters(cx);
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
        Ok(out
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|i| ec2::is_ours(cx, i.tags()))
            .filter(|i| {
                i.state()
                    .and_then(|s| s.name())
                    .is_some_and(|n| LIVE.contains(&n.as_str()))
            })
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let image = ami::latest_amazon_linux(&cx.aws, &self.instance_type).await?;
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
            .subnet_id(cx.dep(&self.subnet)?)
            .set_security_group_ids(Some(groups))
            // IMDSv2 only: a request forged through the instance cannot read its credentials.
            .metadata_options(
                InstanceMetadataOptionsRequest::builder()
                    .http_tokens(HttpTokensState::Required)
                    .http_endpoint(aws_sdk_ec2::types::InstanceMetadataEndpointState::Enabled)
                    .build(),
            )
            .tag_specifications(ec2::tag_spec(cx, ResourceType::Instance))
            .tag_specifications(ec2::tag_spec(cx, ResourceType::Volume));
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
}

/// Public and private addresses of an instance, for the `ssh -J` hint.
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
