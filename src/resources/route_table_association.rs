//! A subnet's association with a route table. The node's ID is the association ID.

use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;

#[derive(Debug)]
pub struct RouteTableAssociation {
    pub name: String,
    pub table: String,
    pub subnet: String,
}

#[async_trait]
impl Resource for RouteTableAssociation {
    fn kind(&self) -> &'static str {
        "rtb-association"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.table.clone(), self.subnet.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let (Some(table), Some(subnet)) = (cx.dep_opt(&self.table), cx.dep_opt(&self.subnet))
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
        Ok(out
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .filter(|a| a.subnet_id() == Some(subnet))
            .filter_map(|a| a.route_table_association_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let table = cx.dep(&self.table)?;
        let subnet = cx.dep(&self.subnet)?;
        // A subnet has at most one explicit association; if another table holds it (a
        // leftover from an earlier plan), move it rather than fail.
        let current = cx
            .ec2()
            .describe_route_tables()
            .filters(filter("association.subnet-id", subnet))
            .send()
            .await
            .map_err(aws("DescribeRouteTables"))?;
        let existing = current
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .find(|a| a.subnet_id() == Some(subnet))
            .and_then(|a| a.route_table_association_id());
        let id = if let Some(assoc) = existing {
            let out = cx
                .ec2_once()
                .replace_route_table_association()
                .association_id(assoc)
                .route_table_id(table)
                .send()
                .await
                .map_err(aws("ReplaceRouteTableAssociation"))?;
            out.new_association_id().map(str::to_string)
        } else {
            let out = cx
                .ec2_once()
                .associate_route_table()
                .route_table_id(table)
                .subnet_id(subnet)
                .send()
                .await
                .map_err(aws("AssociateRouteTable"))?;
            out.association_id().map(str::to_string)
        };
        id.ok_or_else(|| Error::Failed("AssociateRouteTable returned no association ID".into()))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .disassociate_route_table()
            .association_id(id)
            .send()
            .await
            .map_err(aws("DisassociateRouteTable"))?;
        Ok(())
    }
}
