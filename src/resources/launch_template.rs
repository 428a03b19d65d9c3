//! The app instances' launch template: latest Amazon Linux, the app security group, the
//! least-privilege instance profile, the key pair (so `ssh -J` through the bastion works),
//! IMDSv2 required, an encrypted root volume, and the cloud-init user data. It waits for
//! the file system only (its ID is in the user data), not for the database.
//!
//! A change makes a new version and sets it as the default; the Auto Scaling group then
//! replaces its instances with ones of the new version (instance refresh).

use super::tags;
use crate::aws::{ami, aws};
use crate::engine::inspection::{Inspection, Inspector};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use crate::userdata;
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    LaunchTemplateBlockDeviceMappingRequest, LaunchTemplateEbsBlockDeviceRequest,
    LaunchTemplateHttpTokensState, LaunchTemplateIamInstanceProfileSpecificationRequest,
    LaunchTemplateInstanceMetadataOptionsRequest, LaunchTemplateTagSpecificationRequest,
    RequestLaunchTemplateData, ResourceType, Tag, VolumeType,
};

#[derive(Debug)]
pub struct LaunchTemplate {
    pub name: String,
    pub instance_type: String,
    pub security_group: String,
    pub instance_profile: String,
    /// The key pair's key, when there is a bastion to come through.
    pub key_pair: Option<String>,
    /// The EFS file system's key; without one each instance keeps its own web root.
    pub file_system: Option<String>,
    /// Everything in the user data but the file system ID.
    pub user_data: userdata::Values,
    /// Name tag for the instances it launches.
    pub instance_name: String,
}

/// A short fingerprint of the user data, so a plan can say "changed" without printing it.
/// FNV-1a: the same in every build, as it is kept among the template's outputs.
pub fn fingerprint(text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("#{h:016x}")
}

impl LaunchTemplate {
    fn user_data(&self, cx: &Ctx) -> Result<String, Error> {
        let mut values = self.user_data.clone();
        if let Some(fs) = &self.file_system {
            values.file_system_id = cx.dep_or_new(fs);
        }
        userdata::render(&values).map_err(|e| Error::Failed(e.to_string()))
    }

    async fn data(&self, cx: &Ctx) -> Result<RequestLaunchTemplateData, Error> {
        let image = ami::latest_amazon_linux(&cx.aws, &self.instance_type).await?;
        let root = ami::root_gib(&cx.aws, &image).await;
        let text = self.user_data(cx)?;
        let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
        let instance_tags = |kind: ResourceType| {
            LaunchTemplateTagSpecificationRequest::builder()
                .resource_type(kind)
                .tags(t("Name", &self.instance_name))
                .tags(t(tags::STACK_TAG, &cx.stack))
                .build()
        };
        let mut data = RequestLaunchTemplateData::builder()
            .image_id(image)
            .instance_type(self.instance_type.as_str().into())
            .security_group_ids(cx.dep(&self.security_group)?)
            .iam_instance_profile(
                LaunchTemplateIamInstanceProfileSpecificationRequest::builder()
                    .name(cx.dep(&self.instance_profile)?)
                    .build(),
            )
            .metadata_options(
                LaunchTemplateInstanceMetadataOptionsRequest::builder()
                    .http_tokens(LaunchTemplateHttpTokensState::Required)
                    .http_endpoint(
                        aws_sdk_ec2::types::LaunchTemplateInstanceMetadataEndpointState::Enabled,
                    )
                    .build(),
            )
            .block_device_mappings(
                LaunchTemplateBlockDeviceMappingRequest::builder()
                    .device_name(super::instance::ROOT_DEVICE)
                    .ebs(
                        LaunchTemplateEbsBlockDeviceRequest::builder()
                            .encrypted(true)
                            .volume_size(root)
                            .volume_type(VolumeType::Gp3)
                            .delete_on_termination(true)
                            .build(),
                    )
                    .build(),
            )
            .user_data(userdata::encode(&text))
            .tag_specifications(instance_tags(ResourceType::Instance))
            .tag_specifications(instance_tags(ResourceType::Volume));
        if let Some(key) = &self.key_pair {
            data = data.key_name(cx.dep(key)?);
        }
        Ok(data.build())
    }

