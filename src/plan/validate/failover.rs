//! `[failover]`: what AWS would refuse later (or an emulator would let through) about a
//! standby region, refused at its field before anything is created.

use super::Report;
use crate::plan::{Plan, StandbyMode};

pub(super) fn check(plan: &Plan, r: &mut Report) {
    let Some(f) = &plan.failover else { return };
    match &plan.domain {
        None => r.error(
            "failover",
            "failover needs the site's own domain with HTTPS: Route 53 moves the site's name \
             between the regions, so add [domain] (with https = true), or remove [failover]",
            "장애 조치에는 HTTPS를 쓰는 사이트 도메인이 필요합니다. Route 53이 사이트 이름을 \
             두 리전 사이에서 옮기기 때문입니다. [domain] 섹션(https = true)을 더하거나 [failover]를 지우세요",
        ),
        Some(d) if !d.https => r.error(
            "failover",
            "failover needs HTTPS (domain.https = true): Route 53's health check and the \
             standby's load balancer speak HTTPS. Turn HTTPS on, or remove [failover]",
            "장애 조치에는 HTTPS(domain.https = true)가 필요합니다. Route 53 상태 검사와 대기 \
             리전의 로드 밸런서가 HTTPS를 씁니다. HTTPS를 켜거나 [failover]를 지우세요",
        ),
        Some(_) => {}
    }
    if f.cloudfront
        && let Some(d) = &plan.domain
        && d.host
            .trim()
            .eq_ignore_ascii_case(crate::names::ORIGIN_HOST)
    {
        let origin = crate::names::ORIGIN_HOST;
        r.error(
            "domain.host",
            format!(
                "{origin}: behind CloudFront, hawiz names the primary's load balancer \
                 {origin}.{domain} for CloudFront to reach it, so the site cannot have that \
                 name. Choose another host, like www",
                domain = d.name.trim()
            ),
            format!(
                "{origin}: CloudFront 뒤에서는 hawiz가 기본 리전의 로드 밸런서를 {} 불러 \
                 CloudFront가 닿게 하므로, 사이트가 그 이름을 쓸 수 없습니다. www 같은 다른 \
                 호스트를 고르세요",
                crate::i18n::korean::with(
                    &format!("{origin}.{}", d.name.trim()),
                    crate::i18n::korean::Josa::EuroRo
                )
            ),
        );
    }
    if f.static_bucket && !f.cloudfront {
        r.error(
            "failover.static_bucket",
            "the static bucket is private and read through CloudFront (its /static/* path), \
             so it needs CloudFront: turn failover.cloudfront on, or static_bucket off",
            "정적 버킷은 비공개이며 CloudFront(/static/* 경로)를 통해서만 읽힙니다. \
             failover.cloudfront를 켜거나 static_bucket을 끄세요",
        );
    }
    if !plan.files.enabled {
        r.error(
            "failover",
            "failover needs the shared files (files.enabled = true): the standby serves the \
             primary's WordPress from an EFS replica of them. Turn the shared files on, or \
             remove [failover]",
            "장애 조치에는 공유 파일(files.enabled = true)이 필요합니다. 대기 리전은 기본 리전 \
             파일의 EFS 복제본으로 워드프레스를 서비스합니다. 공유 파일을 켜거나 [failover]를 지우세요",
        );
    }
    let region = f.region.trim();
    if region.is_empty() {
        r.error(
            "failover.region",
            "no standby region is given: name the second region the site fails over to, like \
             us-east-1 (N. Virginia, the lab's)",
            "대기 리전이 없습니다. 사이트가 옮겨 갈 두 번째 리전을 적으세요 (예: 실습의 us-east-1, \
             버지니아 북부)",
        );
    } else if region == plan.region() {
        r.error(
            "failover.region",
            format!(
                "{region} is the stack's own region; a standby must be in another region to \
                 survive the loss of this one. Pick another, like {}",
                if region == "us-east-1" {
                    "us-west-2"
                } else {
                    "us-east-1"
                }
            ),
            format!(
                "{region}: 스택 자신의 리전입니다. 이 리전을 잃어도 살아남으려면 대기 스택은 다른 \
                 리전에 있어야 합니다. {} 같은 다른 리전을 고르세요",
                if region == "us-east-1" {
                    "us-west-2"
                } else {
                    "us-east-1"
                }
            ),
        );
    } else {
        super::names::region_at("failover.region", region, r);
    }
    if f.mode == StandbyMode::Warm && f.standby_min == 0 {
        r.error(
            "failover.standby_min",
            "a warm standby runs at least 1 instance (0 is a pilot light: set mode = \
             \"pilot-light\" for a standby that runs none until failover)",
            "웜 스탠바이는 인스턴스를 1개 이상 실행합니다 (0개는 파일럿 라이트입니다: 장애 조치 \
             전까지 아무것도 실행하지 않으려면 mode = \"pilot-light\"로 하세요)",
        );
    } else if f.standby_min > plan.app.max {
        r.error(
            "failover.standby_min",
            format!(
                "{} standby instances are more than the group's maximum ({}); the standby is a \
                 scaled-down copy: lower standby_min, or raise app.max",
                f.standby_min, plan.app.max
            ),
            format!(
                "대기 인스턴스 {}개는 그룹 최대({}개)보다 많습니다. 대기 스택은 줄인 사본입니다. \
                 standby_min을 낮추거나 app.max를 올리세요",
                f.standby_min, plan.app.max
            ),
        );
    }
    if ![10, 30].contains(&f.health_check_interval) {
        r.error(
            "failover.health_check_interval",
            format!(
                "{} seconds: Route 53 checks every 10 seconds (fast) or every 30, nothing \
                 else; use 10 or 30",
                f.health_check_interval
            ),
            format!(
                "{}초: Route 53은 10초(빠름) 또는 30초마다만 검사합니다. 10이나 30을 쓰세요",
                f.health_check_interval
            ),
        );
    }
}
