//! A drill's result in words: the table of measured times, what they mean, and the line
//! `hawiz status` shows.

use super::{DrillResult, Part};
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};

fn seconds(s: Option<u64>, lang: Lang) -> String {
    match s {
        Some(s) => lang.pick(&format!("{s} s"), &format!("{s}초")).to_string(),
        None => lang.pick("not reached", "도달하지 않음").to_string(),
    }
}

/// The result table's rows: (label, value).
pub fn table(r: &DrillResult, lang: Lang) -> Vec<(String, String)> {
    let mut rows = rows(r, lang);
    // `--promote`: no way back is waited for; the failover follows.
    if r.promoted
        && let Some(last) = rows.get_mut(2)
    {
        *last = (
            lang.pick("then", "그다음").to_string(),
            lang.pick("hawiz failover (below)", "hawiz failover (아래)")
                .to_string(),
        );
    }
    rows
}

fn rows(r: &DrillResult, lang: Lang) -> Vec<(String, String)> {
    let (detect, replace, healthy) = match r.part {
        Part::Instance => (
            lang.pick(
                "detected (target left healthy)",
                "감지 (대상이 정상에서 벗어남)",
            ),
            lang.pick("replacement launched", "대체 인스턴스 시작"),
            lang.pick("replacement healthy", "대체 인스턴스 정상"),
        ),
        Part::Database => (
            lang.pick("detected (left available)", "감지 (사용 가능에서 벗어남)"),
            lang.pick("standby took over", "대기 인스턴스가 넘겨받음"),
            lang.pick("available again", "다시 사용 가능"),
        ),
        Part::Region => (
            lang.pick(
                "detected (Route 53's checkers see the primary failed)",
                "감지 (Route 53 검사기가 기본 리전을 실패로 봄)",
            ),
            lang.pick("the standby region answers", "대기 리전이 응답"),
            lang.pick(
                "the primary answers again (after the check was put back)",
                "기본 리전이 다시 응답 (상태 확인을 되돌린 뒤)",
            ),
        ),
    };
    // The emulator never evaluates a health check nor answers DNS: not a time of zero.
    if r.part == Part::Region && r.emulator {
        let not = lang
            .pick(
                "not measured (the emulator never evaluates health checks)",
                "측정 안 함 (에뮬레이터는 상태 확인을 평가하지 않음)",
            )
            .to_string();
        return vec![
            (detect.to_string(), not.clone()),
            (
                dns_row(lang).to_string(),
                lang.pick(
                    "not measured (the emulator answers no DNS)",
                    "측정 안 함 (에뮬레이터는 DNS에 답하지 않음)",
                )
                .to_string(),
            ),
            (replace.to_string(), not.clone()),
            (healthy.to_string(), not),
        ];
    }
    let requests = if r.probed {
        format!(
            "{} / {}",
            r.requests_failed,
            r.requests_ok + r.requests_failed
        )
    } else {
        lang.pick("not probed (emulator)", "확인 안 함 (에뮬레이터)")
            .to_string()
    };
    // A database that came back in the AZ it left did not fail over: no time for a
    // takeover that did not happen (an emulator's reboot, or RDS rebooting in place).
    let stayed = r.part == Part::Database && r.zone_after.as_ref() == Some(&r.zone_before);
    let replaced = if stayed {
        lang.pick(
            "not measured (it did not fail over)",
            "측정 안 함 (장애 조치가 일어나지 않음)",
        )
        .to_string()
    } else {
        seconds(r.replace_secs, lang)
    };
    let mut rows = vec![(detect.to_string(), seconds(r.detect_secs, lang))];
    if r.part == Part::Region {
        rows.push((dns_row(lang).to_string(), seconds(r.dns_secs, lang)));
    }
    rows.extend([
        (replace.to_string(), replaced),
        (healthy.to_string(), seconds(r.healthy_secs, lang)),
        (
            lang.pick("requests failed", "실패한 요청").to_string(),
            requests,
        ),
    ]);
    rows
}

/// The region drill's row for Route 53's own answer.
fn dns_row(lang: Lang) -> &'static str {
    lang.pick(
        "Route 53 answers with the standby",
        "Route 53이 대기 리전으로 응답",
    )
}

