//! The app instances' launch template: latest Amazon Linux, the app security group, the
//! least-privilege instance profile, IMDSv2 required, and the cloud-init user data. It
//! waits for the file system only (its ID is in the user data), not for the database.

use crate::aws::{ami, aws, ec2};
use crate::engine::{Ctx, Error, Resource};
use crate::userdata;
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    LaunchTemplateHttpTokensState, LaunchTemplateIamInstanceProfileSpecificationRequest,
    LaunchTemplateInstanceMetadataOptionsRequest, LaunchTemplateTagSpecificationRequest,
    RequestLaunchTemplateData, ResourceType, Tag,
};

#[derive(Debug)]
pub struct LaunchTemplate {
    pub name: String,
    pub instance_type: String,
    pub security_group: String,
    pub instance_profile: String,
    /// The EFS file system's key; without one each instance keeps its own web root.
    pub file_system: Option<String>,
    /// Everything in the user data but the file system ID.
    pub user_data: userdata::Values,
    /// Name tag for the instances it launches.
    pub instance_name: String,
}

#[async_trait]
impl Resource for LaunchTemplate {
    fn kind(&self) -> &'static str {
        "launch-template"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.security_group.clone(), self.instance_profile.clone()];
        d.extend(self.file_system.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_launch_templates()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeLaunchTemplates"));
        let out = match out {
            Ok(o) => o,
            Err(e) if e.is_not_found() => return Ok(vec![]),
            Err(e) => return Err(e.into()),
        };
        Ok(out
            .launch_templates()
            .iter()
            .filter(|t| ec2::is_ours(cx, t.tags()))
            .filter_map(|t| t.launch_template_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let image = ami::latest_amazon_linux(&cx.aws, &self.instance_type).await?;
        let mut values = self.user_data.clone();
        if let Some(fs) = &self.file_system {
            values.file_system_id = cx.dep(fs)?.to_string();
        }
        let text = userdata::render(&values).map_err(|e| Error::Failed(e.to_string()))?;
        let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
        let instance_tags = |kind: ResourceType| {
            LaunchTemplateTagSpecificationRequest::builder()
                .resource_type(kind)
                .tags(t("Name", &self.instance_name))
                .tags(t(ec2::STACK_TAG, &cx.stack))
                .build()
        };
        let data = RequestLaunchTemplateData::builder()
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
            .user_data(userdata::encode(&text))
            .tag_specifications(instance_tags(ResourceType::Instance))
            .tag_specifications(instance_tags(ResourceType::Volume))
            .build();
        let out = cx
            .ec2_once()
            .create_launch_template()
            .launch_template_name(&self.name)
            .client_token(&cx.token)
            .version_description("hawiz")
            .launch_template_data(data)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::LaunchTemplate))
            .send()
            .await
            .map_err(aws("CreateLaunchTemplate"))?;
        out.launch_template()
            .and_then(|t| t.launch_template_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateLaunchTemplate returned no ID".into()))
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
}
