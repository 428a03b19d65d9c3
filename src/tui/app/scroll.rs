//! Scrolling: which panel the scroll keys move, and how far, within the text the last
//! frame drew (`Extents`, reported by the view).

use super::{App, Dialog, Screen, Scroller};

impl App {
    /// Which panel the scroll keys move on this screen.
    pub fn scroller(&self) -> Option<Scroller> {
        if self.help {
            return Some(Scroller::Help);
        }
        if let Some(Dialog::Ask(_)) = self.dialog {
            return Some(Scroller::Dialog);
        }
        if self.inspector.is_some() {
            return Some(Scroller::Inspector);
        }
        match self.screen {
            Screen::Wizard => Some(Scroller::Explanation),
            Screen::Review => Some(Scroller::Review),
            Screen::Build => Some(Scroller::Log),
            Screen::Final => Some(Scroller::Final),
            Screen::Doctor { open: true, .. } => Some(Scroller::Doctor),
            Screen::Resume { .. } | Screen::Doctor { .. } => None,
        }
    }

    /// The scrolled panel's (lines, height) as last drawn, when the last frame showed it.
    pub(super) fn room(&self, s: Scroller) -> Option<(usize, usize)> {
        (self.extents.scroller == Some(s) && self.extents.height > 0)
            .then_some((self.extents.lines, self.extents.height))
    }

    /// Scroll by half the panel.
    pub(super) fn scroll_page(&mut self, dir: i32) {
        let Some(s) = self.scroller() else { return };
        let height = self.room(s).map_or(0, |(_, h)| h);
        self.scroll(dir * (height as i32 / 2).max(1));
    }

    /// Scroll the current panel by `delta` lines, within its text (as last drawn; not
    /// clamped before the panel was drawn).
    pub fn scroll(&mut self, delta: i32) {
        let Some(s) = self.scroller() else { return };
        let room = self.room(s);
        let max = room.map_or(0, |(total, height)| total.saturating_sub(height)) as i32;
        let clamp = |v: i32| -> u16 {
            let top = if room.is_none() { i32::MAX } else { max };
            u16::try_from(v.clamp(0, top.max(0))).unwrap_or(u16::MAX)
        };
        match s {
            Scroller::Help => self.help_scroll = clamp(i32::from(self.help_scroll) + delta),
            Scroller::Dialog => {
                if let Some(Dialog::Ask(a)) = &mut self.dialog {
                    a.scroll = clamp(i32::from(a.scroll) + delta);
                }
            }
            Scroller::Explanation => self.text_scroll = clamp(i32::from(self.text_scroll) + delta),
            Scroller::Final => self.final_scroll = clamp(i32::from(self.final_scroll) + delta),
            Scroller::Doctor => self.doctor_scroll = clamp(i32::from(self.doctor_scroll) + delta),
            Scroller::Inspector => {
                if let Some(i) = &mut self.inspector {
                    i.scroll = clamp(i32::from(i.scroll) + delta);
                }
            }
            Scroller::Review => {
                if let Some(r) = &mut self.review {
                    r.scroll = clamp(i32::from(r.scroll) + delta);
                }
            }
            Scroller::Log => {
                if let Some(b) = &mut self.build {
                    // Following the tail until the user scrolls; back at the end, follow again.
                    let now = b.log_scroll.map_or(max, i32::from);
                    let next = clamp(now + delta);
                    b.log_scroll = (i32::from(next) < max).then_some(next);
                }
            }
        }
    }

    /// How far panel `s` is panned sideways (0 unless the keys panned it).
    pub fn pan_of(&self, s: Scroller) -> u16 {
        if self.pan.0 == Some(s) { self.pan.1 } else { 0 }
    }

    /// Pan the current panel by half its width, within its widest line (as last drawn).
    pub(super) fn pan_by(&mut self, dir: i32) {
        let Some(s) = self.scroller() else { return };
        let now = i32::from(self.pan_of(s));
        let (widest, width) = match self.extents.scroller == Some(s) {
            true => (self.extents.widest, self.extents.width),
            false => (0, 0),
        };
        let max = widest.saturating_sub(width) as i32;
        let next = (now + dir * (width as i32 / 2).max(1)).clamp(0, max);
        self.pan = (Some(s), u16::try_from(next).unwrap_or(u16::MAX));
    }

    /// A new frame may have other lengths (a resize, a language switch, new lines).
    pub(super) fn clamp_scrolls(&mut self) {
        self.scroll(0);
        if self.pan.0.is_some() && self.pan.0 == self.extents.scroller {
            let max = self.extents.widest.saturating_sub(self.extents.width);
            self.pan.1 = self.pan.1.min(u16::try_from(max).unwrap_or(u16::MAX));
        }
    }
}
