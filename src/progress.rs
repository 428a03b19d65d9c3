//! Run events as one line each, for `apply`, `destroy`, plain mode and the wizard's log.

use crate::engine::{Event, What};
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::ops;
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
            What::Failed { error } => match ops::advice::hint(error) {
                Some(a) => format!("{error} — {}", a.text(self.lang)),
                None => error.clone(),
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
            What::Kept { reason } => reason.clone(),
            What::Warning { message } => message.clone(),
            What::Creating | What::Absent => String::new(),
        };
        format!(
            "{} {} {:<16} {:<28} {}",
            self.stamp(),
            pad(ev.what.label(self.lang), 8),
            ev.kind,
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
        }
    }

    pub fn print(&self, ev: &ops::Event) {
        println!("{}", self.event(ev));
    }
}

/// `text` padded to `cols` terminal columns: Hangul takes two columns each, so `{:<8}`
/// (which counts chars) would misalign the Korean labels.
fn pad(text: &str, cols: usize) -> String {
    let width = ratatui::text::Span::raw(text).width();
    format!("{text}{}", " ".repeat(cols.saturating_sub(width)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    #[test]
    fn korean_lines_are_translated_and_aligned() {
        let created = What::Created {
            id: "vpc-0a1".into(),
        };
        let en = Lines::new(Lang::En).line(&event(created.clone()));
        let ko = Lines::new(Lang::Ko).line(&event(created));
        assert!(en.contains(" created  vpc "), "{en}");
        assert!(ko.contains(" 만듦     vpc "), "{ko}");
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
