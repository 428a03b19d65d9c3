//! The build screen's state, fed by engine events: a row per resource with its status,
//! elapsed time against the typical time for its kind, the resources' IDs, and a log.

use crate::engine::{Event, Graph, What};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Waiting,
    Working,
    Ready,
    Failed,
    Blocked,
    Kept,
    Gone,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub state: RowState,
    pub id: Option<String>,
    pub started: Option<Instant>,
    pub took: Option<Duration>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BuildState {
    pub rows: Vec<Row>,
    pub log: Vec<String>,
    pub started: Instant,
    pub finished: bool,
    pub destroying: bool,
    /// A read-only look at a saved stack (from the resume screen).
    pub viewing: bool,
    pub region: String,
    /// A failure of the run itself (not of one resource), e.g. no credentials.
    pub fatal: Option<String>,
}

/// Typical seconds for each kind on AWS, for "elapsed vs typical".
pub fn typical(kind: &str) -> u64 {
    match kind {
        "nat-gateway" => 120,
        "rds-instance" => 900,
        "load-balancer" => 180,
        "cert-validation" => 300,
        "efs-mount-target" => 90,
        "instance" => 40,
        "hosted-zone" | "dns-record" => 30,
        "efs" | "instance-profile" | "autoscaling-group" | "certificate" => 10,
        _ => 2,
    }
}

impl BuildState {
    pub fn new(graph: &Graph, region: &str, destroying: bool) -> BuildState {
        BuildState {
            rows: graph
                .nodes()
                .map(|n| Row {
                    key: n.key.clone(),
                    kind: n.res.kind(),
                    name: n.res.name().to_string(),
                    state: RowState::Waiting,
                    id: None,
                    started: None,
                    took: None,
                    error: None,
                })
                .collect(),
            log: Vec::new(),
            started: Instant::now(),
            finished: false,
            destroying,
            viewing: false,
            region: region.to_string(),
            fatal: None,
        }
    }

    pub fn on_event(&mut self, ev: &Event, line: String) {
        self.log.push(line);
        if self.log.len() > 200 {
            self.log.remove(0);
        }
        let Some(row) = self.rows.iter_mut().find(|r| r.key == ev.key) else {
            return;
        };
        let now = Instant::now();
        match &ev.what {
            What::Creating | What::Deleting { .. } | What::Retrying { .. } => {
                row.state = RowState::Working;
                row.started.get_or_insert(now);
                if let What::Deleting { id } = &ev.what {
                    row.id = Some(id.clone());
                }
            }
            What::Found { id } | What::Created { id } => {
                row.state = RowState::Working;
                row.started.get_or_insert(now);
                row.id = Some(id.clone());
            }
            What::Adopted { id } => {
                row.state = RowState::Ready;
                row.id = Some(id.clone());
            }
            What::Ready { id, took } => {
                row.state = RowState::Ready;
                row.id = Some(id.clone());
                row.took = Some(*took);
            }
            What::Failed { error } => {
                row.state = RowState::Failed;
                row.error = Some(error.clone());
                row.took = row.started.map(|s| now - s);
            }
            What::Blocked { by } => {
                row.state = RowState::Blocked;
                row.error = Some(by.clone());
            }
            What::Deleted { .. } | What::Absent => {
                row.state = RowState::Gone;
                row.took = row.started.map(|s| now - s);
            }
            What::Kept { reason } => {
                row.state = RowState::Kept;
                row.error = Some(reason.clone());
            }
            What::Duplicates { .. } => {}
        }
    }

    pub fn count(&self, state: RowState) -> usize {
        self.rows.iter().filter(|r| r.state == state).count()
    }

    pub fn succeeded(&self) -> bool {
        self.finished
            && self.fatal.is_none()
            && self
                .rows
                .iter()
                .all(|r| matches!(r.state, RowState::Ready | RowState::Gone | RowState::Kept))
    }

    /// Whether every resource of these keys' kinds is ready (for the diagram).
    pub fn ready(&self, prefix: &str) -> Option<bool> {
        let rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.key == prefix || r.key.starts_with(&format!("{prefix}/")))
            .collect();
        if rows.is_empty() {
            return None;
        }
        Some(rows.iter().all(|r| r.state == RowState::Ready))
    }

    pub fn failed_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.state == RowState::Failed)
    }
}

