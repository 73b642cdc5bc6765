//! Times in snapshot references (`ENV@TIME`), and the resolved side they lead to.

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
    Utc,
};
use color_eyre::eyre::{Result, eyre};

use crate::model::Snapshot;

/// A point in time given by the user: a date (its end, UTC) or a date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpec(pub DateTime<Utc>);

/// A reference resolved to the snapshots of one comparison side.
#[derive(Debug, Clone)]
pub struct ResolvedSide {
    /// The label for the side's column (the reference as the user wrote it, tidied).
    pub label: String,
    /// One snapshot per host.
    pub snapshots: Vec<Snapshot>,
    /// The environment it stands for.
    pub environment: String,
    /// One host only, when the reference names one (or is one host's snapshot file).
    pub host: Option<String>,
    /// The time its snapshots were picked at or before, when the reference names one (a
    /// snapshot file: its own time).
    pub at: Option<DateTime<Utc>>,
}

/// The time forms [`TimeSpec::parse`] accepts, for help and error messages.
pub const TIME_FORMS: &str = "YYYY-MM-DD (end of that day, UTC), YYYY-MM-DDTHH:MM[:SS] \
     (or with a space for T) with an optional Z or ±HH:MM offset (UTC when none), \
     or a time ago: -30m, -6h, -2d, -1w";

impl TimeSpec {
    /// Parses a time as typed after `ENV@`.
    ///
    /// - `2026-11-20`: the end of that day in UTC (23:59:59.999…), so the day's last
    ///   snapshot is included;
    /// - `2026-11-20T09:30`, `2026-11-20 09:30:15`, optionally followed by `Z` or an
    ///   offset such as `+02:00`; without one the time is UTC;
    /// - `-30m`, `-6h`, `-2d`, `-1w`: minutes, hours, days or weeks before `now`.
    pub fn parse(text: &str, now: DateTime<Utc>) -> Result<TimeSpec> {
        let text = text.trim();
        parse_relative(text, now)
            .or_else(|| parse_date(text))
            .or_else(|| parse_date_time(text))
            .map(TimeSpec)
            .ok_or_else(|| eyre!("'{text}' is not a time; use {TIME_FORMS}"))
    }
}

/// `-30m`, `-6h`, `-2d`, `-1w` before `now`.
fn parse_relative(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let amount = text.strip_prefix('-')?;
    let unit = amount.chars().last()?;
    let count: i64 = amount[..amount.len() - unit.len_utf8()].parse().ok()?;
    if count < 0 || amount.starts_with('+') {
        return None;
    }
    let span = match unit {
        'm' => Duration::try_minutes(count)?,
        'h' => Duration::try_hours(count)?,
        'd' => Duration::try_days(count)?,
        'w' => Duration::try_weeks(count)?,
        _ => return None,
    };
    now.checked_sub_signed(span)
}

/// `YYYY-MM-DD`: the last instant of that day, UTC.
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    if text.len() != 10 {
        return None;
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let end = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)?;
    Some(Utc.from_utc_datetime(&day.and_time(end)))
}

/// `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]` with an optional `Z` or `±HH:MM`.
fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let (local, offset) = split_offset(text)?;
    let local = local.replacen(['t', ' '], "T", 1);
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|form| NaiveDateTime::parse_from_str(&local, form).ok())?;
    let time = offset.from_local_datetime(&naive).single()?;
    Some(time.with_timezone(&Utc))
}

/// Splits a trailing `Z` or `±HH:MM` from a date-time; no suffix means UTC.
fn split_offset(text: &str) -> Option<(&str, FixedOffset)> {
    let utc = FixedOffset::east_opt(0)?;
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return Some((rest, utc));
    }
    let Some(split) = text
        .len()
        .checked_sub(6)
        .filter(|&i| text.is_char_boundary(i))
    else {
        return Some((text, utc));
    };
    let (rest, suffix) = text.split_at(split);
    let bytes = suffix.as_bytes();
    let is_offset = matches!(bytes[0], b'+' | b'-')
        && bytes[1..3].iter().all(u8::is_ascii_digit)
        && bytes[3] == b':'
        && bytes[4..6].iter().all(u8::is_ascii_digit);
    if !is_offset {
        return Some((text, utc));
    }
    let hours: i32 = suffix[1..3].parse().ok()?;
    let minutes: i32 = suffix[4..6].parse().ok()?;
    if minutes >= 60 {
        return None;
    }
    let seconds = (hours * 60 + minutes) * 60;
    let offset = if bytes[0] == b'-' {
        FixedOffset::west_opt(seconds)?
    } else {
        FixedOffset::east_opt(seconds)?
    };
    Some((rest, offset))
}

/// A short UTC time for labels and messages: `2026-11-20T09:30Z`, with seconds only
/// when they are not zero. It reads back with [`TimeSpec::parse`].
pub fn compact_time(time: DateTime<Utc>) -> String {
    if time.timestamp() % 60 == 0 {
        time.format("%Y-%m-%dT%H:%MZ").to_string()
    } else {
        time.to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        TimeSpec::parse(text, now()).unwrap().0
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn a_date_means_the_end_of_that_day() {
        let t = at("2026-11-19");
        assert!(t > utc(2026, 11, 19, 23, 59, 59));
        assert!(t < utc(2026, 11, 20, 0, 0, 0));
    }

    #[test]
    fn date_times_with_and_without_offsets() {
        assert_eq!(at("2026-11-19T08:15"), utc(2026, 11, 19, 8, 15, 0));
        assert_eq!(at("2026-11-19 08:15:30"), utc(2026, 11, 19, 8, 15, 30));
        assert_eq!(at("2026-11-19T08:15Z"), utc(2026, 11, 19, 8, 15, 0));
        assert_eq!(at("2026-11-19T08:15+02:00"), utc(2026, 11, 19, 6, 15, 0));
        assert_eq!(
            at("2026-11-19 08:15:00-05:30"),
            utc(2026, 11, 19, 13, 45, 0)
        );
    }

    #[test]
    fn relative_times_count_back_from_now() {
        assert_eq!(at("-30m"), utc(2026, 11, 20, 11, 30, 0));
        assert_eq!(at("-6h"), utc(2026, 11, 20, 6, 0, 0));
        assert_eq!(at("-2d"), utc(2026, 11, 18, 12, 0, 0));
        assert_eq!(at("-1w"), utc(2026, 11, 13, 12, 0, 0));
    }

    #[test]
    fn bad_times_list_the_accepted_forms() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-11-19T25:00",
            "-3y",
            "-m",
            "--3d",
            "-+3d",
            "2026-11-19T08:15+2:00",
            "-99999999999999w",
            "2026-11-19T08:15+01:75",
        ] {
            let err = TimeSpec::parse(bad, now()).unwrap_err().to_string();
            assert!(err.contains("-30m, -6h, -2d, -1w"), "{bad}: {err}");
        }
    }

    #[test]
    fn compact_times_read_back() {
        for t in [utc(2026, 11, 19, 8, 15, 0), utc(2026, 11, 19, 8, 15, 42)] {
            assert_eq!(at(&compact_time(t)), t);
        }
        assert_eq!(
            compact_time(utc(2026, 11, 19, 8, 15, 0)),
            "2026-11-19T08:15Z"
        );
        assert_eq!(
            compact_time(utc(2026, 11, 19, 8, 15, 42)),
            "2026-11-19T08:15:42Z"
        );
    }
}
