//! A stack looked at (`ops::status`) as the run's model shows it: the same rows as a
//! build's, each present, drifted, missing or not checkable, and what is left over.

use super::model::{BuildState, Row, RowState, RunKind};
use crate::engine::Graph;
use crate::ops;
use std::time::Instant;

impl BuildState {
    /// A read-only look at a stack as `ops::status` found it: each resource of the plan
    /// present (a drifted one says how), missing, or not checkable; what left the plan and
    /// what is tagged with the stack but no resource's, as left over; its notes in the log.
    pub fn viewing(
        graph: &Graph,
        plan: &crate::plan::Plan,
        report: &ops::StatusReport,
        now: Instant,
    ) -> BuildState {
        use ops::status::State;
        let mut b = BuildState::new(graph, &report.stack, &report.region, RunKind::View, now);
        b.plan = Some(Box::new(plan.clone()));
        for row in &mut b.rows {
            let Some(r) = report.rows.iter().find(|r| r.key == row.key) else {
                row.state = RowState::Blocked;
                row.error = Some(crate::aws::Problem::other("missing"));
                continue;
            };
            row.id = r.ids.first().cloned();
            (row.state, row.error) = match &r.state {
                State::Present | State::Yours => (RowState::Ready, None),
                State::Drifted(what) => (
                    RowState::Ready,
                    Some(crate::aws::Problem::other(format!(
                        "drifted: {}",
                        what.join("; ")
                    ))),
                ),
                State::LeftThePlan => (RowState::Ready, None),
                State::Missing { was: Some(id) } => (
                    RowState::Blocked,
                    Some(crate::aws::Problem::other(format!(
                        "missing: {id} was recorded but is gone"
                    ))),
                ),
                State::Missing { was: None } => (
                    RowState::Blocked,
                    Some(crate::aws::Problem::other("missing")),
                ),
                State::Unknown(why) => (RowState::Unknown, Some(why.clone())),
            };
        }
        for r in &report.rows {
            if r.state == State::LeftThePlan && !graph.contains(&r.key) {
                b.left.push((
                    format!("{} {}", r.kind, r.name),
                    crate::aws::Problem::other(format!(
                        "{} (no longer in the plan; apply removes it)",
                        r.ids.join(", ")
                    )),
                ));
            }
        }
        if let Some(e) = &report.sweep {
            b.left.push((
                "sweep".into(),
                crate::aws::Problem::other(format!("could not sweep for leftovers: {e}")),
            ));
        }
        for x in &report.extras {
            b.left.push((
                format!("{} {}", x.kind, x.id),
                crate::aws::Problem::other(format!(
                    "{}; `{}` removes it (apply refuses until then)",
                    x.reason(&report.stack).en,
                    report.remover
                )),
            ));
        }
        // What could not be checked and what is left over head the log: start there.
        b.log_scroll = Some(0);
        for n in &report.notes {
            b.on_event(
                &ops::Event::Note {
                    en: format!("Note: {}", n.en),
                    ko: format!("참고: {}", n.ko),
                },
                now,
            );
        }
        b
    }

    /// The rows that could not be checked.
    pub fn unknown_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.state == RowState::Unknown)
    }
}
