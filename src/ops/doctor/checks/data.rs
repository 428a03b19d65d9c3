//! Step 3: the database.

use super::super::survey::Survey;
use super::{Finding, Severity};
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
