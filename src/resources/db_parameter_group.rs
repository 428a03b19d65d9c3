//! The database's own parameter group: the engine's defaults plus
//! `require_secure_transport`, so the database refuses connections without TLS.

use super::db_subnet_group::rds_tags_of;
use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_rds::types::{ApplyMethod, Parameter};

const TLS_ONLY: &str = "require_secure_transport";

#[derive(Debug)]
pub struct DbParameterGroup {
    /// Also the node ID.
    pub name: String,
    /// The engine family, e.g. `mariadb10.11`.
    pub family: String,
}

async fn describe(
    cx: &Ctx,
    name: &str,
) -> Result<Option<aws_sdk_rds::types::DbParameterGroup>, Error> {
    Ok(cx
        .aws
        .rds
        .describe_db_parameter_groups()
        .db_parameter_group_name(name)
        .send()
        .await
        .map_err(aws("DescribeDBParameterGroups"))
        .or_missing()?
        .and_then(|o| o.db_parameter_groups().first().cloned()))
}

#[async_trait]
impl Resource for DbParameterGroup {
    fn kind(&self) -> &'static str {
        "db-parameter-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(g) = describe(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let t = rds_tags_of(cx, g.db_parameter_group_arn().unwrap_or_default()).await?;
        Ok(if tags::is_ours(cx, tags::rds_pairs(&t)) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "DB parameter group",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .rds
            .create_db_parameter_group()
            .db_parameter_group_name(&self.name)
            .db_parameter_group_family(&self.family)
            .description(format!("{}: TLS only", cx.stack))
            .set_tags(Some(tags::rds(cx)))
            .send()
            .await
            .map_err(aws("CreateDBParameterGroup"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "family",
                self.family.as_str(),
                "a parameter group's engine family cannot be changed",
            ),
            Setting::update(TLS_ONLY, "1"),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(g) = describe(cx, id).await? {
            a.insert(
                "family",
                g.db_parameter_group_family().unwrap_or_default().into(),
            );
        }
        let mut pages = cx
            .aws
            .rds
            .describe_db_parameters()
            .db_parameter_group_name(id)
            .source("user")
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeDBParameters"))?;
            if let Some(p) = page
                .parameters()
                .iter()
                .find(|p| p.parameter_name() == Some(TLS_ONLY))
            {
                a.insert(TLS_ONLY, p.parameter_value().unwrap_or_default().into());
            }
        }
        Ok(a)
    }

    /// A dynamic parameter: it takes effect at once, no restart.
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .rds
            .modify_db_parameter_group()
            .db_parameter_group_name(id)
            .parameters(
                Parameter::builder()
                    .parameter_name(TLS_ONLY)
                    .parameter_value("1")
                    .apply_method(ApplyMethod::Immediate)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("ModifyDBParameterGroup"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .rds
            .delete_db_parameter_group()
            .db_parameter_group_name(id)
            .send()
            .await
            .map_err(aws("DeleteDBParameterGroup"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut out = Vec::new();
        let mut pages = cx
            .aws
            .rds
            .describe_db_parameter_groups()
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeDBParameterGroups"))?;
            for g in page.db_parameter_groups() {
                // The engines' own default groups cannot carry our tags; skip the calls.
                let (Some(name), Some(arn)) =
                    (g.db_parameter_group_name(), g.db_parameter_group_arn())
                else {
                    continue;
                };
                if name.starts_with("default.") {
                    continue;
                }
                let t = rds_tags_of(cx, arn).await?;
                out.extend(tags::swept(&cx.stack, Some(name), tags::rds_pairs(&t)));
            }
        }
        Ok(out)
    }
}
