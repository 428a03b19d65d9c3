//! Route 53: the hosted zone (created, or the user's own), the alias record that points
//! the site's name at the load balancer, and record helpers the certificate uses.
//!
//! Records carry no tags. A record is this stack's only when the state file recorded it
//! and it still points where hawiz pointed it; any other record at the site's name is the
//! user's, and hawiz never overwrites or deletes it.

use crate::aws::{OrMissing, aws};
use crate::engine::Charge;
use crate::engine::Fact;
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource, Swept};
use crate::plan::Finding;
use async_trait::async_trait;
use aws_sdk_route53::types::{
    Change as RecordChange, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecordSet, Tag,
    TagResourceType,
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

/// The `owner` output of a zone this stack created (validation records go with it).
pub const OWNED: &str = "stack";

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
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::HostedZone {
            id: ready.id.clone(),
            domain: self.domain.clone(),
        }]
    }
    /// Only a zone hawiz creates: the user's own is billed to them already.
    fn charges(&self) -> Vec<Charge> {
        if self.create {
            vec![Charge::HostedZone {
                name: self.domain.clone(),
            }]
        } else {
            vec![]
        }
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn adopted(&self) -> bool {
        !self.create
    }
    fn typical(&self) -> std::time::Duration {
        std::time::Duration::from_secs(30)
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(format!(
            "https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/{id}"
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let zones = zones_named(&cx.aws, &self.domain).await?;
        if !self.create {
            return Ok(Found::with(
                zones.into_iter().map(|(id, _)| id).take(1).collect(),
                Proof::Yours,
            ));
        }
        let (ours, strangers): (Vec<_>, Vec<_>) = zones
            .into_iter()
            .partition(|(_, comment)| made_by(comment, &cx.stack));
        let mut found = Found::tagged(ours.into_iter().map(|(id, _)| id).collect());
        if found.ours.is_empty() && !strangers.is_empty() {
            let ids: Vec<String> = strangers.into_iter().map(|(id, _)| id).collect();
            let ids = ids.join(", ");
            let d = &self.domain;
            found.foreign.push(Finding {
                field: "domain.create_hosted_zone".into(),
                message: format!(
                    "a hosted zone for {d} already exists in this account ({ids}); a second one \
                     would be served by nobody, since the registrar points at the first. Choose \
                     to use your existing hosted zone instead of creating one"
                ),
                ko: format!(
                    "이 계정에 {d}의 호스팅 영역이 이미 있습니다({ids}). 등록 기관이 첫 번째 영역을 \
                     가리키므로 두 번째 영역은 아무도 쓰지 않습니다. 새로 만드는 대신 기존 호스팅 \
                     영역을 사용하도록 고르세요"
                ),
            });
        }
        Ok(found)
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

    async fn outputs(&self, _cx: &Ctx, _id: &str) -> Result<Outputs, Error> {
        Ok([(
            "owner".to_string(),
            if self.create { OWNED } else { "yours" }.to_string(),
        )]
        .into())
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
                    "hosted zone {} ({id}) still holds records hawiz did not create; delete them in \
                     the Route 53 console, then run destroy again",
                    self.domain
                )))
            }
            other => other.map(|_| ()).map_err(Error::from),
        }
    }

    /// Zones this stack created, by the comment set in the same call that made them.
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut out = Vec::new();
        let mut pages = cx.aws.route53.list_hosted_zones().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("ListHostedZones"))?;
            for z in page.hosted_zones() {
                let comment = z.config().and_then(|c| c.comment()).unwrap_or_default();
                if made_by(comment, &cx.stack) {
                    out.push(Swept {
                        id: zone_id(z.id()),
                        key: None,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The record sets at `name` (every type), as Route 53 lists them.
pub async fn records_at(cx: &Ctx, zone: &str, name: &str) -> Result<Vec<ResourceRecordSet>, Error> {
    let want = fqdn(name);
    let out = cx
        .aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(&want)
        .max_items(20)
        .send()
        .await
        .map_err(aws("ListResourceRecordSets"));
    Ok(out
        .or_missing()?
        .map(|o| {
            o.resource_record_sets()
                .iter()
                .filter(|r| fqdn(r.name()) == want)
                .cloned()
                .collect()
        })
        .unwrap_or_default())
}

/// Every record set of a zone, page by page, handed to `each`. Route 53 pages by the next
/// record's name, type and, inside a weighted or failover set, identifier; a page that
/// would start where an earlier one did ends the walk (an emulator that leaves out the
/// identifier would otherwise hand back the same page for ever).
pub async fn each_record(
    clients: &crate::aws::Clients,
    zone: &str,
    mut each: impl FnMut(&ResourceRecordSet),
) -> Result<(), crate::aws::AwsError> {
    let mut next: Option<(String, aws_sdk_route53::types::RrType, Option<String>)> = None;
    let mut seen = std::collections::HashSet::new();
    loop {
        let mut call = clients
            .route53
            .list_resource_record_sets()
            .hosted_zone_id(zone);
        if let Some((name, kind, id)) = next.take() {
            if !seen.insert((name.clone(), kind.clone(), id.clone())) {
                return Ok(());
            }
            call = call
                .start_record_name(name)
                .start_record_type(kind)
                .set_start_record_identifier(id);
        }
        let page = call.send().await.map_err(aws("ListResourceRecordSets"))?;
        page.resource_record_sets().iter().for_each(&mut each);
        match (
            page.is_truncated(),
            page.next_record_name(),
            page.next_record_type(),
        ) {
            (true, Some(name), Some(kind)) => {
                next = Some((
                    name.to_string(),
                    kind.clone(),
                    page.next_record_identifier().map(str::to_string),
                ));
            }
            _ => return Ok(()),
        }
    }
}

/// A record's value in words: its alias target or its values.
pub fn value_of(r: &ResourceRecordSet) -> String {
    match r.alias_target() {
        Some(a) => format!("alias to {}", a.dns_name().trim_end_matches('.')),
        None => r
            .resource_records()
            .iter()
            .map(|v| v.value())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub async fn change(
    cx: &Ctx,
    zone: &str,
    action: ChangeAction,
    set: ResourceRecordSet,
) -> Result<(), Error> {
    change_all(cx, zone, vec![(action, set)]).await
}

/// Several changes in one batch: Route 53 applies all of them or none (a site's simple
/// record becomes a failover pair without a moment with neither).
pub async fn change_all(
    cx: &Ctx,
    zone: &str,
    changes: Vec<(ChangeAction, ResourceRecordSet)>,
) -> Result<(), Error> {
    let changes = changes
        .into_iter()
        .map(|(action, set)| {
            RecordChange::builder()
                .action(action)
                .resource_record_set(set)
                .build()
                .map_err(|e| Error::Failed(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let batch = ChangeBatch::builder()
        .set_changes(Some(changes))
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

mod alias;
pub mod health_check;
pub use alias::{AliasRecord, Failover, marker_name};
pub use health_check::HealthCheck;
