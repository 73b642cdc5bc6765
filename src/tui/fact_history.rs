//! The fact history popup: each value the selected fact held in a compared environment,
//! with when it was first and last seen and on which hosts, so "when did this start?"
//! has an answer. The history is read by the background worker; this module holds the
//! popup's state and its pure update.

use std::sync::Arc;

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Position, Rect};

use super::action::Action;
use super::layout::centered;
use super::message::Effect;
use super::overlay::Overlay;
use super::state::{Mode, State};
use super::timeline::{Loadable, side_references};
use crate::model::FactKey;
use crate::store::HistoryEntry;

/// Rows scrolled by one turn of the mouse wheel.
const WHEEL_ROWS: usize = 3;
/// Rows of the popup above its list: a summary line and the column headings.
pub const HEAD_ROWS: u16 = 2;

/// A fact's history in one environment, as the worker read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactHistoryResult {
    /// The values, oldest first.
    pub entries: Arc<[HistoryEntry]>,
    /// How many snapshots were searched.
    pub snapshots: usize,
}

/// A fact's history to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactHistoryRequest {
    /// Numbers requests; only the newest answer is used.
    pub id: u64,
    /// The environment's name.
    pub env: String,
    /// The fact.
    pub key: FactKey,
}

/// The popup's state.
#[derive(Debug, Clone)]
pub struct FactHistoryView {
    /// The fact.
    pub key: FactKey,
    /// The compared environments (by index), baseline first, each once.
    pub envs: Vec<usize>,
    /// The environment shown, as a position in `envs`.
    pub shown: usize,
    /// The history, when read.
    pub history: Loadable<FactHistoryResult>,
    /// The first row shown.
    pub scroll: usize,
    /// The request whose answer is awaited or shown.
    pub request: u64,
}

impl FactHistoryView {
    /// The environment shown, by index into the workspace's environments.
    pub fn env(&self) -> Option<usize> {
        self.envs.get(self.shown).copied()
    }

    /// The entries, when read.
    pub fn entries(&self) -> &[HistoryEntry] {
        match &self.history {
            Loadable::Ready(result) => &result.entries,
            _ => &[],
        }
    }
}

/// The popup's rectangle in a terminal of `area`.
pub fn popup_area(area: Rect, entries: usize) -> Rect {
    let rows = u16::try_from(entries).unwrap_or(u16::MAX).max(3);
    let height = rows.saturating_add(HEAD_ROWS + 3);
    centered(area, 110.min(area.width.saturating_sub(4)), height)
}

/// Opens the history of the selected fact in the baseline's environment.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(fact) = state.selected_fact() else {
        state.notice = Some("select a fact to see its history".into());
        return Vec::new();
    };
    let key = fact.key.clone();
    let mut envs: Vec<usize> = Vec::new();
    let sides = state
        .loaded
        .as_ref()
        .map(|l| l.side_envs.clone())
        .unwrap_or_else(|| side_references(state).into_iter().map(|(i, _)| i).collect());
    for env in sides {
        if !envs.contains(&env) {
            envs.push(env);
        }
    }
    if envs.is_empty() {
        state.notice = Some("no environment to read the history from".into());
        return Vec::new();
    }
    state.overlays.push(Overlay::History(FactHistoryView {
        key,
        envs,
        shown: 0,
        history: Loadable::Loading,
        scroll: 0,
        request: 0,
    }));
    request(state)
}

/// Closes the popup.
pub fn close(state: &mut State) {
    state.overlays.close(Mode::History);
}

/// Asks for the history of the popup's fact in the environment shown.
fn request(state: &mut State) -> Vec<Effect> {
    let id = state.next_request();
    let Some(view) = state.overlays.history_mut() else {
        return Vec::new();
    };
    let Some(env) = view.env().and_then(|i| state.workspace.environments.get(i)) else {
        return Vec::new();
    };
    view.request = id;
    view.history = Loadable::Loading;
    view.scroll = 0;
    vec![Effect::FactHistory(FactHistoryRequest {
        id,
        env: env.name.clone(),
        key: view.key.clone(),
    })]
}

/// Takes a read history, unless a newer one was asked for since.
pub fn on_history(state: &mut State, id: u64, result: Result<FactHistoryResult, String>) {
    if let Some(view) = state.overlays.history_mut().filter(|v| v.request == id) {
        view.history = match result {
            Ok(result) => Loadable::Ready(result),
            Err(message) => Loadable::Failed(message),
        };
    }
}

/// Applies an action while the popup is open.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    let page = list_height(state).saturating_sub(1).max(1);
    match action {
        Action::SelectNext => scroll(state, 1),
        Action::SelectPrev => scroll(state, -1),
        Action::SelectFirst => scroll(state, isize::MIN),
        Action::SelectLast => scroll(state, isize::MAX),
        Action::PageDown => scroll(state, page as isize),
        Action::PageUp => scroll(state, -(page as isize)),
        Action::NextSide | Action::PrevSide => {
            let Some(view) = state.overlays.history_mut() else {
                return Vec::new();
            };
            let count = view.envs.len();
            if count < 2 {
                state.notice = Some("only one environment is compared".into());
                return Vec::new();
            }
            view.shown = if action == Action::NextSide {
                (view.shown + 1) % count
            } else {
                (view.shown + count - 1) % count
            };
            return request(state);
        }
        _ => {}
    }
    Vec::new()
}

/// The number of list rows the popup shows.
fn list_height(state: &State) -> usize {
    state
        .viewport
        .history
        .map_or(1, |r| usize::from(list_area(r).height).max(1))
}

/// The list rows inside the popup's rectangle.
pub fn list_area(popup: Rect) -> Rect {
    let inner = popup.inner(Margin::new(1, 1));
    let skip = HEAD_ROWS.min(inner.height);
    Rect {
        y: inner.y + skip,
        height: inner.height - skip,
        ..inner
    }
}

/// Scrolls by `delta` rows, keeping the last rows on screen.
fn scroll(state: &mut State, delta: isize) {
    let height = list_height(state);
    if let Some(view) = state.overlays.history_mut() {
        let max = view.entries().len().saturating_sub(height);
        view.scroll = view.scroll.saturating_add_signed(delta).min(max);
    }
}

/// The mouse over the popup: the wheel scrolls; a click outside closes it.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) {
    match mouse.kind {
        MouseEventKind::ScrollDown => scroll(state, WHEEL_ROWS as isize),
        MouseEventKind::ScrollUp => scroll(state, -(WHEEL_ROWS as isize)),
        MouseEventKind::Down(MouseButton::Left) => {
            let inside = state
                .viewport
                .history
                .is_some_and(|r| r.contains(Position::new(mouse.column, mouse.row)));
            if !inside {
                close(state);
            }
        }
        _ => {}
    }
}

/// Keeps the history's scroll within its entries in the viewport's popup.
pub fn normalize(state: &mut State) {
    scroll(state, 0);
}
