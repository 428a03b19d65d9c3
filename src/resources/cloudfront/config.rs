//! The distribution's configuration: what hawiz asks CloudFront for, and the settings
//! read back from what CloudFront has (compared by the engine).

use super::{ALL_VIEWER, CACHING_DISABLED, CACHING_OPTIMIZED, SECRET_HEADER, STATIC_PATH};
use crate::engine::Error;
use crate::engine::settings::{Actual, Value};
use aws_sdk_cloudfront::types::{
    Aliases, AllowedMethods, CacheBehavior, CacheBehaviors, CachedMethods, CustomHeaders,
    CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, HttpVersion, Method,
    MinimumProtocolVersion, Origin, OriginCustomHeader, OriginProtocolPolicy, OriginSslProtocols,
    Origins, PriceClass, S3OriginConfig, SslProtocol, SslSupportMethod, ViewerCertificate,
    ViewerProtocolPolicy,
};

pub(super) const ORIGIN_ID: &str = "primary";
pub(super) const STATIC_ID: &str = "static";
pub(super) const METHODS: [Method; 7] = [
    Method::Get,
    Method::Head,
    Method::Options,
    Method::Put,
    Method::Post,
    Method::Patch,
    Method::Delete,
];
pub(super) const MIN_TLS: MinimumProtocolVersion = MinimumProtocolVersion::TlSv122021;

/// What one distribution of hawiz's is made of.
pub(super) struct Want<'a> {
    /// Kept from the distribution on an update (CloudFront refuses another).
    pub caller_reference: &'a str,
    /// The stack's marker.
    pub comment: &'a str,
    pub enabled: bool,
    pub aliases: &'a [String],
    pub origin: &'a str,
    pub secret: &'a str,
    /// An issued us-east-1 certificate's ARN.
    pub certificate: &'a str,
    /// The static bucket's regional domain and the origin access control's ID.
    pub static_files: Option<(&'a str, &'a str)>,
}

/// How the static files' behaviour reads (desired and actual alike).
pub(super) fn static_line(bucket_domain: &str) -> String {
    format!("{STATIC_PATH} from {bucket_domain}, cached")
}

fn get_head() -> Result<CachedMethods, Error> {
    built(
        CachedMethods::builder()
            .quantity(2)
            .items(Method::Get)
            .items(Method::Head)
            .build(),
    )
}

/// The static bucket's origin (private: CloudFront signs with the access control) and
/// its behaviour: GET and HEAD only, cached (they are files), viewers sent to HTTPS.
fn static_files(domain: &str, access: &str) -> Result<(Origin, CacheBehavior), Error> {
    let origin = built(
        Origin::builder()
            .id(STATIC_ID)
            .domain_name(domain)
            .origin_access_control_id(access)
            // An empty identity: the access control signs instead (the legacy identity
            // and the access control do not go together).
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build(),
    )?;
    let behavior = built(
        CacheBehavior::builder()
            .path_pattern(STATIC_PATH)
            .target_origin_id(STATIC_ID)
            .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
            .allowed_methods(built(
                AllowedMethods::builder()
                    .quantity(2)
                    .items(Method::Get)
                    .items(Method::Head)
                    .cached_methods(get_head()?)
                    .build(),
            )?)
            .cache_policy_id(CACHING_OPTIMIZED)
            .compress(true)
            .build(),
    )?;
    Ok((origin, behavior))
}

pub(super) fn built<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, Error> {
    r.map_err(|e| Error::Failed(e.to_string()))
}

/// The region of an ACM certificate's ARN (`arn:aws:acm:REGION:…`).
pub(super) fn region_of(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or_default()
}

/// The whole configuration (an update replaces it whole).
pub(super) fn build(w: &Want) -> Result<DistributionConfig, Error> {
    let header = built(
        OriginCustomHeader::builder()
            .header_name(SECRET_HEADER)
            .header_value(w.secret)
            .build(),
    )?;
    let origin = built(
        Origin::builder()
            .id(ORIGIN_ID)
            .domain_name(w.origin)
            .custom_headers(built(
                CustomHeaders::builder().quantity(1).items(header).build(),
            )?)
            .custom_origin_config(built(
                CustomOriginConfig::builder()
                    .http_port(80)
                    .https_port(443)
                    .origin_protocol_policy(OriginProtocolPolicy::HttpsOnly)
                    .origin_ssl_protocols(built(
                        OriginSslProtocols::builder()
                            .quantity(1)
                            .items(SslProtocol::TlSv12)
                            .build(),
                    )?)
                    .build(),
            )?)
            .build(),
    )?;
    let behavior = built(
        DefaultCacheBehavior::builder()
            .target_origin_id(ORIGIN_ID)
            .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
            .allowed_methods(built(
                AllowedMethods::builder()
                    .quantity(METHODS.len() as i32)
                    .set_items(Some(METHODS.to_vec()))
                    .cached_methods(get_head()?)
                    .build(),
            )?)
            .cache_policy_id(CACHING_DISABLED)
            .origin_request_policy_id(ALL_VIEWER)
            .compress(true)
            .build(),
    )?;
    let mut origins = vec![origin];
    let mut behaviors = Vec::new();
    if let Some((domain, access)) = w.static_files {
        let (o, b) = static_files(domain, access)?;
        origins.push(o);
        behaviors.push(b);
    }
    built(
        DistributionConfig::builder()
            .caller_reference(w.caller_reference)
            .comment(w.comment)
            .enabled(w.enabled)
            .aliases(built(
                Aliases::builder()
                    .quantity(w.aliases.len() as i32)
                    .set_items(Some(w.aliases.to_vec()))
                    .build(),
            )?)
            .origins(built(
                Origins::builder()
                    .quantity(origins.len() as i32)
                    .set_items(Some(origins))
                    .build(),
            )?)
            .default_cache_behavior(behavior)
            .cache_behaviors(built(
                CacheBehaviors::builder()
                    .quantity(behaviors.len() as i32)
                    .set_items(Some(behaviors))
                    .build(),
            )?)
            .viewer_certificate(
                ViewerCertificate::builder()
                    .acm_certificate_arn(w.certificate)
                    .ssl_support_method(SslSupportMethod::SniOnly)
                    .minimum_protocol_version(MIN_TLS)
                    .build(),
            )
            .price_class(PriceClass::PriceClassAll)
            .http_version(HttpVersion::Http2and3)
            .build(),
    )
}

