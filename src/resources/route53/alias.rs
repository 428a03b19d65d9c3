//! The site's alias record (`host.domain` → the load balancer) and its ownership marker:
//! records carry no tags, so a TXT record beside it says which stack made it, readable
//! from any machine.

use super::{change, change_all, fqdn, records_at, value_of};
use crate::engine::Fact;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource, Swept};
use crate::plan::Finding;
use async_trait::async_trait;
use aws_sdk_route53::types::{
    AliasTarget, ChangeAction, ResourceRecordSet, ResourceRecordSetFailover, RrType,
};

/// `host.domain` → the load balancer, as an alias A record (free, follows the ALB's IPs);
/// with failover, a pair at the same name: PRIMARY → this load balancer while its health
/// check passes, SECONDARY → the standby region's.
#[derive(Debug)]
pub struct AliasRecord {
    pub fqdn: String,
    /// The zone's domain: what the sweep looks the zone up by.
    pub domain: String,
    pub zone: String,
    /// Key of what the name points at: a load balancer, or CloudFront (the primary's side
    /// of a failover pair behind CloudFront). Either publishes `dns name` and `zone`.
    pub target: String,
    pub failover: Option<Failover>,
    /// The site's own name (its fact and its refusal); false for `origin.<domain>`.
    pub site: bool,
}

/// The other half of a failover pair.
#[derive(Debug, Clone)]
pub struct Failover {
    /// Key of the standby region's load balancer (SECONDARY, by its target health).
    pub standby: String,
    /// Key of the health check the PRIMARY answers to.
    pub health_check: String,
}

/// The set identifiers of a name's pair, one per name (`www-primary`): Route 53 needs
/// them unique per name and type only, but an emulator deletes every record sharing one.
fn set_identifier(fqdn: &str, domain: &str, role: &str) -> String {
    let name = fqdn.trim_end_matches('.');
    let label = match name.strip_suffix(domain.trim_end_matches('.')) {
        Some("") | None => "apex".to_string(),
        Some(host) => host.trim_end_matches('.').replace('.', "-"),
    };
    format!("{label}-{role}")
}

/// What a record set says about routing, for `read`.
fn role(r: &ResourceRecordSet) -> Option<&ResourceRecordSetFailover> {
    r.failover()
}

/// The TXT record beside a site's record that says which stack made it: records carry no
/// tags, and this proof is read by any machine (the way external-dns keeps its registry).
pub fn marker_name(site: &str) -> String {
    format!("_hawiz.{}", site.trim_end_matches('.'))
}

fn marker_value(stack: &str) -> String {
    format!("\"hawiz:stack={stack}\"")
}

impl AliasRecord {
    fn marker(&self, cx: &Ctx) -> Result<ResourceRecordSet, Error> {
        ResourceRecordSet::builder()
            .name(fqdn(&marker_name(&self.fqdn)))
            .r#type(RrType::Txt)
            .ttl(300)
            .resource_records(
                aws_sdk_route53::types::ResourceRecord::builder()
                    .value(marker_value(&cx.stack))
                    .build()
                    .map_err(|e| Error::Failed(e.to_string()))?,
            )
            .build()
            .map_err(|e| Error::Failed(e.to_string()))
    }

    /// The marker at a site's name (`name`: this one's, or a name it had before), when
    /// it says this stack made the record.
    async fn marked(
        &self,
        cx: &Ctx,
        zone: &str,
        name: &str,
    ) -> Result<Option<ResourceRecordSet>, Error> {
        let want = marker_value(&cx.stack);
        Ok(records_at(cx, zone, &marker_name(name))
            .await?
            .into_iter()
            .find(|r| {
                *r.r#type() == RrType::Txt && r.resource_records().iter().any(|v| v.value() == want)
            }))
    }

