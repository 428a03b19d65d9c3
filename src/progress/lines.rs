//! Run events as one line each, for `apply`, `destroy`, plain mode and the wizard's log,
//! and the heartbeat line of a long quiet stretch.

use super::model::{BuildState, RowState, RunKind};
use crate::engine::{Event, What};
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::i18n::text::pad;
use crate::ops;
use crate::time::span;
use std::time::Instant;

pub struct Lines {
    start: Instant,
    lang: Lang,
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new(Lang::En)
    }
}

impl Lines {
    pub fn new(lang: Lang) -> Lines {
        Lines {
            start: Instant::now(),
            lang,
        }
    }

    fn stamp(&self) -> String {
        format!("[{:>6.1}s]", self.start.elapsed().as_secs_f64())
    }

    /// A resource event as a line.
    pub fn line(&self, ev: &Event) -> String {
        let detail = match &ev.what {
            What::Found { id }
            | What::Adopted { id }
            | What::Created { id }
            | What::Updated { id }
            | What::Deleting { id }
            | What::Deleted { id } => id.clone(),
            What::Ready { id, took } => format!("{id} ({:.1}s)", took.as_secs_f64()),
            What::Updating { changes } => changes.join("; "),
            What::Duplicates { ids } => self
                .lang
                .pick(
                    &format!(
                        "{} resources carry this key: {}; using the first",
                        ids.len(),
                        ids.join(", ")
                    ),
                    &format!(
                        "리소스 {}개가 이 키를 가지고 있습니다: {}. 첫 번째를 씁니다",
                        ids.len(),
                        ids.join(", ")
                    ),
                )
                .to_string(),
            What::Failed { error } => match ops::advice::of(error) {
                Some(a) => format!("{error} — {}", a.text(self.lang)),
                None => error.text.clone(),
            },
            What::Blocked { by } => self
                .lang
                .pick(
                    &format!("not started: {by} failed"),
                    &format!(
                        "시작하지 않음: {} 실패했습니다",
                        korean::with(by, Josa::IGa)
                    ),
                )
                .to_string(),
            What::Retrying { reason } => self
                .lang
                .pick(
                    &format!("{reason}; retrying while it clears"),
                    &format!("{reason}; 풀릴 때까지 다시 시도합니다"),
                )
                .to_string(),
            What::Kept { reason, ko } => self.lang.pick(reason, ko).to_string(),
            What::Warning { message, ko } => self.lang.pick(message, ko).to_string(),
            What::Creating | What::Absent => String::new(),
        };
        format!(
            "{} {} {} {:<28} {}",
            self.stamp(),
            pad(ev.what.label(self.lang), 8),
            pad(self.lang.kind(ev.kind), 16),
            ev.name,
            detail
        )
        .trim_end()
        .to_string()
    }

    /// Any run event as a line.
    pub fn event(&self, ev: &ops::Event) -> String {
        match ev {
            ops::Event::Resource(e) => self.line(e),
            ops::Event::Phase(p) => format!("{} == {} ==", self.stamp(), p.text(self.lang)),
            ops::Event::Note { en, ko } => {
                format!("{} {}", self.stamp(), self.lang.pick(en, ko))
            }
            // For a front-end that can show the site before the run ends; the standby's
            // own note follows at once.
            ops::Event::Up(_) => String::new(),
        }
    }

    pub fn print(&self, ev: &ops::Event) {
        if !matches!(ev, ops::Event::Up(_)) {
            println!("{}", self.event(ev));
        }
    }

