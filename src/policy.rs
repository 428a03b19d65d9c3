//! The IAM documents of one stack, rendered from the templates in assets/: the deployer
//! policy that `hawiz policy STACK` prints (every tag condition, name and path is that
//! stack's), and the permissions boundary every role of the stack carries (its document
//! is checked by content before any role is made: see `resources::boundary`).
//!
//! The templates are written by `scripts/iam-policy.py` (whose `render` is the same
//! contract in Python; a test holds the two to the same output). Their placeholders:
//! `{{stack}}` in any string; the string `"{{site_record_names}}"` stands for the DNS
//! names whose A and CNAME records the stack may change (its site, and the certificate's
//! validation names: `_` and 32 characters under the domain, which is what ACM makes, so
//! that `_acme-challenge` or `_dmarc` stay out of reach), `"{{site_marker_names}}"` for
//! its ownership marker (`_hawiz.<site>`, TXT). Statements whose Sid starts with `Site`
//! or `Dns` are dropped when the stack has no domain.

use serde_json::Value;

pub const DEPLOYER_TEMPLATE: &str = include_str!("../assets/iam-policy-stack.json");
/// The all-stacks variant, for a personal account.
pub const ALL_STACKS: &str = include_str!("../assets/iam-policy.json");
pub const BOUNDARY_TEMPLATE: &str = include_str!("../assets/permissions-boundary.json");

/// Where the stack's boundary lives in IAM.
pub const BOUNDARY_PATH: &str = "/hawiz/";

/// The stack's permissions boundary: `hawiz-<stack>-boundary`.
pub use crate::names::boundary as boundary_name;

/// What the deployer policy is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub stack: String,
    /// The stack's region (said with the policy; the policy itself names no region, so a
    /// failover region's resources are covered too).
    pub region: String,
    /// The site's domain and host name (`""` for the apex), when the stack has one.
    pub site: Option<(String, String)>,
}

/// A DNS name as Route 53's `…NormalizedRecordNames` condition has it: lowercase, no
/// trailing dot.
fn normalized(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The site's DNS name: `host.domain`, or the domain itself for the apex.
fn site(domain: &str, host: &str) -> String {
    let domain = normalized(domain);
    if host.trim().is_empty() {
        domain
    } else {
        format!("{}.{domain}", normalized(host))
    }
}

/// The names whose A and CNAME records a stack writes: its site's name, its origin's
/// (`origin.<domain>`: CloudFront in front of the primary reaches its load balancer
/// there), and ACM's validation names under its domain (`_` and 32 characters).
pub fn site_record_names(domain: &str, host: &str) -> Vec<String> {
    vec![
        site(domain, host),
        origin(domain),
        format!("_{}.{}", "?".repeat(32), normalized(domain)),
    ]
}

/// The names of the stack's ownership markers (TXT records beside the site's and the
/// origin's).
pub fn site_marker_names(domain: &str, host: &str) -> Vec<String> {
    vec![
        format!("_hawiz.{}", site(domain, host)),
        format!("_hawiz.{}", origin(domain)),
    ]
}

/// The origin's name under the domain: `origin.<domain>` (scripts/iam-policy.py's
/// `ORIGIN_HOST` says the same).
fn origin(domain: &str) -> String {
    format!("{}.{}", crate::names::ORIGIN_HOST, normalized(domain))
}

fn fill(v: &mut Value, scope: &Scope) {
    let names = |f: fn(&str, &str) -> Vec<String>| {
        let list = scope
            .site
            .as_ref()
            .map(|(d, h)| f(d, h))
            .unwrap_or_default();
        Value::Array(list.into_iter().map(Value::String).collect())
    };
    match v {
        Value::String(s) if s == "{{site_record_names}}" => *v = names(site_record_names),
        Value::String(s) if s == "{{site_marker_names}}" => *v = names(site_marker_names),
        Value::String(s) => *s = s.replace("{{stack}}", &scope.stack),
        Value::Array(items) => items.iter_mut().for_each(|i| fill(i, scope)),
        Value::Object(map) => map.values_mut().for_each(|i| fill(i, scope)),
        _ => {}
    }
}

fn render(template: &str, scope: &Scope) -> Result<Value, String> {
    let mut doc: Value = serde_json::from_str(template)
        .map_err(|e| format!("a policy template is not JSON: {e}"))?;
    if scope.site.is_none()
        && let Some(Value::Array(statements)) = doc.get_mut("Statement")
    {
        statements.retain(|st| {
            !st.get("Sid")
                .and_then(Value::as_str)
                .is_some_and(|sid| sid.starts_with("Site") || sid.starts_with("Dns"))
        });
    }
    fill(&mut doc, scope);
    Ok(doc)
}

fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}

