//! SSM parameters that carry the stack's secrets and settings to the instances: the
//! generated secrets (SecureString: the passwords of the database's master user, WordPress's
//! own database user and the WordPress admin, and WordPress's cookie keys and salts; never
//! printed or stored by hawiz) and published values (the database endpoint once RDS is
//! up, the site's URL), so instances need not wait for
//! anything to boot. A parameter of the same name that is not this stack's is never
//! overwritten.

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::Fact;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ssm::types::{ParameterStringFilter, ParameterType, ResourceTypeForTagging};

/// The parameter's current value, or `None` if it does not exist.
async fn read(cx: &Ctx, name: &str, decrypt: bool) -> Result<Option<String>, Error> {
    Ok(cx
        .aws
        .ssm
        .get_parameter()
        .name(name)
        .with_decryption(decrypt)
        .send()
        .await
        .map_err(aws("GetParameter"))
        .or_missing()?
        .and_then(|out| out.parameter().and_then(|p| p.value()).map(str::to_string)))
}

/// A parameter's tags, as key/value pairs (the stack's parameters, and its record in the
/// account, are known by them).
pub async fn tags_of(
    ssm: &aws_sdk_ssm::Client,
    name: &str,
) -> Result<Vec<(String, String)>, crate::aws::AwsError> {
    let out = ssm
        .list_tags_for_resource()
        .resource_type(ResourceTypeForTagging::Parameter)
        .resource_id(name)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(out
        .tag_list()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect())
}

/// Whether the named parameter carries this node's tags.
async fn ours(cx: &Ctx, name: &str) -> Result<bool, Error> {
    let pairs = tags_of(&cx.aws.ssm, name).await?;
    Ok(tags::is_ours(
        cx,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

/// Exists and ours → found; exists and not ours → in the way.
async fn find(cx: &Ctx, name: &str, what: &str) -> Result<Found, Error> {
    if read(cx, name, false).await?.is_none() {
        return Ok(Found::none());
    }
    Ok(if ours(cx, name).await? {
        Found::tagged(vec![name.to_string()])
    } else {
        Found {
            ours: vec![],
            foreign: vec![crate::engine::foreign(cx, what, name, "stack.name")],
        }
    })
}

/// A create that found the name taken: ours (an attempt whose answer was lost) is fine,
/// anyone else's is refused.
async fn taken(cx: &Ctx, name: &str, what: &str) -> Result<String, Error> {
    if ours(cx, name).await? {
        Ok(name.to_string())
    } else {
        Err(Error::Conflict(crate::engine::foreign(
            cx,
            what,
            name,
            "stack.name",
        )))
    }
}

async fn delete(cx: &Ctx, name: &str) -> Result<(), Error> {
    cx.aws
        .ssm
        .delete_parameter()
        .name(name)
        .send()
        .await
        .map_err(aws("DeleteParameter"))?;
    Ok(())
}

/// This stack's parameters (for the sweep of both parameter kinds).
async fn sweep(cx: &Ctx, kind: ParameterType) -> Result<Vec<Swept>, Error> {
    let mut out = Vec::new();
    let mut pages = cx
        .aws
        .ssm
        .describe_parameters()
        .parameter_filters(
            ParameterStringFilter::builder()
                .key(format!("tag:{}", tags::STACK_TAG))
                .values(&cx.stack)
                .build()
                .map_err(|e| Error::Failed(e.to_string()))?,
        )
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("DescribeParameters"))?;
        // The stack's record in the account (its plan and lock) is the run layer's, not a
        // resource of the plan: the last thing a destroy removes.
        let record = [
            crate::names::plan_record(&cx.stack),
            crate::names::lock_record(&cx.stack),
        ];
        for p in page.parameters() {
            if p.r#type() == Some(&kind)
                && let Some(name) = p.name()
                && !record.iter().any(|r| r == name)
            {
                out.push(Swept {
                    id: name.to_string(),
                    key: None,
                });
            }
        }
    }
    Ok(out)
}

/// The generated database master password.
#[derive(Debug)]
pub struct Password {
    /// Parameter name, e.g. `/hawiz/wordpress-ha/db-password` (also the node ID).
    pub name: String,
    /// What it is, in the words of a refusal ("database password parameter").
    pub what: &'static str,
    /// What to generate (`secret::password32`, `secret::wordpress_salts`).
    pub make: fn() -> Result<String, getrandom::Error>,
    /// What the user is told of it once it exists (the admin password: how to read it).
    pub tells: Option<Fact>,
    /// A standby region's copy: the same value as this node (its key) in this region.
    pub copy_of: Option<CopyOf>,
}

/// The secret a standby's parameter copies: the primary's node and region. The standby's
/// instances read their own region's parameters, with the same values, so the replicated
/// database accepts the same passwords.
#[derive(Debug, Clone)]
pub struct CopyOf {
    pub key: String,
    pub region: String,
}

impl Password {
    /// The value to store: generated, or read from the primary's region.
    async fn value(&self, cx: &Ctx) -> Result<String, Error> {
        match &self.copy_of {
            None => (self.make)()
                .map_err(|e| Error::Failed(format!("no secure random source for the secret: {e}"))),
            Some(from) => source_value(cx, from, cx.dep(&from.key)?).await,
        }
    }
}

/// A secret's value in another region (never kept beyond the call).
async fn source_value(cx: &Ctx, from: &CopyOf, name: &str) -> Result<String, Error> {
    let there = cx.aws.in_region(&from.region);
    there
        .ssm
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(aws("GetParameter"))
        .or_missing()?
        .and_then(|out| out.parameter().and_then(|p| p.value()).map(str::to_string))
        .ok_or_else(|| {
            Error::Failed(format!(
                "the parameter {name} is missing in {}",
                from.region
            ))
        })
}

#[async_trait]
impl Resource for Password {
    fn kind(&self) -> &'static str {
        "ssm-secret"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self, _ready: &crate::engine::Dep) -> Vec<Fact> {
        self.tells.iter().cloned().collect()
    }
    fn deps(&self) -> Vec<String> {
        self.copy_of.iter().map(|c| c.key.clone()).collect()
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "systems-manager",
            &format!("/parameters{id}/description"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        find(cx, &self.name, self.what).await
    }

    /// A copy says whether it still holds the primary's value (never the value itself).
    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        self.copy_of
            .iter()
            .map(|c| Setting::update("value", format!("same as in {}", c.region)))
            .collect()
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(from) = &self.copy_of
            && let Some(source) = cx.dep_opt(&from.key)
        {
            let here = read(cx, id, true).await?;
            let there = source_value(cx, from, source).await.ok();
            let same = here.is_some() && here == there;
            a.insert(
                "value",
                if same {
                    format!("same as in {}", from.region)
                } else {
                    format!("not the one in {}", from.region)
                }
                .into(),
            );
        }
        Ok(a)
    }

    /// Only a copy changes: it takes the primary's value again.
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .ssm
            .put_parameter()
            .name(id)
            .value(self.value(cx).await?)
            .r#type(ParameterType::SecureString)
            .overwrite(true)
            .send()
            .await
            .map_err(aws("PutParameter"))?;
        Ok(())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let password = self.value(cx).await?;
        let put = cx
            .aws
            .once
            .ssm
            .put_parameter()
            .name(&self.name)
            .description(
                "Generated by hawiz; read it with: aws ssm get-parameter --with-decryption",
            )
            .value(password)
            .r#type(ParameterType::SecureString)
            .set_tags(Some(tags::ssm(cx)))
            .send()
            .await
            .map_err(aws("PutParameter"));
        match put {
            Err(e) if e.code.as_deref() == Some("ParameterAlreadyExists") => {
                taken(cx, &self.name, self.what).await
            }
            other => other.map(|_| self.name.clone()).map_err(Error::from),
        }
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        delete(cx, id).await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        sweep(cx, ParameterType::SecureString).await
    }
}

