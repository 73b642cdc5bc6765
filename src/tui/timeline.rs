//! The timeline view: every stored snapshot of an environment (or of one of its hosts) in
//! time order, with how many facts changed at each point, and picking two points to
//! compare.
//!
//! The points are computed by the background worker (it reads snapshots); this module
//! holds the view's state and its pure update. A compared side is a [`SidePick`]: an
//! environment (or one host, from a host's timeline) at a point of its timeline or at its
//! newest snapshots; the comparison worker resolves its reference (`ENV@TIME`…) with
//! [`Workspace::resolve_side`](crate::store::Workspace::resolve_side).

use std::sync::Arc;

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Position, Rect};

use super::action::Action;
use super::message::Effect;
use super::overlay::Overlay;
use super::sides::SidePick;
use super::state::{Cursor, Mode, Pane, Selection, State};
use super::update::request_compare;
use crate::store::{SideRef, TimelinePoint};

/// Rows moved by one turn of the mouse wheel.
const WHEEL_ROWS: isize = 3;
/// At least this wide, the selected point's details are shown beside the list.
pub const DETAILS_BESIDE: u16 = 96;
/// The list's width when the details are beside it.
pub const LIST_WIDTH: u16 = 58;
/// The details' height when they are below the list.
pub const DETAILS_BELOW: u16 = 7;

/// Something computed in the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loadable<T> {
    /// Asked for; not there yet.
    Loading,
    /// Here it is.
    Ready(T),
    /// It could not be computed; the message says why.
    Failed(String),
}

/// The timeline of one environment, or of one of its hosts.
#[derive(Debug, Clone)]
pub struct TimelineView {
    /// The environment, by index into the workspace's environments.
    pub env: usize,
    /// Its hosts, sorted, once its whole timeline has arrived.
    pub hosts: Vec<String>,
    /// 0 for all hosts; `i` for `hosts[i - 1]` alone.
    pub scope: usize,
    /// The points, oldest first.
    pub points: Loadable<Arc<[TimelinePoint]>>,
    /// The list's cursor; row 0 is the newest point.
    pub cursor: Cursor,
    /// The request whose answer is awaited or shown.
    pub request: u64,
}

impl TimelineView {
    /// The host shown alone, if any.
    pub fn host(&self) -> Option<&str> {
        self.scope
            .checked_sub(1)
            .and_then(|i| self.hosts.get(i))
            .map(String::as_str)
    }

    /// The loaded points, oldest first (empty while loading).
    pub fn points(&self) -> &[TimelinePoint] {
        match &self.points {
            Loadable::Ready(points) => points,
            _ => &[],
        }
    }

    /// The point shown on list row `row` (newest first).
    pub fn point_at(&self, row: usize) -> Option<&TimelinePoint> {
        let points = self.points();
        points.len().checked_sub(row + 1).map(|i| &points[i])
    }

    /// The point under the cursor.
    pub fn selected(&self) -> Option<&TimelinePoint> {
        self.point_at(self.cursor.selected)
    }
}

/// A timeline to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRequest {
    /// Numbers requests; only the newest answer is used.
    pub id: u64,
    /// The environment's name.
    pub env: String,
    /// One host only, when given.
    pub host: Option<String>,
}

/// Where the parts of the timeline view go inside its rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineAreas {
    /// The summary line (points, snapshots, the mark).
    pub summary: Rect,
    /// The column headings.
    pub head: Rect,
    /// The list rows.
    pub list: Rect,
    /// The selected point's details, when there is room.
    pub details: Option<Rect>,
}