    async fn latest(
        cx: &Ctx,
        id: &str,
    ) -> Result<Option<aws_sdk_ec2::types::LaunchTemplateVersion>, Error> {
        let out = cx
            .ec2()
            .describe_launch_template_versions()
            .launch_template_id(id)
            .versions("$Latest")
            .send()
            .await
            .map_err(aws("DescribeLaunchTemplateVersions"));
        Ok(match out {
            Ok(o) => o.launch_template_versions().first().cloned(),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e.into()),
        })
    }
}

/// Its wiring as the inspector shows it.
async fn inspector(c: &crate::aws::Clients, id: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let r = c
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(id)
        .versions("$Latest")
        .send()
        .await
        .map_err(aws("DescribeLaunchTemplateVersions"))
        .map_err(|e| e.to_string())?;
    let Some(v) = r.launch_template_versions().first() else {
        return Err(format!("{id} was not found"));
    };
    let Some(d) = v.launch_template_data() else {
        return Err(format!("{id} has no data"));
    };
    out.head("Launch template", "시작 템플릿");
    out.item(format!(
        "version {} · {} · {}",
        v.version_number().unwrap_or_default(),
        d.image_id().unwrap_or("?"),
        d.instance_type().map_or("?", |t| t.as_str())
    ));
    if !d.security_group_ids().is_empty() {
        out.item(format!(
            "security groups: {}",
            d.security_group_ids().join(", ")
        ));
    }
    if let Some(m) = d.metadata_options() {
        out.item(format!(
            "IMDS: http tokens {}",
            m.http_tokens().map_or("?", |t| t.as_str())
        ));
    }
    out.head("User data (cloud-init)", "사용자 데이터 (cloud-init)");
    match d.user_data().map(crate::userdata::decode) {
        Some(Ok(text)) => {
            for l in text.lines() {
                out.item(crate::engine::inspection::mask(l));
            }
        }
        Some(Err(_)) => out.item("(not readable as text)"),
        None => out.item("-"),
    }
    out.note(
        "No password is in the user data: the instance reads the database's credentials from SSM Parameter Store when it boots.",
        "사용자 데이터에는 암호가 없습니다. 인스턴스가 부팅할 때 SSM Parameter Store에서 데이터베이스 자격 증명을 읽습니다.",
    );
    Ok(std::mem::take(out))
}

pub const KIND: &str = "launch-template";

