//! An operation's question on a line terminal (the CLI, plain mode): its facts as lines,
//! then the question; Esc is no, Ctrl-C stops, and without a terminal nothing is guessed.

use crate::i18n::Lang;
use crate::ops::{Answer, Choice, Fact, Failure, Question, Tone};
use std::collections::BTreeSet;
use std::io::IsTerminal;

/// How a line front-end answers an operation's question.
pub struct Asking {
    /// Yes without asking (`--yes`).
    pub yes: bool,
    /// The choices the command line made (its flags).
    pub flags: BTreeSet<Choice>,
    /// Whether the choices a yes needs are asked here (plain mode), or only come from
    /// flags (the CLI, whose refusal names them).
    pub ask_required: bool,
    pub lang: Lang,
}

impl Asking {
    /// The CLI's asking of a question with no choices of its own: `--yes` or the terminal.
    pub fn cli(yes: bool, lang: Lang) -> Asking {
        Asking {
            yes,
            flags: BTreeSet::new(),
            ask_required: false,
            lang,
        }
    }
}

/// A CLI question with no choices of its own, asked on the terminal unless `--yes`.
pub fn cli(q: &Question, yes: bool, lang: Lang) -> Result<Answer, Failure> {
    answer(q, &Asking::cli(yes, lang), &mut |q, _| confirm(q))
}

/// A yes/no question on the terminal (the text, the default): Esc is no, an error when
/// stopped or when there is no terminal.
pub type YesNo<'a> = dyn FnMut(&str, bool) -> Result<bool, Failure> + 'a;

/// A fact as a line: what happens plainly, what to mind as a note.
pub fn fact_line(f: &Fact, lang: Lang) -> String {
    match f.tone {
        Tone::Info => format!("  {}", f.text.pick(lang)),
        Tone::Warning | Tone::Danger => {
            format!("  {} {}", lang.pick("note:", "참고:"), f.text.pick(lang))
        }
    }
}

/// Show the question and get its answer. The facts are printed for the answer as the
/// flags have it; the choices a yes needs are asked (plain mode) or refused without their
/// flags (the CLI); then the question itself (`--yes` answers it); then the choices asked
/// on their own (a terminal only). A no, or a yes that lacks a needed choice, comes back
/// as the question's refusal.
pub fn answer(q: &Question, how: &Asking, ask: &mut YesNo<'_>) -> Result<Answer, Failure> {
    let mut a = q.default_answer();
    for f in &how.flags {
        if q.option(*f).is_some() {
            a.set(*f, true);
        }
    }
    if !q.needed {
        a.yes = true;
        return Ok(a);
    }
    for f in q.facts_for(&a) {
        println!("{}", fact_line(&f, how.lang));
    }
    if how.ask_required && !how.yes {
        for o in q.missing(&a) {
            if let Some(why) = &o.required {
                println!("  ! {}", why.text(how.lang));
            }
            if ask(&format!("{}?", o.label.pick(how.lang)), false)? {
                a.set(o.choice, true);
                if let Some(f) = o.meaning(true) {
                    println!("{}", fact_line(f, how.lang));
                }
            }
        }
    }
    let needs = Answer {
        yes: true,
        ..a.clone()
    };
    if let Some(refused) = q.refusal(&needs) {
        return Err(refused);
    }
    a.yes = how.yes || ask(q.ask(how.lang), false)?;
    if !a.yes {
        return Err(q
            .refusal(&a)
            .unwrap_or_else(|| Failure::invalid(format!("{} (not confirmed)", q.declined.en))));
    }
    if !how.yes && std::io::stdin().is_terminal() {
        for o in &q.options {
            if a.has(o.choice) || how.flags.contains(&o.choice) {
                continue;
            }
            if let Some(text) = &o.ask {
                let on = ask(text.pick(how.lang), o.default)?;
                a.set(o.choice, on);
            }
        }
    }
    Ok(a)
}

/// Ask before changing anything; refuses to guess when nobody can answer.
pub fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::invalid(
            "this changes your AWS account and there is no terminal to confirm on; \
             pass --yes to go ahead",
        ));
    }
    match inquire::Confirm::new(question).with_default(false).prompt() {
        Ok(answer) => Ok(answer),
        Err(inquire::InquireError::OperationInterrupted) => {
            Err(Failure::interrupted("interrupted; nothing was changed"))
        }
        // Esc is "no", never "yes".
        Err(inquire::InquireError::OperationCanceled) => Ok(false),
        Err(e) => Err(Failure::failed(format!("cannot ask for confirmation: {e}"))),
    }
}
