//! The demo workspace's annotations: decisions a team made during a parity audit, in
//! every review state.
//!
//! Each is made the way a person makes one: on a comparison of the environments as they
//! were at the time it was written, with the fingerprint of the values seen then. Most
//! still hold; one was made before prod's nginx configuration changed and is now stale;
//! one has expired.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::diff::review::{AnnotationDraft, annotate, side_environments};
use crate::diff::{DiffOptions, Side, compare};
use crate::model::{Annotation, AnnotationKind, Category, FactKey, Snapshot};

/// One decision of the demo's audit.
struct Decision {
    /// The environments compared.
    environments: &'static [&'static str],
    category: Category,
    key: &'static str,
    kind: AnnotationKind,
    reason: &'static str,
    ticket: Option<&'static str>,
    author: &'static str,
    /// How long before the demo's present it was made.
    hours_ago: i64,
    /// Days after (or, negative, before) the demo's present it expires.
    expires_in_days: Option<i64>,
}

const DANA: &str = "Dana Whitfield";
const SAM: &str = "Sam Okafor";
const PRIYA: &str = "Priya Raman";
const STAGING_PROD: &[&str] = &["staging", "prod"];

/// The audit's decisions, oldest first.
const DECISIONS: &[Decision] = &[
    // Made before the production-only nginx change three days ago: stale now.
    Decision {
        environments: STAGING_PROD,
        category: Category::Config,
        key: "file:/etc/nginx/nginx.conf",
        kind: AnnotationKind::Justify,
        reason: "Prod runs 8 nginx workers for its load, staging 2; the rest of the file is identical.",
        ticket: None,
        author: DANA,
        hours_ago: 120,
        expires_in_days: None,
    },
    // Expired two days ago: the migration it waited for was due then.
    Decision {
        environments: STAGING_PROD,
        category: Category::Network,
        key: "resolv.nameservers",
        kind: AnnotationKind::Justify,
        reason: "Staging keeps a public fallback resolver until the VPC resolver migration is done.",
        ticket: Some("NET-204"),
        author: SAM,
        hours_ago: 118,
        expires_in_days: Some(-2),
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Config,
        key: "env.WEB_CONCURRENCY",
        kind: AnnotationKind::Justify,
        reason: "Prod is sized for load: 8 gunicorn workers on 8 vCPUs; staging runs 2 on 2 vCPUs.",
        ticket: None,
        author: DANA,
        hours_ago: 96,
        expires_in_days: None,
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Config,
        key: "env.LOG_LEVEL",
        kind: AnnotationKind::Justify,
        reason: "Prod logs at warn to keep log volume and cost down; staging keeps info for testing.",
        ticket: None,
        author: DANA,
        hours_ago: 95,
        expires_in_days: None,
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Config,
        key: "env.APP_ENV",
        kind: AnnotationKind::Justify,
        reason: "Each environment names itself.",
        ticket: None,
        author: SAM,
        hours_ago: 95,
        expires_in_days: None,
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Infra,
        key: "instance_type",
        kind: AnnotationKind::Justify,
        reason: "Staging runs on smaller instances to save cost; sizes are reviewed each quarter.",
        ticket: Some("OPS-1187"),
        author: SAM,
        hours_ago: 94,
        expires_in_days: Some(60),
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Schema,
        key: "index:public.orders.orders_customer_id_idx",
        kind: AnnotationKind::Remediate,
        reason: "Created by hand in prod during an incident; add it as a migration so staging and dev get it.",
        ticket: Some("SHOP-1432"),
        author: PRIYA,
        hours_ago: 90,
        expires_in_days: None,
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Versions,
        key: "server.postgresql",
        kind: AnnotationKind::Remediate,
        reason: "Staging is still on PostgreSQL 15; upgrade it to 16 before the 4.19 release.",
        ticket: Some("DB-88"),
        author: PRIYA,
        hours_ago: 89,
        expires_in_days: None,
    },
    Decision {
        environments: &["dev", "staging"],
        category: Category::Versions,
        key: "runtime.node",
        kind: AnnotationKind::Justify,
        reason: "Dev trials Node 20 before the front-end build moves to it.",
        ticket: None,
        author: PRIYA,
        hours_ago: 40,
        expires_in_days: Some(30),
    },
    Decision {
        environments: STAGING_PROD,
        category: Category::Versions,
        key: "lib.openssl",
        kind: AnnotationKind::Remediate,
        reason: "Staging and prod-web-3 miss the OpenSSL security update; enable unattended-upgrades there.",
        ticket: Some("SEC-311"),
        author: SAM,
        // Right after the latest collection run, the first to see prod's update.
        hours_ago: 0,
        expires_in_days: None,
    },
];

