//! Wall-clock time as people read it (UTC), without a date library: for lock files,
//! snapshot names and saved results.

use std::time::{SystemTime, UNIX_EPOCH};

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parts(t: SystemTime) -> (i64, u32, u32, u64, u64, u64) {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (y, m, d) = civil((secs / 86_400) as i64);
    let rest = secs % 86_400;
    (y, m, d, rest / 3600, rest / 60 % 60, rest % 60)
}

/// `2026-11-23 01:02:03 UTC`
pub fn format_utc(t: SystemTime) -> String {
    let (y, m, d, h, min, s) = parts(t);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02} UTC")
}

/// A duration as the build screen and the heartbeat show it: `45s`, `3m05s`.
pub fn span(secs: u64) -> String {
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

pub fn now_utc() -> String {
    format_utc(SystemTime::now())
}

/// `20261123-010203`, for names that must sort and carry no spaces.
pub fn stamp(t: SystemTime) -> String {
    let (y, m, d, h, min, s) = parts(t);
    format!("{y:04}{m:02}{d:02}-{h:02}{min:02}{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn days_and_times_come_out_right() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        let t = UNIX_EPOCH + Duration::from_secs(1_795_395_723); // 2026-11-23 01:02:03
        assert_eq!(format_utc(t), "2026-11-23 01:02:03 UTC");
        assert_eq!(stamp(t), "20261123-010203");
        assert_eq!(span(45), "45s");
        assert_eq!(span(185), "3m05s");
    }
}
