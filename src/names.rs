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

/// An IAM role or instance profile of the stack (`app`, `flow-logs`). IAM is global to the
/// account, so the region is part of the name.
pub fn iam(stack: &str, region: &str, role: &str) -> String {
    format!("hawiz-{stack}-{region}-{role}")
}

/// The permissions boundary every role of the stack carries.
pub fn boundary(stack: &str) -> String {
    format!("hawiz-{stack}-boundary")
}

/// A name that fits AWS's limit for the kind: the stack cut so the suffix stays whole.
pub fn fit(stack: &str, suffix: &str, max: usize) -> String {
    let room = max.saturating_sub(suffix.len() + 1);
    let base = stack[..stack.len().min(room)].trim_end_matches('-');
    format!("{base}-{suffix}")
}