/// AWS's limit for one customer managed policy: characters, whitespace not counted.
pub const MANAGED_POLICY_LIMIT: usize = 6144;

/// A policy cut into documents that each fit one managed policy, statement by statement
/// in order (a user or role may have 10 managed policies attached).
pub fn parts(policy: &str) -> Result<Vec<String>, String> {
    let doc: Value = serde_json::from_str(policy).map_err(|e| format!("not a policy: {e}"))?;
    let statements = doc
        .get("Statement")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let size = |v: &Value| {
        serde_json::to_string(v)
            .map(|s| s.len())
            .unwrap_or(usize::MAX)
    };
    let empty = |sts: Vec<Value>| serde_json::json!({"Version": "2012-10-17", "Statement": sts});
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for st in statements {
        let mut with = out.last().cloned().unwrap_or_default();
        with.push(st.clone());
        if size(&empty(with.clone())) <= MANAGED_POLICY_LIMIT {
            if let Some(last) = out.last_mut() {
                *last = with;
            }
        } else if size(&empty(vec![st.clone()])) > MANAGED_POLICY_LIMIT {
            return Err(format!(
                "statement {} alone is over AWS's {MANAGED_POLICY_LIMIT} characters",
                st.get("Sid").and_then(Value::as_str).unwrap_or("?")
            ));
        } else {
            out.push(vec![st]);
        }
    }
    Ok(out.into_iter().map(|sts| pretty(&empty(sts))).collect())
}

/// The deployer policy of one stack.
pub fn deployer(scope: &Scope) -> Result<String, String> {
    render(DEPLOYER_TEMPLATE, scope).map(|d| pretty(&d))
}

/// The permissions boundary of one stack's roles.
pub fn boundary(stack: &str) -> String {
    let scope = Scope {
        stack: stack.to_string(),
        region: String::new(),
        site: None,
    };
    render(BOUNDARY_TEMPLATE, &scope)
        .map(|d| pretty(&d))
        .unwrap_or_default()
}

/// What S3 replication needs of its role (S3 UG, *Setting up permissions for live
/// replication*): read the source's configuration and object versions, write replicas
/// into the destination; the stack's static buckets only.
pub fn replication_statement(stack: &str) -> serde_json::Value {
    // The buckets' exact shape, `<stack>-static-<12-digit account>-<short region>`, so
    // that a stack whose own name starts with `<stack>-static-` is out of reach (the
    // deployer policy matches the same shape).
    let buckets: Vec<String> = (4..=6)
        .map(|k| {
            format!(
                "arn:aws:s3:::{}-{}-{}",
                crate::names::static_buckets(stack),
                "?".repeat(12),
                "?".repeat(k)
            )
        })
        .collect();
    let objects = buckets.iter().map(|b| format!("{b}/*"));
    let resources: Vec<String> = buckets.iter().cloned().chain(objects).collect();
    serde_json::json!({
        "Sid": "ReplicateStaticFiles",
        "Effect": "Allow",
        "Action": [
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionTagging",
            "s3:GetReplicationConfiguration",
            "s3:ListBucket",
            "s3:ReplicateDelete",
            "s3:ReplicateObject",
            "s3:ReplicateTags"
        ],
        "Resource": resources
    })
}

/// The boundary a stack's plan needs: with the static bucket, its replication role's
/// statement too (only then, so a stack without it keeps the document it was given).
pub fn boundary_for(stack: &str, static_bucket: bool) -> String {
    let doc = boundary(stack);
    if !static_bucket {
        return doc;
    }
    let Ok(mut v) = serde_json::from_str::<Value>(&doc) else {
        return doc;
    };
    if let Some(Value::Array(list)) = v.get_mut("Statement") {
        list.push(replication_statement(stack));
    }
    pretty(&v)
}

/// IAM answers policy documents URL-encoded.
pub fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A policy document as IAM answers it (URL-encoded, any key order) made comparable.
pub fn canonical(doc: &str) -> Option<Value> {
    let decoded = percent_decode(doc);
    serde_json::from_str(&decoded).ok()
}

/// The same, as text to compare in a setting (a document that is not JSON as it is).
pub fn canonical_text(doc: &str) -> String {
    canonical(doc).map_or_else(|| percent_decode(doc), |v| v.to_string())
}

