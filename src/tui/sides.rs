//! The compared sides of the explorer as references: `ENV` (each host's newest snapshot),
//! `ENV@TIME` (each host's newest snapshot at or before a time) and `ENV/HOST`,
//! `ENV/HOST@TIME` (one host only, picked in a host's timeline). Building them is pure;
//! [`Workspace::resolve_side`](crate::store::Workspace::resolve_side) loads the
//! snapshots a reference names, for the comparison worker.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, SubsecRound, TimeDelta, Utc};

/// One side of a comparison: an environment (or one of its hosts) at a point of its
/// timeline, or at its newest snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidePick {
    /// The environment, by index into the workspace's environments.
    pub env: usize,
    /// One host only, when picked in that host's timeline.
    pub host: Option<String>,
    /// The point's time; `None` for the newest snapshots.
    pub at: Option<DateTime<Utc>>,
}

impl SidePick {
    /// The reference the worker resolves: `ENV`, `ENV@TIME`, `ENV/HOST` or
    /// `ENV/HOST@TIME`, where TIME selects the newest snapshots at or before the point.
    pub fn reference(&self, env_name: &str) -> String {
        let mut reference = env_name.to_string();
        if let Some(host) = &self.host {
            reference.push('/');
            reference.push_str(host);
        }
        if let Some(at) = self.at {
            reference.push('@');
            reference.push_str(&reference_time(at));
        }
        reference
    }
}

/// `at` in whole seconds, rounded up so that a snapshot taken at `at` is selected.
pub fn reference_time(at: DateTime<Utc>) -> String {
    let whole = at.trunc_subsecs(0);
    let at = if whole < at {
        whole + TimeDelta::seconds(1)
    } else {
        whole
    };
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A side's label, short for display: `prod@2026-11-21T22:00:15Z` reads
/// `prod@11-21 22:00`; labels without a full time are unchanged.
pub fn short_label(label: &str) -> Cow<'_, str> {
    let Some((name, at)) = label.rsplit_once('@') else {
        return Cow::Borrowed(label);
    };
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => Cow::Owned(format!(
            "{name}@{}",
            t.with_timezone(&Utc).format("%m-%d %H:%M")
        )),
        Err(_) => Cow::Borrowed(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn pick(host: Option<&str>, at: Option<DateTime<Utc>>) -> SidePick {
        SidePick {
            env: 0,
            host: host.map(str::to_string),
            at,
        }
    }

    #[test]
    fn references_round_fractions_up_and_name_the_host() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 22, 0, 15).unwrap();
        assert_eq!(
            pick(None, Some(t)).reference("prod"),
            "prod@2026-11-21T22:00:15Z"
        );
        assert_eq!(
            pick(Some("web-1"), Some(t)).reference("prod"),
            "prod/web-1@2026-11-21T22:00:15Z"
        );
        assert_eq!(pick(Some("web-1"), None).reference("prod"), "prod/web-1");
        assert_eq!(pick(None, None).reference("prod"), "prod");
        let later = t + TimeDelta::milliseconds(250);
        assert_eq!(reference_time(later), "2026-11-21T22:00:16Z");
    }

    #[test]
    fn short_labels_keep_the_name_and_the_minute() {
        assert_eq!(short_label("prod@2026-11-21T22:00:15Z"), "prod@11-21 22:00");
        assert_eq!(
            short_label("prod/web-1@2026-11-21T22:00:15Z"),
            "prod/web-1@11-21 22:00"
        );
        assert_eq!(short_label("prod"), "prod");
        assert_eq!(short_label("prod@-2d"), "prod@-2d");
    }
}
