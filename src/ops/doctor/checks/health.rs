//! Step 6's target group: how soon the load balancer notices a broken instance, and
//! whether its health check can tell a working site from a redirect.

use super::super::survey::Survey;
use super::{Finding, Severity, named};
use crate::i18n::Text;

/// Seconds to take a broken instance out beyond which visitors see errors for long.
const SLOWEST: i32 = 90;

/// Step 6 (target group): a broken instance out within 90 s; a health check path that
/// answers 200 (not a redirect), and a matcher that does not count a redirect as healthy.
pub(super) fn health_checks(s: &Survey, out: &mut Vec<Finding>) {
    for tg in s
        .load_balancers
        .iter()
        .flat_map(|lb| lb.target_groups.iter())
    {
        let secs = tg.interval * tg.unhealthy_threshold;
        if secs > SLOWEST {
            let cmd = format!(
                "aws elbv2 modify-target-group --target-group-arn {} --health-check-interval-seconds 10 --healthy-threshold-count 2 --unhealthy-threshold-count 2",
                tg.arn
            );
            out.push(Finding {
                check: "tg-slow-health-check",
                severity: Severity::Medium,
                resource: named(&tg.name, &tg.arn),
                what: Text::new(
                    format!(
                        "the load balancer takes {secs} s to notice a broken instance (every {} s, {} failures)",
                        tg.interval, tg.unhealthy_threshold
                    ),
                    format!(
                        "로드 밸런서가 고장 난 인스턴스를 알아채는 데 {secs}초 걸립니다 ({}초마다, 실패 {}번)",
                        tg.interval, tg.unhealthy_threshold
                    ),
                ),
                why: Text::new(
                    "step 6 (target group): until then it keeps sending visitors to the broken instance, and they get errors; the lab checks every 10 s and gives up after 2 failures",
                    "6단계(대상 그룹): 그동안 고장 난 인스턴스로 방문자를 계속 보내 오류가 납니다. 실습은 10초마다 검사하고 2번 실패하면 뺍니다",
                ),
                fix: Text::new(cmd.clone(), cmd),
            });
        }
        let modify = |flags: &str| {
            format!(
                "aws elbv2 modify-target-group --target-group-arn {} {flags}",
                tg.arn
            )
        };
        if !tg.redirected.is_empty() {
            let targets: Vec<String> = tg
                .redirected
                .iter()
                .map(|(id, codes)| format!("{id} ({codes})"))
                .collect();
            let fix = modify("--health-check-path /health.html --matcher HttpCode=200");
            out.push(Finding {
                check: "tg-health-check-redirects",
                severity: Severity::High,
                resource: named(&tg.name, &tg.arn),
                what: Text::new(
                    format!(
                        "the health check's path {} answers a redirect, so its targets fail: {}",
                        tg.path,
                        targets.join(", ")
                    ),
                    format!(
                        "상태 검사 경로 {}가 리디렉션으로 답해 대상이 실패합니다: {}",
                        tg.path,
                        targets.join(", ")
                    ),
                ),
                why: Text::new(
                    "step 6 (target group): a redirect is not 200, so the load balancer sends these instances nothing, and a group on ELB checks replaces them over and over (WordPress redirects / to its installer, or HTTP to HTTPS)",
                    "6단계(대상 그룹): 리디렉션은 200이 아니어서 로드 밸런서가 이 인스턴스에 요청을 보내지 않고, ELB 검사를 쓰는 그룹은 이들을 계속 교체합니다 (WordPress는 /를 설치 화면으로, HTTP를 HTTPS로 보냅니다)",
                ),
                fix: Text::new(
                    format!("put a small static file such as /health.html in the web root (it answers 200 with no redirect), then: {fix}"),
                    format!("웹 루트에 /health.html 같은 작은 정적 파일을 두고(리디렉션 없이 200을 답합니다): {fix}"),
                ),
            });
        } else if tg.accepts_redirects() {
            let fix = modify("--matcher HttpCode=200");
            out.push(Finding {
                check: "tg-matcher-accepts-redirects",
                severity: Severity::Info,
                resource: named(&tg.name, &tg.arn),
                what: Text::new(
                    format!("the health check counts a redirect as healthy (codes {})", tg.matcher),
                    format!("상태 검사가 리디렉션도 정상으로 셉니다 (코드 {})", tg.matcher),
                ),
                why: Text::new(
                    "step 6: an instance whose site only redirects (to the installer, to a login, in a loop) still gets visitors; a path that answers 200 tells a working site apart",
                    "6단계: 리디렉션만 하는 인스턴스(설치 화면, 로그인, 무한 반복)도 방문자를 받습니다. 200을 답하는 경로여야 제대로 동작하는 사이트를 가려냅니다",
                ),
                fix: Text::new(
                    format!("a path that answers 200 (a static /health.html), then: {fix}"),
                    format!("200을 답하는 경로(정적 /health.html)를 둔 뒤: {fix}"),
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::all;
    use super::super::tests::{checks_of, lab};

    #[test]
    fn a_health_check_on_a_path_that_redirects() {
        let mut s = lab();
        let tg = &mut s.load_balancers[0].target_groups[0];
        tg.path = "/".into();
        tg.redirected = vec![("i-0abc".into(), "302".into())];
        let f = all(&s);
        assert_eq!(checks_of(&s), ["tg-health-check-redirects"]);
        assert_eq!(f[0].severity, super::Severity::High);
        assert!(
            f[0].what.en.contains("path / answers a redirect"),
            "{}",
            f[0].what.en
        );
        assert!(f[0].what.en.contains("i-0abc (302)"));
        assert!(
            f[0].fix
                .en
                .contains("--health-check-path /health.html --matcher HttpCode=200")
        );
    }

    #[test]
    fn a_matcher_that_counts_a_redirect_as_healthy() {
        let mut s = lab();
        for (matcher, redirects) in [
            ("200-399", true),
            ("200,302", true),
            ("301", true),
            ("200-299", false),
            ("200", false),
            ("200,404", false),
        ] {
            s.load_balancers[0].target_groups[0].matcher = matcher.into();
            let found = checks_of(&s) == ["tg-matcher-accepts-redirects"];
            assert_eq!(found, redirects, "{matcher}");
        }
    }

    #[test]
    fn the_codes_elb_names() {
        use crate::ops::doctor::survey::tiers::redirect_codes;
        assert_eq!(
            redirect_codes("Health checks failed with these codes: [301, 302]"),
            "301, 302"
        );
        assert_eq!(
            redirect_codes("Health checks failed with these codes: [404]"),
            ""
        );
        assert_eq!(redirect_codes("Request timed out"), "");
    }
}