/// How `actual` differs from `expected`, statement by statement (by Sid), in one line;
/// `None` when they are the same document.
pub fn difference(expected: &str, actual: &str) -> Option<String> {
    let (Some(want), Some(have)) = (canonical(expected), canonical(actual)) else {
        return Some("it is not a JSON policy document".into());
    };
    if want == have {
        return None;
    }
    let statements = |doc: &Value| -> Vec<(String, Value)> {
        let list = match doc.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(one) => vec![one.clone()],
            None => vec![],
        };
        list.into_iter()
            .enumerate()
            .map(|(i, st)| {
                let sid = st
                    .get("Sid")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("#{}", i + 1), str::to_string);
                (sid, st)
            })
            .collect()
    };
    let want = statements(&want);
    let have = statements(&have);
    let mut parts = Vec::new();
    for (sid, st) in &have {
        match want.iter().find(|(s, _)| s == sid) {
            None => parts.push(format!("it has a statement hawiz's has not: {st}")),
            Some((_, w)) if w != st => {
                parts.push(format!("its statement {sid} is {st}, hawiz's is {w}"));
            }
            Some(_) => {}
        }
    }
    for (sid, _) in &want {
        if !have.iter().any(|(s, _)| s == sid) {
            parts.push(format!("it lacks the statement {sid}"));
        }
    }
    if parts.is_empty() {
        parts.push("its statements are in another order or its version differs".into());
    }
    Some(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(site: Option<(&str, &str)>) -> Scope {
        Scope {
            stack: "shop".into(),
            region: "ap-northeast-2".into(),
            site: site.map(|(d, h)| (d.into(), h.into())),
        }
    }

    #[test]
    fn the_deployer_policy_names_only_its_stack() {
        let text = deployer(&scope(Some(("Example.com.", "www")))).unwrap();
        assert!(!text.contains("{{"), "every placeholder filled");
        assert!(text.contains("shop"));
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["Version"], "2012-10-17");
        assert!(text.contains("\"www.example.com\""), "{text}");
        assert!(text.contains(&format!("\"_{}.example.com\"", "?".repeat(32))));
        assert!(text.contains("\"_hawiz.www.example.com\""));
        let bare = deployer(&scope(None)).unwrap();
        assert!(!bare.contains("site_record_names") && !bare.contains("\"Sid\": \"Site"));
        assert!(!bare.contains("\"Sid\": \"Dns"));
    }

    #[test]
    fn record_names_cover_the_site_and_the_validation_names() {
        let v = format!("_{}.example.com", "?".repeat(32));
        let o = "origin.example.com".to_string();
        assert_eq!(
            site_record_names("example.com", ""),
            vec!["example.com".to_string(), o.clone(), v.clone()]
        );
        assert_eq!(
            site_record_names("Example.com.", "WWW"),
            vec!["www.example.com".to_string(), o, v]
        );
        assert_eq!(
            site_marker_names("example.com", ""),
            vec![
                "_hawiz.example.com".to_string(),
                "_hawiz.origin.example.com".to_string()
            ]
        );
    }

    #[test]
    fn the_policy_is_cut_into_managed_policies_that_fit() {
        let text = deployer(&scope(Some(("example.com", "www")))).unwrap();
        let parts = parts(&text).unwrap();
        assert!(
            parts.len() > 1,
            "the policy is over one managed policy's limit"
        );
        let mut statements = 0;
        for p in &parts {
            let v: Value = serde_json::from_str(p).unwrap();
            assert!(serde_json::to_string(&v).unwrap().len() <= MANAGED_POLICY_LIMIT);
            statements += v["Statement"].as_array().unwrap().len();
        }
        let whole: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(statements, whole["Statement"].as_array().unwrap().len());
    }

    #[test]
    fn the_boundary_is_the_stacks_and_differences_are_named() {
        let b = boundary("shop");
        assert!(b.contains("parameter/hawiz/shop/*"), "{b}");
        assert!(!b.contains("{{"));
        assert_eq!(difference(&b, &b), None);
        let open = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let why = difference(&b, open).unwrap();
        assert!(why.contains("\"Action\":\"*\""), "{why}");
        assert!(why.contains("it lacks the statement"), "{why}");
        // IAM answers documents URL-encoded.
        let encoded = b
            .replace('{', "%7B")
            .replace('}', "%7D")
            .replace('"', "%22");
        assert_eq!(difference(&b, &encoded), None);
        assert_eq!(
            difference(&b, "not json").as_deref(),
            Some("it is not a JSON policy document")
        );
    }
}