/// The settings as CloudFront has them; `secret`: the stack's, to say whether the origin
/// header carries it (never the value itself).
pub(super) fn settings(c: &DistributionConfig, secret: Option<&str>, a: &mut Actual) {
    a.insert("enabled", c.enabled().into());
    a.insert(
        "names",
        Value::set(
            c.aliases()
                .map(|x| x.items().to_vec())
                .unwrap_or_default()
                .into_iter()
                .map(|n| n.trim_end_matches('.').to_ascii_lowercase()),
        ),
    );
    if let Some(arn) = c.viewer_certificate().and_then(|v| v.acm_certificate_arn()) {
        a.insert("certificate", arn.into());
    }
    if let Some(v) = c
        .viewer_certificate()
        .and_then(|v| v.minimum_protocol_version())
    {
        a.insert("minimum TLS", v.as_str().into());
    }
    let origin = c
        .origins()
        .and_then(|o| o.items().iter().find(|o| o.id() == ORIGIN_ID));
    if let Some(o) = origin {
        let scheme = match o.custom_origin_config().map(|c| c.origin_protocol_policy()) {
            Some(OriginProtocolPolicy::HttpsOnly) => "https",
            Some(OriginProtocolPolicy::HttpOnly) => "http",
            _ => "match-viewer",
        };
        a.insert("origin", format!("{scheme}://{}", o.domain_name()).into());
        let header = o
            .custom_headers()
            .map(|h| h.items())
            .unwrap_or_default()
            .iter()
            .find(|h| h.header_name().eq_ignore_ascii_case(SECRET_HEADER))
            .map(|h| {
                if Some(h.header_value()) == secret {
                    format!("{SECRET_HEADER}: the stack's secret")
                } else {
                    format!("{SECRET_HEADER}: another value")
                }
            })
            .unwrap_or_else(|| "none".to_string());
        a.insert("origin secret", header.into());
    }
    if let Some(b) = c.default_cache_behavior() {
        a.insert(
            "viewers",
            match b.viewer_protocol_policy() {
                ViewerProtocolPolicy::RedirectToHttps => "redirect HTTP to HTTPS",
                ViewerProtocolPolicy::HttpsOnly => "HTTPS only",
                _ => "HTTP and HTTPS",
            }
            .into(),
        );
        if let Some(m) = b.allowed_methods() {
            a.insert("methods", method_names(m.items()).into());
        }
        a.insert(
            "cache policy",
            b.cache_policy_id()
                .unwrap_or("(legacy cache settings)")
                .into(),
        );
        a.insert(
            "origin request policy",
            b.origin_request_policy_id().unwrap_or("none").into(),
        );
        a.insert("compress", b.compress().unwrap_or(false).into());
    }
    // Neither the access control's ID on the origin nor its S3 settings are compared: an
    // emulator drops them (the origin is known by its ID and domain).
    let static_files = c
        .cache_behaviors()
        .map(|b| b.items())
        .unwrap_or_default()
        .iter()
        .find(|b| b.path_pattern() == STATIC_PATH && b.target_origin_id() == STATIC_ID)
        .filter(|b| b.cache_policy_id() == Some(CACHING_OPTIMIZED))
        .and_then(|_| c.origins()?.items().iter().find(|o| o.id() == STATIC_ID))
        .map_or_else(|| "none".to_string(), |o| static_line(o.domain_name()));
    a.insert("static files", static_files.into());
}

pub(super) fn method_names(methods: &[Method]) -> String {
    let mut names: Vec<&str> = methods.iter().map(Method::as_str).collect();
    names.sort_unstable();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificates_region_is_read_from_its_arn() {
        assert_eq!(
            region_of("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
            "us-east-1"
        );
        assert_eq!(
            region_of("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"),
            "ap-northeast-2"
        );
    }

    #[test]
    fn methods_compare_in_any_order() {
        assert_eq!(
            method_names(&[Method::Post, Method::Get]),
            method_names(&[Method::Get, Method::Post])
        );
    }
}