/// The demo's annotations, made against `snapshots` (the demo's history). The demo's
/// present is the time of its newest snapshot; a decision whose fact did not drift when
/// it was made is left out.
pub fn annotations(snapshots: &[Snapshot]) -> Vec<Annotation> {
    let Some(present) = snapshots.iter().map(|s| s.taken_at).max() else {
        return Vec::new();
    };
    DECISIONS
        .iter()
        .filter_map(|decision| make(decision, snapshots, present))
        .collect()
}

fn make(decision: &Decision, snapshots: &[Snapshot], present: DateTime<Utc>) -> Option<Annotation> {
    let made = present - TimeDelta::hours(decision.hours_ago);
    let sides: Vec<Side<'_>> = decision
        .environments
        .iter()
        .map(|env| Side {
            label: (*env).to_string(),
            snapshots: latest(snapshots, env, made),
        })
        .collect();
    let options = DiffOptions {
        category: Some(decision.category),
        ..DiffOptions::default()
    };
    let report = compare(&sides, &options);
    let key = FactKey::new(decision.category, decision.key);
    let fact = report.facts.iter().find(|f| f.key == key)?;
    let draft = AnnotationDraft {
        kind: decision.kind,
        reason: decision.reason.to_string(),
        ticket: decision.ticket.map(str::to_string),
        expires: decision.expires_in_days.map(|days| day(present, days)),
    };
    annotate(
        fact,
        &side_environments(&sides),
        draft,
        decision.author,
        made,
    )
    .ok()
}

/// Each host of `env` as its newest snapshot at or before `at`.
fn latest<'a>(snapshots: &'a [Snapshot], env: &str, at: DateTime<Utc>) -> Vec<&'a Snapshot> {
    let mut newest: Vec<&Snapshot> = Vec::new();
    for snapshot in snapshots
        .iter()
        .filter(|s| s.environment == env && s.taken_at <= at)
    {
        match newest.iter_mut().find(|s| s.host == snapshot.host) {
            Some(slot) if slot.taken_at < snapshot.taken_at => *slot = snapshot,
            Some(_) => {}
            None => newest.push(snapshot),
        }
    }
    newest
}

/// The UTC date `days` days from `present`.
fn day(present: DateTime<Utc>, days: i64) -> NaiveDate {
    (present + TimeDelta::days(days)).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::diff::review::{ReviewState, review};

    #[test]
    fn every_decision_is_made_and_the_states_are_all_there() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 0).unwrap();
        let snapshots = crate::demo::snapshots_at(now);
        let annotations = annotations(&snapshots);
        assert_eq!(annotations.len(), DECISIONS.len());

        let sides: Vec<Side<'_>> = ["staging", "prod"]
            .iter()
            .map(|env| Side {
                label: (*env).to_string(),
                snapshots: latest(&snapshots, env, now),
            })
            .collect();
        let report = compare(&sides, &DiffOptions::default());
        let reviews = review(&report, &side_environments(&sides), &annotations, now);
        let state_of = |key: &str| {
            let i = report
                .facts
                .iter()
                .position(|f| f.key.key == key)
                .unwrap_or_else(|| panic!("{key} does not drift"));
            reviews.state(i)
        };
        assert_eq!(
            state_of("file:/etc/nginx/nginx.conf"),
            Some(ReviewState::Stale)
        );
        assert_eq!(state_of("resolv.nameservers"), Some(ReviewState::Expired));
        assert_eq!(
            state_of("env.WEB_CONCURRENCY"),
            Some(ReviewState::Justified)
        );
        assert_eq!(state_of("lib.openssl"), Some(ReviewState::Remediate));
        let total = reviews.total();
        assert_eq!(total.justified, 4);
        assert_eq!(total.remediate, 3);
        assert_eq!(total.stale, 1);
        assert_eq!(total.expired, 1);
        assert!(total.unreviewed > 0);
    }
}