#[async_trait]
impl Resource for LaunchTemplate {
    fn kind(&self) -> &'static str {
        KIND
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspector(clients, id)))
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.security_group.clone(), self.instance_profile.clone()];
        d.extend(self.key_pair.iter().cloned());
        d.extend(self.file_system.iter().cloned());
        d
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::ec2(
            region,
            &format!("LaunchTemplateDetails:launchTemplateId={id}"),
        ))
    }

    /// By tags; a template of the same name (names are unique per region) that is not
    /// this stack's is in the way.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_launch_templates()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeLaunchTemplates"));
        let mut found = match out {
            Ok(o) => Found::tagged(
                o.launch_templates()
                    .iter()
                    .filter(|t| tags::ec2_ours(cx, t.tags()))
                    .filter_map(|t| t.launch_template_id().map(str::to_string))
                    .collect(),
            ),
            Err(e) if e.is_not_found() => Found::none(),
            Err(e) => return Err(e.into()),
        };
        if found.ours.is_empty() {
            let named = cx
                .ec2()
                .describe_launch_templates()
                .launch_template_names(&self.name)
                .send()
                .await
                .map_err(aws("DescribeLaunchTemplates"));
            match named {
                Ok(o) if !o.launch_templates().is_empty() => found.foreign.push(
                    crate::engine::foreign(cx, "launch template", &self.name, "stack.name"),
                ),
                Ok(_) => {}
                Err(e) if e.is_not_found() || e.code.as_deref() == Some("ValidationError") => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(found)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_launch_template()
            .launch_template_name(&self.name)
            .client_token(&cx.token)
            .version_description("hawiz")
            .launch_template_data(self.data(cx).await?)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::LaunchTemplate))
            .send()
            .await
            .map_err(aws("CreateLaunchTemplate"))?;
        out.launch_template()
            .and_then(|t| t.launch_template_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateLaunchTemplate returned no ID".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        let mut s = vec![
            Setting::update("instance type", self.instance_type.as_str()),
            Setting::update(
                "security groups",
                Value::set([cx.dep_or_new(&self.security_group)]),
            ),
            Setting::update("instance profile", cx.dep_or_new(&self.instance_profile)),
            Setting::update(
                "key pair",
                self.key_pair
                    .as_ref()
                    .map(|k| cx.dep_or_new(k))
                    .unwrap_or_default(),
            ),
            Setting::update("IMDSv2 required", true),
            Setting::update("root volume encrypted", true),
        ];
        if let Ok(text) = self.user_data(cx) {
            s.push(Setting::update("user data", fingerprint(&text)));
        }
        s
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(v) = Self::latest(cx, id).await? else {
            return Ok(a);
        };
        let Some(d) = v.launch_template_data() else {
            return Ok(a);
        };
        a.insert(
            "instance type",
            d.instance_type()
                .map(|t| t.as_str())
                .unwrap_or_default()
                .into(),
        );
        a.insert("security groups", Value::set(d.security_group_ids()));
        a.insert(
            "instance profile",
            d.iam_instance_profile()
                .and_then(|p| p.name())
                .unwrap_or_default()
                .into(),
        );
        a.insert("key pair", d.key_name().unwrap_or_default().into());
        a.insert(
            "IMDSv2 required",
            (d.metadata_options().and_then(|m| m.http_tokens())
                == Some(&LaunchTemplateHttpTokensState::Required))
            .into(),
        );
        let encrypted = d
            .block_device_mappings()
            .iter()
            .filter_map(|b| b.ebs())
            .any(|e| e.encrypted() == Some(true));
        a.insert("root volume encrypted", encrypted.into());
        let text = d
            .user_data()
            .and_then(|b| userdata::decode(b).ok())
            .unwrap_or_default();
        a.insert("user data", fingerprint(&text).into());
        Ok(a)
    }

    /// A new version with everything as the plan says, made the default: instances
    /// launched from now on get it, and the group replaces the running ones.
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let out = cx
            .ec2_once()
            .create_launch_template_version()
            .launch_template_id(id)
            .version_description("hawiz")
            .launch_template_data(self.data(cx).await?)
            .send()
            .await
            .map_err(aws("CreateLaunchTemplateVersion"))?;
        let version = out
            .launch_template_version()
            .and_then(|v| v.version_number())
            .ok_or_else(|| {
                Error::Failed("CreateLaunchTemplateVersion returned no number".into())
            })?;
        cx.ec2_once()
            .modify_launch_template()
            .launch_template_id(id)
            .default_version(version.to_string())
            .send()
            .await
            .map_err(aws("ModifyLaunchTemplate"))?;
        Ok(())
    }

    /// The latest version and what an instance launched from it has: the Auto Scaling
    /// group replaces instances that differ (launched from an older version).
    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        let mut o = Outputs::new();
        let Some(v) = Self::latest(cx, id).await? else {
            return Ok(o);
        };
        if let Some(n) = v.version_number() {
            o.insert("version".into(), n.to_string());
        }
        if let Some(d) = v.launch_template_data() {
            o.insert("image".into(), d.image_id().unwrap_or_default().into());
            o.insert(
                "instance type".into(),
                d.instance_type()
                    .map(|t| t.as_str())
                    .unwrap_or_default()
                    .into(),
            );
            o.insert("key pair".into(), d.key_name().unwrap_or_default().into());
            let mut groups: Vec<&str> = d.security_group_ids().iter().map(String::as_str).collect();
            groups.sort_unstable();
            o.insert("security groups".into(), groups.join(","));
            if let Some(text) = d.user_data().and_then(|b| userdata::decode(b).ok()) {
                o.insert("user data".into(), fingerprint(&text));
            }
        }
        Ok(o)
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_launch_template()
            .launch_template_id(id)
            .send()
            .await
            .map_err(aws("DeleteLaunchTemplate"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_launch_templates()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            match page.map_err(aws("DescribeLaunchTemplates")) {
                Ok(o) => {
                    out.extend(o.launch_templates().iter().filter_map(|t| {
                        tags::ec2_swept(&cx.stack, t.launch_template_id(), t.tags())
                    }))
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }
}
