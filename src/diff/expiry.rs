//! Certificates near expiry: a `network/cert:*` drift where a side holds a certificate
//! that expires within a window (30 days by default) of when that side's snapshot was
//! taken. Such a drift is raised to critical by the policy (see `docs/drift.md`): a
//! certificate about to expire on one side is an outage with a date.

use chrono::{DateTime, Duration, Utc};

use super::{Cell, FactDiff, SideInfo};
use crate::model::{Category, Value};

/// The default window: 30 days.
pub fn default_window() -> Duration {
    Duration::days(30)
}

/// Whether `fact` is a certificate some side holds that expires within `window` of the
/// snapshot it was seen in (an expired one included). `sides` are the report's, in the
/// order of the fact's cells.
pub fn near_expiry(fact: &FactDiff, sides: &[SideInfo], window: Duration) -> bool {
    if fact.key.category != Category::Network || !fact.key.key.starts_with("cert:") {
        return false;
    }
    fact.cells.iter().zip(sides).any(|(cell, side)| {
        let newest = side.hosts.iter().map(|h| h.taken_at).max();
        match cell {
            Cell::Absent => false,
            Cell::Present { value } => expires_within(value, newest, window),
            Cell::Divergent { groups } => groups.iter().any(|group| {
                let seen = side
                    .hosts
                    .iter()
                    .filter(|h| group.hosts.contains(&h.host))
                    .map(|h| h.taken_at)
                    .max()
                    .or(newest);
                group
                    .value
                    .as_ref()
                    .is_some_and(|v| expires_within(v, seen, window))
            }),
        }
    })
}

/// Whether a certificate record's `not_after` falls within `window` after `seen`.
fn expires_within(value: &Value, seen: Option<DateTime<Utc>>, window: Duration) -> bool {
    let (Value::Record(fields), Some(seen)) = (value, seen) else {
        return false;
    };
    fields
        .get("not_after")
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|end| end.with_timezone(&Utc) - seen <= window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ChangeKind, HostGroup, HostInfo, Severity, Status};
    use crate::model::FactKey;
    use chrono::TimeZone;

    fn cert(not_after: &str) -> Value {
        Value::record([("not_after", not_after), ("subject", "CN = app")])
    }

    fn side(host: &str, day: u32) -> SideInfo {
        SideInfo {
            label: host.into(),
            environment: host.into(),
            host: None,
            at: None,
            hosts: vec![HostInfo {
                host: host.into(),
                taken_at: Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap(),
            }],
        }
    }

    fn fact(key: &str, cells: Vec<Cell>) -> FactDiff {
        FactDiff {
            key: FactKey::new(Category::Network, key),
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Fields,
            cells,
            comparisons: Vec::new(),
        }
    }

    #[test]
    fn a_certificate_expiring_within_the_window_of_its_snapshot_is_near() {
        let sides = [side("staging", 20), side("prod", 20)];
        let present = |v: Value| Cell::Present { value: v };
        let renewed = present(cert("2027-02-18T00:00:00Z"));
        let window = default_window();
        // Expires 29 days after prod's snapshot.
        let f = fact(
            "cert:/etc/ssl/app.pem",
            vec![renewed.clone(), present(cert("2026-12-19T00:00:00Z"))],
        );
        assert!(near_expiry(&f, &sides, window));
        // 31 days: not near with the default window, near with a longer one.
        let f = fact(
            "cert:/etc/ssl/app.pem",
            vec![renewed.clone(), present(cert("2026-12-21T00:00:00Z"))],
        );
        assert!(!near_expiry(&f, &sides, window));
        assert!(near_expiry(&f, &sides, Duration::days(45)));
        // Already expired when seen; and a host of a divergent side.
        let f = fact(
            "cert:db:5432",
            vec![
                renewed.clone(),
                Cell::Divergent {
                    groups: vec![HostGroup {
                        value: Some(cert("2026-11-01T00:00:00Z")),
                        hosts: vec!["prod".into()],
                    }],
                },
            ],
        );
        assert!(near_expiry(&f, &sides, window));
        // Only certificates count.
        let f = fact(
            "route:default",
            vec![renewed, present(cert("2026-11-21T00:00:00Z"))],
        );
        assert!(!near_expiry(&f, &sides, window));
    }
}
