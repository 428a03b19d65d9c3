//! Scheduled actions' recurrence: the five-field cron expression Auto Scaling takes
//! (minute hour day-of-month month day-of-week) in an IANA time zone, checked field by
//! field, and its next run shown in the zone's local time and in UTC, since that is where
//! people get the lab's "times are UTC" wrong.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// A parsed cron expression: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: BTreeSet<u32>,
    hours: BTreeSet<u32>,
    days: BTreeSet<u32>,
    months: BTreeSet<u32>,
    weekdays: BTreeSet<u32>,
    /// Cron's rule: when both day fields are restricted, either may match.
    days_restricted: bool,
    weekdays_restricted: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Why a cron expression is refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub en: String,
    pub ko: String,
}

fn err(en: String, ko: String) -> CronError {
    CronError { en, ko }
}

fn value(text: &str, lo: u32, hi: u32, names: &[&str], offset: u32) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return (lo..=hi).contains(&n).then_some(n);
    }
    let lower = text.to_ascii_lowercase();
    names
        .iter()
        .position(|n| *n == lower)
        .and_then(|i| u32::try_from(i).ok())
        .map(|i| i + offset)
}

/// One field: `*`, `5`, `1-5`, `*/15`, `0-30/10`, `mon-fri`, and lists of those.
fn field(
    text: &str,
    what: (&str, &str),
    lo: u32,
    hi: u32,
    names: &[&str],
    offset: u32,
) -> Result<BTreeSet<u32>, CronError> {
    let bad = || {
        err(
            format!(
                "its {} field {text:?} is not {lo}-{hi}, a range, a list or a step",
                what.0
            ),
            format!(
                "{} 필드 {} {lo}-{hi}의 값, 범위, 목록, 간격이 아닙니다",
                what.1,
                crate::i18n::korean::with(&format!("{text:?}"), crate::i18n::korean::Josa::IGa)
            ),
        )
    };
    let mut out = BTreeSet::new();
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0).ok_or_else(bad)?),
            None => (part, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (
                value(a, lo, hi, names, offset).ok_or_else(bad)?,
                value(b, lo, hi, names, offset).ok_or_else(bad)?,
            )
        } else {
            let v = value(range, lo, hi, names, offset).ok_or_else(bad)?;
            (v, if step > 1 { hi } else { v })
        };
        if a > b {
            return Err(bad());
        }
        out.extend((a..=b).step_by(step as usize));
    }
    Ok(out)
}

impl Cron {
    pub fn parse(text: &str) -> Result<Cron, CronError> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(err(
                format!(
                    "{text:?} has {} fields; Auto Scaling takes five: minute hour day-of-month \
                     month day-of-week, e.g. \"0 9 * * 1-5\"",
                    parts.len()
                ),
                format!(
                    "{text:?}의 필드가 {}개입니다. Auto Scaling은 다섯 개(분 시 일 월 요일)를 받습니다. \
                     예: \"0 9 * * 1-5\"",
                    parts.len()
                ),
            ));
        }
        let mut weekdays = field(parts[4], ("day-of-week", "요일"), 0, 7, &WEEKDAYS, 0)?;
        if weekdays.remove(&7) {
            weekdays.insert(0); // 7 is Sunday too
        }
        Ok(Cron {
            minutes: field(parts[0], ("minute", "분"), 0, 59, &[], 0)?,
            hours: field(parts[1], ("hour", "시"), 0, 23, &[], 0)?,
            days: field(parts[2], ("day-of-month", "일"), 1, 31, &[], 0)?,
            months: field(parts[3], ("month", "월"), 1, 12, &MONTHS, 1)?,
            weekdays,
            days_restricted: parts[2] != "*",
            weekdays_restricted: parts[4] != "*",
        })
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
        if !self.months.contains(&date.month()) {
            return false;
        }
        let dom = self.days.contains(&date.day());
        let dow = self
            .weekdays
            .contains(&date.weekday().num_days_from_sunday());
        match (self.days_restricted, self.weekdays_restricted) {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            (false, false) => true,
        }
    }

    /// The first time after `after` the expression fires, in `tz`.
    pub fn next(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Tz>> {
        let local = after.with_timezone(&tz);
        let mut date = local.date_naive();
        // Four years covers every day-of-month/month combination that exists (Feb 29).
        for _ in 0..(366 * 4) {
            if self.day_matches(date) {
                for &h in &self.hours {
                    for &m in &self.minutes {
                        let naive = date.and_hms_opt(h, m, 0)?;
                        // A time skipped by a clock change does not exist; take the earlier
                        // of an ambiguous one.
                        let Some(t) = tz.from_local_datetime(&naive).earliest() else {
                            continue;
                        };
                        if t > local {
                            return Some(t);
                        }
                    }
                }
            }
            date = date.succ_opt()?;
        }
        None
    }
}