    /// A line for a long quiet stretch of a run: what is being waited for (the three
    /// longest, each with its time so far against the typical time on AWS) and how many
    /// resources are ready. `None` when nothing is in flight.
    pub fn heartbeat(&self, run: &BuildState, now: Instant) -> Option<String> {
        const SHOWN: usize = 3;
        let working = run.working(now);
        if working.is_empty() {
            return None;
        }
        let ko = self.lang == Lang::Ko;
        let waits: Vec<String> = working
            .iter()
            .take(SHOWN)
            .map(|(row, secs)| {
                let typical = span(row.typical());
                match ko {
                    true => format!(
                        "{} {} {} / 보통 {typical}",
                        self.lang.kind(row.kind),
                        row.name,
                        span(*secs)
                    ),
                    false => format!("{} {} {} of ~{typical}", row.kind, row.name, span(*secs)),
                }
            })
            .collect();
        let waits = waits.join(", ");
        let more = working.len().saturating_sub(SHOWN);
        let destroy = run.kind == RunKind::Destroy;
        let done = run.count(if destroy {
            RowState::Gone
        } else {
            RowState::Ready
        });
        let total = run.rows.len();
        let text = if ko {
            let more = if more > 0 {
                format!(" 외 {more}개")
            } else {
                String::new()
            };
            let what = if destroy { "지움" } else { "준비됨" };
            format!("… 기다리는 중: {waits}{more} · {total}개 중 {done}개 {what}")
        } else {
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let what = if destroy { "deleted" } else { "ready" };
            format!("… waiting for {waits}{more} · {done}/{total} {what}")
        };
        Some(format!("{} {text}", self.stamp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn event(what: What) -> Event {
        Event {
            key: "vpc".into(),
            kind: "vpc",
            name: "wordpress-ha-vpc".into(),
            what,
        }
    }

    /// The Korean log reads in Korean, and its columns line up with the English ones
    /// although Hangul takes two columns a character.
    /// A quiet stretch names what is in flight (longest first, against the typical time)
    /// and how far the run is; nothing in flight, no line.
    #[test]
    fn the_heartbeat_names_the_waits_and_the_count() {
        let mut plan = crate::plan::Plan::default();
        plan.resolve(None);
        let graph = crate::blueprint::build(&plan, std::path::Path::new("/tmp")).unwrap();
        let t0 = Instant::now();
        let mut run = BuildState::new(&graph, "wordpress-ha", "ap-northeast-2", RunKind::Build, t0);
        let total = run.rows.len();
        let lines = Lines::new(Lang::En);
        assert_eq!(lines.heartbeat(&run, t0), None);

        let ev = |key: &str, what: What| {
            let row = run.rows.iter().find(|r| r.key == key).unwrap();
            ops::Event::Resource(Event {
                key: key.into(),
                kind: row.kind,
                name: row.name.clone(),
                what,
            })
        };
        let (vpc_created, vpc_ready, db_created) = (
            ev("vpc", What::Created { id: "vpc-1".into() }),
            ev(
                "vpc",
                What::Ready {
                    id: "vpc-1".into(),
                    took: Duration::from_secs(2),
                },
            ),
            ev(
                "db",
                What::Created {
                    id: "wordpress-ha-db".into(),
                },
            ),
        );
        run.on_event(&vpc_created, t0);
        run.on_event(&vpc_ready, t0 + Duration::from_secs(2));
        run.on_event(&db_created, t0 + Duration::from_secs(5));
        let line = lines
            .heartbeat(&run, t0 + Duration::from_secs(190))
            .unwrap();
        assert!(
            line.ends_with(&format!(
                // A fast start's single-AZ create: about 5 minutes on AWS.
                "… waiting for rds-instance wordpress-ha-db 3m05s of ~5m00s · 1/{total} ready"
            )),
            "{line}"
        );
        let ko = Lines::new(Lang::Ko)
            .heartbeat(&run, t0 + Duration::from_secs(190))
            .unwrap();
        assert!(
            ko.ends_with(&format!(
                "… 기다리는 중: DB 인스턴스 wordpress-ha-db 3m05s / 보통 5m00s · {total}개 중 1개 준비됨"
            )),
            "{ko}"
        );
    }

    #[test]
    fn korean_lines_are_translated_and_aligned() {
        let created = What::Created {
            id: "vpc-0a1".into(),
        };
        let en = Lines::new(Lang::En).line(&event(created.clone()));
        let ko = Lines::new(Lang::Ko).line(&event(created));
        assert!(en.contains(" created  vpc "), "{en}");
        assert!(ko.contains(" 생성됨   VPC "), "{ko}");
        let column =
            |s: &str| ratatui::text::Span::raw(s[..s.find("vpc-0a1").unwrap()].to_string()).width();
        assert_eq!(column(&en), column(&ko));

        let blocked = What::Blocked {
            by: "subnet".into(),
        };
        let ko = Lines::new(Lang::Ko).line(&event(blocked));
        assert!(ko.ends_with("시작하지 않음: subnet이 실패했습니다"), "{ko}");
    }
}
