//! The VPC, with DNS support and DNS hostnames on (EFS mount targets are reached by name).

use crate::aws::{aws, ec2};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, VpcAttributeName, VpcState};
use std::time::Duration;

#[derive(Debug)]
pub struct Vpc {
    pub name: String,
    pub cidr: String,
}

#[async_trait]
impl Resource for Vpc {
    fn kind(&self) -> &'static str {
        "vpc"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_vpcs()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeVpcs"))?;
        Ok(out
            .vpcs()
            .iter()
            .filter(|v| ec2::is_ours(cx, v.tags()))
            .filter_map(|v| v.vpc_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_vpc()
            .cidr_block(&self.cidr)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::Vpc))
            .send()
            .await
            .map_err(aws("CreateVpc"))?;
        out.vpc()
            .and_then(|v| v.vpc_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateVpc returned no VPC ID".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("VPC {id} to become available"),
            Duration::from_secs(300),
            || async {
                let out = cx
                    .ec2()
                    .describe_vpcs()
                    .vpc_ids(id)
                    .send()
                    .await
                    .map_err(aws("DescribeVpcs"))?;
                let available =
                    out.vpcs().first().and_then(|v| v.state()) == Some(&VpcState::Available);
                Ok(if available {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await?;
        // AWS takes one attribute per call, support before hostnames.
        for attr in [
            VpcAttributeName::EnableDnsSupport,
            VpcAttributeName::EnableDnsHostnames,
        ] {
            let out = cx
                .ec2()
                .describe_vpc_attribute()
                .vpc_id(id)
                .attribute(attr.clone())
                .send()
                .await
                .map_err(aws("DescribeVpcAttribute"))?;
            let on = match attr {
                VpcAttributeName::EnableDnsSupport => out.enable_dns_support(),
                _ => out.enable_dns_hostnames(),
            }
            .and_then(|v| v.value())
            .unwrap_or(false);
            if on {
                continue;
            }
            let yes = AttributeBooleanValue::builder().value(true).build();
            let call = cx.ec2_once().modify_vpc_attribute().vpc_id(id);
            let call = match attr {
                VpcAttributeName::EnableDnsSupport => call.enable_dns_support(yes),
                _ => call.enable_dns_hostnames(yes),
            };
            call.send().await.map_err(aws("ModifyVpcAttribute"))?;
        }
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_vpc()
            .vpc_id(id)
            .send()
            .await
            .map_err(aws("DeleteVpc"))?;
        Ok(())
    }
}
