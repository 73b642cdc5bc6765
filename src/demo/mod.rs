//! The embedded demo workspace: dev, staging and prod with the drift real teams hit.
//!
//! Built in code so the binary carries it anywhere; the same data backs the demo TUI,
//! `--demo` on every command, and many tests.
//!
//! A small web shop runs on six Debian hosts: `dev-1`; `stg-web-1` and `stg-web-2`;
//! `prod-web-1` to `prod-web-3`. Each snapshot is built from a host's *profile* (the knobs
//! in which hosts differ, see `profile`), as changed by the week's history (`history`), by
//! one module per category that knows what the facts look like on a real machine.

mod annotations;
mod config;
mod facts;
mod fake;
mod files;
mod history;
mod hosts;
mod infra;
mod network;
mod profile;
mod schema;
mod services;
pub mod synthetic;
mod versions;
pub mod wide;

use chrono::{DateTime, DurationRound, SubsecRound, TimeDelta, Utc};

use crate::config::Config;
use crate::model::{Snapshot, Source};
use crate::store::Workspace;

pub use annotations::annotations;
use hosts::HOSTS;
use profile::Profile;

/// The embedded demo workspace.
///
/// Its configuration is built in; should it ever fail to parse, the demo opens with an
/// empty configuration and the reason is listed in its history's problems.
pub fn workspace() -> Workspace {
    let mut problems = Vec::new();
    let config = Config::parse(CONFIG_TOML, "demo configuration").unwrap_or_else(|err| {
        problems.push(err.to_string());
        Config::default()
    });
    let snapshots = snapshots();
    let annotations = annotations(&snapshots);
    Workspace::in_memory(config, snapshots, annotations, problems)
}

/// The demo's configuration, as a `driftscope.toml` text.
pub const CONFIG_TOML: &str = r#"# A small web shop in three environments.

[environments.dev]
description = "Shared development box; runs its own database and cache"
hosts = ["deploy@dev-1.internal"]

[environments.staging]
description = "Pre-production; release candidates are tested here"
hosts = ["deploy@stg-web-1.internal", "deploy@stg-web-2.internal"]

[environments.prod]
description = "Production web tier behind the load balancer"
hosts = [
    "deploy@prod-web-1.internal",
    "deploy@prod-web-2.internal",
    "deploy@prod-web-3.internal",
]

[ignore]
# Facts that change by themselves, on every host and in every snapshot.
facts = [
    "infra/uptime_seconds",
    "*/boot_time",
    "infra/load_average",
    "infra/memory.available_mb",
    "infra/disk_used_percent:*",
    # Row estimates of the database's tables grow all the time.
    "schema/rows:*",
]
"#;

/// Every snapshot of the demo workspace, history included, as of the current hour.
pub fn snapshots() -> Vec<Snapshot> {
    let now = Utc::now();
    snapshots_at(now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now))
}

/// Every snapshot of the demo workspace as of `now`: several per host over the week before
/// `now`, the latest a few minutes before it. Sorted by environment, host, then time.
///
/// The result depends only on `now` (cut to whole seconds).
pub fn snapshots_at(now: DateTime<Utc>) -> Vec<Snapshot> {
    let now = now.trunc_subsecs(0);
    let mut out = Vec::new();
    for host in HOSTS {
        for taken_at in history::snapshot_times(host, now) {
            out.push(build(&history::profile_at(host, now, taken_at), taken_at));
        }
    }
    out.sort_by(|a, b| {
        (&a.environment, &a.host, a.taken_at).cmp(&(&b.environment, &b.host, b.taken_at))
    });
    out
}

/// The snapshot of the host described by `profile`, taken at `taken_at`.
fn build(profile: &Profile, taken_at: DateTime<Utc>) -> Snapshot {
    let mut snap = Snapshot::new(
        profile.host.env.name(),
        profile.host.name,
        taken_at,
        Source::Demo,
    );
    versions::add(&mut snap, profile);
    config::add(&mut snap, profile);
    schema::add(&mut snap, profile);
    network::add(&mut snap, profile);
    infra::add(&mut snap, profile);
    services::add(&mut snap, profile);
    snap
}
