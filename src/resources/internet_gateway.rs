//! The Internet gateway: the public subnets' way in and out. Attaching it to the VPC is
//! its own node (`igw_attachment`), so a crash between the two calls resumes cleanly.

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::ResourceType;

#[derive(Debug)]
pub struct InternetGateway {
    pub name: String,
}

#[async_trait]
impl Resource for InternetGateway {
    fn kind(&self) -> &'static str {
        "internet-gateway"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_internet_gateways()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeInternetGateways"))?;
        Ok(Found::tagged(
            out.internet_gateways()
                .iter()
                .filter(|g| tags::ec2_ours(cx, g.tags()))
                .filter_map(|g| g.internet_gateway_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_internet_gateway()
            .tag_specifications(tags::ec2_spec(cx, ResourceType::InternetGateway))
            .send()
            .await
            .map_err(aws("CreateInternetGateway"))?;
        out.internet_gateway()
            .and_then(|g| g.internet_gateway_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateInternetGateway returned no ID".into()))
    }

    /// Detached first from whatever VPC holds it: the attachment node detaches the one of
    /// the stack's VPC, but a duplicate gateway hangs on a duplicate VPC no node knows,
    /// and AWS refuses to delete an attached gateway for as long as it stays attached.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let out = cx
            .ec2()
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await
            .map_err(aws("DescribeInternetGateways"))
            .or_missing()?;
        let Some(out) = out else {
            return Ok(());
        };
        let attached: Vec<String> = out
            .internet_gateways()
            .iter()
            .flat_map(|g| g.attachments())
            .filter_map(|a| a.vpc_id().map(str::to_string))
            .collect();
        for vpc in attached {
            cx.ec2()
                .detach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(&vpc)
                .send()
                .await
                .map_err(aws("DetachInternetGateway"))?;
        }
        cx.ec2()
            .delete_internet_gateway()
            .internet_gateway_id(id)
            .send()
            .await
            .map_err(aws("DeleteInternetGateway"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_internet_gateways()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeInternetGateways"))?;
            out.extend(
                page.internet_gateways()
                    .iter()
                    .filter_map(|g| tags::ec2_swept(&cx.stack, g.internet_gateway_id(), g.tags())),
            );
        }
        Ok(out)
    }
}
