//! Where each pane goes for a terminal size and a state. Computed once per update into
//! [`State::viewport`](super::state::State::viewport), which paging, scroll limits, mouse
//! hit-testing and drawing all use. Sizes that depend on content come from the view layer.

use ratatui::layout::{Constraint, Layout, Margin, Rect};

use super::fact_history::popup_area;
use super::state::{Mode, Pane, State};
use super::view::detail::detail_height;
use super::view::refresh::{PADDING, PANEL_WIDTH, panel_lines};

/// Below this size only a "terminal too small" notice is shown.
pub const MIN_WIDTH: u16 = 30;
/// Below this size only a "terminal too small" notice is shown.
pub const MIN_HEIGHT: u16 = 8;
/// At least this wide, the four panes are shown side by side.
pub const WIDE: u16 = 120;
/// Narrower than this, a focused diff pane takes the whole body, for wide text columns.
pub const DIFF_BESIDE: u16 = 180;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppLayout {
    /// True when the terminal is too small for anything but a notice.
    pub too_small: bool,
    /// The header (title, compared environments, breadcrumbs).
    pub header: Rect,
    /// The footer (keys).
    pub footer: Rect,
    /// The environments pane, when shown.
    pub environments: Option<Rect>,
    /// The categories pane, when shown.
    pub categories: Option<Rect>,
    /// The facts pane, when shown.
    pub facts: Option<Rect>,
    /// The diff pane, when shown.
    pub diff: Option<Rect>,
    /// The refresh panel, when shown (over the lower right of the panes).
    pub refresh: Option<Rect>,
    /// The help popup, when open.
    pub help: Option<Rect>,
    /// The timeline view (over the panes), when open.
    pub timeline: Option<Rect>,
    /// The fact history popup, when open.
    pub history: Option<Rect>,
    /// The reason prompt, when open: above the footer, over the panes.
    pub prompt: Option<Rect>,
    /// The hosts overlay (over the panes), when open.
    pub hosts: Option<Rect>,
}

impl AppLayout {
    /// The layout of `state` in `area`.
    pub fn compute(area: Rect, state: &State) -> AppLayout {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return AppLayout {
                too_small: true,
                ..AppLayout::default()
            };
        }
        let compact = area.width < 60 || area.height < 16;
        let header_height = if compact {
            1
        } else if state.workspace.is_demo && area.height >= 20 {
            3
        } else {
            2
        };
        let [header, body, footer] = Layout::vertical([
            Constraint::Length(header_height),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let mut out = AppLayout {
            header,
            footer,
            ..AppLayout::default()
        };
        if compact {
            out.set(state.focus, body);
        } else if area.width >= WIDE && (state.focus != Pane::Diff || area.width >= DIFF_BESIDE) {
            let [left, facts, diff] = Layout::horizontal([
                Constraint::Length(30),
                Constraint::Percentage(36),
                Constraint::Fill(1),
            ])
            .areas(body);
            out.split_left(left, state);
            out.facts = Some(facts);
            out.diff = Some(diff);
        } else if state.focus == Pane::Diff {
            out.diff = Some(body);
        } else {
            let [left, main] =
                Layout::horizontal([Constraint::Length(26), Constraint::Fill(1)]).areas(body);
            out.split_left(left, state);
            if main.height >= 18 {
                let [facts, diff] =
                    Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(main);
                out.facts = Some(facts);
                out.diff = Some(diff);
            } else {
                out.facts = Some(main);
            }
        }
        out.timeline = state.timeline().map(|_| body);
        out.hosts = state.hosts_view().map(|_| body);
        out.history = state
            .fact_history()
            .map(|v| popup_area(area, v.entries().len()));
        if state.refresh_panel_shown() {
            out.refresh = refresh_panel(body, state);
        }
        if state.overlays.is_open(Mode::Help) {
            out.help = Some(centered(area, 76, area.height.saturating_sub(2)));
        }
        if state.overlays.is_open(Mode::Prompt) {
            let height = prompt_height(state).min(body.height);
            out.prompt = Some(Rect {
                y: body.y + body.height - height,
                height,
                ..body
            });
        }
        out
    }

    fn set(&mut self, pane: Pane, rect: Rect) {
        match pane {
            Pane::Environments => self.environments = Some(rect),
            Pane::Categories => self.categories = Some(rect),
            Pane::Facts => self.facts = Some(rect),
            Pane::Diff => self.diff = Some(rect),
        }
    }

    fn split_left(&mut self, left: Rect, state: &State) {
        let envs = state.workspace.environments.len() as u16;
        let env_height = (envs + 3).clamp(4, left.height.saturating_sub(9).max(4));
        let [environments, categories] =
            Layout::vertical([Constraint::Length(env_height), Constraint::Fill(1)]).areas(left);
        self.environments = Some(environments);
        self.categories = Some(categories);
    }

    /// The pane's outer rectangle, when shown.
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Environments => self.environments,
            Pane::Categories => self.categories,
            Pane::Facts => self.facts,
            Pane::Diff => self.diff,
        }
    }

    /// The pane under the point `(x, y)`.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| {
            self.pane(*p)
                .is_some_and(|r| r.contains(ratatui::layout::Position { x, y }))
        })
    }

    /// The rows of a pane's list (inside the border, below its header rows).
    pub fn list(&self, pane: Pane, state: &State) -> Option<Rect> {
        let inner = self.pane(pane)?.inner(Margin::new(1, 1));
        let mut skip = list_header_rows(pane, state);
        if pane == Pane::Diff {
            skip += detail_height(state, inner.width, inner.height);
        }
        Some(Rect {
            y: inner.y + skip.min(inner.height),
            height: inner.height.saturating_sub(skip),
            ..inner
        })
    }

    /// The number of list rows a pane shows (at least 1).
    pub fn list_height(&self, pane: Pane, state: &State) -> usize {
        self.list(pane, state)
            .map_or(1, |r| usize::from(r.height).max(1))
    }
}

/// The refresh panel's place in `body`: its lower right corner, as tall as its lines.
fn refresh_panel(body: Rect, state: &State) -> Option<Rect> {
    let width = body.width.min(PANEL_WIDTH);
    if width < 12 || body.height < 3 {
        return None;
    }
    let inner_width = usize::from(width - 2 - 2 * PADDING);
    let max_lines = usize::from(body.height - 2);
    let lines = panel_lines(state, inner_width, max_lines).len() as u16;
    let height = (lines + 2).min(body.height);
    Some(Rect {
        x: body.x + body.width - width,
        y: body.y + body.height - height,
        width,
        height,
    })
}

/// Rows at the top of a pane's inner area that are not list rows.
pub fn list_header_rows(pane: Pane, state: &State) -> u16 {
    match pane {
        Pane::Environments | Pane::Categories => 1,
        // The filter (while it is typed or kept), then the column header.
        Pane::Facts => {
            u16::from(state.mode() == Mode::Filter || !state.filter.is_empty())
                + u16::from(state.loaded.is_some())
        }
        Pane::Diff => 2,
    }
}

/// The reason prompt's height with its border: an information line (read-only demo, or
/// the annotation it replaces), three fields, and a line for errors and keys.
pub fn prompt_height(state: &State) -> u16 {
    let info = state
        .prompt()
        .is_some_and(|p| p.read_only || p.current.is_some());
    2 + 3 + 1 + u16::from(info)
}

/// A rectangle of at most `width` × `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
