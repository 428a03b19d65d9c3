//! A route table: one public (default route to the Internet gateway) and one private per
//! AZ (default route to that AZ's NAT gateway).

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::ResourceType;

#[derive(Debug)]
pub struct RouteTable {
    pub name: String,
    pub vpc: String,
}

#[async_trait]
impl Resource for RouteTable {
    fn kind(&self) -> &'static str {
        "route-table"
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
            &format!("RouteTableDetails:RouteTableId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_route_tables()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeRouteTables"))?;
        Ok(Found::tagged(
            out.route_tables()
                .iter()
                .filter(|t| tags::ec2_ours(cx, t.tags()))
                .filter_map(|t| t.route_table_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_route_table()
            .vpc_id(cx.dep(&self.vpc)?)
            .client_token(&cx.token)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::RouteTable))
            .send()
            .await
            .map_err(aws("CreateRouteTable"))?;
        out.route_table()
            .and_then(|t| t.route_table_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateRouteTable returned no ID".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::replace(
            "vpc",
            cx.dep_or_new(&self.vpc),
            "a route table cannot move to another VPC",
        )]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let out = cx
            .ec2()
            .describe_route_tables()
            .route_table_ids(id)
            .send()
            .await
            .map_err(aws("DescribeRouteTables"))?;
        let mut a = Actual::new();
        if let Some(vpc) = out.route_tables().first().and_then(|t| t.vpc_id()) {
            a.insert("vpc", vpc.into());
        }
        Ok(a)
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_route_table()
            .route_table_id(id)
            .send()
            .await
            .map_err(aws("DeleteRouteTable"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_route_tables()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeRouteTables"))?;
            out.extend(
                page.route_tables()
                    .iter()
                    .filter_map(|t| tags::ec2_swept(&cx.stack, t.route_table_id(), t.tags())),
            );
        }
        Ok(out)
    }
}
