//! A subnet's association with its route table: what makes a subnet public or private.
//! Associations carry no tags: the one of our own subnet is ours.

use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;

#[derive(Debug)]
pub struct RouteTableAssociation {
    pub name: String,
    pub table: String,
    pub subnet: String,
}

/// The subnet's explicit association, as (association ID, route table ID).
async fn association(cx: &Ctx, subnet: &str) -> Result<Option<(String, String)>, Error> {
    let out = cx
        .ec2()
        .describe_route_tables()
        .filters(filter("association.subnet-id", subnet))
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))?;
    Ok(out.route_tables().iter().find_map(|t| {
        t.associations()
            .iter()
            .find(|a| a.subnet_id() == Some(subnet))
            .and_then(|a| {
                Some((
                    a.route_table_association_id()?.to_string(),
                    t.route_table_id()?.to_string(),
                ))
            })
    }))
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

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(subnet) = cx.dep_opt(&self.subnet) else {
            return Ok(Found::none());
        };
        Ok(match association(cx, subnet).await? {
            Some((id, _)) => Found::with(vec![id], Proof::Parent),
            None => Found::none(),
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .associate_route_table()
            .route_table_id(cx.dep(&self.table)?)
            .subnet_id(cx.dep(&self.subnet)?)
            .send()
            .await
            .map_err(aws("AssociateRouteTable"))?;
        out.association_id()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("AssociateRouteTable returned no association ID".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("route table", cx.dep_or_new(&self.table))]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(subnet) = cx.dep_opt(&self.subnet)
            && let Some((_, table)) = association(cx, subnet).await?
        {
            a.insert("route table", table.into());
        }
        Ok(a)
    }

    /// Point the subnet at the plan's table (AWS gives the association a new ID).
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.ec2_once()
            .replace_route_table_association()
            .association_id(id)
            .route_table_id(cx.dep(&self.table)?)
            .send()
            .await
            .map_err(aws("ReplaceRouteTableAssociation"))?;
        Ok(())
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
