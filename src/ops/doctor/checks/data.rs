//! Step 3: the database.

use super::super::survey::Survey;
use super::{Finding, Severity, named};
use crate::i18n::Text;

/// Step 3: the database Multi-AZ, private, encrypted, backed up.
pub(super) fn databases(s: &Survey, out: &mut Vec<Finding>) {
    for d in &s.databases {
        let modify = |flag: &str| {
            format!(
                "aws rds modify-db-instance --db-instance-identifier {} {flag} --apply-immediately",
                d.id
            )
        };
        let mut add = |check, severity, what: Text, why: Text, fix: String| {
            out.push(Finding {
                check,
                severity,
                resource: d.id.clone(),
                what,
                why,
                fix: Text::new(fix.clone(), fix),
            });
        };
        if !d.multi_az {
            add(
                "db-single-az",
                Severity::High,
                Text::new("the database is single-AZ", "데이터베이스가 단일 AZ입니다"),
                Text::new(
                    "step 3 (RDS): without a standby in a second AZ, the loss of its AZ (or a failed host) stops the site until the database is restored; Multi-AZ fails over in a minute or two",
                    "3단계(RDS): 두 번째 AZ에 대기 인스턴스가 없으면 그 AZ를 잃거나 호스트가 고장 날 때 복원될 때까지 사이트가 멈춥니다. 다중 AZ는 1~2분 안에 장애 조치합니다",
                ),
                modify("--multi-az"),
            );
        }
        if d.public {
            add(
                "db-public",
                Severity::High,
                Text::new(
                    "the database is publicly accessible",
                    "데이터베이스가 퍼블릭 액세스 가능입니다",
                ),
                Text::new(
                    "step 3: the database gets a public address; only the app tier needs to reach it, from inside the VPC",
                    "3단계: 데이터베이스가 퍼블릭 주소를 얻습니다. 데이터베이스에는 VPC 안의 앱 계층만 닿으면 됩니다",
                ),
                modify("--no-publicly-accessible"),
            );
        }
        if !d.encrypted {
            add(
                "db-unencrypted",
                Severity::Medium,
                Text::new(
                    "the database's storage is not encrypted",
                    "데이터베이스 스토리지가 암호화되어 있지 않습니다",
                ),
                Text::new(
                    "step 3: encryption can only be chosen at creation (or by restoring an encrypted snapshot copy), and a cross-region replica needs it",
                    "3단계: 암호화는 만들 때만 고를 수 있고(또는 암호화한 스냅샷 사본에서 복원), 리전 간 복제본에도 필요합니다",
                ),
                format!(
                    "aws rds create-db-snapshot --db-instance-identifier {id} --db-snapshot-identifier {id}-plain, copy it with --kms-key-id alias/aws/rds, restore the copy",
                    id = d.id
                ),
            );
        }
        if !d.deletion_protection {
            add(
                "db-no-deletion-protection",
                Severity::Info,
                Text::new("deletion protection is off", "삭제 방지가 꺼져 있습니다"),
                Text::new(
                    "step 3: one wrong click or command deletes the site's data; with protection on, it must be turned off first",
                    "3단계: 잘못된 클릭이나 명령 하나로 사이트 데이터가 지워집니다. 삭제 방지를 켜면 먼저 꺼야만 지울 수 있습니다",
                ),
                modify("--deletion-protection"),
            );
        }
        if d.tls_required == Some(false) {
            add(
                "db-tls-not-required",
                Severity::Medium,
                Text::new(
                    "the database takes connections without TLS (require_secure_transport is off)",
                    "데이터베이스가 TLS 없는 연결을 받습니다 (require_secure_transport가 꺼짐)",
                ),
                Text::new(
                    "step 3: the site's database password and every query cross the VPC in clear; a parameter group of its own with require_secure_transport = 1 refuses them (it applies at once, no restart)",
                    "3단계: 사이트의 데이터베이스 비밀번호와 모든 쿼리가 VPC 안을 암호화 없이 오갑니다. require_secure_transport = 1인 전용 파라미터 그룹이 이를 거부합니다 (재시작 없이 바로 적용)",
                ),
                tls_fix(d, &modify),
            );
        }
        if d.backup_days == 0 {
            add(
                "db-no-backups",
                Severity::Medium,
                Text::new("automated backups are off", "자동 백업이 꺼져 있습니다"),
                Text::new(
                    "step 3: without backups there is no point-in-time restore, and no read replica can be made",
                    "3단계: 백업이 없으면 특정 시점 복원도, 읽기 복제본도 만들 수 없습니다",
                ),
                modify("--backup-retention-period 7"),
            );
        }
    }
}

