//! What destroying asks: the count, what stays, the deletion protection it turns off,
//! the final snapshot (and what keeping it costs) or the loss of the data, and for
//! `--leftovers` that only the duplicates and leftovers go.

use super::DestroyScope;
use crate::engine::Deleting;
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};
use crate::ops::question::{Choice, Fact, Opt, Question, Tone};

/// What a destroy's question is made of: everything its `DestroyPlan` found that the
/// question says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DestroyFacts {
    pub stack: String,
    pub region: String,
    /// Resources to delete.
    pub count: usize,
    /// What stays, with why: `(yours) vpc vpc-0abc`.
    pub kept: Vec<Text>,
    /// What deleting takes with it, as each kind says.
    pub deleting: Vec<Deleting>,
    /// Skipped unless the user says otherwise (the sandbox's default).
    pub skip_final_snapshot: bool,
    /// Said first (the state rebuilt from the account, a lock taken over, the duplicates
    /// and leftovers deleted with the reason each is one).
    pub notes: Vec<Text>,
    pub scope: DestroyScope,
}

impl DestroyFacts {
    pub fn question(&self) -> Question {
        let (stack, count) = (&self.stack, self.count);
        let mut facts: Vec<Fact> = self
            .notes
            .iter()
            .map(|n| Fact::new(Tone::Info, n.en.clone(), n.ko.clone()))
            .collect();
        facts.extend(self.kept.iter().map(|k| {
            Fact::new(
                Tone::Info,
                format!("kept {}", k.en),
                format!("남김: {}", k.ko),
            )
        }));
        for d in self.deleting.iter().filter(|d| d.protected) {
            let (what, what_ko) = d.what;
            let name = &d.name;
            facts.push(Fact::new(
                Tone::Warning,
                format!("{what} {name} has deletion protection on; destroy turns it off"),
                format!("{what_ko} {name}에 삭제 방지가 켜져 있습니다. 삭제하면서 끕니다"),
            ));
        }
        let gone = |d: &Deleting| {
            let (what, what_ko) = d.what;
            Fact::new(
                Tone::Danger,
                format!(
                    "the {what} is deleted without a final snapshot: its data is gone for good"
                ),
                format!(
                    "{what_ko}{} 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다",
                    korean::particle(what_ko, Josa::EulReul)
                ),
            )
        };
        let mut options = Vec::new();
        let (kept, lost): (Vec<&Deleting>, Vec<&Deleting>) =
            self.deleting.iter().partition(|d| d.snapshot.is_some());
        facts.extend(lost.into_iter().map(gone));
        if let Some(d) = kept.first() {
            let (what, what_ko) = d.what;
            let prefix = d.snapshot.as_deref().unwrap_or_default();
            let (size_en, size_ko) = match d.gib {
                Some(gib) => match crate::cost::snapshot_monthly(&self.region, gib) {
                    Some(m) => (
                        format!("{gib} GiB, about ${m:.2} a month to keep"),
                        format!("{gib} GiB, 보관 비용 월 약 ${m:.2}"),
                    ),
                    None => (format!("{gib} GiB"), format!("{gib} GiB")),
                },
                None => (String::new(), String::new()),
            };
            let mut o = Opt::new(
                Choice::SkipFinalSnapshot,
                format!("Delete the {what} without a final snapshot"),
                format!("최종 스냅샷 없이 {what_ko} 삭제"),
            );
            o.default = self.skip_final_snapshot;
            o.on = Some(gone(d));
            o.off = Some(Fact::new(
                Tone::Warning,
                format!(
                    "a final snapshot of the {what} is kept ({prefix}…{}{size_en}; it is \
                     listed at the end); {} deletes the {what} without one",
                    if size_en.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag()
                ),
                format!(
                    "{what_ko}의 최종 스냅샷을 남깁니다({prefix}…{}{size_ko}. 끝에 목록을 \
                     보여 줍니다). {}{} 스냅샷 없이 삭제합니다",
                    if size_ko.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag(),
                    korean::particle(Choice::SkipFinalSnapshot.flag(), Josa::EuroRo)
                ),
            ));
            options.push(o);
        }
        let title = match self.scope {
            DestroyScope::Stack => Text::new(
                format!("Delete {count} resources of stack {stack:?}? This cannot be undone."),
                format!("스택 {stack}의 리소스 {count}개를 삭제할까요? 되돌릴 수 없습니다."),
            ),
            DestroyScope::Leftovers => Text::new(
                format!(
                    "Delete the {count} duplicates and leftovers of stack {stack:?}? The stack \
                     stays. This cannot be undone."
                ),
                format!(
                    "스택 {stack}의 중복·남은 리소스 {count}개를 삭제할까요? 스택은 그대로 \
                     둡니다. 되돌릴 수 없습니다."
                ),
            ),
        };
        Question {
            title,
            facts,
            options,
            needed: count > 0,
            declined: Text::new("nothing was deleted", "아무것도 삭제하지 않았습니다"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::question::Answer;

    fn facts() -> DestroyFacts {
        DestroyFacts {
            stack: "lab".into(),
            region: "ap-northeast-2".into(),
            count: 51,
            kept: vec![Text::new(
                "(yours) vpc vpc-0abc",
                "(사용자의 것) VPC vpc-0abc",
            )],
            deleting: vec![Deleting {
                what: ("database", "데이터베이스"),
                name: "lab-db".into(),
                protected: true,
                gib: Some(20),
                snapshot: Some("lab-db-final-".into()),
            }],
            skip_final_snapshot: false,
            notes: vec![],
            scope: DestroyScope::Stack,
        }
    }

    /// The question says, before the yes, that deletion protection is turned off, that a
    /// final snapshot is kept and what keeping it costs, and offers to skip it; skipping
    /// says the data goes.
    #[test]
    fn the_question_names_protection_and_the_snapshot_with_its_cost() {
        let q = facts().question();
        assert_eq!(
            q.title.en,
            "Delete 51 resources of stack \"lab\"? This cannot be undone."
        );
        let said = |a: &Answer| -> String {
            q.facts_for(a)
                .iter()
                .map(|f| f.text.en.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let kept = said(&q.default_answer());
        assert!(kept.contains("kept (yours) vpc vpc-0abc"), "{kept}");
        assert!(
            kept.contains("database lab-db has deletion protection on; destroy turns it off"),
            "{kept}"
        );
        assert!(
            kept.contains("a final snapshot of the database is kept (lab-db-final-…, 20 GiB, about $1.90 a month to keep"),
            "{kept}"
        );
        assert!(kept.contains("--skip-final-snapshot"), "{kept}");
        let skip = said(&q.default_answer().with(Choice::SkipFinalSnapshot, true));
        assert!(
            skip.contains(
                "the database is deleted without a final snapshot: its data is gone for good"
            ),
            "{skip}"
        );
        // The sandbox skips it unless told otherwise.
        let sandbox = DestroyFacts {
            skip_final_snapshot: true,
            ..facts()
        };
        assert!(
            sandbox
                .question()
                .default_answer()
                .has(Choice::SkipFinalSnapshot)
        );
        // A no deletes nothing.
        let no = q.refusal(&q.default_answer()).unwrap();
        assert_eq!(no.message, "nothing was deleted (not confirmed)");
    }
}