impl TimelineAreas {
    /// The areas of a timeline view drawn in `rect` (its border included).
    pub fn of(rect: Rect) -> TimelineAreas {
        let inner = rect.inner(Margin::new(1, 1));
        let beside = inner.width >= DETAILS_BESIDE;
        let below = !beside && inner.height >= 16;
        let left = Rect {
            width: if beside { LIST_WIDTH } else { inner.width },
            ..inner
        };
        let row = |y: u16| Rect {
            y: left.y + y.min(left.height),
            height: u16::from(y < left.height),
            ..left
        };
        let top = 2.min(left.height);
        let below_height = if below { DETAILS_BELOW } else { 0 };
        let list = Rect {
            y: left.y + top,
            height: left.height.saturating_sub(top + below_height),
            ..left
        };
        let details = if beside {
            Some(Rect {
                x: inner.x + LIST_WIDTH + 1,
                width: inner.width - LIST_WIDTH - 1,
                ..inner
            })
        } else if below {
            Some(Rect {
                y: list.y + list.height,
                height: below_height,
                ..left
            })
        } else {
            None
        };
        TimelineAreas {
            summary: row(0),
            head: row(1),
            list,
            details,
        }
    }
}

/// Opens the timeline of the environment under the cursor (in the environments pane) or
/// of the baseline.
pub fn open(state: &mut State) -> Vec<Effect> {
    let env = if state.focus == Pane::Environments {
        state.env_cursor.selected
    } else {
        baseline_env(state)
    };
    if env >= state.workspace.environments.len() {
        state.notice = Some("no environment has snapshots yet".into());
        return Vec::new();
    }
    state.overlays.push(Overlay::Timeline(TimelineView {
        env,
        hosts: Vec::new(),
        scope: 0,
        points: Loadable::Loading,
        cursor: Cursor::default(),
        request: 0,
    }));
    request(state)
}

/// The environment of the comparison's baseline.
fn baseline_env(state: &State) -> usize {
    state
        .pinned
        .as_ref()
        .and_then(|sides| sides.first())
        .map_or(state.selection.baseline, |s| s.env)
}

/// Closes the timeline; the comparison stays as it is.
pub fn close(state: &mut State) {
    state.overlays.close(Mode::Timeline);
}

/// Asks again for the open timeline's points (new snapshots were stored); nothing when
/// no timeline is open.
pub fn reload(state: &mut State) -> Vec<Effect> {
    if state.timeline().is_some() {
        request(state)
    } else {
        Vec::new()
    }
}

/// Asks for the open timeline's points.
fn request(state: &mut State) -> Vec<Effect> {
    let id = state.next_request();
    let Some(view) = state.overlays.timeline_mut() else {
        return Vec::new();
    };
    let Some(env) = state.workspace.environments.get(view.env) else {
        return Vec::new();
    };
    view.request = id;
    view.points = Loadable::Loading;
    view.cursor = Cursor::default();
    vec![Effect::Timeline(TimelineRequest {
        id,
        env: env.name.clone(),
        host: view.host().map(str::to_string),
    })]
}

/// Takes a computed timeline, unless a newer one was asked for since.
pub fn on_timeline(state: &mut State, id: u64, result: Result<Arc<[TimelinePoint]>, String>) {
    let pinned = state.pinned.clone().unwrap_or_default();
    let Some(view) = state.overlays.timeline_mut().filter(|v| v.request == id) else {
        return;
    };
    match result {
        Err(message) => view.points = Loadable::Failed(message),
        Ok(points) => {
            if view.scope == 0 {
                let mut hosts: Vec<String> = points
                    .iter()
                    .flat_map(|p| p.hosts.iter().cloned())
                    .collect();
                hosts.sort_unstable();
                hosts.dedup();
                view.hosts = hosts;
            }
            // Start on the point compared now, if this timeline has one.
            let compared = pinned
                .iter()
                .filter(|s| s.env == view.env && s.host.as_deref() == view.host())
                .find_map(|s| s.at);
            let row = compared
                .and_then(|t| points.iter().rev().position(|p| p.taken_at == t))
                .unwrap_or(0);
            view.points = Loadable::Ready(points);
            view.cursor = Cursor {
                selected: row,
                offset: 0,
            };
        }
    }
}

