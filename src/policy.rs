//! The IAM documents of one stack, rendered from the templates in assets/: the deployer
//! policy that `hawiz policy STACK` prints (every tag condition, name and path is that
//! stack's), and the permissions boundary every role of the stack carries (its document
//! is checked by content before any role is made: see `resources::boundary`).
//!
//! The templates are written by `scripts/iam-policy.py`. Their placeholders: `{{stack}}`
//! and `{{region}}` in any string; the string `"{{site_record_names}}"` stands for the
//! list of DNS names the stack may change (its site and the `_…` names under its domain);
//! statements whose Sid starts with `Site` or `Dns` are dropped when the stack has no
//! domain.

use serde_json::Value;

pub const DEPLOYER_TEMPLATE: &str = include_str!("../assets/iam-policy-stack.json");
pub const BOUNDARY_TEMPLATE: &str = include_str!("../assets/permissions-boundary.json");

/// Where the stack's boundary lives in IAM.
pub const BOUNDARY_PATH: &str = "/hawiz/";

/// The stack's permissions boundary: `hawiz-<stack>-boundary`.
pub fn boundary_name(stack: &str) -> String {
    format!("hawiz-{stack}-boundary")
}

/// What the deployer policy is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub stack: String,
    pub region: String,
    /// The site's domain and host name (`""` for the apex), when the stack has one.
    pub site: Option<(String, String)>,
}

/// The DNS names a stack writes, as Route 53's normalized record names: its site's name
/// and everything under its domain that starts with `_` (certificate validation records
/// and hawiz's ownership markers).
pub fn site_record_names(domain: &str, host: &str) -> Vec<String> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim().to_ascii_lowercase();
    let site = if host.is_empty() {
        domain.clone()
    } else {
        format!("{host}.{domain}")
    };
    let mut names = vec![site, format!("_*.{domain}")];
    names.dedup();
    names
}

fn fill(v: &mut Value, scope: &Scope) {
    match v {
        Value::String(s) if s == "{{site_record_names}}" => {
            let names = scope
                .site
                .as_ref()
                .map(|(d, h)| site_record_names(d, h))
                .unwrap_or_default();
            *v = Value::Array(names.into_iter().map(Value::String).collect());
        }
        Value::String(s) => {
            *s = s
                .replace("{{stack}}", &scope.stack)
                .replace("{{region}}", &scope.region);
        }
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
        assert!(text.contains("\"_*.example.com\""));
        let bare = deployer(&scope(None)).unwrap();
        assert!(!bare.contains("site_record_names") && !bare.contains("\"Sid\": \"Site"));
    }

    #[test]
    fn record_names_cover_the_site_and_the_underscore_names() {
        assert_eq!(
            site_record_names("example.com", ""),
            vec!["example.com".to_string(), "_*.example.com".into()]
        );
        assert_eq!(
            site_record_names("example.com.", "WWW"),
            vec!["www.example.com".to_string(), "_*.example.com".into()]
        );
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
