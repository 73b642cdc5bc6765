//! The driftscope binary: parse the command line, dispatch to a command, and turn the
//! outcome into an exit code (0 success, 1 drift found by `check`, 2 error).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use color_eyre::eyre::{Report, Result, WrapErr};
use driftscope::commands::{
    self, Outcome, WorkspaceChoice, annotate, check, compare, completions, demo, diff, history,
    import, init, log, probe_script, prune, report, snapshot, timeline,
};
use driftscope::model::{AnnotationKind, excerpt, sanitize};
use driftscope::report::Palette;
use driftscope::report::hosts::HostNames;
use driftscope::store::SideRef;

use crate::cli::{Cli, ColorMode, Command};
use driftscope::tui::TuiOptions;

fn main() -> ExitCode {
    // Installing fails only when a hook is already installed; the defaults then apply.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Drift | Outcome::Incomplete) => ExitCode::from(1),
        Err(report) => {
            let _ = writeln!(io::stderr(), "error: {}", one_line(&report));
            ExitCode::from(2)
        }
    }
}

/// Dispatches the parsed command line to its command.
fn run(cli: Cli) -> Result<Outcome> {
    let cwd = std::env::current_dir().wrap_err("cannot read the current folder")?;
    let choice = WorkspaceChoice {
        dir: cli.global.workspace.clone(),
        demo: cli.global.demo,
    };
    let no_color = std::env::var_os("NO_COLOR");
    let palette = Palette::new(
        cli.global
            .color
            .enabled(io::stdout().is_terminal(), no_color.as_deref()),
    );
    let mut out = io::stdout().lock();
    let mut err = io::stderr();
    match cli.command {
        None => {
            let options = TuiOptions {
                theme: cli.global.theme.clone(),
                keymap: cli.global.keymap.clone(),
                no_color: cli.global.color == ColorMode::Never,
            };
            explore(&choice, &cwd, &cli.paths, options, &mut err)
        }
        Some(Command::Init) => init::run(&choice, &cwd, &mut out),
        Some(Command::History { environment }) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            history::run(&workspace, environment.as_deref(), palette, &mut out)
        }
        Some(Command::Diff(args)) => {
            let now = chrono::Utc::now();
            let request = compare::request(&args.references, args.category, args.all, now)?;
            let workspace = commands::open_for_comparison(&choice, &cwd, &request.sides, &mut err)?;
            let unreviewed = args.unreviewed.then_some(now);
            diff::run(
                &workspace,
                &request,
                unreviewed,
                args.format.into(),
                HostNames::all_if(args.all_hosts),
                palette,
                &mut out,
            )
        }
        Some(Command::Hosts(args)) => {
            let side = SideRef::parse(&args.reference, chrono::Utc::now())?;
            let sides = [side];
            let workspace = commands::open_for_comparison(&choice, &cwd, &sides, &mut err)?;
            commands::hosts::run(&workspace, &args, chrono::Utc::now(), palette, &mut out)
        }
        Some(Command::Snapshot(args)) => {
            let mut workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            snapshot::run(&mut workspace, &args, &mut out, &mut err)
        }
        Some(Command::Check(args)) => {
            let request =
                compare::request(&args.references, args.category, false, chrono::Utc::now())?;
            let workspace = commands::open_for_comparison(&choice, &cwd, &request.sides, &mut err)?;
            check::run(
                &workspace,
                &request,
                args.strict,
                chrono::Utc::now(),
                palette,
                &mut out,
            )
        }
        Some(Command::Justify(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            let kind = AnnotationKind::Justify;
            annotate::run(&workspace, kind, &args, chrono::Utc::now(), &mut out)
        }
        Some(Command::Remediate(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            let kind = AnnotationKind::Remediate;
            annotate::run(&workspace, kind, &args, chrono::Utc::now(), &mut out)
        }
        Some(Command::Unannotate(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            annotate::run_unannotate(&workspace, &args, &mut out)
        }
        Some(Command::Accept(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            commands::accept::run(&workspace, &args, chrono::Utc::now(), &mut out)
        }
        Some(Command::Report(args)) => {
            let sides = compare::parse_sides(&args.references, chrono::Utc::now())?;
            let workspace = commands::open_for_comparison(&choice, &cwd, &sides, &mut err)?;
            report::run(&workspace, &args, chrono::Utc::now(), &mut out)
        }
        Some(Command::Timeline(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            timeline::run(&workspace, &args, palette, &mut out)
        }
        Some(Command::Log(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            log::run(&workspace, &args, palette, &mut out)
        }
        Some(Command::Prune(args)) => {
            let mut workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            prune::run(&mut workspace, &args, palette, &mut out, &mut err)
        }
        Some(Command::ProbeScript) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            probe_script::run(&workspace, &mut out)
        }
        Some(Command::AnsiblePlaybook(args)) => {
            let workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            commands::ansible_playbook::run(&workspace, &args, &mut out)
        }
        Some(Command::Import(args)) => {
            let mut workspace = commands::open_workspace(&choice, &cwd, &mut err)?;
            import::run(&mut workspace, &args, &mut out, &mut err)
        }
        Some(Command::Demo(command)) => demo::run(&command, &mut out),
        Some(Command::Completions { shell }) => {
            completions::run(shell, &mut Cli::command(), &mut out)
        }
    }
}

/// No subcommand: the interactive explorer, on the snapshot files or folder named, else
/// on the chosen workspace or the demo. This is the one place the explorer is started
/// from.
fn explore(
    choice: &WorkspaceChoice,
    cwd: &std::path::Path,
    paths: &[std::path::PathBuf],
    options: TuiOptions,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let workspace = if paths.is_empty() {
        commands::open_workspace_or_demo(choice, cwd, err)?
    } else {
        commands::open_paths(paths, err)?
    };
    driftscope::tui::run(workspace, options)?;
    Ok(Outcome::Success)
}

/// The error and its causes on one line, `message: cause: cause`, terminal-safe.
fn one_line(report: &Report) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in report.chain() {
        let text = sanitize(&cause.to_string(), false).into_owned();
        // Some errors repeat their source's message; say it once.
        if parts.last().is_some_and(|last| last.ends_with(&text)) {
            continue;
        }
        parts.push(text);
    }
    let line = parts.join(": ");
    excerpt(&line, commands::MESSAGE_LIMIT).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use color_eyre::eyre::eyre;

    #[test]
    fn errors_print_as_one_line_with_their_causes() {
        let report = Err::<(), _>(eyre!("line 3, column 5: expected value"))
            .wrap_err("snapshots/prod/web-1.json")
            .wrap_err("cannot use 'prod'")
            .unwrap_err();
        assert_eq!(
            one_line(&report),
            "cannot use 'prod': snapshots/prod/web-1.json: line 3, column 5: expected value"
        );
    }

    #[test]
    fn error_lines_quote_only_an_excerpt_of_huge_input() {
        let report = eyre!("bad value '{}'", "x".repeat(1_000_000));
        let line = one_line(&report);
        assert!(line.chars().count() < 600, "{} chars", line.len());
        assert!(line.starts_with("bad value 'xxx"));
        assert!(line.ends_with("bytes in all)"));
    }

    #[test]
    fn error_lines_neutralise_control_characters() {
        let report = eyre!("bad\nfile\u{1b}[2J");
        assert_eq!(one_line(&report), "bad^Jfile^[[2J");
    }
}
