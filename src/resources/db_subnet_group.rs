//! The DB subnet group: the private subnets (two AZs at least) RDS may place the primary
//! and the Multi-AZ standby in.

use crate::aws::aws;
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;

#[derive(Debug)]
pub struct DbSubnetGroup {
    /// Also the node ID.
    pub name: String,
    pub subnets: Vec<String>,
}

pub fn rds_tags(cx: &Ctx) -> Vec<aws_sdk_rds::types::Tag> {
    let t = |k: &str, v: &str| aws_sdk_rds::types::Tag::builder().key(k).value(v).build();
    vec![
        t("Name", &cx.name),
        t(crate::aws::ec2::STACK_TAG, &cx.stack),
        t(crate::aws::ec2::KEY_TAG, &cx.key),
    ]
}

#[async_trait]
impl Resource for DbSubnetGroup {
    fn kind(&self) -> &'static str {
        "db-subnet-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        self.subnets.clone()
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .aws
            .rds
            .describe_db_subnet_groups()
            .db_subnet_group_name(&self.name)
            .send()
            .await
            .map_err(aws("DescribeDBSubnetGroups"));
        match out {
            Ok(o) if !o.db_subnet_groups().is_empty() => Ok(vec![self.name.clone()]),
            Ok(_) => Ok(vec![]),
            Err(e) if e.is_not_found() => Ok(vec![]),
            Err(e) => Err(e.into()),
        }
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let ids = self
            .subnets
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        cx.aws
            .once
            .rds
            .create_db_subnet_group()
            .db_subnet_group_name(&self.name)
            .db_subnet_group_description(format!("Private subnets for {}", cx.stack))
            .set_subnet_ids(Some(ids))
            .set_tags(Some(rds_tags(cx)))
            .send()
            .await
            .map_err(aws("CreateDBSubnetGroup"))?;
        Ok(self.name.clone())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .rds
            .delete_db_subnet_group()
            .db_subnet_group_name(id)
            .send()
            .await
            .map_err(aws("DeleteDBSubnetGroup"))?;
        Ok(())
    }
}
