//! What a build while answering has made so far, from the run layer's reports
//! (`ops::early::Report`): the rows of the whole stack carried from run to run, whether a
//! run is under way, why it stopped, and the tally every front-end shows.

use super::{BuildState, RowState, RunKind};
use crate::i18n::Lang;
use crate::ops::early::Report;
use std::collections::BTreeSet;
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct EarlyProgress {
    /// Every row of the stack, as the runs found and built them.
    pub state: Option<BuildState>,
    /// The part the latest run builds.
    pub part: BTreeSet<String>,
    /// A run is under way.
    pub running: bool,
    /// Why it stopped, when it did (the review's build does the rest).
    pub stopped: Option<String>,
}

/// Ready, being built (the running part), and to come (the rest of the stack).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub ready: usize,
    pub building: usize,
    pub to_come: usize,
}

impl EarlyProgress {
    /// Take one report; true when it stopped the building (a failure or a refusal).
    pub fn on_report(&mut self, r: Report, stack: &str, region: &str, now: Instant) -> bool {
        match r {
            Report::Started { graph, part, .. } => {
                let mut b = BuildState::new(&graph, stack, region, RunKind::Build, now);
                // What the earlier runs built stays built on the rows.
                if let Some(old) = &self.state {
                    for row in &mut b.rows {
                        if let Some(o) = old.rows.iter().find(|o| o.key == row.key) {
                            row.state = o.state;
                            row.id.clone_from(&o.id);
                            row.took = o.took;
                        }
                    }
                }
                self.state = Some(b);
                self.part = part;
                self.running = true;
                false
            }
            Report::Event(ev) => {
                if let Some(b) = &mut self.state {
                    // A later run finds again what an earlier one made ready: still made
                    // (the tally would otherwise dip at every step).
                    let again = match &ev {
                        crate::ops::Event::Resource(r) => {
                            matches!(r.what, crate::engine::events::What::Found { .. })
                                && b.rows
                                    .iter()
                                    .any(|row| row.key == r.key && row.state == RowState::Ready)
                        }
                        _ => false,
                    };
                    if !again {
                        b.on_event(&ev, now);
                    }
                }
                false
            }
            Report::Ended { result, .. } => {
                self.running = false;
                let why = match result {
                    Ok(report) if report.is_complete() => return false,
                    Ok(report) => report
                        .problems
                        .first()
                        .map(|(k, e)| format!("{k}: {e}"))
                        .or_else(|| report.blocked.first().map(|k| format!("{k}: blocked")))
                        .unwrap_or_default(),
                    Err(f) => f.message,
                };
                self.stopped = Some(why);
                true
            }
        }
    }

    pub fn tally(&self) -> Option<Tally> {
        let b = self.state.as_ref()?;
        let ready = b.count(RowState::Ready);
        let building = b
            .rows
            .iter()
            .filter(|r| {
                r.state == RowState::Working
                    || (self.running && r.state == RowState::Waiting && self.part.contains(&r.key))
            })
            .count();
        Some(Tally {
            ready,
            building,
            to_come: b.rows.len().saturating_sub(ready + building),
        })
    }

    /// Whether anything of the stack may exist because of it.
    pub fn made_any(&self) -> bool {
        self.state.as_ref().is_some_and(|b| {
            b.rows.iter().any(|r| {
                matches!(
                    r.state,
                    RowState::Ready | RowState::Working | RowState::Failed
                )
            })
        })
    }

    /// "Built while you answered: 14 ready · 3 building · 34 to come."
    pub fn summary(&self, lang: Lang) -> Option<String> {
        let t = self.tally()?;
        Some(match lang {
            Lang::En => format!(
                "Built while you answered: {} ready · {} building · {} to come.",
                t.ready, t.building, t.to_come
            ),
            Lang::Ko => format!(
                "답하는 동안 만든 것: 준비됨 {} · 만드는 중 {} · 남음 {}.",
                t.ready, t.building, t.to_come
            ),
        })
    }

    /// "Building while answering stopped: …", when it did.
    pub fn stop_line(&self, lang: Lang) -> Option<String> {
        let why = self.stopped.as_ref()?;
        Some(match lang {
            Lang::En => format!("Building while answering stopped: {why}"),
            Lang::Ko => format!("답하는 동안의 구축이 멈췄습니다: {why}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::{Event, What};
    use crate::ops::Failure;
    use std::time::Duration;

    fn ev(key: &str, what: What) -> Report {
        Report::Event(crate::ops::Event::Resource(Event {
            key: key.into(),
            kind: "vpc",
            name: key.into(),
            what,
        }))
    }

    #[test]
    fn what_was_made_stays_made_across_runs_and_a_stop_says_why() {
        let mut plan = crate::plan::Plan::default();
        plan.resolve(None);
        let dir = std::path::Path::new("");
        let graph = crate::blueprint::build(&plan, dir).unwrap();
        let total = graph.len();
        let part = crate::ops::early::part(&plan, dir, 1);
        let now = Instant::now();
        let mut p = EarlyProgress::default();
        assert_eq!(p.tally(), None);
        let started = |through| Report::Started {
            graph: graph.clone(),
            part: part.clone(),
            through,
        };
        assert!(!p.on_report(started(1), "s", "r", now));
        let t = p.tally().unwrap();
        assert_eq!(
            (t.ready, t.building),
            (0, part.len()),
            "the part is building"
        );
        assert!(!p.made_any());
        let ready = What::Ready {
            id: "vpc-1".into(),
            took: Duration::from_secs(1),
        };
        p.on_report(ev("vpc", ready), "s", "r", now);
        let ended = |result| Report::Ended { through: 1, result };
        assert!(!p.on_report(ended(Ok(Box::default())), "s", "r", now));
        let t = p.tally().unwrap();
        assert_eq!(
            t,
            Tally {
                ready: 1,
                building: 0,
                to_come: total - 1
            }
        );
        assert!(p.made_any());
        // The next run: its rows start from what the first made, and finding it again
        // does not make it "building".
        p.on_report(started(2), "s", "r", now);
        p.on_report(ev("vpc", What::Found { id: "vpc-1".into() }), "s", "r", now);
        assert_eq!(p.tally().unwrap().ready, 1);
        let stopped = p.on_report(ended(Err(Failure::invalid("quota"))), "s", "r", now);
        assert!(stopped);
        assert_eq!(
            p.stop_line(Lang::En).as_deref(),
            Some("Building while answering stopped: quota")
        );
        assert!(p.summary(Lang::Ko).unwrap().contains("준비됨 1"));
    }
}
