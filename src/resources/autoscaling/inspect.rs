//! The group as the inspector shows it: sizes, health check, subnets, instances.

use crate::engine::inspection::Inspection;

/// Its wiring as the inspector shows it.
pub(super) async fn inspector(c: &crate::aws::Clients, name: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let Some(g) = crate::resources::fleet::group(c, name)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Err(format!("{name} was not found"));
    };
    out.head("Auto Scaling group", "Auto Scaling 그룹");
    out.item(format!(
        "min {} · desired {} · max {}",
        g.min_size().unwrap_or_default(),
        g.desired_capacity().unwrap_or_default(),
        g.max_size().unwrap_or_default()
    ));
    out.item(format!(
        "health check {} · grace {} s",
        g.health_check_type().unwrap_or("?"),
        g.health_check_grace_period().unwrap_or_default()
    ));
    out.head("Subnets", "서브넷");
    for s in g.vpc_zone_identifier().unwrap_or_default().split(',') {
        out.item(s.trim().to_string());
    }
    out.head("Instances", "인스턴스");
    if g.instances().is_empty() {
        out.item("-");
    }
    for i in g.instances() {
        out.item(format!(
            "{}  {}  {}",
            i.instance_id().unwrap_or("?"),
            i.availability_zone().unwrap_or("?"),
            i.health_status().unwrap_or("?")
        ));
    }
    Ok(std::mem::take(out))
}