/// An IANA time zone name (`Asia/Seoul`, `UTC`), or why not.
pub fn zone(name: &str) -> Result<Tz, CronError> {
    name.parse::<Tz>().map_err(|_| {
        err(
            format!(
                "{name:?} is not a time zone name Auto Scaling knows; use an IANA name such as \
                 \"Asia/Seoul\", \"Europe/London\" or \"UTC\""
            ),
            format!(
                "{} Auto Scaling이 아는 시간대 이름이 아닙니다. \"Asia/Seoul\", \
                 \"Europe/London\", \"UTC\" 같은 IANA 이름을 쓰세요",
                crate::i18n::korean::with(&format!("{name:?}"), crate::i18n::korean::Josa::EunNeun)
            ),
        )
    })
}

/// "Mon 2026-11-23 09:00 Asia/Seoul (00:00 UTC)": the next run in both clocks.
pub fn next_run(cron: &str, timezone: &str, now: DateTime<Utc>) -> Option<String> {
    let tz = zone(timezone).ok()?;
    let t = Cron::parse(cron).ok()?.next(tz, now)?;
    let utc = t.with_timezone(&Utc);
    let same_day = utc.date_naive() == t.date_naive();
    Some(format!(
        "{} {} {timezone} ({}{} UTC)",
        t.format("%a %Y-%m-%d"),
        t.format("%H:%M"),
        if same_day {
            String::new()
        } else {
            format!("{} ", utc.format("%a"))
        },
        format_args!("{:02}:{:02}", utc.hour(), utc.minute())
    ))
}

/// How long until a run, for "in 3 h".
pub fn until(cron: &str, timezone: &str, now: DateTime<Utc>) -> Option<Duration> {
    let tz = zone(timezone).ok()?;
    Some(Cron::parse(cron).ok()?.next(tz, now)?.with_timezone(&Utc) - now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn weekday_mornings_in_seoul_are_midnight_utc() {
        // Monday 2026-11-23, 01:00 UTC = 10:00 in Seoul: today's 09:00 has passed.
        let next = next_run("0 9 * * 1-5", "Asia/Seoul", at("2026-11-23T01:00:00Z")).unwrap();
        assert_eq!(next, "Tue 2026-11-24 09:00 Asia/Seoul (00:00 UTC)");
        // 08:00 in Seoul is still the day before in UTC: the lab's "times are UTC" trap.
        let next = next_run("0 8 * * 1-5", "Asia/Seoul", at("2026-11-22T12:00:00Z")).unwrap();
        assert_eq!(next, "Mon 2026-11-23 08:00 Asia/Seoul (Sun 23:00 UTC)");
        let next = next_run("0 9 * * MON-FRI", "Asia/Seoul", at("2026-11-22T12:00:00Z")).unwrap();
        assert_eq!(next, "Mon 2026-11-23 09:00 Asia/Seoul (00:00 UTC)");
        // Friday evening: the next weekday run is Monday.
        let next = next_run("30 8 * * 1-5", "UTC", at("2026-11-27T18:00:00Z")).unwrap();
        assert_eq!(next, "Mon 2026-11-30 08:30 UTC (08:30 UTC)");
    }

    #[test]
    fn steps_lists_and_day_rules() {
        let c = Cron::parse("*/15 0,12 1 * *").unwrap();
        assert_eq!(c.minutes, [0, 15, 30, 45].into());
        assert_eq!(c.hours, [0, 12].into());
        // Both day fields restricted: either matches (the 1st, or a Sunday).
        let c = Cron::parse("0 0 1 * 0").unwrap();
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(c.day_matches(sunday));
        assert_eq!(Cron::parse("0 0 * * 7").unwrap().weekdays, [0].into());
    }

    #[test]
    fn bad_expressions_and_zones_are_refused_with_the_reason() {
        let six = Cron::parse("0 0 9 * * 1-5").unwrap_err();
        assert!(six.en.contains("has 6 fields"), "{}", six.en);
        assert!(six.ko.contains("필드가 6개"), "{}", six.ko);
        let letters = Cron::parse("0 nine * * *").unwrap_err();
        assert!(letters.en.contains("hour field \"nine\""), "{}", letters.en);
        assert!(Cron::parse("61 * * * *").is_err());
        assert!(Cron::parse("0 5-3 * * *").is_err());
        assert!(Cron::parse("*/0 * * * *").is_err());
        let tz = zone("Seoul").unwrap_err();
        assert!(
            tz.en.contains("\"Seoul\" is not a time zone name"),
            "{}",
            tz.en
        );
        assert!(zone("Asia/Seoul").is_ok() && zone("UTC").is_ok());
    }
}
