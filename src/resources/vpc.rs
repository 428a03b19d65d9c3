//! The VPC, with DNS support and DNS hostnames on (EFS mount targets are reached by name).

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, VpcAttributeName, VpcState};
use std::time::Duration;

#[derive(Debug)]
pub struct Vpc {
    pub name: String,
    pub cidr: String,
}

async fn attribute(cx: &Ctx, id: &str, attr: VpcAttributeName) -> Result<bool, Error> {
    let out = cx
        .ec2()
        .describe_vpc_attribute()
        .vpc_id(id)
        .attribute(attr.clone())
        .send()
        .await
        .map_err(aws("DescribeVpcAttribute"))?;
    Ok(match attr {
        VpcAttributeName::EnableDnsSupport => out.enable_dns_support(),
        _ => out.enable_dns_hostnames(),
    }
    .and_then(|v| v.value())
    .unwrap_or(false))
}

pub const KIND: &str = "vpc";

#[async_trait]
impl Resource for Vpc {
    fn kind(&self) -> &'static str {
        KIND
    }
    /// A new VPC means everything inside it is made again, the database too.
    fn replacing(&self) -> crate::engine::Replacing {
        crate::engine::Replacing::Everything
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(3)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::vpc(
            region,
            &format!("VpcDetails:VpcId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_vpcs()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeVpcs"))?;
        Ok(Found::tagged(
            out.vpcs()
                .iter()
                .filter(|v| tags::ec2_ours(cx, v.tags()))
                .filter_map(|v| v.vpc_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_vpc()
            .cidr_block(&self.cidr)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::Vpc))
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
        .await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "cidr",
                self.cidr.as_str(),
                "a VPC's address range cannot be changed",
            ),
            Setting::update("dns support", true),
            Setting::update("dns hostnames", true),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let out = cx
            .ec2()
            .describe_vpcs()
            .vpc_ids(id)
            .send()
            .await
            .map_err(aws("DescribeVpcs"))?;
        let mut a = Actual::new();
        if let Some(cidr) = out.vpcs().first().and_then(|v| v.cidr_block()) {
            a.insert("cidr", cidr.into());
        }
        a.insert(
            "dns support",
            attribute(cx, id, VpcAttributeName::EnableDnsSupport)
                .await?
                .into(),
        );
        a.insert(
            "dns hostnames",
            attribute(cx, id, VpcAttributeName::EnableDnsHostnames)
                .await?
                .into(),
        );
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        // AWS takes one attribute per call, support before hostnames (hostnames need it).
        for name in ["dns support", "dns hostnames"] {
            if !changes.iter().any(|c| c.name == name) {
                continue;
            }
            let yes = AttributeBooleanValue::builder().value(true).build();
            let call = cx.ec2_once().modify_vpc_attribute().vpc_id(id);
            let call = if name == "dns support" {
                call.enable_dns_support(yes)
            } else {
                call.enable_dns_hostnames(yes)
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

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_vpcs()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeVpcs"))?;
            out.extend(
                page.vpcs()
                    .iter()
                    .filter_map(|v| tags::ec2_swept(&cx.stack, v.vpc_id(), v.tags())),
            );
        }
        Ok(out)
    }
}