    /// An alias to a load balancer, answering by its targets' health; or to CloudFront,
    /// whose health Route 53 cannot evaluate (the health check on the record decides).
    fn alias(cx: &Ctx, target: &str) -> Result<AliasTarget, Error> {
        let zone = cx.output(target, "zone")?;
        AliasTarget::builder()
            .hosted_zone_id(zone)
            .dns_name(cx.output(target, "dns name")?)
            .evaluate_target_health(zone != crate::resources::cloudfront::ZONE)
            .build()
            .map_err(|e| Error::Failed(e.to_string()))
    }

    /// The record sets the plan wants at the name: one simple alias, or the failover pair.
    fn sets(&self, cx: &Ctx) -> Result<Vec<ResourceRecordSet>, Error> {
        let base = || {
            ResourceRecordSet::builder()
                .name(fqdn(&self.fqdn))
                .r#type(RrType::A)
        };
        let built = |b: aws_sdk_route53::types::builders::ResourceRecordSetBuilder| {
            b.build().map_err(|e| Error::Failed(e.to_string()))
        };
        let Some(f) = &self.failover else {
            return Ok(vec![built(
                base().alias_target(Self::alias(cx, &self.target)?),
            )?]);
        };
        Ok(vec![
            built(
                base()
                    .set_identifier(set_identifier(&self.fqdn, &self.domain, "primary"))
                    .failover(ResourceRecordSetFailover::Primary)
                    .health_check_id(cx.output(&f.health_check, "id")?)
                    .alias_target(Self::alias(cx, &self.target)?),
            )?,
            built(
                base()
                    .set_identifier(set_identifier(&self.fqdn, &self.domain, "secondary"))
                    .failover(ResourceRecordSetFailover::Secondary)
                    .alias_target(Self::alias(cx, &f.standby)?),
            )?,
        ])
    }

    /// Replace what is at the name (ours, by proof) with what the plan wants, in one
    /// batch: never a moment without an answer, never a simple record beside a pair.
    async fn put(&self, cx: &Ctx, zone: &str, now: Vec<ResourceRecordSet>) -> Result<(), Error> {
        let mut changes: Vec<(ChangeAction, ResourceRecordSet)> = now
            .into_iter()
            .map(|set| (ChangeAction::Delete, set))
            .collect();
        changes.extend(
            self.sets(cx)?
                .into_iter()
                .map(|set| (ChangeAction::Create, set)),
        );
        change_all(cx, zone, changes).await
    }

    /// Where hawiz points (or pointed) this name: the load balancer now, else what the
    /// state recorded.
    fn ours_target(&self, cx: &Ctx) -> Vec<String> {
        [
            cx.output_opt(&self.target, "dns name"),
            cx.recorded_output("target"),
        ]
        .into_iter()
        .flatten()
        .map(fqdn)
        .collect()
    }

    /// The site's record when it is this stack's: its marker says so (any machine), or
    /// the state recorded it and it still points where hawiz pointed it (a record made
    /// before markers). With how it is proven.
    async fn ours_proven(
        &self,
        cx: &Ctx,
    ) -> Result<Option<(Vec<ResourceRecordSet>, Proof)>, Error> {
        self.ours_at(cx, &self.fqdn).await
    }

    /// The alias records at `name` (one, or a failover pair) when they are this
    /// stack's, with how it is proven.
    async fn ours_at(
        &self,
        cx: &Ctx,
        name: &str,
    ) -> Result<Option<(Vec<ResourceRecordSet>, Proof)>, Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(None);
        };
        let aliases: Vec<ResourceRecordSet> = records_at(cx, zone, name)
            .await?
            .into_iter()
            .filter(|r| *r.r#type() == RrType::A && r.alias_target().is_some())
            .collect();
        if aliases.is_empty() {
            return Ok(None);
        }
        if self.marked(cx, zone, name).await?.is_some() {
            return Ok(Some((aliases, Proof::Tagged)));
        }
        let targets = self.ours_target(cx);
        let recorded = cx.recorded.is_some()
            && aliases.iter().all(|r| {
                r.alias_target()
                    .is_some_and(|a| targets.contains(&fqdn(a.dns_name())))
            });
        Ok(recorded.then_some((aliases, Proof::Recorded)))
    }

    async fn ours(&self, cx: &Ctx) -> Result<Vec<ResourceRecordSet>, Error> {
        Ok(self
            .ours_proven(cx)
            .await?
            .map(|(r, _)| r)
            .unwrap_or_default())
    }
}

