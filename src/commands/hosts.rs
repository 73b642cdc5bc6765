//! `driftscope hosts`: an environment's hosts, the ones that stray most from their
//! environment's majority first (`hosts ENV`), or one host compared with its peers, the
//! rest of its environment (`hosts ENV/HOST`).

use std::fmt::Write as _;
use std::io::Write;

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr};
use serde::Serialize;

use super::{Outcome, emit};
use crate::model::{Category, sanitize};
use crate::report::hosts::HostNames;
use crate::report::{self, Palette, text::TextOptions};
use crate::store::Workspace;
use crate::store::peers::{self, HostRanking};
use crate::store::{SideRef, compact_time};

/// Arguments of `hosts`.
#[derive(Debug, Clone, Args)]
pub struct HostsArgs {
    /// The environment (ENV or ENV@TIME) whose hosts to rank, or one host of it
    /// (ENV/HOST or ENV/HOST@TIME) to compare with its peers.
    #[arg(value_name = "ENV[/HOST]")]
    pub reference: String,
    /// Count (or compare) only this category: versions, config, schema, network, infra
    /// or services.
    #[arg(long, value_name = "CAT")]
    pub category: Option<Category>,
    /// List every host, those that hold the majority's value of every fact too.
    #[arg(long)]
    pub all: bool,
    /// Compared with its peers: name every peer and every value where the peers
    /// disagree, instead of the majority and the first few others.
    #[arg(long)]
    pub all_hosts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HostsFormat::Text)]
    pub format: HostsFormat,
}

/// Output formats of `hosts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HostsFormat {
    /// Human-readable text.
    Text,
    /// JSON: the ranking as `driftscope-hosts`, a peer comparison as `driftscope-diff`.
    Json,
    /// Markdown.
    Markdown,
}

/// Ranks the hosts of the environment `args` names, or compares the host it names with
/// its peers, and writes the result to `out`. Succeeds whatever it finds.
pub fn run(
    workspace: &Workspace,
    args: &HostsArgs,
    now: chrono::DateTime<chrono::Utc>,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let side = SideRef::parse(&args.reference, now)?;
    let (_, host) = peers::split_host(&side)?;
    let resolved = peers::load_environment(workspace, &side)?;
    let text = match host {
        Some(host) => {
            let compared = peers::compare_with_peers(workspace, &resolved, &host, args.category)?;
            let hosts = HostNames::all_if(args.all_hosts);
            match args.format {
                HostsFormat::Text => report::text::render(
                    &compared.report,
                    &TextOptions {
                        hosts,
                        ..TextOptions::new(palette)
                    },
                ),
                HostsFormat::Json => report::json::render(&compared.report)
                    .wrap_err("cannot write the JSON report")?,
                HostsFormat::Markdown => report::markdown::render_with(&compared.report, hosts),
            }
        }
        None => {
            let ranking = peers::rank_hosts(workspace, &resolved, args.category)?;
            let time = resolved
                .snapshots
                .iter()
                .map(|s| s.taken_at)
                .max()
                .map(compact_time);
            match args.format {
                HostsFormat::Text => ranking_text(&ranking, args.all, palette),
                HostsFormat::Json => ranking_json(&ranking, time)?,
                HostsFormat::Markdown => ranking_markdown(&ranking, args.all),
            }
        }
    };
    emit(out, &text)?;
    Ok(Outcome::Success)
}

/// The hosts a ranking lists: those that stray, or every one with `all`.
fn listed(
    ranking: &HostRanking,
    all: bool,
) -> impl Iterator<Item = &crate::diff::hosts::HostStray> {
    ranking
        .strays
        .hosts
        .iter()
        .filter(move |h| all || h.strays > 0)
}

/// `versions/openssl, config/env.X`, the examples of a host, terminal-safe.
fn examples(stray: &crate::diff::hosts::HostStray) -> String {
    let keys: Vec<String> = stray.examples.iter().map(|k| k.to_string()).collect();
    let mut out = sanitize(&keys.join(", "), false).into_owned();
    if stray.strays > keys.len() {
        out.push_str(", …");
    }
    out
}

