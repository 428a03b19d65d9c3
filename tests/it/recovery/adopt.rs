//! Adopting a hand-built VPC by picking its subnets from the list.

use super::*;
use std::collections::BTreeSet;
use support::lab::{lab_by_hand, other_vpc};
use support::pty::{CTRL_N, ENTER, LEFT, PAGE_DOWN, Pty, RIGHT, SPACE, TAB};
use support::*;

/// The text of the panel whose top border carries `title`, its rows joined and its
/// whitespace collapsed (so a message wrapped over several lines reads as one).
fn panel_text(p: &Pty, title: &str) -> String {
    let rows: Vec<Vec<char>> = p.rows().iter().map(|r| r.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|r| r.iter().collect::<String>().contains(title))
        .unwrap_or_else(|| panic!("no panel {title:?}:\n{}", p.screen()));
    let text: String = rows[top].iter().collect();
    let left = text[..text.find(title).unwrap()].chars().count(); // the '┌'
    let right = rows[top]
        .iter()
        .skip(left)
        .position(|c| *c == '┐')
        .map_or(rows[top].len(), |i| left + i);
    let mut out = Vec::new();
    for r in &rows[top + 1..] {
        if r.get(left) == Some(&'└') {
            break;
        }
        let inner: String = r
            .iter()
            .skip(left + 1)
            .take(right.saturating_sub(left + 1))
            .collect();
        out.push(inner);
    }
    out.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Move the picker's highlight to the subnet named `name` (→, wrapping round).
#[track_caller]
fn highlight(p: &mut Pty, name: &str) {
    let at = |s: &str| {
        s.lines().any(|l| {
            l.contains(&format!("› [ ] {name} "))
                || l.contains(&format!("› [x] {name} "))
                || l.contains(&format!("› [~] {name} "))
        })
    };
    // The highlighted subnet's name; a screen read mid-frame may show none.
    let current = |s: &str| {
        s.lines().find_map(|l| {
            let rest = l.split("› [").nth(1)?;
            rest.get(3..)?.split_whitespace().next().map(str::to_string)
        })
    };
    for _ in 0..8 {
        if at(&p.screen()) {
            return;
        }
        let before = current(&p.screen());
        p.send(RIGHT);
        p.wait_until("the highlight to move", 10, |s| {
            current(s).is_some() && current(s) != before
        });
    }
    panic!("{name} is never highlighted:\n{}", p.screen());
}

/// A hand-built VPC adopted in the wizard: the VPC chosen, its subnets picked from the
/// list (Name tags and public/private shown), a private subnet refused as public with
/// the reason at the field and nothing picked, then the right ones picked, reviewed and
/// built. From outside: the bastion and the load balancer are in the picked public
/// subnets, the app instances, database and file system in the picked private ones, and
/// no VPC or subnet was created.
#[tokio::test(flavor = "multi_thread")]
async fn a_hand_built_vpc_is_adopted_by_picking_its_subnets() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let lab = lab_by_hand(&aws.ec2).await;
    other_vpc(&aws.ec2).await;
    let vpcs_before = aws.ec2.describe_vpcs().send().await.unwrap().vpcs().len();
    let subnets_before = aws
        .ec2
        .describe_subnets()
        .send()
        .await
        .unwrap()
        .subnets()
        .len();

    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(hawiz(&moto.endpoint, home.path(), &[]), 200, 50);
    p.wait_for("123456789012", 30);
    p.send(PAGE_DOWN);
    p.wait_for(&step_title(1), 10);
    p.send(RIGHT); // VPC: use an existing VPC
    p.wait_for("use an existing VPC", 10);
    p.wait_for("lab-vpc", 20); // the region's VPCs, listed with their Name tags
    p.wait_for("other-vpc", 5);
    // Chosen from what AWS listed (Ctrl-N), not typed.
    p.send(TAB);
    let chosen = |s: &str| {
        s.lines()
            .find(|l| l.contains("Existing VPC"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    // The whole ID in the field (a screen read mid-frame can show half a line).
    let vpc_id = |s: &str| {
        let line = chosen(s);
        line.split_whitespace()
            .find(|w| {
                w.strip_prefix("vpc-")
                    .is_some_and(|h| h.len() == 17 && h.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .map(str::to_string)
    };
    let mut seen = Vec::new();
    while vpc_id(&p.screen()).as_deref() != Some(lab.vpc.as_str()) {
        assert!(seen.len() < 6, "Ctrl-N never chose {}: {seen:?}", lab.vpc);
        let before = vpc_id(&p.screen());
        p.send(CTRL_N);
        p.wait_until("the next VPC from AWS", 10, |s| {
            vpc_id(s).is_some() && vpc_id(s) != before
        });
        seen.push(vpc_id(&p.screen()));
    }
    wait_for_words(&p, &format!("Existing VPC {}", lab.vpc), 10);
    p.send(TAB);
    p.wait_for("Subnets of this VPC (", 20);

    // The list: Name tags and how each reaches the internet; only this VPC's subnets.
    let (pa, pc) = (&lab.public[0], &lab.public[1]);
    let (qa, qc) = (&lab.private[0], &lab.private[1]);
    for s in [pa, pc] {
        p.wait_for(&format!("{} {} public 10.20.", s.name, s.id), 5);
    }
    for s in [qa, qc] {
        p.wait_for(&format!("{} {} private (NAT) 10.20.1", s.name, s.id), 5);
    }
    assert!(!p.screen().contains("other-subnet"), "{}", p.screen());

    // A private subnet picked as public: refused at the field, with the route that makes
    // it private; nothing picked.
    highlight(&mut p, &qa.name);
    p.send(SPACE);
    p.wait_for("✗", 10);
    let refusal = format!(
        "✗ {} {} (10.20.10.0/24, {REGION}a) is private: its route table {} sends 0.0.0.0/0 to {}, \
         not to an Internet gateway, so a load balancer there could not be reached from the \
         internet. Pick a public subnet",
        qa.name, qa.id, lab.private_rt[0], lab.nat[0]
    );
    let form = panel_text(&p, &step_title(1));
    assert!(
        form.contains(&format!("Public subnet IDs (empty) {refusal}")),
        "the refusal is not at the field:\n{form}\n\nwanted: {refusal}"
    );
    assert!(!p.screen().contains("[x]"), "{}", p.screen());

    // The right ones: both public subnets as public.
    highlight(&mut p, &pa.name);
    p.send(SPACE);
    p.wait_for(&format!("[x] {} ", pa.name), 10);
    assert!(!p.screen().contains("is private"), "{}", p.screen());
    highlight(&mut p, &pc.name);
    p.send(SPACE);
    wait_for_words(&p, &format!("Public subnet IDs {}, {}", pa.id, pc.id), 10);

    // Private: the public ones show as picked elsewhere; pick the private ones.
    p.send(TAB);
    p.wait_for(&format!("[~] {} ", pa.name), 10);
    highlight(&mut p, &qa.name);
    p.send(SPACE);
    p.wait_for(&format!("[x] {} ", qa.name), 10);
    highlight(&mut p, &qc.name);
    p.send(SPACE);
    wait_for_words(&p, &format!("Private subnet IDs {}, {}", qa.id, qc.id), 10);
    // ← moves back too; a subnet picked as public is refused as private, saying so.
    p.send(LEFT);
    p.wait_for(&format!("› [~] {} ", pc.name), 10);
    p.send(SPACE);
    p.wait_for("unpick it there first", 10);
    let form = panel_text(&p, &step_title(1));
    let refusal = format!(
        "✗ {} {} (10.20.1.0/24, {REGION}c) is already picked as a public subnet; unpick it there first",
        pc.name, pc.id
    );
    assert!(form.contains(&refusal), "{form}\n\nwanted: {refusal}");
    wait_for_words(&p, &format!("Private subnet IDs {}, {}", qa.id, qc.id), 10);

    p.send(PAGE_DOWN);
    p.decline_early();
    p.wait_for("SSH allowed from", 10);
    p.send(TAB);
    p.send(TAB);
    p.send("203.0.113.10/32");
    p.wait_for("203.0.113.10/32", 10);
    for step in 3..hawiz::wizard::REVIEW {
        p.send(PAGE_DOWN);
        p.wait_for(&step_title(step), 10);
    }
    p.send(PAGE_DOWN);
    p.wait_for("┌ Review ", 10);
    p.wait_for("yours, used as is", 30);
    p.wait_for("Nothing has been created yet", 5);
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    p.wait_for("ssh -J ec2-user@", 20); // the bastion in a picked public subnet
    p.send(ENTER);
    assert_eq!(p.wait_exit(10), 0);

    // From outside.
    let stack = "wordpress-ha";
    let public: BTreeSet<String> = [pa.id.clone(), pc.id.clone()].into();
    let private: BTreeSet<String> = [qa.id.clone(), qc.id.clone()].into();
    assert_eq!(
        aws.ec2.describe_vpcs().send().await.unwrap().vpcs().len(),
        vpcs_before,
        "no VPC created"
    );
    assert_eq!(
        aws.ec2
            .describe_subnets()
            .send()
            .await
            .unwrap()
            .subnets()
            .len(),
        subnets_before,
        "no subnet created"
    );
    let c = count(&aws.ec2, stack).await;
    assert_eq!((c.vpcs, c.subnets, c.igws, c.nats), (0, 0, 0, 0), "{c:?}");

    let lbs = aws.elb.describe_load_balancers().send().await.unwrap();
    let lb = lbs
        .load_balancers()
        .iter()
        .find(|l| l.load_balancer_name() == Some(&format!("{stack}-alb")))
        .expect("the load balancer");
    assert_eq!(lb.vpc_id(), Some(lab.vpc.as_str()));
    let lb_subnets: BTreeSet<String> = lb
        .availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_string))
        .collect();
    assert_eq!(
        lb_subnets, public,
        "the load balancer is in the public subnets"
    );

    let groups = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .send()
        .await
        .unwrap();
    let group = groups
        .auto_scaling_groups()
        .iter()
        .find(|g| g.auto_scaling_group_name() == Some(&format!("{stack}-app")))
        .expect("the app group");
    let group_subnets: BTreeSet<String> = group
        .vpc_zone_identifier()
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        group_subnets, private,
        "the app group is in the private subnets"
    );
    let app_ids: Vec<String> = group
        .instances()
        .iter()
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    assert!(!app_ids.is_empty(), "the group launched instances");

    let mut bastions = 0;
    for i in live_instances(&aws.ec2, stack).await {
        let subnet = i.subnet_id().unwrap_or("").to_string();
        assert_eq!(i.vpc_id(), Some(lab.vpc.as_str()));
        if tag(i.tags(), "Name") == Some(&format!("{stack}-bastion")) {
            bastions += 1;
            assert!(public.contains(&subnet), "bastion in {subnet}");
            assert!(i.public_ip_address().is_some(), "the bastion is reachable");
        } else {
            assert!(
                private.contains(&subnet),
                "instance {:?} in {subnet}",
                i.instance_id()
            );
        }
    }
    assert_eq!(bastions, 1);
    let reservations = aws
        .ec2
        .describe_instances()
        .set_instance_ids(Some(app_ids))
        .send()
        .await
        .unwrap();
    for i in reservations
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
    {
        let subnet = i.subnet_id().unwrap_or("");
        assert!(private.contains(subnet), "app instance in {subnet}");
    }

    let dbs = aws.rds.describe_db_instances().send().await.unwrap();
    let db = dbs
        .db_instances()
        .iter()
        .find(|d| d.db_instance_identifier() == Some(&format!("{stack}-db")))
        .expect("the database");
    let db_subnets: BTreeSet<String> = db
        .db_subnet_group()
        .map(|g| g.subnets())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.subnet_identifier().map(str::to_string))
        .collect();
    assert_eq!(
        db_subnets, private,
        "the database is in the private subnets"
    );

    let inv = inventory(&aws, stack).await;
    assert_eq!(inv["mount targets"], 2, "{inv:?}");
    let fs = aws.efs.describe_file_systems().send().await.unwrap();
    for f in fs.file_systems().iter().filter(|f| {
        f.tags()
            .iter()
            .any(|t| t.key() == "hawiz:stack" && t.value() == stack)
    }) {
        let mts = aws
            .efs
            .describe_mount_targets()
            .file_system_id(f.file_system_id())
            .send()
            .await
            .unwrap();
        let mt_subnets: BTreeSet<String> = mts
            .mount_targets()
            .iter()
            .map(|m| m.subnet_id().to_string())
            .collect();
        assert_eq!(
            mt_subnets, private,
            "EFS mount targets in the private subnets"
        );
    }
}
