//! The default route (0.0.0.0/0) of a route table, to an Internet gateway (public) or a
//! NAT gateway (private). Routes carry no tags: the one in our own route table is ours.

use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
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

/// The default route of a table as (target, blackhole).
async fn current(cx: &Ctx, table: &str) -> Result<Option<(String, bool)>, Error> {
    let out = cx
        .ec2()
        .describe_route_tables()
        .route_table_ids(table)
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))?;
    Ok(out
        .route_tables()
        .iter()
        .flat_map(|t| t.routes())
        .find(|r| r.destination_cidr_block() == Some(DEFAULT))
        .map(|r| {
            let target = r
                .nat_gateway_id()
                .or(r.gateway_id())
                .unwrap_or_default()
                .to_string();
            (target, r.state() == Some(&RouteState::Blackhole))
        }))
}

impl DefaultRoute {
    async fn point(&self, cx: &Ctx, replace: bool) -> Result<(), Error> {
        let table = cx.dep(&self.table)?;
        let target = cx.dep(&self.target)?;
        if replace {
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
        } else {
            let call = cx
                .ec2_once()
                .create_route()
                .route_table_id(table)
                .destination_cidr_block(DEFAULT);
            let call = match self.via {
                Via::InternetGateway => call.gateway_id(target),
                Via::NatGateway => call.nat_gateway_id(target),
            };
            call.send().await.map_err(aws("CreateRoute"))?;
        }
        Ok(())
    }
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

    /// The default route of our own route table, whatever it points at (the settings
    /// say where it should).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(table) = cx.dep_opt(&self.table) else {
            return Ok(Found::none());
        };
        Ok(match current(cx, table).await? {
            Some(_) => Found::with(vec![format!("{table}/{DEFAULT}")], Proof::Parent),
            None => Found::none(),
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        match self.point(cx, false).await {
            // Made by an attempt whose answer was lost: the settings put it right.
            Err(Error::Aws(e)) if e.code.as_deref() == Some("RouteAlreadyExists") => {}
            other => other?,
        }
        Ok(format!("{}/{DEFAULT}", cx.dep(&self.table)?))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("target", cx.dep_or_new(&self.target))]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(table) = cx.dep_opt(&self.table)
            && let Some((target, blackhole)) = current(cx, table).await?
        {
            let shown = if blackhole {
                format!("{target} (blackhole: it is gone)")
            } else {
                target
            };
            a.insert("target", shown.into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.point(cx, true).await
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let Some(table) = cx.dep_opt(&self.table) else {
            return Ok(()); // the table is gone, and its routes with it
        };
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
