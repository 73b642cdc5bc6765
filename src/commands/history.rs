//! `driftscope history`: the stored snapshots as a table.

use std::fmt::Write as _;
use std::io::Write;

use chrono::SecondsFormat;
use color_eyre::eyre::{Result, bail};

use super::{Outcome, emit};
use crate::model::sanitize;
use crate::report::Palette;
use crate::store::{SnapshotMeta, Workspace};

/// Writes the snapshots of `workspace` (of `environment` only, when given) to `out`:
/// environment, host, time, facts and errors. Times are written as `ENV@TIME` accepts them.
pub fn run(
    workspace: &Workspace,
    environment: Option<&str>,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entries: Vec<&SnapshotMeta> = workspace
        .history
        .entries
        .iter()
        .filter(|e| environment.is_none_or(|env| e.environment == env))
        .collect();
    if let (Some(env), true) = (environment, entries.is_empty()) {
        let known = workspace.history.environments();
        let known = if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        };
        bail!(
            "no snapshots of environment '{}' in workspace {} (environments with snapshots: {})",
            sanitize(env, false),
            sanitize(&workspace.name(), false),
            sanitize(&known, false)
        );
    }
    emit(out, &render(&entries, palette))?;
    Ok(Outcome::Success)
}

/// The history table, with a final line counting snapshots, hosts and environments.
pub fn render(entries: &[&SnapshotMeta], palette: Palette) -> String {
    if entries.is_empty() {
        return "No snapshots yet.\n".to_string();
    }
    let header = ["ENVIRONMENT", "HOST", "TIME", "FACTS", "ERRORS"];
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            [
                sanitize(&e.environment, false).into_owned(),
                sanitize(&e.host, false).into_owned(),
                e.taken_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                e.fact_count.to_string(),
                e.error_count.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let [w0, w1, w2, w3, w4] = widths;
    let mut out = String::new();
    let title = format!(
        "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {:>w4$}",
        header[0], header[1], header[2], header[3], header[4]
    );
    let _ = writeln!(out, "{}", palette.heading(title.trim_end()));
    for (row, entry) in rows.iter().zip(entries) {
        let errors = format!("{:>w4$}", row[4]);
        let errors = if entry.error_count > 0 {
            palette.warn(&errors)
        } else {
            errors
        };
        let _ = writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {errors}",
            row[0], row[1], row[2], row[3]
        );
    }
    let mut hosts: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.environment.as_str(), e.host.as_str()))
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    let mut environments: Vec<&str> = hosts.iter().map(|(env, _)| *env).collect();
    environments.dedup();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{}",
        palette.dim(&format!(
            "{}, {}, {}",
            plural(entries.len(), "snapshot"),
            plural(hosts.len(), "host"),
            plural(environments.len(), "environment")
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Location;
    use chrono::{TimeZone, Utc};

    fn meta(env: &str, host: &str, day: u32, errors: usize) -> SnapshotMeta {
        SnapshotMeta {
            environment: env.into(),
            host: host.into(),
            taken_at: Utc.with_ymd_and_hms(2026, 11, day, 9, 30, 0).unwrap(),
            fact_count: 120,
            error_count: errors,
            location: Location::Embedded(0),
        }
    }

    #[test]
    fn table_lists_every_snapshot_with_a_copyable_time() {
        let a = meta("prod", "web-1", 20, 0);
        let b = meta("prod", "web-1", 21, 2);
        let c = meta("staging", "web-\u{1b}[31m", 21, 0);
        let out = render(&[&a, &b, &c], Palette::plain());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "ENVIRONMENT  HOST        TIME                  FACTS  ERRORS"
        );
        assert_eq!(
            lines[1],
            "prod         web-1       2026-11-20T09:30:00Z    120       0"
        );
        assert_eq!(
            lines[2],
            "prod         web-1       2026-11-21T09:30:00Z    120       2"
        );
        assert!(lines[3].starts_with("staging      web-^[[31m  "), "{out}");
        assert_eq!(lines[4], "3 snapshots, 2 hosts, 2 environments");
    }

    #[test]
    fn empty_history_says_so() {
        assert_eq!(render(&[], Palette::plain()), "No snapshots yet.\n");
    }
}
