//! The compared sides of the explorer: an environment (or one of its hosts, picked in a
//! host's timeline) at its newest snapshots or at a point of its timeline. A pick becomes
//! a typed [`SideRef`] for the comparison job, with its exact time; the store resolves
//! it. Short names for display come from the same typed parts, never from parsing labels.

use chrono::{DateTime, Utc};

use crate::diff::SideInfo;
use crate::store::SideRef;

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
    /// The side reference the comparison job resolves, in the environment named
    /// `env_name`: its newest snapshots at or before the point's exact time.
    pub fn side_ref(&self, env_name: &str) -> SideRef {
        SideRef::environment(env_name, self.host.as_deref(), self.at)
    }

    /// The pick's short name for display (see [`short_name`]).
    pub fn short_name(&self, env_name: &str) -> String {
        short_name(env_name, self.host.as_deref(), self.at)
    }
}

/// A side's short name: `prod`, `prod/web-1`, and with a time `prod@11-21 22:00`.
pub fn short_name(env: &str, host: Option<&str>, at: Option<DateTime<Utc>>) -> String {
    let mut name = env.to_string();
    if let Some(host) = host {
        name.push('/');
        name.push_str(host);
    }
    if let Some(at) = at {
        name.push_str(&format!("@{}", at.format("%m-%d %H:%M")));
    }
    name
}

/// A report side's short name: from its environment, host and time when it names a time,
/// else its label (which may carry a `#2` that tells repeated sides apart).
pub fn side_name(side: &SideInfo) -> String {
    match side.at {
        Some(at) if !side.environment.is_empty() => {
            short_name(&side.environment, side.host.as_deref(), Some(at))
        }
        _ => side.label.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    fn pick(host: Option<&str>, at: Option<DateTime<Utc>>) -> SidePick {
        SidePick {
            env: 0,
            host: host.map(str::to_string),
            at,
        }
    }

    #[test]
    fn side_refs_keep_the_exact_time_and_name_the_host() {
        let t =
            Utc.with_ymd_and_hms(2026, 11, 21, 22, 0, 15).unwrap() + TimeDelta::milliseconds(250);
        assert_eq!(
            pick(Some("web-1"), Some(t)).side_ref("prod"),
            SideRef::Environment {
                env: "prod".into(),
                host: Some("web-1".into()),
                at: Some(crate::store::SideTime { at: t, typed: None }),
            }
        );
        assert_eq!(
            pick(Some("web-1"), Some(t)).side_ref("prod").to_string(),
            "prod/web-1@2026-11-21T22:00:15.250Z"
        );
        assert_eq!(pick(None, None).side_ref("prod").to_string(), "prod");
    }

    #[test]
    fn short_names_keep_the_name_the_host_and_the_minute() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 22, 0, 15).unwrap();
        assert_eq!(pick(None, Some(t)).short_name("prod"), "prod@11-21 22:00");
        assert_eq!(
            pick(Some("web-1"), Some(t)).short_name("prod"),
            "prod/web-1@11-21 22:00"
        );
        assert_eq!(pick(None, None).short_name("prod"), "prod");
        let side = SideInfo {
            label: "prod@-2d".into(),
            environment: "prod".into(),
            host: None,
            at: Some(t),
            hosts: Vec::new(),
        };
        assert_eq!(side_name(&side), "prod@11-21 22:00");
        let repeated = SideInfo {
            label: "prod#2".into(),
            at: None,
            ..side
        };
        assert_eq!(side_name(&repeated), "prod#2");
    }
}