/// Read a generated password for handing to RDS; the value lives only in memory.
pub async fn password_value(cx: &Ctx, name: &str) -> Result<String, Error> {
    read(cx, name, true)
        .await?
        .ok_or_else(|| Error::Failed(format!("the password parameter {name} is missing")))
}

/// Where a published parameter's value comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Known from the plan (the site's URL with a domain).
    Fixed(String),
    /// An output of another node, with a prefix (`http://` + the ALB's DNS name, a DB
    /// endpoint).
    Output {
        key: String,
        output: &'static str,
        prefix: &'static str,
    },
}

/// A value published for the instances to read at boot (the database endpoint once RDS
/// is up, the site's URL): they never wait for hawiz, and hawiz never waits for them.
#[derive(Debug)]
pub struct Published {
    pub name: String,
    pub description: &'static str,
    pub source: Source,
}

impl Published {
    fn value(&self, cx: &Ctx) -> String {
        match &self.source {
            Source::Fixed(v) => v.clone(),
            Source::Output {
                key,
                output,
                prefix,
            } => cx
                .output_opt(key, output)
                .map_or_else(|| format!("(from new {key})"), |v| format!("{prefix}{v}")),
        }
    }

    async fn put(&self, cx: &Ctx, overwrite: bool) -> Result<(), Error> {
        let value = match &self.source {
            Source::Fixed(v) => v.clone(),
            Source::Output {
                key,
                output,
                prefix,
            } => format!("{prefix}{}", cx.output(key, output)?),
        };
        let call = cx
            .aws
            .once
            .ssm
            .put_parameter()
            .name(&self.name)
            .value(value)
            .r#type(ParameterType::String);
        // SSM refuses tags together with Overwrite: tags on the first put only.
        let call = if overwrite {
            call.overwrite(true)
        } else {
            call.description(self.description)
                .set_tags(Some(tags::ssm(cx)))
        };
        call.send().await.map_err(aws("PutParameter"))?;
        Ok(())
    }
}

#[async_trait]
impl Resource for Published {
    fn kind(&self) -> &'static str {
        "ssm-parameter"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        match &self.source {
            Source::Fixed(_) => vec![],
            Source::Output { key, .. } => vec![key.clone()],
        }
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        find(cx, &self.name, "parameter").await
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        match self.put(cx, false).await {
            Err(Error::Aws(e)) if e.code.as_deref() == Some("ParameterAlreadyExists") => {
                taken(cx, &self.name, "parameter").await
            }
            other => other.map(|()| self.name.clone()),
        }
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("value", self.value(cx))]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(v) = read(cx, id, false).await? {
            a.insert("value", v.into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx, true).await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        delete(cx, id).await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        sweep(cx, ParameterType::String).await
    }
}