fn ranking_text(ranking: &HostRanking, all: bool, palette: Palette) -> String {
    let label = sanitize(&ranking.label, false);
    let total = ranking.strays.hosts.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        palette.heading(&format!(
            "Hosts of {label} ({total}), the most straying first: facts where a host leaves \
             the majority"
        ))
    );
    let rows: Vec<_> = listed(ranking, all).collect();
    let names: Vec<String> = rows
        .iter()
        .map(|h| sanitize(&h.host, false).into_owned())
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let count_width = rows
        .iter()
        .map(|h| h.strays.to_string().len())
        .max()
        .unwrap_or(1);
    for (stray, name) in rows.iter().zip(&names) {
        let count = format!("{:>count_width$} of {} facts", stray.strays, stray.facts);
        let line = if stray.strays == 0 {
            format!("  {name:<width$}  {}", palette.dim(&count))
        } else {
            format!(
                "  {name:<width$}  {count}  {}",
                palette.dim(&format!("e.g. {}", examples(stray)))
            )
        };
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let straying = ranking.strays.hosts.iter().filter(|h| h.strays > 0).count();
    let steady = total - straying;
    let split = &ranking.strays;
    if split.split > 0 {
        let keys: Vec<String> = split.split_examples.iter().map(|k| k.to_string()).collect();
        let more = if split.split > keys.len() {
            ", …"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{} fact{} split the hosts with no majority (counted against no host): {}{more}",
            split.split,
            if split.split == 1 { "" } else { "s" },
            sanitize(&keys.join(", "), false)
        );
    }
    if straying == 0 && split.split == 0 {
        let _ = writeln!(
            out,
            "{}",
            palette.ok("every host holds the same value of every fact")
        );
    } else if straying == 0 {
        let _ = writeln!(out, "no host strays from a majority");
    } else if !all && steady > 0 {
        let _ = writeln!(
            out,
            "{steady} other host{} hold{} the majority's value of every fact (--all lists them)",
            if steady == 1 { "" } else { "s" },
            if steady == 1 { "s" } else { "" },
        );
    }
    if let Some(worst) = ranking.strays.hosts.first().filter(|h| h.strays > 0) {
        let _ = writeln!(
            out,
            "{}",
            palette.dim(&format!(
                "compare one with its peers: driftscope hosts {}",
                sanitize(
                    &crate::diff::hosts::host_label(&ranking.label, &worst.host),
                    false
                )
            ))
        );
    }
    out
}

fn ranking_markdown(ranking: &HostRanking, all: bool) -> String {
    use crate::report::markdown::escape;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Hosts of {} ({})\n\n| Host | Facts straying from the majority | Facts | Examples |\n| --- | --: | --: | --- |",
        escape(&ranking.label),
        ranking.strays.hosts.len()
    );
    for stray in listed(ranking, all) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&stray.host),
            stray.strays,
            stray.facts,
            escape(&examples(stray))
        );
    }
    out
}

/// The `driftscope-hosts` JSON document.
#[derive(Serialize)]
struct RankingDocument<'a> {
    format: &'static str,
    version: u32,
    environment: &'a str,
    newest_snapshot: Option<String>,
    hosts: Vec<RankedHost<'a>>,
    split: usize,
    split_examples: Vec<String>,
}

#[derive(Serialize)]
struct RankedHost<'a> {
    host: &'a str,
    strays: usize,
    facts: usize,
    examples: Vec<String>,
}

fn ranking_json(ranking: &HostRanking, newest: Option<String>) -> Result<String> {
    let document = RankingDocument {
        format: "driftscope-hosts",
        version: 1,
        environment: &ranking.label,
        newest_snapshot: newest,
        hosts: ranking
            .strays
            .hosts
            .iter()
            .map(|h| RankedHost {
                host: &h.host,
                strays: h.strays,
                facts: h.facts,
                examples: h.examples.iter().map(|k| k.to_string()).collect(),
            })
            .collect(),
        split: ranking.strays.split,
        split_examples: ranking
            .strays
            .split_examples
            .iter()
            .map(|k| k.to_string())
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&document).wrap_err("cannot write the JSON ranking")?;
    text.push('\n');
    Ok(text)
}
