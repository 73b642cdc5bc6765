//! The terminal explorer: environments, categories, facts and a side-by-side diff.
//!
//! The Elm Architecture: [`State`] holds everything; input and background results
//! arrive as [`Msg`]s; [`update()`] is a pure function from a message to a new state and
//! [`Effect`]s; [`render()`] is a pure function of the state. The runtime (terminal,
//! input thread, signals) lives in `runtime`, `terminal` and `signals`; `background` runs
//! the effects on the jobs layer (`jobs`, the only module that starts threads):
//! comparisons in `worker`, timelines and fact histories in `history_worker`, refreshes in
//! `refresh_job`, and the annotations read and saved off the UI thread by `annotator`.

pub mod action;
mod annotator;
pub mod background;
pub mod fact_history;
pub mod filter;
pub mod help;
pub mod history_worker;
pub mod hosts;
pub mod hosts_worker;
pub mod index;
pub mod input;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod message;
pub mod overlay;
pub mod prompt;
pub mod refresh;
pub mod refresh_job;
pub mod render;
pub mod review;
mod runtime;
pub mod sides;
mod signals;
pub mod state;
mod terminal;
pub mod theme;
pub mod timeline;
pub mod tomlpos;
pub mod update;
pub mod view;
pub mod viewport;
mod worker;

use std::path::PathBuf;

pub use action::Action;
pub use background::{Background, Outcome};
pub use keymap::Keymap;
pub use message::{CompareRequest, Effect, Msg};
pub use refresh::{RefreshEvent, RefreshRequest, RefreshState};
pub use render::render;
pub use sides::SidePick;
pub use state::{EnvSummary, Mode, Pane, State, WorkspaceInfo};
pub use theme::Theme;
pub use update::update;
pub use worker::{compare_environments, compare_sides};

use crate::store::Workspace;

/// Options of the explorer.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// `--theme`: a built-in theme name (`dark`, `light`, `high-contrast`), a theme in the
    /// user's config folder, or a path to a theme file. `None` is the dark default.
    pub theme: Option<String>,
    /// A keymap file to use instead of the one in the user's config folder.
    pub keymap: Option<PathBuf>,
    /// Draw without colors even when `NO_COLOR` is not set.
    pub no_color: bool,
}

/// Opens the explorer on `workspace` and returns when the user quits. The terminal is
/// restored on quit, on error and on panic. On SIGTERM, SIGHUP or SIGINT it is restored
/// too, and the process ends with status 128 + the signal's number.
pub fn run(workspace: Workspace, options: TuiOptions) -> color_eyre::Result<()> {
    runtime::run(workspace, options)
}

/// What the explorer shows of a workspace before any comparison: its environments (those
/// with snapshots and those `driftscope.toml` declares, collected or not) with host
/// counts and the time of their newest snapshot.
pub fn workspace_info(workspace: &Workspace) -> WorkspaceInfo {
    let mut names: Vec<String> = workspace.history.environments();
    names.extend(workspace.config.environments.keys().cloned());
    names.sort_unstable();
    names.dedup();
    let environments = names
        .into_iter()
        .map(|name| env_summary(workspace, &name))
        .collect();
    WorkspaceInfo {
        name: workspace.name(),
        is_demo: workspace.is_demo(),
        environments,
        problems: workspace.history.problems.clone(),
        sides: workspace.sides.clone(),
    }
}

/// An environment's host count and newest snapshot time, from the workspace's history
/// (none, for an environment never collected).
pub fn env_summary(workspace: &Workspace, name: &str) -> EnvSummary {
    let latest = workspace.history.latest(name, None);
    EnvSummary {
        name: name.to_string(),
        hosts: latest.len(),
        latest: latest.iter().map(|m| m.taken_at).max(),
    }
}
