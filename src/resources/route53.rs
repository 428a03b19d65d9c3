//! Route 53: the hosted zone (created, or the user's own), the alias record that points
//! the site's name at the load balancer, and record helpers the certificate uses.

use crate::aws::{OrMissing, aws};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecordSet, RrType,
    Tag, TagResourceType,
};

/// Dotted form Route 53 answers with.
pub fn fqdn(name: &str) -> String {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    format!("{n}.")
}

fn zone_id(raw: &str) -> String {
    raw.trim_start_matches("/hostedzone/").to_string()
}

/// Set at creation, in the same call: finds hawiz's zone even if tagging never happened.
fn marker(stack: &str) -> String {
    format!("Managed by hawiz (stack {stack})")
}

/// Whether a zone's comment says this stack created it.
pub fn made_by(comment: &str, stack: &str) -> bool {
    comment == marker(stack)
}

#[derive(Debug)]
pub struct HostedZone {
    pub domain: String,
    /// false: the user's existing zone, used and never deleted.
    pub create: bool,
}

/// Zones named `domain`, with their comment.
pub async fn zones_named(
    clients: &crate::aws::Clients,
    domain: &str,
) -> Result<Vec<(String, String)>, Error> {
    let want = fqdn(domain);
    let out = clients
        .route53
        .list_hosted_zones_by_name()
        .dns_name(&want)
        .max_items(100)
        .send()
        .await
        .map_err(aws("ListHostedZonesByName"))?;
    Ok(out
        .hosted_zones()
        .iter()
        .filter(|z| z.name() == want)
        .map(|z| {
            let comment = z
                .config()
                .and_then(|c| c.comment())
                .unwrap_or_default()
                .to_string();
            (zone_id(z.id()), comment)
        })
        .collect())
}

pub async fn name_servers(clients: &crate::aws::Clients, zone: &str) -> Result<Vec<String>, Error> {
    let out = clients
        .route53
        .get_hosted_zone()
        .id(zone)
        .send()
        .await
        .map_err(aws("GetHostedZone"))?;
    Ok(out
        .delegation_set()
        .map(|d| d.name_servers().to_vec())
        .unwrap_or_default())
}

#[async_trait]
impl Resource for HostedZone {
    fn kind(&self) -> &'static str {
        "hosted-zone"
    }
    fn name(&self) -> &str {
        &self.domain
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn adopted(&self) -> bool {
        !self.create
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let zones = zones_named(&cx.aws, &self.domain).await?;
        Ok(zones
            .into_iter()
            .filter(|(_, comment)| !self.create || *comment == marker(&cx.stack))
            .map(|(id, _)| id)
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .route53
            .create_hosted_zone()
            .name(&self.domain)
            .caller_reference(&cx.token)
            .hosted_zone_config(
                HostedZoneConfig::builder()
                    .comment(marker(&cx.stack))
                    .private_zone(false)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("CreateHostedZone"))?;
        out.hosted_zone()
            .map(|z| zone_id(z.id()))
            .ok_or_else(|| Error::Failed("CreateHostedZone returned no zone".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        if !self.create {
            return Ok(());
        }
        let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
        cx.aws
            .once
            .route53
            .change_tags_for_resource()
            .resource_type(TagResourceType::Hostedzone)
            .resource_id(id)
            .add_tags(t(crate::aws::ec2::STACK_TAG, &cx.stack))
            .add_tags(t(crate::aws::ec2::KEY_TAG, &cx.key))
            .send()
            .await
            .map_err(aws("ChangeTagsForResource"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        match cx
            .aws
            .route53
            .delete_hosted_zone()
            .id(id)
            .send()
            .await
            .map_err(aws("DeleteHostedZone"))
        {
            Err(e) if e.code.as_deref() == Some("HostedZoneNotEmpty") => {
                Err(Error::Failed(format!(
                    "hosted zone {} ({id}) still holds records hawiz did not create; delete them in the \
                 Route 53 console, then run destroy again",
                    self.domain
                )))
            }
            other => other.map(|_| ()).map_err(Error::from),
        }
    }
}

/// The record set `name`/`kind` in a zone, if present.
pub async fn record(
    cx: &Ctx,
    zone: &str,
    name: &str,
    kind: RrType,
) -> Result<Option<ResourceRecordSet>, Error> {
    let want = fqdn(name);
    let out = cx
        .aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(&want)
        .start_record_type(kind.clone())
        .max_items(1)
        .send()
        .await
        .map_err(aws("ListResourceRecordSets"));
    Ok(out.or_missing()?.and_then(|o| {
        o.resource_record_sets()
            .iter()
            .find(|r| fqdn(r.name()) == want && *r.r#type() == kind)
            .cloned()
    }))
}

pub async fn change(
    cx: &Ctx,
    zone: &str,
    action: ChangeAction,
    set: ResourceRecordSet,
) -> Result<(), Error> {
    let change = Change::builder()
        .action(action)
        .resource_record_set(set)
        .build()
        .map_err(|e| Error::Failed(e.to_string()))?;
    let batch = ChangeBatch::builder()
        .changes(change)
        .build()
        .map_err(|e| Error::Failed(e.to_string()))?;
    cx.aws
        .once
        .route53
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(batch)
        .send()
        .await
        .map_err(aws("ChangeResourceRecordSets"))?;
    Ok(())
}

/// `host.domain` → the load balancer, as an alias A record (free, follows the ALB's IPs).
#[derive(Debug)]
pub struct AliasRecord {
    pub fqdn: String,
    pub zone: String,
    pub load_balancer: String,
}

#[async_trait]
impl Resource for AliasRecord {
    fn kind(&self) -> &'static str {
        "dns-record"
    }
    fn name(&self) -> &str {
        &self.fqdn
    }
    fn deps(&self) -> Vec<String> {
        vec![self.zone.clone(), self.load_balancer.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(vec![]);
        };
        let found = record(cx, zone, &self.fqdn, RrType::A).await?;
        // During apply, only an alias to this stack's ALB counts as "exists".
        let right = match (found, cx.dep_opt(&self.load_balancer)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(r), Some(lb)) => {
                let dns = super::elb::describe_lb(&cx.aws, lb)
                    .await?
                    .map(|l| fqdn(&l.dns_name));
                r.alias_target().map(|a| fqdn(a.dns_name())) == dns
            }
        };
        Ok(if right {
            vec![fqdn(&self.fqdn)]
        } else {
            vec![]
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let zone = cx.dep(&self.zone)?;
        let lb = super::elb::describe_lb(&cx.aws, cx.dep(&self.load_balancer)?)
            .await?
            .ok_or_else(|| Error::Failed("the load balancer is gone".into()))?;
        let set = ResourceRecordSet::builder()
            .name(fqdn(&self.fqdn))
            .r#type(RrType::A)
            .alias_target(
                AliasTarget::builder()
                    .hosted_zone_id(lb.zone_id)
                    .dns_name(lb.dns_name)
                    .evaluate_target_health(true)
                    .build()
                    .map_err(|e| Error::Failed(e.to_string()))?,
            )
            .build()
            .map_err(|e| Error::Failed(e.to_string()))?;
        change(cx, zone, ChangeAction::Upsert, set).await?;
        Ok(fqdn(&self.fqdn))
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(());
        };
        // DELETE must repeat the record exactly, so read it first.
        if let Some(set) = record(cx, zone, &self.fqdn, RrType::A).await? {
            change(cx, zone, ChangeAction::Delete, set).await?;
        }
        Ok(())
    }
}