/// What to do about a failure, in plain words, for the errors people meet most.
pub fn hint(error: &str, lang: crate::i18n::Lang) -> Option<&'static str> {
    let h = |en, ko| Some(lang.pick(en, ko));
    if error.contains("LimitExceeded")
        || error.contains("QuotaExceeded")
        || error.contains("AddressLimitExceeded")
    {
        h(
            "An account limit was reached: delete unused ones (e.g. old Elastic IPs or VPCs) or ask for more in the Service Quotas console, then retry.",
            "계정 한도에 도달했습니다. 쓰지 않는 것(예: 오래된 탄력적 IP, VPC)을 지우거나 Service Quotas 콘솔에서 한도를 늘린 뒤 다시 시도하세요.",
        )
    } else if error.contains("UnauthorizedOperation") || error.contains("AccessDenied") {
        h(
            "Your AWS identity may not do this: attach the permissions hawiz needs (assets/iam-policy.json) or use another profile, then retry.",
            "현재 AWS 자격 증명으로는 할 수 없는 작업입니다. hawiz에 필요한 권한(assets/iam-policy.json)을 붙이거나 다른 프로필로 다시 시도하세요.",
        )
    } else if error.contains("InsufficientInstanceCapacity") || error.contains("Unsupported") {
        h(
            "AWS has no capacity for this type in that AZ right now: retry later, or choose another instance type or AZ.",
            "지금 그 가용 영역에 이 유형의 용량이 없습니다. 나중에 다시 시도하거나 다른 인스턴스 유형·가용 영역을 고르세요.",
        )
    } else if error.contains("credentials") || error.contains("ExpiredToken") {
        h(
            "The AWS login is missing or expired: run `aws sso login` (or set AWS_PROFILE), then retry.",
            "AWS 로그인이 없거나 만료되었습니다. `aws sso login`을 실행하거나 AWS_PROFILE을 설정한 뒤 다시 시도하세요.",
        )
    } else {
        None
    }
}

/// A console link for a resource, where one makes sense.
pub fn console_link(kind: &str, id: &str, region: &str) -> Option<String> {
    let base = format!("https://{region}.console.aws.amazon.com");
    let q = format!("region={region}");
    Some(match kind {
        "vpc" => format!("{base}/vpcconsole/home?{q}#VpcDetails:VpcId={id}"),
        "subnet" => format!("{base}/vpcconsole/home?{q}#SubnetDetails:subnetId={id}"),
        "nat-gateway" => format!("{base}/vpcconsole/home?{q}#NatGatewayDetails:natGatewayId={id}"),
        "security-group" => format!("{base}/ec2/home?{q}#SecurityGroup:groupId={id}"),
        "instance" => format!("{base}/ec2/home?{q}#InstanceDetails:instanceId={id}"),
        "rds-instance" => format!("{base}/rds/home?{q}#database:id={id}"),
        "efs" => format!("{base}/efs/home?{q}#/file-systems/{id}"),
        "load-balancer" => format!(
            "{base}/ec2/home?{q}#LoadBalancers:search={}",
            id.rsplit('/').nth(1).unwrap_or(id)
        ),
        "autoscaling-group" => format!("{base}/ec2/home?{q}#AutoScalingGroupDetails:id={id}"),
        "hosted-zone" => {
            format!("https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/{id}")
        }
        "certificate" => format!(
            "{base}/acm/home?{q}#/certificates/{}",
            id.rsplit('/').next().unwrap_or(id)
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_right_console() {
        assert_eq!(
            console_link("vpc", "vpc-1", "ap-northeast-2").unwrap(),
            "https://ap-northeast-2.console.aws.amazon.com/vpcconsole/home?region=ap-northeast-2#VpcDetails:VpcId=vpc-1"
        );
        assert!(console_link("route", "x", "us-east-1").is_none());
        assert!(typical("rds-instance") > typical("nat-gateway"));
    }
}
