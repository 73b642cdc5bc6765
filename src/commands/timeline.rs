//! `driftscope timeline`: an environment's (or a host's) snapshots over time, with how
//! many facts changed at each point, so bursts of change stand out.

use std::fmt::Write as _;
use std::io::Write;

use chrono::SecondsFormat;
use color_eyre::eyre::Result;

use super::{Outcome, emit};
use crate::model::sanitize;
use crate::report::Palette;
use crate::store::{TimelinePoint, Workspace, timeline};

/// Arguments of `driftscope timeline`.
#[derive(Debug, Clone, clap::Args)]
pub struct TimelineArgs {
    /// The environment.
    #[arg(value_name = "ENV")]
    pub environment: String,
    /// Only this host: one point per snapshot.
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// List the facts that changed at each point.
    #[arg(long)]
    pub facts: bool,
}

/// The widest change bar, in characters.
const BAR_WIDTH: usize = 30;

/// Writes the timeline of `args.environment` to `out`.
pub fn run(
    workspace: &Workspace,
    args: &TimelineArgs,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let points = timeline(workspace, &args.environment, args.host.as_deref())?;
    let view = View {
        environment: &args.environment,
        host: args.host.as_deref(),
        list_facts: args.facts,
        palette,
    };
    emit(out, &view.render(&points))?;
    Ok(Outcome::Success)
}

/// How to render a timeline.
struct View<'a> {
    environment: &'a str,
    host: Option<&'a str>,
    list_facts: bool,
    palette: Palette,
}

impl View<'_> {
    /// The table: time, hosts, changed facts and a bar; then how to compare the points
    /// around the latest change.
    fn render(&self, points: &[TimelinePoint]) -> String {
        let palette = self.palette;
        let env = sanitize(self.environment, false);
        let snapshots: usize = points.iter().map(|p| p.snapshots.len()).sum();
        let mut hosts: Vec<&str> = points
            .iter()
            .flat_map(|p| p.hosts.iter().map(String::as_str))
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        let mut out = String::new();
        let subject = match self.host {
            Some(host) => format!("{} in {env}", sanitize(host, false)),
            None => format!("{env} ({})", plural(hosts.len(), "host")),
        };
        let _ = writeln!(
            out,
            "{}",
            palette.heading(&format!(
                "Timeline of {subject}: {}, {}",
                plural(snapshots, "snapshot"),
                plural(points.len(), "point")
            ))
        );
        let most = points
            .iter()
            .filter_map(|p| p.changed_since_previous)
            .max()
            .unwrap_or(0);
        let header = if self.host.is_some() {
            format!("{:<20}  {:>7}", "TIME", "CHANGED")
        } else {
            format!("{:<20}  {:>5}  {:>7}", "TIME", "HOSTS", "CHANGED")
        };
        let _ = writeln!(out, "{}", palette.heading(&header));
        for point in points {
            let time = point.taken_at.to_rfc3339_opts(SecondsFormat::Secs, true);
            let (count, bar) = match point.changed_since_previous {
                None => ("-".to_string(), palette.dim("first snapshot")),
                Some(0) => ("0".to_string(), String::new()),
                Some(n) => (n.to_string(), palette.warn(&bar(n, most))),
            };
            let line = if self.host.is_some() {
                format!("{time:<20}  {count:>7}  {bar}")
            } else {
                let missing = hosts.len() - point.hosts.len().min(hosts.len());
                let note = if missing > 0 && point.hosts.len() <= 3 {
                    palette.dim(&format!("  ({})", sanitize(&point.hosts.join(", "), false)))
                } else {
                    String::new()
                };
                format!(
                    "{time:<20}  {:>5}  {count:>7}  {bar}{note}",
                    point.hosts.len()
                )
            };
            let _ = writeln!(out, "{}", line.trim_end());
            if self.list_facts {
                for key in &point.changed_facts {
                    let _ = writeln!(out, "    {}", sanitize(&key.to_string(), false));
                }
            }
        }
        // Point at the latest change (or, without one, the last two points).
        let latest_change = points
            .iter()
            .rposition(|p| p.changed_since_previous.is_some_and(|n| n > 0))
            .filter(|&i| i > 0)
            .or_else(|| points.len().checked_sub(1).filter(|&i| i > 0));
        if let Some(i) = latest_change {
            let hint = format!(
                "Compare two points: driftscope diff {} {}",
                points[i - 1].reference(&env),
                points[i].reference(&env)
            );
            let _ = writeln!(out, "{}", palette.dim(&hint));
        }
        out
    }
}

/// A bar for `n` changes, scaled so that `most` fills [`BAR_WIDTH`]; never empty.
fn bar(n: usize, most: usize) -> String {
    let width = if most <= BAR_WIDTH {
        n
    } else {
        (n * BAR_WIDTH).div_ceil(most)
    };
    "█".repeat(width.max(1))
}

/// `1 host`, `3 hosts`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_timeline(host: Option<&str>, facts: bool) -> String {
        let ws = crate::demo::workspace();
        let args = TimelineArgs {
            environment: "prod".into(),
            host: host.map(String::from),
            facts,
        };
        let mut out = Vec::new();
        run(&ws, &args, Palette::plain(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_demo_timeline_has_a_row_per_run_and_a_compare_hint() {
        let out = demo_timeline(None, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "Timeline of prod (3 hosts): 24 snapshots, 8 points"
        );
        assert_eq!(lines[1], "TIME                  HOSTS  CHANGED");
        assert!(lines[2].ends_with("3        -  first snapshot"), "{out}");
        assert_eq!(lines.len(), 2 + 8 + 1);
        assert!(lines[10].starts_with("Compare two points: driftscope diff prod@"));
        // The last run brought the security update: the most changes, the longest bar.
        let bars: Vec<usize> = lines[3..10]
            .iter()
            .map(|l| l.matches('█').count())
            .collect();
        assert_eq!(bars.iter().max(), bars.last(), "{out}");
    }

    #[test]
    fn changed_facts_can_be_listed_per_point() {
        let out = demo_timeline(Some("prod-web-1"), true);
        assert!(out.starts_with("Timeline of prod-web-1 in prod: 8 snapshots, 8 points\n"));
        assert!(out.contains("\n    versions/lib.openssl\n"), "{out}");
        let web_3 = demo_timeline(Some("prod-web-3"), true);
        assert!(!web_3.contains("lib.openssl"), "{web_3}");
        // prod-web-3 last changed at its seventh snapshot; the hint compares around it.
        let points = timeline(&crate::demo::workspace(), "prod", Some("prod-web-3")).unwrap();
        let hint = format!(
            "Compare two points: driftscope diff {} {}",
            points[5].reference("prod"),
            points[6].reference("prod")
        );
        assert_eq!(web_3.lines().last(), Some(hint.as_str()));
    }

    #[test]
    fn bars_scale_to_the_widest() {
        assert_eq!(bar(3, 10), "███");
        assert_eq!(bar(60, 60).chars().count(), BAR_WIDTH);
        assert_eq!(bar(1, 600), "█");
    }
}
