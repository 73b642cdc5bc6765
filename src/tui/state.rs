//! The explorer's whole state. `update` changes it, `render` draws it; nothing else does.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;

use crate::diff::{DriftReport, FactDiff};
use crate::model::Category;

use super::fact_history::FactHistoryView;
use super::hosts::HostsView;
use super::index::{FactIndex, Group, ListRow};
use super::input::TextInput;
use super::keymap::Keymap;
use super::layout::AppLayout;
use super::overlay::{Overlay, Overlays};
use super::prompt::Prompt;
use super::refresh::RefreshState;
use super::review::ReviewView;
use super::sides::SidePick;
use super::timeline::TimelineView;

/// An environment as the environments pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSummary {
    /// Its name.
    pub name: String,
    /// How many hosts have a snapshot.
    pub hosts: usize,
    /// When its newest snapshot was taken; `None` when it was never collected.
    pub latest: Option<DateTime<Utc>>,
}

impl EnvSummary {
    /// True when the environment has snapshots (it can be compared).
    pub fn collected(&self) -> bool {
        self.latest.is_some()
    }
}

/// What the explorer knows of the workspace without loading snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceInfo {
    /// A short name for the header.
    pub name: String,
    /// True for the embedded demo workspace.
    pub is_demo: bool,
    /// Environments with snapshots, sorted by name.
    pub environments: Vec<EnvSummary>,
    /// Problems met while reading the workspace, one line each.
    pub problems: Vec<String>,
    /// Environments to compare first, in order, the first being the baseline (snapshot
    /// files named on the command line); empty to pick `prod` as the baseline.
    pub sides: Vec<String>,
}

/// A pane of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// Environments and the comparison choice.
    Environments,
    /// Categories with counts.
    Categories,
    /// Facts of the chosen category.
    Facts,
    /// The selected fact side by side.
    Diff,
}

impl Pane {
    /// Panes in Tab order.
    pub const ALL: [Pane; 4] = [
        Pane::Environments,
        Pane::Categories,
        Pane::Facts,
        Pane::Diff,
    ];

    /// The pane after this one in Tab order.
    pub fn next(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + 1) % Pane::ALL.len()]
    }

    /// The pane before this one in Tab order.
    pub fn prev(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }

    /// The pane's title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Environments => "Environments",
            Pane::Categories => "Categories",
            Pane::Facts => "Facts",
            Pane::Diff => "Diff",
        }
    }
}

/// What the keyboard is doing: browsing the panes, or the kind of the overlay on top of
/// the [`Overlays`] stack. Derived from the stack ([`State::mode`]), never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Moving around the panes.
    Browse,
    /// Typing a fuzzy filter for the facts.
    Filter,
    /// Reading the help screen.
    Help,
    /// Browsing an environment's timeline to pick points to compare.
    Timeline,
    /// Reading a fact's history.
    History,
    /// Browsing an environment's hosts, or one host against its peers.
    Hosts,
    /// Typing the reason (ticket, expiry) of a justification or remediation.
    Prompt,
}

/// A selection in a list and the first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The selected row.
    pub selected: usize,
    /// The first row shown.
    pub offset: usize,
}

impl Cursor {
    /// The first row to show so that the selection is visible in `height` rows.
    pub fn visible_offset(&self, height: usize, len: usize) -> usize {
        let height = height.max(1);
        let mut offset = self.offset.min(len.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        offset
    }
}

/// The facts pane's cursor of each category (a category not yet visited is at the top).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactCursors(std::collections::BTreeMap<Category, Cursor>);

impl FactCursors {
    /// The cursor of `category`.
    pub fn get(&self, category: Category) -> Cursor {
        self.0.get(&category).copied().unwrap_or_default()
    }

    /// The cursor of `category`, to change it.
    pub fn get_mut(&mut self, category: Category) -> &mut Cursor {
        self.0.entry(category).or_default()
    }
}

/// The environments being compared: the baseline and the others, by index into
/// [`WorkspaceInfo::environments`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The baseline environment.
    pub baseline: usize,
    /// The other compared environments, in display order.
    pub others: Vec<usize>,
}

impl Selection {
    /// All compared environments, baseline first.
    pub fn sides(&self) -> Vec<usize> {
        std::iter::once(self.baseline)
            .chain(self.others.iter().copied())
            .collect()
    }

    /// True when `env` is compared (as baseline or otherwise).
    pub fn contains(&self, env: usize) -> bool {
        self.baseline == env || self.others.contains(&env)
    }
}

