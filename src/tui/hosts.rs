//! The hosts overlay: an environment's hosts, the one that strays most from its
//! environment's majority first, and, on Enter, the selected host compared with its
//! peers (the rest of its environment): the facts where it leaves their majority. The
//! ranking and the comparison are computed by the hosts job; this module holds the
//! overlay's state and its pure update.

use std::sync::Arc;

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Position, Rect};

use super::action::Action;
use super::message::Effect;
use super::overlay::Overlay;
use super::state::{Cursor, Mode, Pane, State};
use super::timeline::Loadable;
use crate::diff::hosts::Strays;
use crate::diff::{Cell, DriftReport};

/// Rows scrolled by one turn of the mouse wheel.
const WHEEL_ROWS: usize = 3;
/// Rows of the overlay above its list: a summary line and the column headings.
pub const HEAD_ROWS: u16 = 2;

/// What the hosts job is asked for: the ranking of an environment's hosts, or one host
/// compared with its peers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostsRequest {
    /// Numbers requests; only the newest answer is used.
    pub id: u64,
    /// The environment's name.
    pub env: String,
    /// The host to compare with its peers; `None` ranks the hosts.
    pub host: Option<String>,
}

/// What the hosts job answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostsAnswer {
    /// The environment's hosts, worst straying first.
    Ranking(Arc<Strays>),
    /// One host against its peers: only the facts where it strays from their majority.
    Peers(Arc<DriftReport>),
}

/// One host compared with its peers.
#[derive(Debug, Clone)]
pub struct PeersView {
    /// The host.
    pub host: String,
    /// The comparison, when made.
    pub report: Loadable<Arc<DriftReport>>,
    /// The first row shown.
    pub scroll: usize,
}

/// The overlay's state.
#[derive(Debug, Clone)]
pub struct HostsView {
    /// The environment, by index into the workspace's environments.
    pub env: usize,
    /// The ranking, when made.
    pub ranking: Loadable<Arc<Strays>>,
    /// The selected host in the ranking.
    pub cursor: Cursor,
    /// The selected host against its peers, while shown.
    pub peers: Option<PeersView>,
    /// The request whose answer is awaited or shown.
    pub request: u64,
}

impl HostsView {
    /// The ranked hosts, when known.
    pub fn hosts(&self) -> &[crate::diff::hosts::HostStray] {
        match &self.ranking {
            Loadable::Ready(strays) => &strays.hosts,
            _ => &[],
        }
    }

    /// The peer comparison's facts, when made.
    pub fn peer_facts(&self) -> &[crate::diff::FactDiff] {
        match self.peers.as_ref().map(|p| &p.report) {
            Some(Loadable::Ready(report)) => &report.facts,
            _ => &[],
        }
    }
}

/// The environment the overlay opens on: the environments pane's selection when it has
/// the focus; else the first compared environment whose hosts disagree on the selected
/// fact; else the baseline.
fn environment(state: &State) -> usize {
    if state.focus == Pane::Environments {
        return state.env_cursor.selected;
    }
    let divergent = state.selected_fact().and_then(|fact| {
        let sides = &state.loaded.as_ref()?.side_envs;
        fact.cells
            .iter()
            .zip(sides)
            .find(|(cell, _)| matches!(cell, Cell::Divergent { .. }))
            .map(|(_, env)| *env)
    });
    divergent.unwrap_or(state.selection.baseline)
}

/// Opens the overlay on an environment and asks for its hosts' ranking.
pub fn open(state: &mut State) -> Vec<Effect> {
    let env = environment(state);
    if state
        .workspace
        .environments
        .get(env)
        .is_none_or(|e| e.latest.is_none())
    {
        state.notice = Some("no snapshots of this environment to rank its hosts".into());
        return Vec::new();
    }
    state.overlays.push(Overlay::Hosts(HostsView {
        env,
        ranking: Loadable::Loading,
        cursor: Cursor::default(),
        peers: None,
        request: 0,
    }));
    request(state, None)
}

/// Asks for the ranking (`host` `None`) or a peer comparison of the overlay's
/// environment.
fn request(state: &mut State, host: Option<String>) -> Vec<Effect> {
    let id = state.next_request();
    let Some(view) = state.overlays.hosts_mut() else {
        return Vec::new();
    };
    let Some(env) = state.workspace.environments.get(view.env) else {
        return Vec::new();
    };
    view.request = id;
    match &host {
        Some(host) => {
            view.peers = Some(PeersView {
                host: host.clone(),
                report: Loadable::Loading,
                scroll: 0,
            })
        }
        None => {
            view.ranking = Loadable::Loading;
            view.cursor = Cursor::default();
            view.peers = None;
        }
    }
    vec![Effect::Hosts(HostsRequest {
        id,
        env: env.name.clone(),
        host,
    })]
}

