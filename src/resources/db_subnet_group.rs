//! The DB subnet group: the private subnets (two AZs at least) RDS may place the primary
//! and the Multi-AZ standby in.

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;

#[derive(Debug)]
pub struct DbSubnetGroup {
    /// Also the node ID.
    pub name: String,
    pub subnets: Vec<String>,
}

async fn describe(
    cx: &Ctx,
    name: &str,
) -> Result<Option<aws_sdk_rds::types::DbSubnetGroup>, Error> {
    Ok(cx
        .aws
        .rds
        .describe_db_subnet_groups()
        .db_subnet_group_name(name)
        .send()
        .await
        .map_err(aws("DescribeDBSubnetGroups"))
        .or_missing()?
        .and_then(|o| o.db_subnet_groups().first().cloned()))
}

/// The tags of an RDS resource, by ARN.
pub async fn rds_tags_of(cx: &Ctx, arn: &str) -> Result<Vec<aws_sdk_rds::types::Tag>, Error> {
    Ok(cx
        .aws
        .rds
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?
        .tag_list()
        .to_vec())
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

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(g) = describe(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let tags = rds_tags_of(cx, g.db_subnet_group_arn().unwrap_or_default()).await?;
        Ok(if tags::is_ours(cx, tags::rds_pairs(&tags)) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "DB subnet group",
                    &self.name,
                    "stack.name",
                )],
            }
        })
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
            .set_tags(Some(tags::rds(cx)))
            .send()
            .await
            .map_err(aws("CreateDBSubnetGroup"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update(
            "subnets",
            Value::set(self.subnets.iter().map(|k| cx.dep_or_new(k))),
        )]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(g) = describe(cx, id).await? {
            a.insert(
                "subnets",
                Value::set(g.subnets().iter().filter_map(|s| s.subnet_identifier())),
            );
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let ids = self
            .subnets
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        cx.aws
            .once
            .rds
            .modify_db_subnet_group()
            .db_subnet_group_name(id)
            .set_subnet_ids(Some(ids))
            .send()
            .await
            .map_err(aws("ModifyDBSubnetGroup"))?;
        Ok(())
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

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut out = Vec::new();
        let mut pages = cx
            .aws
            .rds
            .describe_db_subnet_groups()
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeDBSubnetGroups"))?;
            for g in page.db_subnet_groups() {
                let Some(arn) = g.db_subnet_group_arn() else {
                    continue;
                };
                let tags = rds_tags_of(cx, arn).await?;
                out.extend(tags::swept(
                    &cx.stack,
                    g.db_subnet_group_name(),
                    tags::rds_pairs(&tags),
                ));
            }
        }
        Ok(out)
    }
}