/// Where the comparison stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareStatus {
    /// Nothing to compare (fewer than two environments).
    Idle,
    /// A comparison is running in the background.
    Running,
    /// The report is current.
    Ready,
    /// The comparison failed; the message says why.
    Failed(String),
}

/// A finished comparison and its indexes.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The report.
    pub report: Arc<DriftReport>,
    /// The environment behind each side of the report.
    pub side_envs: Vec<usize>,
    /// Per-category fact lists.
    pub index: FactIndex,
    /// True when the report includes equal facts (else they are still being compared).
    pub complete: bool,
}

/// Scrolling of the diff pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffScroll {
    /// The first row shown.
    pub scroll: usize,
    /// Columns scrolled to the right.
    pub hscroll: usize,
    /// The side compared with the baseline in text diffs of 3+ sides (1-based side index).
    pub other: usize,
    /// The text fact and the number of its hunk last jumped to, so that the next jump
    /// goes on from there even when the whole text fits on screen.
    pub hunk: Option<(crate::model::FactKey, usize)>,
}

/// The explorer's state.
#[derive(Debug, Clone)]
pub struct State {
    /// The workspace.
    pub workspace: WorkspaceInfo,
    /// The active key bindings.
    pub keymap: Keymap,
    /// The current time, for ages ("3h ago").
    pub now: DateTime<Utc>,
    /// The terminal's area.
    pub area: Rect,
    /// The screen's layout for this state in [`State::area`]: computed once per update
    /// (in [`normalize`](super::viewport::normalize)), used for paging, scroll limits and
    /// mouse hit-testing, and drawn by `render`.
    pub viewport: AppLayout,
    /// The overlays over the panes (filter, help, timeline, history, prompt); the top one
    /// gets the keys.
    pub overlays: Overlays,
    /// The focused pane.
    pub focus: Pane,
    /// The compared environments.
    pub selection: Selection,
    /// The environments pane's cursor.
    pub env_cursor: Cursor,
    /// The categories pane's cursor.
    pub category_cursor: Cursor,
    /// The facts pane's cursor, per category.
    pub fact_cursors: FactCursors,
    /// The diff pane's scrolling.
    pub diff: DiffScroll,
    /// Show equal facts too.
    pub show_all: bool,
    /// Where a side's hosts disagree, list every host, one per row, instead of the
    /// majority and the first few others.
    pub all_hosts: bool,
    /// The fuzzy filter over fact keys (edited in the filter overlay; kept after it closes).
    pub filter: TextInput,
    /// Where the comparison stands.
    pub status: CompareStatus,
    /// The request id of the newest comparison asked for.
    pub generation: u64,
    /// The current comparison.
    pub loaded: Option<Loaded>,
    /// Per environment, its drift count against the baseline, when known.
    pub env_drift: Vec<Option<usize>>,
    /// The newest background refresh, while it runs and after it ended.
    pub refresh: Option<RefreshState>,
    /// A one-line notice for the user.
    pub notice: Option<String>,
    /// Set when the user quits.
    pub quit: bool,
    /// The point marked in a timeline as the first side of the next comparison.
    pub mark: Option<SidePick>,
    /// The compared sides when they were picked in a timeline (an environment may then be
    /// compared with itself at another time); `None` compares the selection's newest
    /// snapshots.
    pub pinned: Option<Vec<SidePick>>,
    /// The last request id handed out; every background request gets the next one.
    pub last_request: u64,
    /// The annotations and the review of the current report.
    pub review: ReviewView,
}

impl State {
    /// A fresh state: the baseline is `prod`/`production` when there is one, compared with
    /// every other environment (at most three sides); nothing is loaded yet.
    pub fn new(workspace: WorkspaceInfo, keymap: Keymap, now: DateTime<Utc>) -> State {
        let envs = &workspace.environments;
        let position = |name: &str| envs.iter().position(|e| e.name == name);
        let chosen: Vec<usize> = workspace.sides.iter().filter_map(|s| position(s)).collect();
        let baseline = chosen.first().copied().unwrap_or_else(|| {
            envs.iter()
                .position(|e| e.name == "prod" || e.name == "production")
                .unwrap_or(0)
        });
        let others: Vec<usize> = if chosen.len() > 1 {
            chosen[1..].iter().copied().take(2).collect()
        } else {
            (0..envs.len()).filter(|&i| i != baseline).take(2).collect()
        };
        let env_count = envs.len();
        let mut state = State {
            workspace,
            keymap,
            now,
            area: Rect::new(0, 0, 80, 24),
            viewport: AppLayout::default(),
            overlays: Overlays::default(),
            focus: Pane::Environments,
            selection: Selection { baseline, others },
            env_cursor: Cursor {
                selected: baseline,
                offset: 0,
            },
            category_cursor: Cursor::default(),
            fact_cursors: FactCursors::default(),
            diff: DiffScroll {
                other: 1,
                ..DiffScroll::default()
            },
            show_all: false,
            all_hosts: false,
            filter: TextInput::default(),
            status: CompareStatus::Idle,
            generation: 0,
            loaded: None,
            env_drift: vec![None; env_count],
            refresh: None,
            notice: None,
            quit: false,
            mark: None,
            pinned: None,
            last_request: 0,
            review: ReviewView::default(),
        };
        super::viewport::normalize(&mut state);
        state
    }