/// Step 4 (EFS): one web root for every instance, in every AZ they run in, behind the
/// app's group.
pub(super) fn files(s: &Survey, out: &mut Vec<Finding>) {
    let app_zones: Vec<String> = {
        let subnets: Vec<String> = s
            .scaling_groups
            .iter()
            .flat_map(|g| g.subnets.iter().cloned())
            .collect();
        s.zones(&subnets)
    };
    let several = s.scaling_groups.iter().any(|g| g.min >= 2) || app_zones.len() >= 2;
    if s.file_systems.is_empty() {
        if several {
            out.push(Finding {
                check: "efs-none",
                severity: Severity::Medium,
                resource: named(&s.name, &s.vpc),
                what: Text::new(
                    "the app's instances share no file system",
                    "앱 인스턴스가 공유하는 파일 시스템이 없습니다",
                ),
                why: Text::new(
                    "step 4 (EFS): each instance keeps its own files, so an upload made through one is missing on the others, and gone when that instance is replaced",
                    "4단계(EFS): 인스턴스마다 자기 파일을 가져, 한 인스턴스로 올린 업로드가 다른 인스턴스에는 없고 그 인스턴스가 교체되면 사라집니다",
                ),
                fix: Text::new(
                    "create an EFS file system with a mount target in each AZ the group uses, mount it as the web root (or let hawiz adopt the VPC and build it)",
                    "그룹이 쓰는 AZ마다 마운트 대상을 둔 EFS 파일 시스템을 만들어 웹 루트로 마운트하세요 (또는 hawiz가 VPC를 가져와 만들게 하세요)",
                ),
            });
        }
        return;
    }
    for fs in &s.file_systems {
        for az in app_zones.iter().filter(|az| !fs.zones.contains(az)) {
            let cmd = format!(
                "aws efs create-mount-target --file-system-id {} --subnet-id PRIVATE-SUBNET-IN-{az} --security-groups EFS-SG",
                fs.id
            );
            out.push(Finding {
                check: "efs-no-mount-target",
                severity: Severity::High,
                resource: named(&fs.name, &fs.id),
                what: Text::new(
                    format!("the app runs in {az}, where this file system has no mount target"),
                    format!("앱이 {az}에서 도는데 이 파일 시스템은 그곳에 마운트 대상이 없습니다"),
                ),
                why: Text::new(
                    "step 4: instances in that AZ cannot mount the shared files, so they fail to serve (or serve an empty site); the lab puts a mount target in each AZ",
                    "4단계: 그 AZ의 인스턴스는 공유 파일을 마운트하지 못해 서비스하지 못합니다(또는 빈 사이트를 보입니다). 실습은 AZ마다 마운트 대상을 둡니다",
                ),
                fix: Text::new(cmd.clone(), cmd),
            });
        }
        for g in fs.groups.iter().filter_map(|id| s.group(id)) {
            let Some(cidr) = g
                .ingress
                .iter()
                .filter(|r| r.covers(2049))
                .flat_map(|r| r.cidrs.iter())
                .next()
            else {
                continue;
            };
            out.push(Finding {
                check: "efs-open-to-cidr",
                severity: Severity::Medium,
                resource: named(&g.name, &g.id),
                what: Text::new(
                    format!("file system {}'s group admits NFS (2049) from {cidr} instead of the app's group", fs.id),
                    format!("파일 시스템 {}의 보안 그룹이 앱 보안 그룹 대신 {cidr}에서 NFS(2049)를 허용합니다", fs.id),
                ),
                why: Text::new(
                    "step 4: anything in that range can read and change the site's files; the lab admits only the app tier's group",
                    "4단계: 그 범위의 무엇이든 사이트 파일을 읽고 바꿀 수 있습니다. 실습은 앱 계층의 보안 그룹만 허용합니다",
                ),
                fix: Text::new(
                    format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 2049 --source-group APP-SG, then aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port 2049 --cidr {cidr}", id = g.id),
                    format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 2049 --source-group 앱-SG 후 aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port 2049 --cidr {cidr}", id = g.id),
                ),
            });
        }
    }
}

/// A default parameter group cannot be changed: the database gets a group of its own.
fn tls_fix(d: &crate::ops::doctor::survey::Database, modify: &dyn Fn(&str) -> String) -> String {
    let set = |group: &str| {
        format!(
            "aws rds modify-db-parameter-group --db-parameter-group-name {group} --parameters ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate"
        )
    };
    if d.parameter_group.is_empty() || d.parameter_group.starts_with("default.") {
        let own = format!("{}-tls", d.id);
        let family = d
            .parameter_group
            .strip_prefix("default.")
            .unwrap_or("FAMILY");
        format!(
            "aws rds create-db-parameter-group --db-parameter-group-name {own} --db-parameter-group-family {family} --description 'TLS only'; {}; {}",
            set(&own),
            modify(&format!("--db-parameter-group-name {own}"))
        )
    } else {
        set(&d.parameter_group)
    }
}