#[async_trait]
impl Resource for AliasRecord {
    fn kind(&self) -> &'static str {
        "dns-record"
    }
    fn name(&self) -> &str {
        &self.fqdn
    }
    fn facts(&self, _ready: &crate::engine::Dep) -> Vec<Fact> {
        if !self.site {
            return Vec::new();
        }
        vec![Fact::SiteName {
            name: self.fqdn.trim_end_matches('.').to_string(),
        }]
    }
    fn deps(&self) -> Vec<String> {
        let mut deps = vec![self.zone.clone(), self.target.clone()];
        if let Some(f) = &self.failover {
            deps.extend([f.standby.clone(), f.health_check.clone()]);
        }
        deps
    }
    fn typical(&self) -> std::time::Duration {
        std::time::Duration::from_secs(30)
    }

    /// Ours only when the state recorded it and it points where hawiz pointed it. Any
    /// other A, AAAA or CNAME record at the name is the user's: refused, never replaced.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(Found::none());
        };
        if let Some((_, proof)) = self.ours_proven(cx).await? {
            return Ok(Found::with(vec![fqdn(&self.fqdn)], proof));
        }
        let theirs: Vec<String> = records_at(cx, zone, &self.fqdn)
            .await?
            .iter()
            .filter(|r| matches!(r.r#type(), RrType::A | RrType::Aaaa | RrType::Cname))
            .map(|r| format!("{} {}", r.r#type().as_str(), value_of(r)))
            .collect();
        let mut found = Found::none();
        if !theirs.is_empty() && !self.site {
            let name = self.fqdn.trim_end_matches('.');
            let now = theirs.join("; ");
            found.foreign.push(Finding {
                field: "failover.cloudfront".into(),
                message: format!(
                    "{name} already has a record that hawiz did not create ({now}); CloudFront \
                     reaches the primary's load balancer at this name, and hawiz never \
                     overwrites a record it did not make. Remove it yourself, or set \
                     cloudfront = false in [failover]"
                ),
                ko: format!(
                    "{name}에 hawiz가 만들지 않은 레코드가 이미 있습니다({now}). CloudFront는 이 \
                     이름으로 기본 리전의 로드 밸런서에 닿으며, hawiz는 자신이 만들지 않은 레코드를 \
                     덮어쓰지 않습니다. 직접 지우거나, [failover]에서 cloudfront = false로 하세요"
                ),
            });
        } else if !theirs.is_empty() {
            let name = self.fqdn.trim_end_matches('.');
            let now = theirs.join("; ");
            found.foreign.push(Finding {
                field: "domain.host".into(),
                message: format!(
                    "{name} already has a record that hawiz did not create ({now}); hawiz never \
                     overwrites a record it did not make. Remove it yourself if the site should \
                     move here, or choose another host name"
                ),
                ko: format!(
                    "{name}에 hawiz가 만들지 않은 레코드가 이미 있습니다({now}). hawiz는 자신이 만들지 \
                     않은 레코드를 덮어쓰지 않습니다. 사이트를 이리로 옮기려면 직접 지우고, 아니면 다른 \
                     호스트 이름을 고르세요"
                ),
            });
        }
        Ok(found)
    }

    /// CREATE, not UPSERT: if a record appeared at the name since the check, Route 53
    /// refuses and nothing of the user's is overwritten. Its marker follows at once
    /// (UPSERT: a retry after a lost answer writes it again). The deployer policy allows
    /// the two in separate calls only, so a TXT at the site's name stays out of its reach;
    /// a run cut between them still knows the record from its state, and the next change
    /// of it writes the marker.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let zone = cx.dep(&self.zone)?;
        self.put(cx, zone, Vec::new()).await?;
        change(cx, zone, ChangeAction::Upsert, self.marker(cx)?).await?;
        Ok(fqdn(&self.fqdn))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        let target = |key: &str| {
            cx.output_opt(key, "dns name")
                .map_or_else(|| format!("(new {key})"), fqdn)
        };
        let mut out = vec![
            Setting::update(
                "routing",
                if self.failover.is_some() {
                    "failover"
                } else {
                    "simple"
                },
            ),
            Setting::update("target", target(&self.target)),
        ];
        if let Some(f) = &self.failover {
            out.push(Setting::update("standby target", target(&f.standby)));
            out.push(Setting::update(
                "health check",
                cx.output_opt(&f.health_check, "id")
                    .map_or_else(|| format!("(new {})", f.health_check), str::to_string),
            ));
        }
        out
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let sets = self.ours(cx).await?;
        if sets.is_empty() {
            return Ok(a);
        }
        let failover = sets.iter().any(|r| role(r).is_some());
        a.insert(
            "routing",
            if failover { "failover" } else { "simple" }.into(),
        );
        let target = |want: Option<&ResourceRecordSetFailover>| {
            sets.iter()
                .find(|r| role(r) == want)
                .and_then(|r| r.alias_target())
                .map(|t| fqdn(t.dns_name()))
        };
        let primary = ResourceRecordSetFailover::Primary;
        let secondary = ResourceRecordSetFailover::Secondary;
        if let Some(t) = target(if failover { Some(&primary) } else { None }) {
            a.insert("target", t.into());
        }
        if failover {
            if let Some(t) = target(Some(&secondary)) {
                a.insert("standby target", t.into());
            }
            let check = sets
                .iter()
                .find(|r| role(r) == Some(&primary))
                .and_then(|r| r.health_check_id())
                .unwrap_or_default();
            a.insert("health check", check.into());
        }
        Ok(a)
    }

    /// Ours by proof, so replacing what is at the name overwrites nothing of the user's:
    /// a simple record becomes a failover pair (or back) in one atomic batch. A record
    /// made before markers gets its marker here.
    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        let zone = cx.dep(&self.zone)?;
        let now = self.ours(cx).await?;
        self.put(cx, zone, now).await?;
        change(cx, zone, ChangeAction::Upsert, self.marker(cx)?).await
    }

    async fn outputs(&self, cx: &Ctx, _id: &str) -> Result<Outputs, Error> {
        let sets = self.ours(cx).await?;
        let first = sets
            .iter()
            .find(|r| role(r) != Some(&ResourceRecordSetFailover::Secondary))
            .and_then(|r| r.alias_target());
        Ok(match first {
            Some(a) => [("target".to_string(), fqdn(a.dns_name()))].into(),
            None => Outputs::new(),
        })
    }

    /// `id` is the record's name: this one, or (a leftover the sweep found) a name an
    /// earlier plan gave the site.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(());
        };
        // DELETE must repeat the record exactly, so read it first; only ours goes, then
        // its marker (last: a delete cut short between the two is found again).
        if let Some((sets, _)) = self.ours_at(cx, id).await? {
            let changes = sets
                .into_iter()
                .map(|s| (ChangeAction::Delete, s))
                .collect();
            change_all(cx, zone, changes).await?;
        }
        if let Some(marker) = self.marked(cx, zone, id).await? {
            change(cx, zone, ChangeAction::Delete, marker).await?;
        }
        Ok(())
    }

    /// Every site record of this stack in its zone, by the markers beside them: a name
    /// the plan gave the site before (a renamed host) is found from any machine.
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let want = marker_value(&cx.stack);
        let mut out = Vec::new();
        for (zone, _) in super::zones_named(&cx.aws, &self.domain).await? {
            super::each_record(&cx.aws, &zone, |r| {
                let ours = *r.r#type() == RrType::Txt
                    && r.resource_records().iter().any(|v| v.value() == want);
                if let Some(site) = r.name().strip_prefix("_hawiz.")
                    && ours
                {
                    out.push(Swept {
                        id: fqdn(site),
                        key: Some(crate::names::site_key(site)),
                    });
                }
            })
            .await?;
        }
        Ok(out)
    }
}