    /// True when environment `env` (an index into the workspace's environments) has
    /// snapshots to compare.
    pub fn is_collected(&self, env: usize) -> bool {
        self.workspace
            .environments
            .get(env)
            .is_some_and(EnvSummary::collected)
    }

    /// A new request id, larger than every one before.
    pub fn next_request(&mut self) -> u64 {
        self.last_request += 1;
        self.last_request
    }

    /// What the keyboard is doing: the top overlay's kind, or browsing.
    pub fn mode(&self) -> Mode {
        self.overlays.mode()
    }

    /// The timeline, while it is open.
    pub fn timeline(&self) -> Option<&TimelineView> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Timeline(view) => Some(view),
            _ => None,
        })
    }

    /// The fact history popup, while it is open.
    pub fn fact_history(&self) -> Option<&FactHistoryView> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::History(view) => Some(view),
            _ => None,
        })
    }

    /// The hosts overlay, while it is open.
    pub fn hosts_view(&self) -> Option<&HostsView> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Hosts(view) => Some(view),
            _ => None,
        })
    }

    /// The reason prompt, while it is open.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Prompt(prompt) => Some(prompt.as_ref()),
            _ => None,
        })
    }

    /// The help screen's scroll, while it is open.
    pub fn help_scroll(&self) -> Option<usize> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Help(help) => Some(help.scroll),
            _ => None,
        })
    }

    /// The category chosen in the categories pane.
    pub fn category(&self) -> Category {
        Category::ALL
            .get(self.category_cursor.selected)
            .copied()
            .unwrap_or(Category::Versions)
    }

    /// The facts pane's cursor for the chosen category.
    pub fn fact_cursor(&self) -> Cursor {
        self.fact_cursors.get(self.category())
    }

    /// The facts pane's cursor for the chosen category, to change it.
    pub fn fact_cursor_mut(&mut self) -> &mut Cursor {
        let category = self.category();
        self.fact_cursors.get_mut(category)
    }

    /// The visible rows of the chosen category: facts (indexes into the report) and,
    /// in the schema category, group headings.
    pub fn visible_rows(&self) -> &[ListRow] {
        self.loaded
            .as_ref()
            .map_or(&[], |l| l.index.visible(self.category()))
    }

    /// The selected row of the facts pane, if any.
    pub fn selected_row(&self) -> Option<ListRow> {
        self.visible_rows()
            .get(self.fact_cursor().selected)
            .copied()
    }

    /// The selected fact, if any (none when a group heading is selected).
    pub fn selected_fact(&self) -> Option<&FactDiff> {
        let loaded = self.loaded.as_ref()?;
        let row = self.selected_row()?.fact()?;
        loaded.report.facts.get(row as usize)
    }

    /// The schema group the selection belongs to: the selected heading's, or the
    /// selected schema fact's.
    pub fn selected_group(&self) -> Option<&Group> {
        let index = &self.loaded.as_ref()?.index;
        let group = match self.selected_row()? {
            ListRow::Heading { group, .. } => group,
            ListRow::Fact(row) => index.group_of(row)?,
        };
        index.group(group)
    }

    /// The report, when loaded.
    pub fn report(&self) -> Option<&DriftReport> {
        self.loaded.as_ref().map(|l| l.report.as_ref())
    }

    /// True while the refresh progress panel is shown.
    pub fn refresh_panel_shown(&self) -> bool {
        self.refresh.as_ref().is_some_and(|r| r.visible)
    }

    /// The side compared with the baseline in text diffs (at least 1).
    pub fn other_side(&self) -> usize {
        let sides = self.report().map_or(2, |r| r.sides.len());
        self.diff.other.clamp(1, sides.saturating_sub(1).max(1))
    }
}
