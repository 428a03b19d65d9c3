//! The inspector: one built resource's wiring read back from AWS, as a console user would
//! have set it by hand in the lab (route table routes, security-group rules with their
//! sources, the target group's health check, the launch template's user data). Each kind
//! writes its own sections (`Resource::inspect`); this finds the kind in the plan's graph.
//! Read-only. User data never carries secrets (they come from SSM at boot); a literal
//! value after a secret's name is masked anyway, so nothing secret can reach the screen.

use crate::aws::Clients;
pub use crate::engine::inspection::{Inspection, Line, mask};
use crate::plan::Plan;

/// Read one resource's wiring: `key` is its node in the plan's graph, `id` its live ID.
pub async fn inspect(
    clients: &Clients,
    plan: Option<&Plan>,
    key: &str,
    kind: &str,
    id: &str,
) -> Result<Inspection, String> {
    let inspector = plan
        .and_then(|p| crate::blueprint::build(p, std::path::Path::new("")).ok())
        .and_then(|g| g.get(key).and_then(|n| n.res.inspector()));
    if let Some(read) = inspector {
        return read(clients, id).await;
    }
    let mut out = Inspection::default();
    out.note(
        format!(
            "Nothing more to show of this {kind} than its ID ({id}); its console page has the rest."
        ),
        format!(
            "{} ID({id}) 말고 더 보여 줄 것이 없습니다. 나머지는 콘솔 페이지에 있습니다.",
            crate::i18n::korean::with(kind, crate::i18n::korean::Josa::EunNeun)
        ),
    );
    Ok(out)
}