/// Applies an action while the timeline is open.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::SelectNext => move_by(state, 1),
        Action::SelectPrev => move_by(state, -1),
        Action::SelectFirst => move_by(state, isize::MIN),
        Action::SelectLast => move_by(state, isize::MAX),
        Action::PageDown => move_by(state, page(state) as isize),
        Action::PageUp => move_by(state, -(page(state) as isize)),
        Action::NextSide | Action::PrevSide => {
            let count = state.workspace.environments.len();
            if let Some(view) = state.overlays.timeline_mut().filter(|_| count > 1) {
                view.env = if action == Action::NextSide {
                    (view.env + 1) % count
                } else {
                    (view.env + count - 1) % count
                };
                view.scope = 0;
                view.hosts.clear();
                return request(state);
            }
        }
        Action::FocusNextPane | Action::FocusPrevPane => {
            let Some(view) = state.overlays.timeline_mut() else {
                return Vec::new();
            };
            if view.hosts.is_empty() {
                state.notice = Some("the hosts are known once the timeline has loaded".into());
                return Vec::new();
            }
            let scopes = view.hosts.len() + 1;
            view.scope = if action == Action::FocusNextPane {
                (view.scope + 1) % scopes
            } else {
                (view.scope + scopes - 1) % scopes
            };
            return request(state);
        }
        Action::MarkPoint => mark(state),
        Action::ComparePoints => return compare_with_mark(state),
        Action::DrillIn => return compare_with_latest(state),
        _ => {}
    }
    Vec::new()
}

/// Moves the cursor by `delta` rows (`isize::MIN`/`MAX` for the ends).
fn move_by(state: &mut State, delta: isize) {
    let height = list_height(state);
    let Some(view) = state.overlays.timeline_mut() else {
        return;
    };
    let len = view.points().len();
    if len == 0 {
        return;
    }
    let cursor = &mut view.cursor;
    cursor.selected = cursor.selected.saturating_add_signed(delta).min(len - 1);
    cursor.offset = cursor.visible_offset(height, len);
}

/// The list's height on screen.
fn list_height(state: &State) -> usize {
    state
        .viewport
        .timeline
        .map_or(1, |r| usize::from(TimelineAreas::of(r).list.height).max(1))
}

fn page(state: &State) -> usize {
    list_height(state).saturating_sub(1).max(1)
}

/// The selected point as a comparison side.
fn selected_pick(state: &State) -> Option<SidePick> {
    let view = state.timeline()?;
    let point = view.selected()?;
    Some(SidePick {
        env: view.env,
        host: view.host().map(str::to_string),
        at: Some(point.taken_at),
    })
}

/// Marks the selected point as side A, or clears the mark when it is already there.
fn mark(state: &mut State) {
    let Some(pick) = selected_pick(state) else {
        state.notice = Some("no point to mark yet".into());
        return;
    };
    if state.mark.as_ref() == Some(&pick) {
        state.mark = None;
        state.notice = Some("mark cleared".into());
    } else {
        state.mark = Some(pick);
        let key = state
            .keymap
            .first_key(Action::ComparePoints)
            .unwrap_or_else(|| Action::ComparePoints.name().to_string());
        state.notice = Some(format!(
            "A marked: pick B (in any timeline) and press {key}"
        ));
    }
}

/// Compares the marked point (A, the baseline) with the selected one (B).
fn compare_with_mark(state: &mut State) -> Vec<Effect> {
    let Some(b) = selected_pick(state) else {
        state.notice = Some("no point selected".into());
        return Vec::new();
    };
    let Some(a) = state.mark.clone() else {
        let key = state
            .keymap
            .first_key(Action::MarkPoint)
            .unwrap_or_else(|| Action::MarkPoint.name().to_string());
        state.notice = Some(format!("mark a point first ({key}), then compare"));
        return Vec::new();
    };
    if a == b {
        state.notice = Some("that is the marked point; pick another one".into());
        return Vec::new();
    }
    compare(state, [a, b])
}