/// What the numbers mean, in plain words.
pub fn meaning(r: &DrillResult, lang: Lang) -> String {
    let mut out = Vec::new();
    if !r.healed {
        out.push(lang.pick(
            "The stack was not whole again when hawiz stopped watching. It keeps healing on its own; `hawiz status` shows when it is back.",
            "hawiz가 지켜보기를 멈췄을 때 스택은 아직 복구되지 않았습니다. 스택은 스스로 계속 복구하며, `hawiz status`로 돌아왔는지 볼 수 있습니다.",
        ).to_string());
    }
    match (r.part, r.probed) {
        (_, true) if r.requests_failed == 0 => out.push(lang.pick(
            "No visitor request failed: the other AZ carried the site while this one healed. That is what high availability means.",
            "방문자 요청이 하나도 실패하지 않았습니다. 이 부분이 복구되는 동안 다른 AZ가 사이트를 맡았습니다. 이것이 고가용성입니다.",
        ).to_string()),
        (Part::Instance, true) => out.push(match lang {
            Lang::Ko => format!("요청 {}개가 실패했습니다. 로드 밸런서가 고장 난 인스턴스를 빼기 전에 그쪽으로 간 요청입니다. 상태 검사 간격과 임계값을 줄이면 짧아집니다.", r.requests_failed),
            _ => format!("{} requests failed: the ones sent to the broken instance before the load balancer took it out. A shorter health check interval or threshold shortens that.", r.requests_failed),
        }),
        (Part::Region, true) => out.push(match lang {
            Lang::Ko => format!("요청 {}개가 실패했습니다. 리졸버가 기본 리전의 답을 캐시에 가지고 있던 동안입니다 (별칭 레코드의 TTL 60초).", r.requests_failed),
            _ => format!("{} requests failed: while resolvers still held the primary's answer (an alias record's 60 s TTL).", r.requests_failed),
        }),
        (Part::Database, true) => out.push(match lang {
            Lang::Ko => format!("요청 {}개가 실패했습니다. 장애 조치 동안 데이터베이스의 DNS 이름이 대기 인스턴스로 옮겨 가고 WordPress가 다시 연결할 때까지입니다 (AWS에서 보통 1-2분).", r.requests_failed),
            _ => format!("{} requests failed: while the database's DNS name moved to the standby and WordPress reconnected (typically one to two minutes on AWS).", r.requests_failed),
        }),
        (_, false) => {}
    }
    if r.part == Part::Database
        && let Some(after) = &r.zone_after
    {
        out.push(if *after == r.zone_before {
            if r.emulator {
                lang.pick(
                    "The emulator reboots without failing over: the primary stayed in its AZ. On AWS it moves to the standby's AZ.",
                    "에뮬레이터는 장애 조치 없이 재부팅합니다: 기본 인스턴스가 같은 AZ에 남았습니다. AWS에서는 대기 인스턴스의 AZ로 옮겨 갑니다.",
                ).to_string()
            } else {
                match lang {
                    Lang::Ko => format!("기본 인스턴스는 여전히 {after}에 있습니다."),
                    _ => format!("The primary is still in {after}."),
                }
            }
        } else {
            match lang {
                Lang::Ko => format!(
                    "기본 인스턴스가 {}에서 {} 옮겨 갔습니다.",
                    r.zone_before,
                    korean::with(after, Josa::EuroRo)
                ),
                _ => format!("The primary moved from {} to {after}.", r.zone_before),
            }
        });
    }
    if r.promoted {
        out.push(lang.pick(
            "The check stays inverted: `hawiz failover` follows, makes the standby the site and puts it back.",
            "상태 확인은 반전된 채 남습니다: 이어서 `hawiz failover`가 대기 리전을 사이트로 만들고 상태 확인을 되돌립니다.",
        ).to_string());
    }
    if r.emulator && r.part == Part::Region && !r.promoted {
        out.push(lang.pick(
            "The drill's calls ran (the check was inverted, read and put back), but the emulator never evaluates a health check and answers no DNS, so how long Route 53 takes to switch cannot be shown here. On AWS with a 10 s check: about 30 s to detect (3 failures in a row), then up to 60 s of resolver caches.",
            "훈련의 호출은 실행되었지만 (상태 확인 반전, 읽기, 되돌리기) 에뮬레이터는 상태 확인을 평가하지 않고 DNS에도 답하지 않으므로, Route 53이 전환하는 데 걸리는 시간은 여기서 보일 수 없습니다. AWS에서 10초 검사라면 감지에 약 30초(연속 3회 실패), 그 뒤 리졸버 캐시가 최대 60초입니다.",
        ).to_string());
    } else if r.emulator {
        out.push(lang.pick(
            "In the emulator nothing boots and a replacement appears at once: these times show each step happened, in order, not how long AWS takes (see the README for typical figures).",
            "에뮬레이터에서는 아무것도 부팅하지 않고 대체가 즉시 나타납니다. 이 시간은 각 단계가 순서대로 일어났음을 보여 줄 뿐, AWS에서 걸리는 시간이 아닙니다 (일반적인 수치는 README 참고).",
        ).to_string());
    }
    out.join(" ")
}

/// One line for `hawiz status`: the last drill.
pub fn status_line(r: &DrillResult) -> String {
    if r.part == Part::Region && r.emulator {
        return format!(
            "Last drill: region on {}: its calls ran; times not measured (the emulator never \
             evaluates health checks)",
            r.started
        );
    }
    format!(
        "Last drill: {} on {}: detected {}, replaced {}, healthy {}, requests failed {}{}",
        r.part.as_str(),
        r.started,
        seconds(r.detect_secs, Lang::En),
        seconds(r.replace_secs, Lang::En),
        seconds(r.healthy_secs, Lang::En),
        if r.probed {
            r.requests_failed.to_string()
        } else {
            "not probed".into()
        },
        if r.emulator { " (emulator)" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(zone_after: &str) -> DrillResult {
        DrillResult {
            stack: "lab".into(),
            part: Part::Database,
            started: "2026-12-02 10:00:00 UTC".into(),
            victim: "lab-db".into(),
            zone_before: "ap-northeast-2a".into(),
            zone_after: Some(zone_after.into()),
            detect_secs: Some(1),
            replace_secs: Some(0),
            healthy_secs: Some(2),
            requests_ok: 0,
            requests_failed: 0,
            probed: false,
            emulator: true,
            healed: true,
            promoted: false,
            dns_secs: None,
        }
    }

    /// A database back in the AZ it left did not fail over: its table says so instead of
    /// "standby took over 0 s"; one that moved shows the time.
    #[test]
    fn no_takeover_time_without_a_failover() {
        let stayed = table(&database("ap-northeast-2a"), Lang::En);
        assert_eq!(
            stayed[1],
            (
                "standby took over".to_string(),
                "not measured (it did not fail over)".to_string()
            )
        );
        let moved = table(&database("ap-northeast-2c"), Lang::En);
        assert_eq!(moved[1].1, "0 s");
    }
}
