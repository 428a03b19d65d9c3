//! Checks for the steps after the network: bastion, database, app tier, load balancer,
//! domain. Each refuses one of the lab's classic mistakes with the reason.

use super::Report;
use crate::plan::Plan;
use ipnet::Ipv4Net;

pub(super) fn check(plan: &Plan, r: &mut Report) {
    bastion(plan, r);
    database(plan, r);
    files(plan, r);
    app(plan, r);
    load_balancer(plan, r);
    domain(plan, r);
}

fn instance_type(field: &str, value: &str, r: &mut Report) {
    let ok = value
        .split_once('.')
        .is_some_and(|(family, size)| !family.is_empty() && !size.is_empty())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if !ok {
        r.error(
            field,
            format!("{value:?} is not an EC2 instance type like t3.micro"),
        );
    }
}

fn bastion(plan: &Plan, r: &mut Report) {
    let b = &plan.bastion;
    if !b.enabled {
        return;
    }
    instance_type("bastion.instance_type", &b.instance_type, r);
    let cidr = b.ssh_cidr.trim();
    if !cidr.is_empty() {
        match cidr.parse::<Ipv4Net>() {
            Err(_) => r.error(
                "bastion.ssh_cidr",
                format!("{cidr:?} is not an IPv4 CIDR block like 203.0.113.7/32 (leave it empty to use your own address)"),
            ),
            Ok(net) if net.prefix_len() == 0 => r.error(
                "bastion.ssh_cidr",
                format!(
                    "{cidr} opens SSH to the whole internet, where bots try passwords and keys all day. \
                     Use your own address /32 (leave ssh_cidr empty and hawiz detects it)"
                ),
            ),
            Ok(net) if net.addr() != net.network() => r.error(
                "bastion.ssh_cidr",
                format!("{cidr} has host bits set; did you mean {}/{}?", net.network(), net.prefix_len()),
            ),
            Ok(net) if net.prefix_len() < 16 => r.warn(
                "bastion.ssh_cidr",
                format!("{net} lets {} addresses try to reach SSH; a /32 of your own address is safer", 1u64 << (32 - net.prefix_len())),
            ),
            Ok(_) => {}
        }
    }
    let key = b.key_name.trim();
    if key.len() > 255 || !key.is_ascii() {
        r.error(
            "bastion.key_name",
            format!("{key:?} must be at most 255 ASCII characters"),
        );
    }
}

fn database(plan: &Plan, r: &mut Report) {
    let d = &plan.database;
    if !d.instance_class.starts_with("db.") || d.instance_class.split('.').count() != 3 {
        r.error(
            "database.instance_class",
            format!(
                "{:?} is not an RDS instance class like db.t3.micro",
                d.instance_class
            ),
        );
    }
    if !(20..=65536).contains(&d.storage_gib) {
        r.error(
            "database.storage_gib",
            format!(
                "{} GiB: gp3 storage for MariaDB/MySQL must be 20 to 65536 GiB",
                d.storage_gib
            ),
        );
    }
    if d.max_storage_gib <= d.storage_gib || d.max_storage_gib > 65536 {
        r.error(
            "database.max_storage_gib",
            format!(
                "{} GiB must be more than storage_gib ({}) and at most 65536: it is the ceiling \
                 storage autoscaling may grow to",
                d.max_storage_gib, d.storage_gib
            ),
        );
    }
    if !d.multi_az {
        r.error(
            "database.multi_az",
            "false puts the database in one AZ: when that AZ fails, every web server loses it and \
             the site is down. An HA site needs Multi-AZ (a standby in the other AZ that takes \
             over in a minute or two)",
        );
    }
    let ident = |s: &str, max: usize| {
        !s.is_empty()
            && s.len() <= max
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !ident(&d.db_name, 64) {
        r.error(
            "database.db_name",
            format!(
                "{:?} must start with a letter and hold only letters, digits and '_' (at most 64)",
                d.db_name
            ),
        );
    }
    if !ident(&d.username, 16) {
        r.error(
            "database.username",
            format!(
                "{:?} must start with a letter and hold only letters, digits and '_' (at most 16)",
                d.username
            ),
        );
    } else if d.username.eq_ignore_ascii_case("rdsadmin") {
        r.error(
            "database.username",
            "\"rdsadmin\" is reserved by RDS; choose another name",
        );
    }
}

fn app(plan: &Plan, r: &mut Report) {
    let a = &plan.app;
    instance_type("app.instance_type", &a.instance_type, r);
    if a.max == 0 || a.min > a.max {
        r.error(
            "app.max",
            format!(
                "max ({}) must be at least 1 and at least min ({})",
                a.max, a.min
            ),
        );
    }
    if a.desired < a.min || a.desired > a.max {
        r.error(
            "app.desired",
            format!(
                "{} is outside min..max ({}..{}); Auto Scaling keeps the count inside that range",
                a.desired, a.min, a.max
            ),
        );
    }
    if a.min < 2 && a.max >= 1 {
        r.warn(
            "app.min",
            format!("{}: with fewer than 2 instances, one failure (or one AZ outage) takes the site down", a.min),
        );
    }
    if !(a.cpu_target > 0.0 && a.cpu_target <= 100.0) {
        r.error(
            "app.cpu_target",
            format!(
                "{} must be a CPU percentage above 0 and at most 100",
                a.cpu_target
            ),
        );
    }
}

fn files(plan: &Plan, r: &mut Report) {
    if !plan.files.enabled {
        r.warn(
            "files.enabled",
            "false: each instance keeps its own web root, so uploads and plugins land on one \
             instance only and vanish when Auto Scaling replaces it",
        );
    }
}

fn load_balancer(plan: &Plan, r: &mut Report) {
    let p = &plan.load_balancer.health_check_path;
    if !p.starts_with('/') || p.len() > 1024 || p.contains(char::is_whitespace) {
        r.error(
            "load_balancer.health_check_path",
            format!("{p:?} must be a URL path starting with '/', like / or /wp-login.php"),
        );
    }
}

fn domain(plan: &Plan, r: &mut Report) {
    let Some(d) = &plan.domain else { return };
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let name = d.name.trim_end_matches('.').to_ascii_lowercase();
    if name.len() > 253 || name.split('.').count() < 2 || !name.split('.').all(label) {
        r.error(
            "domain.name",
            format!("{:?} is not a domain name like example.com", d.name),
        );
    }
    if !d.host.is_empty() && !d.host.split('.').all(label) {
        r.error(
            "domain.host",
            format!(
                "{:?} is not a host name like www (use \"\" for the bare domain)",
                d.host
            ),
        );
    } else if d.https && d.host.contains('.') {
        r.error(
            "domain.host",
            format!(
                "{:?}: the certificate covers {name} and *.{name}, and a wildcard covers one level \
                 only; use a single label like www",
                d.host
            ),
        );
    }
}
