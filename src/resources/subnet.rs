//! A subnet in one AZ. Public ones route to the Internet gateway (through the public
//! route table), private ones to a NAT gateway. No subnet hands out public addresses by
//! itself: only the bastion asks for one, so nothing else is reachable from outside by
//! accident.

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, SubnetState};
use std::time::Duration;

#[derive(Debug)]
pub struct Subnet {
    pub name: String,
    pub vpc: String,
    pub cidr: String,
    pub az: String,
    pub public: bool,
}

async fn describe(cx: &Ctx, id: &str) -> Result<Option<aws_sdk_ec2::types::Subnet>, Error> {
    let out = cx
        .ec2()
        .describe_subnets()
        .subnet_ids(id)
        .send()
        .await
        .map_err(aws("DescribeSubnets"))?;
    Ok(out.subnets().first().cloned())
}

#[async_trait]
impl Resource for Subnet {
    fn kind(&self) -> &'static str {
        "subnet"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone()]
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::vpc(
            region,
            &format!("SubnetDetails:subnetId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_subnets()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeSubnets"))?;
        Ok(Found::tagged(
            out.subnets()
                .iter()
                .filter(|s| tags::ec2_ours(cx, s.tags()))
                .filter_map(|s| s.subnet_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_subnet()
            .vpc_id(cx.dep(&self.vpc)?)
            .cidr_block(&self.cidr)
            .availability_zone(&self.az)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::Subnet))
            .send()
            .await
            .map_err(aws("CreateSubnet"))?;
        out.subnet()
            .and_then(|s| s.subnet_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateSubnet returned no subnet ID".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("subnet {id} to become available"),
            Duration::from_secs(300),
            || async {
                let available = describe(cx, id).await?.and_then(|s| s.state().cloned())
                    == Some(SubnetState::Available);
                Ok(if available {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const WHY: &str = "a subnet's VPC, address range and zone cannot be changed";
        vec![
            Setting::replace("vpc", cx.dep_or_new(&self.vpc), WHY),
            Setting::replace("cidr", self.cidr.as_str(), WHY),
            Setting::replace("zone", self.az.as_str(), WHY),
            Setting::update("auto-assign public IPv4", false),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(s) = describe(cx, id).await? {
            a.insert("vpc", s.vpc_id().unwrap_or_default().into());
            a.insert("cidr", s.cidr_block().unwrap_or_default().into());
            a.insert("zone", s.availability_zone().unwrap_or_default().into());
            a.insert(
                "auto-assign public IPv4",
                s.map_public_ip_on_launch().unwrap_or(false).into(),
            );
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.ec2_once()
            .modify_subnet_attribute()
            .subnet_id(id)
            .map_public_ip_on_launch(AttributeBooleanValue::builder().value(false).build())
            .send()
            .await
            .map_err(aws("ModifySubnetAttribute"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_subnet()
            .subnet_id(id)
            .send()
            .await
            .map_err(aws("DeleteSubnet"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_subnets()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeSubnets"))?;
            out.extend(
                page.subnets()
                    .iter()
                    .filter_map(|s| tags::ec2_swept(&cx.stack, s.subnet_id(), s.tags())),
            );
        }
        Ok(out)
    }
}
