//! The demo's week: when snapshots were taken, and what changed on which hosts when.
//!
//! Each host starts from [`Profile::base`] a week before `now`; a snapshot taken at time `t`
//! sees every [`Change`] made before `t`. So comparing prod now with prod a day ago shows
//! exactly yesterday's changes.

use chrono::{DateTime, TimeDelta, Utc};

use super::hosts::{Env, Host};
use super::profile::{Cert, LE_R11, Profile};

/// Hosts a change was made on.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Every host of an environment.
    Env(Env),
    /// The named hosts only.
    Hosts(&'static [&'static str]),
}

impl Scope {
    fn covers(self, host: &Host) -> bool {
        match self {
            Scope::Env(env) => host.env == env,
            Scope::Hosts(names) => names.contains(&host.name),
        }
    }
}

/// One change, made `hours_ago` hours before `now` on the hosts of `scope`.
struct Change {
    hours_ago: i64,
    scope: Scope,
    /// Applies the change; gets the time it was made.
    apply: fn(&mut Profile, DateTime<Utc>),
}

/// The week's changes, oldest first.
const CHANGES: &[Change] = &[
    // Staging gets the second release candidate of 4.19.
    Change {
        hours_ago: 150,
        scope: Scope::Env(Env::Staging),
        apply: |p, _| p.release = "4.19.0-rc.2",
    },
    // A hotfix migration is run by hand on the production database only.
    Change {
        hours_ago: 116,
        scope: Scope::Env(Env::Prod),
        apply: |p, _| p.migrations = 23,
    },
    // Staging's certificate is renewed; prod's renewal keeps failing.
    Change {
        hours_ago: 93,
        scope: Scope::Env(Env::Staging),
        apply: |p, at| p.cert = Cert::lets_encrypt(LE_R11, at),
    },
    // Three days ago: a production-only config change for large uploads and payment retries.
    Change {
        hours_ago: 70,
        scope: Scope::Env(Env::Prod),
        apply: |p, _| {
            p.client_max_body_size = "25m";
            p.payments_retry_limit = Some(5);
        },
    },
    // A developer moves the dev box to Node 20.
    Change {
        hours_ago: 50,
        scope: Scope::Env(Env::Dev),
        apply: |p, _| p.node = "20.12.2",
    },
    // Prod deploys 4.18.2.
    Change {
        hours_ago: 45,
        scope: Scope::Env(Env::Prod),
        apply: |p, _| p.release = "4.18.2",
    },
    // The next migration lands on dev.
    Change {
        hours_ago: 28,
        scope: Scope::Env(Env::Dev),
        apply: |p, _| p.migrations = 24,
    },
    // Yesterday: unattended-upgrades brings OpenSSL and curl security updates to prod,
    // except on prod-web-3, where it is disabled.
    Change {
        hours_ago: 20,
        scope: Scope::Hosts(&["prod-web-1", "prod-web-2"]),
        apply: |p, _| {
            p.openssl = "3.0.13";
            p.openssl_package = "3.0.13-1~deb12u1";
            p.curl_package = "7.88.1-10+deb12u5";
        },
    },
];

/// `host`'s profile at time `at`, given the demo's `now`.
pub(super) fn profile_at(host: Host, now: DateTime<Utc>, at: DateTime<Utc>) -> Profile {
    let mut profile = Profile::base(host, now);
    for change in CHANGES {
        let made = now - TimeDelta::hours(change.hours_ago);
        if made <= at && change.scope.covers(&host) {
            (change.apply)(&mut profile, made);
        }
    }
    profile
}

/// Days before `now` of the daily collection runs.
const DAILY_RUNS: std::ops::RangeInclusive<i64> = 1..=7;

/// How long before `now` the latest collection run started.
const LATEST_RUN: TimeDelta = TimeDelta::minutes(7);

/// Seconds between the collection of consecutive hosts within a run.
const HOST_STAGGER_SECONDS: i64 = 3;

/// When `host` was snapshotted, oldest first: daily for a week, then a few minutes ago.
/// All times are whole seconds and not after `now` (itself cut to whole seconds).
pub(super) fn snapshot_times(host: Host, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let stagger = TimeDelta::seconds(HOST_STAGGER_SECONDS * host.ordinal() as i64);
    DAILY_RUNS
        .rev()
        .map(|days| now - TimeDelta::days(days))
        .chain(std::iter::once(now - LATEST_RUN))
        .map(|run| run + stagger)
        .collect()
}
