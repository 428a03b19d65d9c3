//! The ACM certificate for the domain and its wildcard, validated by DNS: the validation
//! CNAMEs are written into the hosted zone and hawiz waits until ACM says ISSUED.

use super::route53::{change, fqdn, record};
use crate::aws::{OrMissing, aws};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_acm::types::{CertificateStatus, ResourceRecord, Tag, ValidationMethod};
use aws_sdk_route53::types::{ChangeAction, ResourceRecordSet, RrType};
use std::time::Duration;

const VALIDATED: &str = "#validated";

/// The certificate ARN inside a validation node's ID.
pub fn arn_of(id: &str) -> &str {
    id.strip_suffix(VALIDATED).unwrap_or(id)
}

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
    Ok(cx
        .aws
        .acm
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(aws("DescribeCertificate"))
        .or_missing()?
        .and_then(|o| o.certificate().cloned()))
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
    fn name(&self) -> &str {
        &self.domain
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let mut arns = Vec::new();
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
                let (Some(arn), Some(domain)) = (c.certificate_arn(), c.domain_name()) else {
                    continue;
                };
                if !domain.eq_ignore_ascii_case(&self.domain) {
                    continue;
                }
                let tags = cx
                    .aws
                    .acm
                    .list_tags_for_certificate()
                    .certificate_arn(arn)
                    .send()
                    .await
                    .map_err(aws("ListTagsForCertificate"))?;
                let has = |k: &str, v: &str| {
                    tags.tags()
                        .iter()
                        .any(|t| t.key() == k && t.value() == Some(v))
                };
                if has(crate::aws::ec2::STACK_TAG, &cx.stack)
                    && has(crate::aws::ec2::KEY_TAG, &cx.key)
                {
                    arns.push(arn.to_string());
                }
            }
        }
        Ok(arns)
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
        let t = |k: &str, v: &str| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .expect("key and value set")
        };
        let out = cx
            .aws
            .once
            .acm
            .request_certificate()
            .domain_name(&self.domain)
            .subject_alternative_names(format!("*.{}", self.domain))
            .validation_method(ValidationMethod::Dns)
            .idempotency_token(token)
            .tags(t("Name", &cx.name))
            .tags(t(crate::aws::ec2::STACK_TAG, &cx.stack))
            .tags(t(crate::aws::ec2::KEY_TAG, &cx.key))
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
}

/// The validation CNAMEs in the zone, and the wait for ISSUED.
#[derive(Debug)]
pub struct CertValidation {
    pub name: String,
    pub certificate: String,
    pub zone: String,
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

#[async_trait]
impl Resource for CertValidation {
    fn kind(&self) -> &'static str {
        "cert-validation"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.certificate.clone(), self.zone.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let (Some(arn), Some(zone)) = (cx.dep_opt(&self.certificate), cx.dep_opt(&self.zone))
        else {
            return Ok(vec![]);
        };
        let Some(c) = describe(cx, arn).await? else {
            return Ok(vec![]);
        };
        let wanted = validation_records(&c);
        if wanted.is_empty() {
            return Ok(vec![]);
        }
        for r in &wanted {
            if record(cx, zone, r.name(), RrType::Cname).await?.is_none() {
                return Ok(vec![]);
            }
        }
        Ok(vec![format!("{arn}{VALIDATED}")])
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let arn = cx.dep(&self.certificate)?;
        let zone = cx.dep(&self.zone)?;
        let c = describe(cx, arn)
            .await?
            .ok_or_else(|| Error::Failed(format!("certificate {arn} is gone")))?;
        for r in validation_records(&c) {
            change(cx, zone, ChangeAction::Upsert, cname(&r)?).await?;
        }
        Ok(format!("{arn}{VALIDATED}"))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let arn = arn_of(id);
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

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let Some(zone) = cx.dep_opt(&self.zone) else {
            return Ok(());
        };
        let Some(c) = describe(cx, arn_of(id)).await? else {
            return Ok(());
        };
        for r in validation_records(&c) {
            if let Some(set) = record(cx, zone, r.name(), RrType::Cname).await? {
                change(cx, zone, ChangeAction::Delete, set).await?;
            }
        }
        Ok(())
    }
}
