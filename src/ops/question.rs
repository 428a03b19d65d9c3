//! What an operation asks before it changes anything. Each operation first works out what
//! it will do (`changes`, `destroy_plan`, `drill::prepare`) and hands back, with it, one
//! `Question`: the facts a yes is given in sight of (what is replaced and what that loses,
//! deletion protection, the final snapshot and its cost, the instance the drill breaks
//! and where), the choices that go with the yes (each with its command-line flag), and the
//! question itself. The CLI, plain mode and the wizard render this one question and hand
//! back an `Answer`; the operation refuses an answer that lacks what it needs, so no
//! front-end decides on its own what to ask.

use super::Failure;
use crate::i18n::{Lang, Text};
use crate::plan::Finding;
use std::collections::BTreeSet;

/// How much a fact weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// What happens, plainly.
    Info,
    /// Worth a second look (deletion protection turned off, a snapshot that costs).
    Warning,
    /// Lost for good if the answer is yes.
    Danger,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub tone: Tone,
    pub text: Text,
}

impl Fact {
    pub fn new(tone: Tone, en: impl Into<String>, ko: impl Into<String>) -> Fact {
        Fact {
            tone,
            text: Text::new(en, ko),
        }
    }
}

/// A choice that goes with a yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Choice {
    /// Replace the VPC and everything in it.
    ReplaceVpc,
    /// Replace the database with a new, empty one.
    ReplaceDatabase,
    /// Make database changes now, not in its maintenance window.
    DbNow,
    /// Delete the database without a final snapshot.
    SkipFinalSnapshot,
}

impl Choice {
    /// The command-line flag that makes it.
    pub fn flag(self) -> &'static str {
        match self {
            Choice::ReplaceVpc => "--replace-vpc",
            Choice::ReplaceDatabase => "--replace-database",
            Choice::DbNow => "--db-now",
            Choice::SkipFinalSnapshot => "--skip-final-snapshot",
        }
    }
}

/// One choice as the question offers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    pub choice: Choice,
    /// The line to tick: "Replace the VPC and everything in it (…)".
    pub label: Text,
    /// What it means as chosen, and as not chosen.
    pub on: Option<Fact>,
    pub off: Option<Fact>,
    /// A yes is refused without it (a replacement that loses data): why, at the plan field
    /// that causes it, naming the flag.
    pub required: Option<Finding>,
    /// Chosen unless the user says otherwise.
    pub default: bool,
    /// Line front-ends ask it on its own after the yes when no flag chose it.
    pub ask: Option<Text>,
}

impl Opt {
    pub fn new(choice: Choice, en: impl Into<String>, ko: impl Into<String>) -> Opt {
        Opt {
            choice,
            label: Text::new(en, ko),
            on: None,
            off: None,
            required: None,
            default: false,
            ask: None,
        }
    }