/// Takes the hosts job's answer, unless a newer request was made since.
pub fn on_answer(state: &mut State, id: u64, result: Result<HostsAnswer, String>) {
    let Some(view) = state.overlays.hosts_mut().filter(|v| v.request == id) else {
        return;
    };
    match (result, view.peers.as_mut()) {
        (Ok(HostsAnswer::Peers(report)), Some(peers)) => peers.report = Loadable::Ready(report),
        (Ok(HostsAnswer::Ranking(strays)), None) => view.ranking = Loadable::Ready(strays),
        (Err(message), Some(peers)) => peers.report = Loadable::Failed(message),
        (Err(message), None) => view.ranking = Loadable::Failed(message),
        // An answer of the other kind than the view awaits: not for it.
        _ => {}
    }
}

/// Leaves the peer comparison for the ranking; false when the ranking is shown (the
/// overlay then closes as any other).
pub fn back(state: &mut State) -> bool {
    match state.overlays.hosts_mut() {
        Some(view) if view.peers.is_some() => {
            view.peers = None;
            true
        }
        _ => false,
    }
}

/// Applies an action while the overlay is open.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    let page = list_height(state).saturating_sub(1).max(1) as isize;
    let step = match action {
        Action::SelectNext => Some(1),
        Action::SelectPrev => Some(-1),
        Action::SelectFirst => Some(isize::MIN),
        Action::SelectLast => Some(isize::MAX),
        Action::PageDown => Some(page),
        Action::PageUp => Some(-page),
        _ => None,
    };
    if let Some(step) = step {
        move_by(state, step);
        return Vec::new();
    }
    match action {
        Action::DrillIn => {
            let Some(view) = state.overlays.hosts_mut() else {
                return Vec::new();
            };
            if view.peers.is_some() {
                return Vec::new();
            }
            let Some(host) = view
                .hosts()
                .get(view.cursor.selected)
                .map(|h| h.host.clone())
            else {
                return Vec::new();
            };
            if view.hosts().len() < 2 {
                state.notice = Some("the environment has no other host to compare with".into());
                return Vec::new();
            }
            request(state, Some(host))
        }
        Action::NextSide | Action::PrevSide => {
            let count = state.workspace.environments.len();
            let usable: Vec<usize> = (0..count)
                .filter(|&i| state.workspace.environments[i].latest.is_some())
                .collect();
            let Some(view) = state.overlays.hosts_mut() else {
                return Vec::new();
            };
            let at = usable.iter().position(|&i| i == view.env).unwrap_or(0);
            let next = if action == Action::NextSide {
                usable.get((at + 1) % usable.len().max(1))
            } else {
                usable.get((at + usable.len().saturating_sub(1)) % usable.len().max(1))
            };
            match next {
                Some(&env) if env != view.env => {
                    view.env = env;
                    request(state, None)
                }
                _ => {
                    state.notice = Some("no other environment has snapshots".into());
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    }
}

/// Moves the ranking's selection, or scrolls the peer comparison, by `delta` rows.
fn move_by(state: &mut State, delta: isize) {
    let height = list_height(state);
    let Some(view) = state.overlays.hosts_mut() else {
        return;
    };
    let facts = view.peer_facts().len();
    let hosts = view.hosts().len();
    match view.peers.as_mut() {
        Some(peers) => {
            let max = facts.saturating_sub(height);
            peers.scroll = peers.scroll.saturating_add_signed(delta).min(max);
        }
        None => {
            let last = hosts.saturating_sub(1);
            view.cursor.selected = view.cursor.selected.saturating_add_signed(delta).min(last);
            view.cursor.offset = view.cursor.visible_offset(height, hosts);
        }
    }
}

/// The number of list rows the overlay shows.
fn list_height(state: &State) -> usize {
    state
        .viewport
        .hosts
        .map_or(1, |r| usize::from(list_area(r).height).max(1))
}

/// The list rows inside the overlay's rectangle.
pub fn list_area(rect: Rect) -> Rect {
    let inner = rect.inner(Margin::new(1, 1));
    let skip = HEAD_ROWS.min(inner.height);
    Rect {
        y: inner.y + skip,
        height: inner.height - skip,
        ..inner
    }
}

/// The mouse over the overlay: the wheel moves; a click outside closes it.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) {
    match mouse.kind {
        MouseEventKind::ScrollDown => move_by(state, WHEEL_ROWS as isize),
        MouseEventKind::ScrollUp => move_by(state, -(WHEEL_ROWS as isize)),
        MouseEventKind::Down(MouseButton::Left) => {
            let inside = state
                .viewport
                .hosts
                .is_some_and(|r| r.contains(Position::new(mouse.column, mouse.row)));
            if !inside {
                state.overlays.close(Mode::Hosts);
            }
        }
        _ => {}
    }
}

/// Keeps the selection and the scroll within the lists in the viewport's rectangle.
pub fn normalize(state: &mut State) {
    move_by(state, 0);
}
