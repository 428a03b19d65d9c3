//! The default route (0.0.0.0/0) of a route table, to an Internet gateway (public) or a
//! NAT gateway (private). Routes carry no tags; the node's ID is `rtb-…/0.0.0.0/0`.

use crate::aws::aws;
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::RouteState;

pub const DEFAULT: &str = "0.0.0.0/0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    InternetGateway,
    NatGateway,
}

#[derive(Debug)]
pub struct DefaultRoute {
    pub name: String,
    pub table: String,
    pub via: Via,
    /// Key of the gateway the route points at.
    pub target: String,
    /// Extra ordering: an IGW route needs the gateway attached first.
    pub after: Vec<String>,
}

#[async_trait]
impl Resource for DefaultRoute {
    fn kind(&self) -> &'static str {
        "route"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.table.clone(), self.target.clone()];
        d.extend(self.after.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let (Some(table), Some(target)) = (cx.dep_opt(&self.table), cx.dep_opt(&self.target))
        else {
            return Ok(vec![]);
        };
        let out = cx
            .ec2()
            .describe_route_tables()
            .route_table_ids(table)
            .send()
            .await
            .map_err(aws("DescribeRouteTables"))?;
        let exists = out.route_tables().iter().flat_map(|t| t.routes()).any(|r| {
            r.destination_cidr_block() == Some(DEFAULT)
                && r.state() != Some(&RouteState::Blackhole)
                && match self.via {
                    Via::InternetGateway => r.gateway_id() == Some(target),
                    Via::NatGateway => r.nat_gateway_id() == Some(target),
                }
        });
        Ok(if exists {
            vec![format!("{table}/{DEFAULT}")]
        } else {
            vec![]
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let table = cx.dep(&self.table)?;
        let target = cx.dep(&self.target)?;
        let call = cx
            .ec2_once()
            .create_route()
            .route_table_id(table)
            .destination_cidr_block(DEFAULT);
        let call = match self.via {
            Via::InternetGateway => call.gateway_id(target),
            Via::NatGateway => call.nat_gateway_id(target),
        };
        match call.send().await.map_err(aws("CreateRoute")) {
            Ok(_) => {}
            // A default route to something else (a NAT gateway that was replaced, a
            // blackhole): point it at the right target instead.
            Err(e) if e.code.as_deref() == Some("RouteAlreadyExists") => {
                let call = cx
                    .ec2_once()
                    .replace_route()
                    .route_table_id(table)
                    .destination_cidr_block(DEFAULT);
                let call = match self.via {
                    Via::InternetGateway => call.gateway_id(target),
                    Via::NatGateway => call.nat_gateway_id(target),
                };
                call.send().await.map_err(aws("ReplaceRoute"))?;
            }
            Err(e) => return Err(e.into()),
        }
        Ok(format!("{table}/{DEFAULT}"))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let table = id.split_once('/').map(|(t, _)| t).unwrap_or(id);
        cx.ec2()
            .delete_route()
            .route_table_id(table)
            .destination_cidr_block(DEFAULT)
            .send()
            .await
            .map_err(aws("DeleteRoute"))?;
        Ok(())
    }
}