/// Compares the selected point with its environment's newest snapshots; on the newest
/// point, compares the point before it with the newest, to show the latest change.
fn compare_with_latest(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.timeline() else {
        return Vec::new();
    };
    let env = view.env;
    let host = view.host().map(str::to_string);
    let row = view.cursor.selected;
    let Some(point) = view.selected() else {
        state.notice = Some("no point selected".into());
        return Vec::new();
    };
    let from = if row == 0 {
        match view.point_at(1) {
            Some(previous) => previous.taken_at,
            None => {
                state.notice = Some("only one point: nothing to compare it with".into());
                return Vec::new();
            }
        }
    } else {
        point.taken_at
    };
    let a = SidePick {
        env,
        host: host.clone(),
        at: Some(from),
    };
    compare(
        state,
        [
            a,
            SidePick {
                env,
                host,
                at: None,
            },
        ],
    )
}

/// Closes the timeline and compares `sides` (baseline first) in the explorer.
fn compare(state: &mut State, sides: [SidePick; 2]) -> Vec<Effect> {
    let (a, b) = (sides[0].env, sides[1].env);
    state.mark = None;
    close(state);
    state.selection = Selection {
        baseline: a,
        others: if b == a { Vec::new() } else { vec![b] },
    };
    state.pinned = Some(sides.to_vec());
    request_compare(state)
}

/// The compared sides as `(environment index, side)`, baseline first: the picked
/// points when the sides came from a timeline, else the selection's environments.
pub fn side_references(state: &State) -> Vec<(usize, SideRef)> {
    let name = |i: usize| state.workspace.environments.get(i).map(|e| e.name.as_str());
    match &state.pinned {
        Some(sides) => sides
            .iter()
            .filter_map(|s| Some((s.env, s.side_ref(name(s.env)?))))
            .collect(),
        // Environments never collected have nothing to compare yet (`r` collects them).
        None => state
            .selection
            .sides()
            .into_iter()
            .filter(|i| state.is_collected(*i))
            .filter_map(|i| Some((i, SideRef::environment(name(i)?, None, None))))
            .collect(),
    }
}

/// The mouse in the timeline: the wheel moves, a click selects a row.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) {
    match mouse.kind {
        MouseEventKind::ScrollDown => move_by(state, WHEEL_ROWS),
        MouseEventKind::ScrollUp => move_by(state, -WHEEL_ROWS),
        MouseEventKind::Down(MouseButton::Left) => {
            let Some(rect) = state.viewport.timeline else {
                return;
            };
            let list = TimelineAreas::of(rect).list;
            if !list.contains(Position::new(mouse.column, mouse.row)) {
                return;
            }
            let height = usize::from(list.height);
            let Some(view) = state.overlays.timeline_mut() else {
                return;
            };
            let len = view.points().len();
            let row = view.cursor.visible_offset(height, len) + usize::from(mouse.row - list.y);
            if row < len {
                view.cursor.selected = row;
                view.cursor.offset = view.cursor.visible_offset(height, len);
            }
        }
        _ => {}
    }
}

/// Keeps the timeline's selection visible in the viewport's list.
pub fn normalize(state: &mut State) {
    let height = list_height(state);
    if let Some(view) = state.overlays.timeline_mut() {
        let len = view.points().len();
        view.cursor.selected = view.cursor.selected.min(len.saturating_sub(1));
        view.cursor.offset = view.cursor.visible_offset(height, len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_put_details_beside_wide_lists_and_below_tall_ones() {
        let wide = TimelineAreas::of(Rect::new(0, 0, 140, 30));
        assert_eq!(wide.list.width, LIST_WIDTH);
        assert_eq!(wide.details.map(|d| d.height), Some(28));
        let narrow = TimelineAreas::of(Rect::new(0, 0, 80, 24));
        assert_eq!(narrow.details.map(|d| d.height), Some(DETAILS_BELOW));
        assert_eq!(narrow.list.height, 22 - 2 - DETAILS_BELOW);
        let small = TimelineAreas::of(Rect::new(0, 0, 40, 6));
        assert_eq!(small.details, None);
        assert_eq!(small.list.height, 2);
        let none = TimelineAreas::of(Rect::new(0, 0, 1, 1));
        assert_eq!(none.list.height, 0);
    }
}