    /// What it means as `chosen`.
    pub fn meaning(&self, chosen: bool) -> Option<&Fact> {
        if chosen {
            self.on.as_ref()
        } else {
            self.off.as_ref()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Question {
    /// The question: "Delete 51 resources of stack "lab"? This cannot be undone."
    pub title: Text,
    /// What the yes is given in sight of, in order.
    pub facts: Vec<Fact>,
    pub options: Vec<Opt>,
    /// Whether anything needs a yes (an apply with nothing to change asks nothing).
    pub needed: bool,
    /// What a no leaves: "nothing was deleted".
    pub declined: Text,
}

/// What the user said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub yes: bool,
    pub chosen: BTreeSet<Choice>,
}

impl Answer {
    pub fn has(&self, c: Choice) -> bool {
        self.chosen.contains(&c)
    }

    pub fn set(&mut self, c: Choice, on: bool) {
        if on {
            self.chosen.insert(c);
        } else {
            self.chosen.remove(&c);
        }
    }

    pub fn with(mut self, c: Choice, on: bool) -> Answer {
        self.set(c, on);
        self
    }

    pub fn toggle(&mut self, c: Choice) {
        let on = !self.has(c);
        self.set(c, on);
    }
}

impl Question {
    pub fn option(&self, c: Choice) -> Option<&Opt> {
        self.options.iter().find(|o| o.choice == c)
    }

    /// No yes yet, the defaults chosen.
    pub fn default_answer(&self) -> Answer {
        Answer {
            yes: false,
            chosen: self
                .options
                .iter()
                .filter(|o| o.default)
                .map(|o| o.choice)
                .collect(),
        }
    }

    /// The facts, then what each choice means as the answer has it.
    pub fn facts_for(&self, a: &Answer) -> Vec<Fact> {
        let mut out = self.facts.clone();
        for o in &self.options {
            if let Some(f) = o.meaning(a.has(o.choice)) {
                out.push(f.clone());
            }
        }
        out
    }

    /// The choices a yes still needs.
    pub fn missing(&self, a: &Answer) -> Vec<&Opt> {
        self.options
            .iter()
            .filter(|o| o.required.is_some() && !a.has(o.choice))
            .collect()
    }

    /// Why this answer cannot go ahead: it is not a yes, or a choice the yes needs is
    /// missing (each at its plan field, naming its flag).
    pub fn refusal(&self, a: &Answer) -> Option<Failure> {
        if !self.needed {
            return None;
        }
        if !a.yes {
            return Some(Failure::invalid(format!(
                "{} (not confirmed)",
                self.declined.en
            )));
        }
        let missing: Vec<Finding> = self
            .missing(a)
            .into_iter()
            .filter_map(|o| o.required.clone())
            .collect();
        (!missing.is_empty()).then(|| {
            Failure::refused(
                &format!("{}: a flag is needed first:", self.declined.en),
                missing,
            )
        })
    }

    /// The title in `lang`.
    pub fn ask(&self, lang: Lang) -> &str {
        self.title.pick(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        let mut replace = Opt::new(Choice::ReplaceVpc, "Replace the VPC", "VPC 교체");
        replace.required = Some(Finding {
            field: "network.cidr".into(),
            message: "this change replaces the VPC; run apply with --replace-vpc".into(),
            ko: "이 변경은 VPC를 교체합니다. --replace-vpc를 붙이세요".into(),
        });
        replace.off = Some(Fact::new(Tone::Danger, "the VPC stays", "VPC는 그대로"));
        let mut now = Opt::new(Choice::DbNow, "Change the database now", "지금 변경");
        now.default = true;
        Question {
            title: Text::new("Apply these changes?", "적용할까요?"),
            facts: vec![Fact::new(Tone::Info, "one", "하나")],
            options: vec![replace, now],
            needed: true,
            declined: Text::new("nothing was changed", "아무것도 바꾸지 않았습니다"),
        }
    }

    /// A no, and a yes without a choice it needs, are refused; the refusal names the flag
    /// at its field. The defaults are chosen until the user says otherwise.
    #[test]
    fn a_yes_needs_its_required_choices() {
        let q = question();
        let a = q.default_answer();
        assert!(!a.yes && a.has(Choice::DbNow) && !a.has(Choice::ReplaceVpc));
        let no = q.refusal(&a).unwrap();
        assert_eq!(no.code, 2);
        assert_eq!(no.message, "nothing was changed (not confirmed)");
        let mut yes = a.clone();
        yes.yes = true;
        let f = q.refusal(&yes).unwrap();
        assert_eq!(f.findings[0].field, "network.cidr");
        assert!(f.message.contains("--replace-vpc"), "{}", f.message);
        yes.toggle(Choice::ReplaceVpc);
        assert!(q.refusal(&yes).is_none());
        // What a choice means follows the answer.
        let off = q.facts_for(&a);
        assert_eq!(off.last().unwrap().text.en, "the VPC stays");
        assert_eq!(off.last().unwrap().tone, Tone::Danger);
        assert_eq!(q.facts_for(&yes).len(), 1);
    }
}
