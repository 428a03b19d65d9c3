//! The ACM certificate for the domain and its wildcard, validated by DNS: the validation
//! CNAMEs are written into the hosted zone and hawiz waits until ACM says ISSUED.
//!
//! Validation CNAMEs are the same for every certificate of the same names in an account,
//! so in the user's own zone they are shared: hawiz writes them if missing and never
//! removes them there. Only from a zone this stack created are they removed.

use super::route53::{OWNED, change, fqdn, records_at};
use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::Charge;
use crate::engine::settings::{Actual, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_acm::types::{CertificateStatus, ResourceRecord, ValidationMethod};
use aws_sdk_route53::types::{ChangeAction, ResourceRecordSet, RrType};
use std::time::Duration;

/// How long to wait for ISSUED. A new hosted zone is only reachable once the registrar
/// points at its name servers, which can take hours; the rest of the stack is finished
/// by then and the next apply picks up here.
pub fn issue_patience() -> Duration {
    std::env::var("HAWIZ_CERT_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(45 * 60))
}

#[derive(Debug)]
pub struct Certificate {
    pub domain: String,
}

async fn describe(
    cx: &Ctx,
    arn: &str,
) -> Result<Option<aws_sdk_acm::types::CertificateDetail>, Error> {
    describe_with(&cx.aws.acm, arn).await
}

/// A certificate, read with `acm` (its own region's client).
async fn describe_with(
    acm: &aws_sdk_acm::Client,
    arn: &str,
) -> Result<Option<aws_sdk_acm::types::CertificateDetail>, Error> {
    Ok(acm
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(aws("DescribeCertificate"))
        .or_missing()?
        .and_then(|o| o.certificate().cloned()))
}

/// Certificates of the account that are pending or issued, with their tags.
async fn listed(cx: &Ctx) -> Result<Vec<(String, Vec<(String, String)>)>, Error> {
    let mut out = Vec::new();
    let mut pages = cx
        .aws
        .acm
        .list_certificates()
        .certificate_statuses(CertificateStatus::PendingValidation)
        .certificate_statuses(CertificateStatus::Issued)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("ListCertificates"))?;
        for c in page.certificate_summary_list() {
            let Some(arn) = c.certificate_arn() else {
                continue;
            };
            let t = cx
                .aws
                .acm
                .list_tags_for_certificate()
                .certificate_arn(arn)
                .send()
                .await
                .map_err(aws("ListTagsForCertificate"))?;
            out.push((
                arn.to_string(),
                t.tags()
                    .iter()
                    .map(|t| {
                        (
                            t.key().to_string(),
                            t.value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect(),
            ));
        }
    }
    Ok(out)
}

/// The distinct validation CNAMEs (the domain and its wildcard usually share one).
fn validation_records(c: &aws_sdk_acm::types::CertificateDetail) -> Vec<ResourceRecord> {
    let mut out: Vec<ResourceRecord> = Vec::new();
    for r in c
        .domain_validation_options()
        .iter()
        .filter_map(|o| o.resource_record())
    {
        if !out.iter().any(|x| x.name() == r.name()) {
            out.push(r.clone());
        }
    }
    out
}

#[async_trait]
impl Resource for Certificate {
    fn kind(&self) -> &'static str {
        "certificate"
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(10)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "acm",
            &format!("/certificates/{}", id.rsplit('/').next().unwrap_or(id)),
        ))
    }
    fn name(&self) -> &str {
        &self.domain
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Certificate]
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        Ok(Found::tagged(
            listed(cx)
                .await?
                .into_iter()
                .filter(|(_, t)| tags::is_ours(cx, t.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
                .map(|(arn, _)| arn)
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        // ACM's idempotency token: at most 32 word characters.
        let token: String = cx
            .token
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .rev()
            .take(32)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        let out = cx
            .aws
            .once
            .acm
            .request_certificate()
            .domain_name(&self.domain)
            .subject_alternative_names(format!("*.{}", self.domain))
            .validation_method(ValidationMethod::Dns)
            .idempotency_token(token)
            .set_tags(Some(tags::acm(cx)))
            .send()
            .await
            .map_err(aws("RequestCertificate"))?;
        out.certificate_arn()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("RequestCertificate returned no ARN".into()))
    }

    /// ACM publishes the validation records a few seconds after the request.
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("validation records of the certificate for {}", self.domain),
            Duration::from_secs(300),
            || async {
                let Some(c) = describe(cx, id).await? else {
                    return Err(Error::Failed(format!("certificate {id} disappeared")));
                };
                let all = c
                    .domain_validation_options()
                    .iter()
                    .all(|o| o.resource_record().is_some());
                Ok(if all && !c.domain_validation_options().is_empty() {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        const WHY: &str = "a certificate's names cannot be changed";
        vec![
            Setting::replace("domain", self.domain.as_str(), WHY),
            Setting::replace(
                "names",
                Value::set([self.domain.clone(), format!("*.{}", self.domain)]),
                WHY,
            ),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(c) = describe(cx, id).await? {
            a.insert("domain", c.domain_name().unwrap_or_default().into());
            a.insert("names", Value::set(c.subject_alternative_names()));
        }
        Ok(a)
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .acm
            .delete_certificate()
            .certificate_arn(id)
            .send()
            .await
            .map_err(aws("DeleteCertificate"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(listed(cx)
            .await?
            .into_iter()
            .filter_map(|(arn, t)| {
                tags::swept(
                    &cx.stack,
                    Some(&arn),
                    t.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                )
            })
            .collect())
    }
}

/// The validation CNAMEs in the zone, and the wait for ISSUED. Its ID is the name of the
/// first validation record; its `certificate` output is the issued certificate's ARN.
#[derive(Debug)]
pub struct CertValidation {
    pub name: String,
    pub certificate: String,
    pub zone: String,
    /// Another validation of the stack whose records this one shares (a standby region's
    /// certificate of the same names has the same validation CNAMEs): it runs after that
    /// one, and never removes what that one's certificate still needs.
    pub shared_with: Option<String>,
}

impl CertValidation {
    /// The validation record names the other certificate of the stack still needs.
    async fn still_needed(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(arn) = self
            .shared_with
            .as_ref()
            .and_then(|k| cx.output_opt(k, "certificate"))
        else {
            return Ok(Vec::new());
        };
        // ACM certificates are regional: read it in its own region (from its ARN).
        let region = arn.split(':').nth(3).unwrap_or_default();
        let c = describe_with(&cx.aws.in_region(region).acm, arn).await?;
        Ok(c.map(|c| {
            validation_records(&c)
                .iter()
                .map(|r| fqdn(r.name()))
                .collect()
        })
        .unwrap_or_default())
    }
}

fn cname(r: &ResourceRecord) -> Result<ResourceRecordSet, Error> {
    ResourceRecordSet::builder()
        .name(fqdn(r.name()))
        .r#type(RrType::Cname)
        .ttl(300)
        .resource_records(
            aws_sdk_route53::types::ResourceRecord::builder()
                .value(r.value())
                .build()
                .map_err(|e| Error::Failed(e.to_string()))?,
        )
        .build()
        .map_err(|e| Error::Failed(e.to_string()))
}

/// Each validation record with what the zone has at its name: `None` when missing,
/// `Some(true)` when it holds the right value, `Some(false)` when something else.
async fn in_zone(
    cx: &Ctx,
    zone: &str,
    wanted: &[ResourceRecord],
) -> Result<Vec<(ResourceRecord, Option<bool>)>, Error> {
    let mut out = Vec::new();
    for r in wanted {
        let here = records_at(cx, zone, r.name())
            .await?
            .into_iter()
            .find(|s| *s.r#type() == RrType::Cname);
        let state = here.map(|s| {
            s.resource_records()
                .iter()
                .any(|v| fqdn(v.value()) == fqdn(r.value()))
        });
        out.push((r.clone(), state));
    }
    Ok(out)
}

#[async_trait]
impl Resource for CertValidation {
    fn kind(&self) -> &'static str {
        "cert-validation"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut deps = vec![self.certificate.clone(), self.zone.clone()];
        deps.extend(self.shared_with.clone());
        deps
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(300)
    }

    /// Present when every validation record is in the zone with the right value; a
    /// different value at one of those names is someone else's record.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let (Some(arn), Some(zone)) = (cx.dep_opt(&self.certificate), cx.dep_opt(&self.zone))
        else {
            return Ok(Found::none());
        };
        let Some(c) = describe(cx, arn).await? else {
            return Ok(Found::none());
        };
        let wanted = validation_records(&c);
        let Some(first) = wanted.first() else {
            return Ok(Found::none());
        };
        let seen = in_zone(cx, zone, &wanted).await?;
        let mut found = Found::none();
        for (r, state) in &seen {
            if *state == Some(false) {
                found.foreign.push(crate::plan::Finding {
                    field: "domain.name".into(),
                    message: format!(
                        "{} already holds a CNAME that is not the certificate's validation value; \
                         hawiz does not overwrite it. Remove it, then try again",
                        r.name().trim_end_matches('.')
                    ),
                    ko: format!(
                        "{}에 인증서 검증 값이 아닌 CNAME이 이미 있습니다. hawiz는 이것을 덮어쓰지 \
                         않습니다. 지운 뒤 다시 시도하세요",
                        r.name().trim_end_matches('.')
                    ),
                });
            }
        }
        if seen.iter().all(|(_, state)| *state == Some(true)) {
            found.ours.push(crate::engine::Match {
                id: fqdn(first.name()),
                proof: Proof::Parent,
            });
        }
        Ok(found)
    }

    /// Writes the missing records only (CREATE: nothing existing is overwritten).
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let arn = cx.dep(&self.certificate)?;
        let zone = cx.dep(&self.zone)?;
        let c = describe(cx, arn)
            .await?
            .ok_or_else(|| Error::Failed(format!("certificate {arn} is gone")))?;
        let wanted = validation_records(&c);
        for (r, state) in in_zone(cx, zone, &wanted).await? {
            if state.is_none() {
                change(cx, zone, ChangeAction::Create, cname(&r)?).await?;
            }
        }
        wanted
            .first()
            .map(|r| fqdn(r.name()))
            .ok_or_else(|| Error::Failed(format!("certificate {arn} has no validation records")))
    }

    async fn settle(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let arn = cx.dep(&self.certificate)?;
        let patience = issue_patience();
        let result = wait::until(
            &format!("the certificate for {} to be issued", self.name),
            patience,
            || async {
                let c = describe(cx, arn)
                    .await?
                    .ok_or_else(|| Error::Failed(format!("certificate {arn} is gone")))?;
                match c.status() {
                    Some(CertificateStatus::Issued) => Ok(Poll::Ready),
                    Some(
                        s @ (CertificateStatus::Failed
                        | CertificateStatus::ValidationTimedOut
                        | CertificateStatus::Revoked),
                    ) => Err(Error::Failed(format!(
                        "the certificate for {} is {}",
                        self.name,
                        s.as_str()
                    ))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await;
        match result {
            Err(Error::Timeout { waited, .. }) => {
                let ns = match cx.dep_opt(&self.zone) {
                    Some(zone) => super::route53::name_servers(&cx.aws, zone)
                        .await
                        .unwrap_or_default()
                        .join(", "),
                    None => String::new(),
                };
                Err(Error::Failed(format!(
                    "the certificate for {} is still waiting for DNS validation after {:.0?}. ACM can only \
                     see the validation records once the domain's registrar points at this zone's name \
                     servers ({ns}); set them there, then run apply again",
                    self.name, waited
                )))
            }
            other => other,
        }
    }

    async fn outputs(&self, cx: &Ctx, _id: &str) -> Result<Outputs, Error> {
        Ok(match cx.dep_opt(&self.certificate) {
            Some(arn) => [("certificate".to_string(), arn.to_string())].into(),
            None => Outputs::new(),
        })
    }

    /// Removed only from a zone this stack created: in the user's own zone other
    /// certificates for the same names rely on them.
    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let (Some(zone), Some(arn)) = (cx.dep_opt(&self.zone), cx.dep_opt(&self.certificate))
        else {
            return Ok(());
        };
        if cx.output_opt(&self.zone, "owner") != Some(OWNED) {
            return Ok(());
        }
        let Some(c) = describe(cx, arn).await? else {
            return Ok(());
        };
        let needed = self.still_needed(cx).await?;
        for r in validation_records(&c) {
            if needed.contains(&fqdn(r.name())) {
                continue;
            }
            let here = records_at(cx, zone, r.name())
                .await?
                .into_iter()
                .find(|s| *s.r#type() == RrType::Cname);
            if let Some(set) = here {
                change(cx, zone, ChangeAction::Delete, set).await?;
            }
        }
        Ok(())
    }
}
