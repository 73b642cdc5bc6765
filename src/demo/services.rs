//! Services: systemd units and their states.

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::hosts::Env;
use super::profile::Profile;

/// A unit: name, active state, sub-state, unit file state.
type Unit = (&'static str, &'static str, &'static str, &'static str);

/// Units running the same way on every host.
const COMMON_UNITS: &[Unit] = &[
    ("apt-daily-upgrade.timer", "active", "waiting", "enabled"),
    ("cron.service", "active", "running", "enabled"),
    ("logrotate.timer", "active", "waiting", "enabled"),
    ("nftables.service", "active", "exited", "enabled"),
    ("nginx.service", "active", "running", "enabled"),
    (
        "prometheus-node-exporter.service",
        "active",
        "running",
        "enabled",
    ),
    ("rsyslog.service", "active", "running", "enabled"),
    ("shop-web.service", "active", "running", "enabled"),
    ("shop-worker.service", "active", "running", "enabled"),
    ("ssh.service", "active", "running", "enabled"),
    ("systemd-timesyncd.service", "active", "running", "enabled"),
];

/// Units only the servers have.
const SERVER_UNITS: &[Unit] = &[
    ("certbot.timer", "active", "waiting", "enabled"),
    ("fail2ban.service", "active", "running", "enabled"),
];

/// Units only the dev box has: its own database and cache.
const DEV_UNITS: &[Unit] = &[
    ("postgresql@16-main.service", "active", "running", "enabled"),
    ("redis-server.service", "active", "running", "enabled"),
];

/// Adds the services facts of `p` to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let mut units: Vec<Unit> = COMMON_UNITS.to_vec();
    match p.host.env {
        Env::Dev => units.extend_from_slice(DEV_UNITS),
        Env::Staging | Env::Prod => {
            units.extend_from_slice(SERVER_UNITS);
            units.push(if p.certbot_failing {
                ("certbot.service", "failed", "failed", "static")
            } else {
                ("certbot.service", "inactive", "dead", "static")
            });
        }
    }
    units.push(if p.unattended_upgrades {
        (
            "unattended-upgrades.service",
            "active",
            "running",
            "enabled",
        )
    } else {
        (
            "unattended-upgrades.service",
            "inactive",
            "dead",
            "disabled",
        )
    });

    let mut f = Facts::new(snap, Category::Services);
    for (name, active, sub, file_state) in &units {
        f.record(
            format!("unit:{name}"),
            [
                ("active_state", *active),
                ("sub_state", *sub),
                ("unit_file_state", *file_state),
            ],
        );
    }
    f.set(
        "enabled_units",
        units.iter().filter(|u| u.3 == "enabled").map(|u| u.0),
    );
    f.set(
        "failed_units",
        units.iter().filter(|u| u.1 == "failed").map(|u| u.0),
    );
    let running = units.iter().filter(|u| u.2 == "running").count();
    f.scalar("units.running", running as u64);
}
