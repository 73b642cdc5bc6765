//! The command line: options and subcommands, parsed by clap. Parsing only; the work is
//! done in `driftscope::commands`.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use driftscope::model::Category;
use driftscope::report::Format;

/// Explore environment drift between dev, staging and production.
///
/// With no command, opens the interactive explorer: on the snapshot files or the folder
/// of snapshots named, else on the workspace, else on the embedded demo.
#[derive(Debug, Parser)]
#[command(name = "driftscope", version, about, long_about)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalOptions,
    /// Snapshot files to explore, the first being the baseline, or one folder of
    /// snapshots (read-only); no workspace is needed.
    #[arg(value_name = "FILE|FOLDER")]
    pub paths: Vec<PathBuf>,
    /// The command to run; none opens the interactive explorer.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// Use the workspace in DIR instead of searching up from the current folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Use the embedded demo workspace (dev, staging and prod with realistic drift).
    #[arg(long, global = true, conflicts_with = "workspace")]
    pub demo: bool,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorMode::Auto)]
    pub color: ColorMode,
    /// The explorer's theme: `dark`, `light`, `high-contrast`, or a theme file's path
    /// (explorer only).
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// A keymap file for the explorer, instead of the one in the user's config folder
    /// (explorer only).
    #[arg(long, value_name = "PATH")]
    pub keymap: Option<PathBuf>,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorMode {
    /// When standard output is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorMode {
    /// Whether to colour, given whether stdout is a terminal and the `NO_COLOR` value.
    pub fn enabled(self, stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => stdout_is_terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace here (or in --workspace DIR): driftscope.toml and snapshots/.
    Init,
    /// List stored snapshots: environment, host, time, facts and errors.
    History {
        /// Only this environment's snapshots.
        #[arg(value_name = "ENV")]
        environment: Option<String>,
    },
    /// Collect hosts (over SSH or locally) and store one snapshot per host; exits 1 when
    /// some host could not be collected.
    Snapshot(driftscope::commands::snapshot::SnapshotArgs),
    /// Show how environments differ; exits 0 whether or not there is drift.
    Diff(DiffArgs),
    /// An environment's hosts, the ones that stray most from its majority first; or,
    /// given ENV/HOST, that host compared with its peers (the rest of its environment).
    Hosts(driftscope::commands::hosts::HostsArgs),
    /// Summarise drift per category for CI: exits 1 when some drift needs review
    /// (unannotated, stale or expired annotation), 0 otherwise, 2 on error.
    Check(CheckArgs),
    /// An environment's snapshots over time, with how many facts changed at each point.
    Timeline(driftscope::commands::timeline::TimelineArgs),
    /// The history of one fact: each value, when it was first and last seen, and where.
    Log(driftscope::commands::log::LogArgs),
    /// Delete old snapshots by retention rules; a dry run unless --apply is given.
    Prune(driftscope::commands::prune::PruneArgs),
    /// Print the collection script, for a fleet engine to run on many hosts; import
    /// what it prints with `driftscope import raw`.
    ProbeScript,
    /// Print the playbook `snapshot --via ansible` runs, for running it from AWX, Tower
    /// or cron; import what it fetches with `driftscope import ansible-output`.
    AnsiblePlaybook(driftscope::commands::ansible_playbook::AnsiblePlaybookArgs),
    /// Store other tools' output as snapshots: raw (the probe script's), ansible,
    /// osquery or ansible-output; exits 1 when some file or host could not be imported.
    Import(driftscope::commands::import::ImportArgs),
    /// Record that a drift is intentional, with a reason, in the annotations file.
    #[command(
        override_usage = "driftscope justify <SIDE> <SIDE> [SIDE]... <CATEGORY/KEY> --reason <TEXT> [OPTIONS]"
    )]
    Justify(driftscope::commands::annotate::AnnotateArgs),
    /// Mark a drift for remediation, with a reason, in the annotations file.
    #[command(
        override_usage = "driftscope remediate <SIDE> <SIDE> [SIDE]... <CATEGORY/KEY> --reason <TEXT> [OPTIONS]"
    )]
    Remediate(driftscope::commands::annotate::AnnotateArgs),
    /// Remove the annotation of a drift from the annotations file.
    #[command(override_usage = "driftscope unannotate <SIDE>... <CATEGORY/KEY> [OPTIONS]")]
    Unannotate(driftscope::commands::annotate::UnannotateArgs),
    /// Accept today's drift as the baseline: justify every drift that needs review, in
    /// one batch with one reason; `--list` the batches, `--undo BATCH` one of them.
    #[command(
        override_usage = "driftscope accept <SIDE> <SIDE> [SIDE]... --reason <TEXT> [--yes]\n       driftscope accept --list\n       driftscope accept --undo <BATCH> [--yes]"
    )]
    Accept(driftscope::commands::accept::AcceptArgs),
    /// Write the audit report of a comparison: justified differences, a remediation
    /// checklist and what still needs review (Markdown, HTML or JSON).
    Report(driftscope::commands::report::ReportArgs),
    /// The embedded demo: `demo export DIR` writes it as a real, writable workspace.
    #[command(subcommand)]
    Demo(driftscope::commands::demo::DemoCommand),
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Sides to compare, the first is the baseline: ENV, ENV@TIME (a date or RFC 3339
    /// time), ENV/HOST[@TIME] or a snapshot file path.
    #[arg(required = true, num_args = 2.., value_name = "SNAPSHOT")]
    pub references: Vec<String>,
    /// Compare only this category: versions, config, schema, network, infra or services.
    #[arg(long, value_name = "CAT")]
    pub category: Option<Category>,
    /// Show equal facts too.
    #[arg(long, conflicts_with = "unreviewed")]
    pub all: bool,
    /// Show only the drifts that still need review: no current annotation and no
    /// expectation rule that allows them.
    #[arg(long)]
    pub unreviewed: bool,
    /// Where a side's hosts disagree, name every host and every value instead of the
    /// majority and the first few others (JSON always lists every host).
    #[arg(long)]
    pub all_hosts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Sides to compare, the first is the baseline: ENV, ENV@TIME, ENV/HOST[@TIME] or a
    /// snapshot file path.
    #[arg(required = true, num_args = 2.., value_name = "SNAPSHOT")]
    pub references: Vec<String>,
    /// Check only this category: versions, config, schema, network, infra or services.
    #[arg(long, value_name = "CAT")]
    pub category: Option<Category>,
    /// Also fail (exit 1) while some drift is marked for remediation.
    #[arg(long)]
    pub strict: bool,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Human-readable text.
    Text,
    /// The `driftscope-diff` JSON document.
    Json,
    /// Markdown tables.
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn auto_colour_needs_a_terminal_and_no_no_color() {
        assert!(ColorMode::Auto.enabled(true, None));
        assert!(ColorMode::Auto.enabled(true, Some(OsStr::new(""))));
        assert!(!ColorMode::Auto.enabled(true, Some(OsStr::new("1"))));
        assert!(!ColorMode::Auto.enabled(false, None));
        assert!(ColorMode::Always.enabled(false, Some(OsStr::new("1"))));
        assert!(!ColorMode::Never.enabled(true, None));
    }

    #[test]
    fn diff_needs_two_sides_and_parses_its_options() {
        assert!(Cli::try_parse_from(["driftscope", "diff", "prod"]).is_err());
        let cli = Cli::try_parse_from([
            "driftscope",
            "--demo",
            "diff",
            "staging",
            "prod",
            "dev",
            "--category",
            "versions",
            "--all",
            "--format",
            "json",
        ])
        .unwrap();
        assert!(cli.global.demo);
        match cli.command {
            Some(Command::Diff(args)) => {
                assert_eq!(args.references, ["staging", "prod", "dev"]);
                assert_eq!(args.category, Some(Category::Versions));
                assert!(args.all);
                assert_eq!(args.format, FormatArg::Json);
            }
            other => panic!("expected diff, got {other:?}"),
        }
    }

    #[test]
    fn annotation_commands_take_sides_then_a_fact_and_check_takes_strict() {
        let cli = Cli::try_parse_from([
            "driftscope",
            "remediate",
            "staging",
            "prod",
            "versions/server.postgresql",
            "--reason",
            "upgrade",
            "--ticket",
            "DB-88",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Remediate(args)) => {
                assert_eq!(
                    args.targets,
                    ["staging", "prod", "versions/server.postgresql"]
                );
                assert_eq!(args.reason, "upgrade");
                assert_eq!(args.ticket.as_deref(), Some("DB-88"));
            }
            other => panic!("expected remediate, got {other:?}"),
        }
        assert!(Cli::try_parse_from(["driftscope", "justify", "a", "b", "--reason", "x"]).is_err());
        assert!(
            Cli::try_parse_from(["driftscope", "justify", "a", "b", "config/x"]).is_err(),
            "a reason is required"
        );
        let cli = Cli::try_parse_from(["driftscope", "check", "a", "b", "--strict"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Check(CheckArgs { strict: true, .. }))
        ));
    }

    #[test]
    fn unknown_category_is_a_usage_error() {
        let err = Cli::try_parse_from(["driftscope", "check", "a", "b", "--category", "nope"])
            .unwrap_err();
        assert!(err.to_string().contains("unknown category 'nope'"), "{err}");
    }

    #[test]
    fn explorer_options_are_offered_only_to_the_explorer() {
        let mut command = Cli::command();
        let top = command.render_long_help().to_string();
        assert!(top.contains("--theme") && top.contains("--keymap"), "{top}");
        for sub in ["diff", "check", "report", "snapshot", "history", "log"] {
            let help = command
                .find_subcommand_mut(sub)
                .unwrap()
                .render_long_help()
                .to_string();
            assert!(!help.contains("--theme"), "{sub}: {help}");
            assert!(!help.contains("--keymap"), "{sub}: {help}");
            assert!(
                help.contains("--workspace"),
                "{sub} keeps the global options"
            );
        }
        assert!(Cli::try_parse_from(["driftscope", "--theme", "light"]).is_ok());
        assert!(Cli::try_parse_from(["driftscope", "diff", "a", "b", "--theme", "light"]).is_err());
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["driftscope", "history", "--color", "never", "--demo"]).unwrap();
        assert!(cli.global.demo);
        assert_eq!(cli.global.color, ColorMode::Never);
    }
}
