//! A route table: one public (default route to the Internet gateway) and one private per
//! AZ (default route to that AZ's NAT gateway).

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::inspection::{Inspection, Inspector};
use crate::engine::settings::{Actual, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::ResourceType;

/// The route table `id` as EC2 describes it; `None` when it is gone.
async fn table(cx: &Ctx, id: &str) -> Result<Option<aws_sdk_ec2::types::RouteTable>, Error> {
    Ok(cx
        .ec2()
        .describe_route_tables()
        .route_table_ids(id)
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))
        .or_missing()?
        .and_then(|o| o.route_tables().first().cloned()))
}

#[derive(Debug)]
pub struct RouteTable {
    pub name: String,
    pub vpc: String,
}

/// Its wiring as the inspector shows it.
async fn inspector(c: &crate::aws::Clients, id: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let r = c
        .ec2
        .describe_route_tables()
        .route_table_ids(id)
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))
        .map_err(|e| e.to_string())?;
    let Some(t) = r.route_tables().first() else {
        return Err(format!("{id} was not found"));
    };
    out.head("Routes (destination → target)", "라우팅 (대상 → 대상 유형)");
    for route in t.routes() {
        let dest = route
            .destination_cidr_block()
            .or(route.destination_ipv6_cidr_block())
            .or(route.destination_prefix_list_id())
            .unwrap_or("?");
        let target = route
            .nat_gateway_id()
            .or(route.gateway_id())
            .or(route.instance_id())
            .or(route.transit_gateway_id())
            .or(route.vpc_peering_connection_id())
            .or(route.network_interface_id())
            .unwrap_or("?");
        let state = route.state().map(|s| s.as_str().to_string());
        out.item(format!(
            "{dest:<18} → {target}{}",
            state.map_or_else(String::new, |s| format!("  ({s})"))
        ));
    }
    out.head("Subnet associations", "서브넷 연결");
    let mut any = false;
    for a in t.associations() {
        if a.main() == Some(true) {
            out.item("(main route table of the VPC)");
            any = true;
        }
        if let Some(s) = a.subnet_id() {
            out.item(s.to_string());
            any = true;
        }
    }
    if !any {
        out.item("-");
    }
    out.note(
        "A public table sends 0.0.0.0/0 to the Internet gateway (igw-…); a private one to the NAT gateway (nat-…) of its own AZ.",
        "퍼블릭 라우팅 테이블은 0.0.0.0/0을 인터넷 게이트웨이(igw-…)로, 프라이빗 라우팅 테이블은 같은 가용 영역의 NAT 게이트웨이(nat-…)로 보냅니다.",
    );
    Ok(std::mem::take(out))
}

#[async_trait]
impl Resource for RouteTable {
    fn kind(&self) -> &'static str {
        "route-table"
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspector(clients, id)))
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
        let table = table(cx, id).await?;
        let mut a = Actual::new();
        if let Some(vpc) = table.as_ref().and_then(|t| t.vpc_id()) {
            a.insert("vpc", vpc.into());
        }
        Ok(a)
    }

    /// Its subnets are let go first: the association nodes let go of the stack's, but a
    /// duplicate table's associations belong to no node, and AWS refuses to delete a
    /// table while a subnet is associated with it.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let Some(table) = table(cx, id).await? else {
            return Ok(());
        };
        let associations: Vec<String> = table
            .associations()
            .iter()
            .filter(|a| a.main() != Some(true))
            .filter_map(|a| a.route_table_association_id().map(str::to_string))
            .collect();
        for association in associations {
            // Gone already counts as done.
            cx.ec2()
                .disassociate_route_table()
                .association_id(&association)
                .send()
                .await
                .map_err(aws("DisassociateRouteTable"))
                .or_missing()?;
        }
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
