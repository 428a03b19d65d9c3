//! The names a stack's resources carry in AWS, each made by one function: the blueprint
//! names resources with them, and the run layer (drill, serving wait, summary, destroy)
//! finds them by the same functions. All are the stack's name and a fixed suffix, cut to
//! AWS's limit where the kind has a short one.

/// The Auto Scaling group, its launch template and the Name of its instances.
pub fn app(stack: &str) -> String {
    format!("{stack}-app")
}

/// The RDS instance, its parameter group and its subnet group.
pub fn database(stack: &str) -> String {
    format!("{stack}-db")
}

/// The database's final snapshot taken by a destroy at `stamp` (`YYYYMMDD-HHMMSS`).
pub fn final_snapshot(stack: &str, stamp: &str) -> String {
    format!("{}-final-{stamp}", database(stack))
}

/// The Application Load Balancer (AWS allows 32 characters).
pub fn load_balancer(stack: &str) -> String {
    fit(stack, "alb", 32)
}

/// The target group (AWS allows 32 characters).
pub fn target_group(stack: &str) -> String {
    fit(stack, "tg", 32)
}

/// Where the stack's parameters (secrets and published values) live in SSM.
pub fn parameters(stack: &str) -> String {
    format!("/hawiz/{stack}")
}

/// One of the stack's SSM parameters, e.g. `/hawiz/shop/db-password`.
pub fn parameter(stack: &str, name: &str) -> String {
    format!("{}/{name}", parameters(stack))
}

/// The plan of the stack's last apply, kept in its account (the resolved plan, no
/// secrets): what another machine rebuilds the stack from.
pub fn plan_record(stack: &str) -> String {
    parameter(stack, "plan")
}

/// The lock in the account that keeps two machines off one stack.
pub fn lock_record(stack: &str) -> String {
    parameter(stack, "lock")
}

/// The stack whose plan record `name` is (`/hawiz/<stack>/plan`).
pub fn stack_of_plan_record(name: &str) -> Option<&str> {
    name.strip_prefix("/hawiz/")?.strip_suffix("/plan")
}

/// An IAM role or instance profile of the stack (`app`, `flow-logs`). IAM is global to the
/// account, so the region is part of the name.
pub fn iam(stack: &str, region: &str, role: &str) -> String {
    format!("hawiz-{stack}-{region}-{role}")
}

/// The first part of the name of every static bucket of the stack (each adds its account
/// and region): what the sweep, the replication role and the deployer policy match.
pub fn static_buckets(stack: &str) -> String {
    format!("{stack}-static")
}

/// The permissions boundary every role of the stack carries.
pub fn boundary(stack: &str) -> String {
    format!("hawiz-{stack}-boundary")
}

/// A name that fits AWS's limit for the kind. A stack name too long for it is cut, and a
/// short hash of the whole name keeps the cut name the stack's alone: two stacks whose
/// names differ only after the cut must not share a load balancer name.
pub fn fit(stack: &str, suffix: &str, max: usize) -> String {
    if stack.len() + 1 + suffix.len() <= max {
        return format!("{stack}-{suffix}");
    }
    // FNV-1a: stable across runs and builds (a resumed stack finds its own name again).
    let hash = stack.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let room = max.saturating_sub(suffix.len() + 1 + 5);
    let base = stack[..stack.len().min(room)].trim_end_matches('-');
    format!("{base}-{:04x}-{suffix}", hash & 0xffff)
}

/// The host under the site's domain at which CloudFront reaches the primary's load
/// balancer (`origin.example.com`): a name its certificate covers.
pub const ORIGIN_HOST: &str = "origin";

/// The key of the site's record: by its name, so a renamed host is a record that left the
/// plan (and goes) rather than the same record moved.
pub fn site_key(site: &str) -> String {
    format!("dns/{}", site.trim_end_matches('.').to_ascii_lowercase())
}

/// The key of the alert subscription: by its address, so a changed address is a
/// subscription that left the plan (unsubscribed) beside the new one.
pub fn subscription_key(email: &str) -> String {
    format!("sns-subscription/{}", email.trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cut_to_fit_stay_apart() {
        assert_eq!(fit("wordpress-ha", "alb", 32), "wordpress-ha-alb");
        let a = "shop-production-northeast-seoul1";
        let b = "shop-production-northeast-seoul2";
        let (na, nb) = (fit(a, "alb", 32), fit(b, "alb", 32));
        assert!(
            na.len() <= 32 && na.ends_with("-alb") && !na.contains("--"),
            "{na}"
        );
        assert_ne!(na, nb, "two stacks, two load balancers");
        assert_eq!(na, fit(a, "alb", 32), "the same name every run");
        assert_eq!(database(a), format!("{a}-db"));
    }
}
