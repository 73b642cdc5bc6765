//! `driftscope storage`: how much room the history takes and how it grows.

use std::fmt::Write as _;
use std::io::Write;

use color_eyre::eyre::Result;

use super::{Outcome, emit};
use crate::model::sanitize;
use crate::report::Palette;
use crate::store::storage::{DAILY_PER_YEAR, EnvironmentStorage, HOURLY_PER_YEAR, storage};
use crate::store::{Workspace, snapshots_of};

/// Arguments of `driftscope storage`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StorageArgs {
    /// Only this environment (every environment when omitted).
    #[arg(value_name = "ENV")]
    pub environment: Option<String>,
}

/// Writes, per environment, the bytes stored, per host per snapshot, and per year.
pub fn run(
    workspace: &Workspace,
    args: &StorageArgs,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    if let Some(env) = &args.environment {
        snapshots_of(workspace, env, None)?;
    }
    let reports = storage(workspace, args.environment.as_deref());
    emit(out, &render(&reports, palette))?;
    Ok(Outcome::Success)
}

/// One block per environment.
pub fn render(reports: &[EnvironmentStorage], palette: Palette) -> String {
    let mut out = String::new();
    if reports.is_empty() {
        out.push_str("No snapshots.\n");
    }
    for r in reports {
        let title = format!(
            "{}: {} hosts, {} snapshots ({} compressed), {} stored",
            r.environment,
            r.hosts,
            r.snapshots,
            r.compressed,
            bytes(r.stored_bytes)
        );
        let _ = writeln!(out, "{}", palette.heading(&sanitize(&title, false)));
        let plain = r.plain_per_snapshot();
        let packed = r.compressed_per_snapshot();
        let _ = writeln!(
            out,
            "  per host per snapshot  {:>10}  {:>10} compressed ({}%)",
            bytes(plain),
            bytes(packed),
            (packed * 100).checked_div(plain).unwrap_or(0)
        );
        for (label, per_year) in [("daily", DAILY_PER_YEAR), ("hourly", HOURLY_PER_YEAR)] {
            let (plain, packed) = r.per_year(per_year);
            let _ = writeln!(
                out,
                "  per year, {label:<6}       {:>10}  {:>10} compressed ({} hosts × {per_year})",
                bytes(plain),
                bytes(packed),
                r.hosts
            );
        }
    }
    out
}

/// A byte count in B, KiB, MiB or GiB.
pub fn bytes(count: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if count < 1024 {
        return format!("{count} B");
    }
    let mut value = count as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_in_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn the_demo_reports_each_environment_with_consistent_projections() {
        let ws = crate::demo::workspace();
        let reports = storage(&ws, None);
        assert_eq!(
            reports
                .iter()
                .map(|r| r.environment.as_str())
                .collect::<Vec<_>>(),
            ws.history.environments()
        );
        for r in &reports {
            assert_eq!(r.snapshots, ws.history.of_environment(&r.environment).len());
            assert_eq!(r.sampled, r.hosts);
            assert!(
                r.compressed_per_snapshot() < r.plain_per_snapshot(),
                "{r:?}"
            );
            let (plain, _) = r.per_year(DAILY_PER_YEAR);
            assert_eq!(plain, r.plain_per_snapshot() * r.hosts as u64 * 365);
        }
        let text = render(&reports, Palette::plain());
        assert!(text.starts_with("dev: "), "{text}");
    }
}
