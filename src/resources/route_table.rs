//! A route table (routes and subnet associations are nodes of their own).

use crate::aws::{aws, ec2};
use crate::engine::{Ctx, Error, Resource};
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_route_tables()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeRouteTables"))?;
        Ok(out
            .route_tables()
            .iter()
            .filter(|t| ec2::is_ours(cx, t.tags()))
            .filter_map(|t| t.route_table_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_route_table()
            .vpc_id(cx.dep(&self.vpc)?)
            .client_token(&cx.token)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::RouteTable))
            .send()
            .await
            .map_err(aws("CreateRouteTable"))?;
        out.route_table()
            .and_then(|t| t.route_table_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateRouteTable returned no ID".into()))
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
}
