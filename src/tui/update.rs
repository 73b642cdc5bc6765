//! The pure update function: a message in, a changed state and effects out. No I/O.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use crate::model::{AnnotationKind, Category};

use super::action::Action;
use super::diffcontent::{self, DiffContent};
use super::fact_history;
use super::index::{FactIndex, ListRow, drift_per_side};
use super::keymap::Key;
use super::layout::AppLayout;
use super::message::{CompareRequest, Effect, Msg};
use super::refresh::{RefreshEvent, RefreshRequest, RefreshState};
use super::render;
use super::review;
use super::state::{CompareStatus, Cursor, Loaded, Mode, Pane, State};
use super::theme::Theme;
use super::timeline;

/// Rows moved by one turn of the mouse wheel.
const WHEEL_ROWS: usize = 3;
/// Columns moved by one horizontal scroll step.
const HSCROLL_COLUMNS: usize = 8;
/// Why the demo cannot be refreshed.
pub const DEMO_READ_ONLY: &str =
    "the demo is read-only: nothing to collect (driftscope init starts your own workspace)";

/// Applies `msg` to `state` and returns the work it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(mouse) => {
            on_mouse(state, mouse);
            Vec::new()
        }
        Msg::Resize(width, height) => {
            state.area = Rect::new(0, 0, width, height);
            clamp_all(state);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            review::on_tick(state);
            Vec::new()
        }
        Msg::Action(action) => apply(state, action),
        Msg::Compared {
            generation,
            side_envs,
            result,
            complete,
        } => {
            if generation == state.generation {
                on_compared(state, side_envs, result, complete);
            }
            Vec::new()
        }
        Msg::EnvDrift {
            generation,
            env,
            drift,
        } => {
            if generation == state.generation {
                if let Some(slot) = state.env_drift.get_mut(env) {
                    *slot = Some(drift);
                }
            }
            Vec::new()
        }
        Msg::AnnotationsLoaded(result) => {
            review::on_loaded(state, result);
            Vec::new()
        }
        Msg::AnnotationsSaved { job, result } => {
            review::on_saved(state, job, result);
            Vec::new()
        }
        Msg::Refresh(event) => on_refresh_event(state, event),
        Msg::Timeline { id, result } => {
            timeline::on_timeline(state, id, result);
            Vec::new()
        }
        Msg::FactHistory { id, result } => {
            fact_history::on_history(state, id, result);
            Vec::new()
        }
    }
}

/// The first comparison to run, for a fresh state.
pub fn start(state: &mut State) -> Vec<Effect> {
    request_compare(state)
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    state.notice = None;
    if state.mode == Mode::Prompt {
        return super::prompt::on_key(state, key);
    }
    if state.mode == Mode::Filter && edit_filter(state, &key) {
        return Vec::new();
    }
    match state.keymap.action_for(Key::from_event(&key)) {
        Some(action) => apply(state, action),
        None => Vec::new(),
    }
}

/// Handles a key as filter text; false when the key is not for the filter.
fn edit_filter(state: &mut State, key: &KeyEvent) -> bool {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Browse;
            set_filter(state, String::new());
        }
        KeyCode::Enter => state.mode = Mode::Browse,
        KeyCode::Backspace => {
            let mut query = state.filter.clone();
            query.pop();
            set_filter(state, query);
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            set_filter(state, String::new());
        }
        KeyCode::Char(c) if plain && !c.is_control() => {
            let mut query = state.filter.clone();
            query.push(c);
            set_filter(state, query);
        }
        KeyCode::Up => move_in(state, Pane::Facts, Move::By(-1)),
        KeyCode::Down => move_in(state, Pane::Facts, Move::By(1)),
        _ => return false,
    }
    true
}

fn set_filter(state: &mut State, query: String) {
    let selected = anchor(state);
    state.filter = query;
    refresh_index(state);
    reselect(state, selected.as_ref());
}

/// What the facts pane's selection is, to find it again in a rebuilt list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    /// A fact, by key.
    Fact(crate::model::FactKey),
    /// A schema group heading, by label.
    Group(String),
}

fn anchor(state: &State) -> Option<Anchor> {
    match state.selected_row()? {
        ListRow::Fact(_) => state.selected_fact().map(|f| Anchor::Fact(f.key.clone())),
        ListRow::Heading { .. } => state
            .selected_group()
            .map(|g| Anchor::Group(g.label.clone())),
    }
}

/// Rebuilds the visible lists after the filter or the all/drift toggle changed.
fn refresh_index(state: &mut State) {
    if let Some(loaded) = state.loaded.as_mut() {
        let report = loaded.report.clone();
        loaded.index.refresh_reviewed(
            &report,
            state.show_all,
            &state.filter,
            state.review.reviews.as_ref(),
            state.review.filter,
        );
    }
}

/// Puts each category's cursor back on the same fact (or group heading) if it is still
/// visible, else at the top.
fn reselect(state: &mut State, anchor: Option<&Anchor>) {
    let Some(loaded) = state.loaded.as_ref() else {
        return;
    };
    let chosen = state.category();
    for (slot, category) in Category::ALL.iter().enumerate() {
        let rows = loaded.index.visible(*category);
        let found = anchor.and_then(|anchor| {
            rows.iter().position(|row| match (anchor, row) {
                (Anchor::Fact(k), ListRow::Fact(r)) => {
                    k.category == *category
                        && loaded
                            .report
                            .facts
                            .get(*r as usize)
                            .is_some_and(|f| &f.key == k)
                }
                (Anchor::Group(label), ListRow::Heading { group, .. }) => {
                    *category == chosen
                        && loaded
                            .index
                            .group(*group)
                            .is_some_and(|g| &g.label == label)
                }
                _ => false,
            })
        });
        state.fact_cursors[slot] = Cursor {
            selected: found.unwrap_or(0),
            offset: 0,
        };
    }
    state.diff.scroll = 0;
    clamp_all(state);
}

/// Applies one action.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    if state.mode == Mode::Help {
        let page = page(state, Pane::Diff);
        let scroll = state.help_scroll;
        state.help_scroll = match action {
            Action::SelectNext => scroll + 1,
            Action::SelectPrev => scroll.saturating_sub(1),
            Action::PageDown => scroll + page,
            Action::PageUp => scroll.saturating_sub(page),
            Action::SelectFirst => 0,
            Action::SelectLast => usize::MAX,
            _ => scroll,
        }
        .min(help_max_scroll(state));
        if matches!(action, Action::ToggleHelp | Action::Back | Action::Quit) {
            state.mode = timeline::mode_after_help(state);
        }
        return Vec::new();
    }
    match state.mode {
        Mode::Timeline => return timeline::apply(state, action),
        Mode::History => return fact_history::apply(state, action),
        Mode::Prompt => {
            match action {
                Action::Quit => state.quit = true,
                Action::Back => review::close_prompt(state),
                _ => {}
            }
            return Vec::new();
        }
        _ => {}
    }
    if state.mode == Mode::Filter {
        state.mode = Mode::Browse;
    }
    let focus = state.focus;
    match action {
        Action::Quit => state.quit = true,
        Action::ToggleHelp => {
            state.mode = Mode::Help;
            state.help_scroll = 0;
        }
        Action::FocusNextPane => state.focus = focus.next(),
        Action::FocusPrevPane => state.focus = focus.prev(),
        Action::SelectNext => move_in(state, focus, Move::By(1)),
        Action::SelectPrev => move_in(state, focus, Move::By(-1)),
        Action::SelectFirst => move_in(state, focus, Move::First),
        Action::SelectLast => move_in(state, focus, Move::Last),
        Action::PageDown => {
            let p = page(state, focus) as isize;
            move_in(state, focus, Move::By(p));
        }
        Action::PageUp => {
            let p = page(state, focus) as isize;
            move_in(state, focus, Move::By(-p));
        }
        Action::DrillIn => drill_in(state),
        Action::Back => back(state),
        Action::NextDrift => jump_drift(state, true),
        Action::PrevDrift => jump_drift(state, false),
        Action::StartFilter => {
            state.mode = Mode::Filter;
            state.focus = Pane::Facts;
        }
        Action::ToggleShowAll => {
            let selected = anchor(state);
            state.show_all = !state.show_all;
            refresh_index(state);
            reselect(state, selected.as_ref());
        }
        Action::ToggleCompare => return toggle_compare(state),
        Action::SetBaseline => return set_baseline(state),
        Action::Refresh => return start_refresh(state),
        Action::NextSide | Action::PrevSide => {
            let sides = state.report().map_or(0, |r| r.sides.len());
            if sides > 2 {
                let others = sides - 1;
                let current = state.other_side() - 1;
                let next = if action == Action::NextSide {
                    (current + 1) % others
                } else {
                    (current + others - 1) % others
                };
                state.diff.other = next + 1;
                state.diff.scroll = 0;
            }
        }
        Action::ScrollLeft => {
            state.diff.hscroll = state.diff.hscroll.saturating_sub(HSCROLL_COLUMNS);
        }
        Action::ScrollRight => state.diff.hscroll += HSCROLL_COLUMNS,
        Action::OpenTimeline => return timeline::open(state),
        Action::FactHistory => return fact_history::open(state),
        Action::MarkPoint | Action::ComparePoints => {
            let key = state
                .keymap
                .first_key(Action::OpenTimeline)
                .unwrap_or_else(|| Action::OpenTimeline.name().to_string());
            state.notice = Some(format!("points are picked in the timeline: press {key}"));
        }
        Action::Justify => return review::start_prompt(state, AnnotationKind::Justify),
        Action::Remediate => return review::start_prompt(state, AnnotationKind::Remediate),
        Action::ClearAnnotation => return review::clear(state),
        Action::UndoAnnotation => return review::undo(state),
        Action::CycleReviewFilter => review::cycle_filter(state),
    }
    clamp_all(state);
    Vec::new()
}

/// A movement within a list.
#[derive(Debug, Clone, Copy)]
enum Move {
    By(isize),
    First,
    Last,
    To(usize),
}

fn moved(current: usize, len: usize, m: Move) -> usize {
    if len == 0 {
        return 0;
    }
    let target = match m {
        Move::By(d) => current.saturating_add_signed(d),
        Move::First => 0,
        Move::Last => len - 1,
        Move::To(i) => i,
    };
    target.min(len - 1)
}

fn move_in(state: &mut State, pane: Pane, m: Move) {
    match pane {
        Pane::Environments => {
            let len = state.workspace.environments.len();
            state.env_cursor.selected = moved(state.env_cursor.selected, len, m);
        }
        Pane::Categories => {
            let before = state.category_cursor.selected;
            state.category_cursor.selected = moved(before, Category::ALL.len(), m);
            if before != state.category_cursor.selected {
                state.diff.scroll = 0;
                state.diff.hscroll = 0;
            }
        }
        Pane::Facts => {
            let len = state.visible_rows().len();
            let slot = state.category_cursor.selected;
            if let Some(cursor) = state.fact_cursors.get_mut(slot) {
                let before = cursor.selected;
                cursor.selected = moved(before, len, m);
                if before != cursor.selected {
                    state.diff.scroll = 0;
                    state.diff.hscroll = 0;
                }
            }
        }
        Pane::Diff => {
            let max = diff_max_scroll(state);
            state.diff.scroll = match m {
                Move::By(d) => state.diff.scroll.saturating_add_signed(d),
                Move::First => 0,
                Move::Last => max,
                Move::To(i) => i,
            }
            .min(max);
        }
    }
    clamp_all(state);
}

fn page(state: &State, pane: Pane) -> usize {
    let layout = AppLayout::compute(state.area, state);
    let height = match pane {
        Pane::Diff if state.mode == Mode::Help => layout.help.map_or(10, |r| usize::from(r.height)),
        _ => layout.list_height(pane, state),
    };
    height.saturating_sub(1).max(1)
}

/// The largest useful help scroll: help lines minus the rows shown.
fn help_max_scroll(state: &State) -> usize {
    let lines = render::help_lines(&state.keymap, &Theme::plain("count")).len();
    let layout = AppLayout::compute(state.area, state);
    let shown = layout
        .help
        .map_or(1, |r| usize::from(r.height.saturating_sub(2)));
    lines.saturating_sub(shown)
}

/// The largest useful diff scroll: content rows minus the rows shown.
fn diff_max_scroll(state: &State) -> usize {
    let rows = diffcontent::content(state).height();
    if rows == 0 {
        return 0;
    }
    let layout = AppLayout::compute(state.area, state);
    // The diff pane may be hidden (compact layouts); then assume the body height.
    let shown = layout
        .list(Pane::Diff, state)
        .map_or(usize::from(state.area.height.saturating_sub(6)), |r| {
            usize::from(r.height)
        });
    rows.saturating_sub(shown.max(1))
}

fn drill_in(state: &mut State) {
    state.focus = match state.focus {
        Pane::Environments => Pane::Categories,
        Pane::Categories => Pane::Facts,
        Pane::Facts
            if matches!(
                diffcontent::content(state),
                DiffContent::Fact { .. } | DiffContent::Table(_)
            ) =>
        {
            Pane::Diff
        }
        other => other,
    };
}

fn back(state: &mut State) {
    if let Some(refresh) = state.refresh.as_mut().filter(|r| r.visible) {
        refresh.visible = false;
        return;
    }
    if state.focus == Pane::Facts && !state.filter.is_empty() {
        set_filter(state, String::new());
        return;
    }
    state.focus = match state.focus {
        Pane::Diff => Pane::Facts,
        Pane::Facts => Pane::Categories,
        Pane::Categories | Pane::Environments => Pane::Environments,
    };
}

/// Moves to the next (or previous) unreviewed drift in the visible lists, walking the
/// categories in order and wrapping around.
fn jump_drift(state: &mut State, forward: bool) {
    let Some(loaded) = state.loaded.as_ref() else {
        return;
    };
    let report = &loaded.report;
    let lists: Vec<&[ListRow]> = Category::ALL
        .iter()
        .map(|c| loaded.index.visible(*c))
        .collect();
    let is_drift = |row: ListRow| {
        row.fact()
            .is_some_and(|r| review::needs_review(state, report, r))
    };
    // Positions as (category slot, row position) in one global order.
    let flat: Vec<(usize, usize)> = lists
        .iter()
        .enumerate()
        .flat_map(|(slot, rows)| {
            rows.iter()
                .enumerate()
                .filter(|(_, r)| is_drift(**r))
                .map(move |(pos, _)| (slot, pos))
        })
        .collect();
    if flat.is_empty() {
        state.notice = Some("no unreviewed drift".into());
        return;
    }
    let here = (state.category_cursor.selected, state.fact_cursor().selected);
    let target = if forward {
        flat.iter().find(|p| **p > here).or(flat.first())
    } else {
        flat.iter().rev().find(|p| **p < here).or(flat.last())
    };
    let Some(&(slot, pos)) = target else {
        return;
    };
    state.category_cursor.selected = slot;
    state.fact_cursors[slot].selected = pos;
    state.diff.scroll = 0;
    state.diff.hscroll = 0;
    if state.focus != Pane::Diff {
        state.focus = Pane::Facts;
    }
}

fn toggle_compare(state: &mut State) -> Vec<Effect> {
    if state.focus != Pane::Environments {
        return Vec::new();
    }
    let env = state.env_cursor.selected;
    if env >= state.workspace.environments.len() {
        return Vec::new();
    }
    let sel = &mut state.selection;
    if sel.baseline == env {
        state.notice =
            Some("the baseline is always compared; press b on another to change it".into());
        return Vec::new();
    }
    if let Some(pos) = sel.others.iter().position(|e| *e == env) {
        if sel.others.len() == 1 {
            state.notice = Some("a comparison needs at least two environments".into());
            return Vec::new();
        }
        sel.others.remove(pos);
    } else {
        sel.others.push(env);
        sel.others.sort_unstable();
    }
    state.pinned = None;
    request_compare(state)
}

fn set_baseline(state: &mut State) -> Vec<Effect> {
    if state.focus != Pane::Environments {
        return Vec::new();
    }
    let env = state.env_cursor.selected;
    if env >= state.workspace.environments.len() || env == state.selection.baseline {
        return Vec::new();
    }
    let old = state.selection.baseline;
    state.selection.others.retain(|e| *e != env);
    state.selection.others.push(old);
    state.selection.others.sort_unstable();
    state.selection.baseline = env;
    state.pinned = None;
    request_compare(state)
}

/// Starts collecting the compared environments again, unless that cannot be done.
fn start_refresh(state: &mut State) -> Vec<Effect> {
    if state.workspace.is_demo {
        state.notice = Some(DEMO_READ_ONLY.into());
        return Vec::new();
    }
    if let Some(running) = state.refresh.as_mut().filter(|r| r.running) {
        running.visible = true;
        state.notice = Some("a refresh is already running".into());
        return Vec::new();
    }
    let environments: Vec<String> = state
        .selection
        .sides()
        .into_iter()
        .filter_map(|i| state.workspace.environments.get(i))
        .map(|e| e.name.clone())
        .collect();
    if environments.is_empty() {
        state.notice = Some("no environment to refresh".into());
        return Vec::new();
    }
    let id = state.refresh.as_ref().map_or(1, |r| r.id + 1);
    state.refresh = Some(RefreshState::new(id, environments.clone()));
    vec![Effect::Refresh(RefreshRequest { id, environments })]
}

/// Follows a refresh; when it ends having stored anything, compares afresh.
fn on_refresh_event(state: &mut State, event: RefreshEvent) -> Vec<Effect> {
    let Some(refresh) = state.refresh.as_mut().filter(|r| r.id == event.id()) else {
        return Vec::new();
    };
    let finished = matches!(event, RefreshEvent::Finished { .. });
    if let Some(summary) = refresh.apply(event) {
        if let Some(env) = state
            .workspace
            .environments
            .iter_mut()
            .find(|e| e.name == summary.name)
        {
            *env = summary;
        }
    }
    if !finished {
        return Vec::new();
    }
    let stored = refresh.counts().done > 0;
    state.notice = Some(refresh.summary());
    if stored {
        let mut effects = request_compare(state);
        effects.extend(timeline::reload(state));
        effects
    } else {
        Vec::new()
    }
}

/// Asks for a comparison of the selected environments (or of the sides picked in a
/// timeline); results of older requests will be ignored.
pub(super) fn request_compare(state: &mut State) -> Vec<Effect> {
    state.generation += 1;
    state.env_drift = vec![None; state.workspace.environments.len()];
    let sides = timeline::side_references(state);
    if sides.len() < 2 {
        state.status = CompareStatus::Idle;
        return Vec::new();
    }
    state.status = CompareStatus::Running;
    let name = |i: usize| {
        state
            .workspace
            .environments
            .get(i)
            .map(|e| (i, e.name.clone()))
    };
    let request = CompareRequest {
        generation: state.generation,
        sides,
        others: (0..state.workspace.environments.len())
            .filter(|i| !state.selection.contains(*i))
            .filter_map(name)
            .collect(),
    };
    vec![Effect::Compare(request)]
}

fn on_compared(
    state: &mut State,
    side_envs: Vec<usize>,
    result: Result<std::sync::Arc<crate::diff::DriftReport>, String>,
    complete: bool,
) {
    match result {
        Err(message) => state.status = CompareStatus::Failed(message),
        Ok(report) => {
            let selected = anchor(state);
            for (side, count) in drift_per_side(&report).into_iter().enumerate() {
                if let Some(slot) = side_envs
                    .get(side)
                    .and_then(|&e| state.env_drift.get_mut(e))
                {
                    *slot = Some(count);
                }
            }
            let mut index = FactIndex::build(&report);
            index.refresh(&report, state.show_all, &state.filter);
            state.loaded = Some(Loaded {
                report,
                side_envs,
                index,
                complete,
            });
            state.status = CompareStatus::Ready;
            state.diff.other = state.other_side();
            review::recompute(state);
            reselect(state, selected.as_ref());
        }
    }
}

fn on_mouse(state: &mut State, mouse: MouseEvent) {
    if state.mode == Mode::Prompt {
        return;
    }
    let layout = AppLayout::compute(state.area, state);
    let on_panel = layout
        .refresh
        .is_some_and(|r| r.contains(ratatui::layout::Position::new(mouse.column, mouse.row)));
    if on_panel && state.mode != Mode::Help {
        return;
    }
    if state.mode == Mode::Help {
        match mouse.kind {
            MouseEventKind::ScrollDown => {
                state.help_scroll = (state.help_scroll + WHEEL_ROWS).min(help_max_scroll(state));
            }
            MouseEventKind::ScrollUp => {
                state.help_scroll = state.help_scroll.saturating_sub(WHEEL_ROWS)
            }
            MouseEventKind::Down(MouseButton::Left) => {
                state.mode = timeline::mode_after_help(state)
            }
            _ => {}
        }
        return;
    }
    match state.mode {
        Mode::Timeline => return timeline::on_mouse(state, mouse),
        Mode::History => return fact_history::on_mouse(state, mouse),
        _ => {}
    }
    let Some(pane) = layout.pane_at(mouse.column, mouse.row) else {
        return;
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if state.mode == Mode::Filter {
                state.mode = Mode::Browse;
            }
            state.focus = pane;
            if pane == Pane::Diff {
                return;
            }
            let Some(list) = layout.list(pane, state) else {
                return;
            };
            if mouse.row < list.y || mouse.row >= list.y + list.height {
                return;
            }
            let height = usize::from(list.height);
            let (cursor, len) = list_cursor(state, pane);
            let row = cursor.visible_offset(height, len) + usize::from(mouse.row - list.y);
            if row < len {
                move_in(state, pane, Move::To(row));
            }
        }
        MouseEventKind::ScrollDown => move_in(state, pane, Move::By(WHEEL_ROWS as isize)),
        MouseEventKind::ScrollUp => move_in(state, pane, Move::By(-(WHEEL_ROWS as isize))),
        _ => {}
    }
}

/// A list pane's cursor and length.
pub fn list_cursor(state: &State, pane: Pane) -> (Cursor, usize) {
    match pane {
        Pane::Environments => (state.env_cursor, state.workspace.environments.len()),
        Pane::Categories => (state.category_cursor, Category::ALL.len()),
        Pane::Facts => (state.fact_cursor(), state.visible_rows().len()),
        Pane::Diff => (Cursor::default(), 0),
    }
}

/// Keeps every cursor within its list and its offset such that the selection shows.
pub(crate) fn clamp_all(state: &mut State) {
    let layout = AppLayout::compute(state.area, state);
    for pane in [Pane::Environments, Pane::Categories, Pane::Facts] {
        let height = layout.list_height(pane, state);
        let (mut cursor, len) = list_cursor(state, pane);
        cursor.selected = cursor.selected.min(len.saturating_sub(1));
        cursor.offset = cursor.visible_offset(height, len);
        match pane {
            Pane::Environments => state.env_cursor = cursor,
            Pane::Categories => state.category_cursor = cursor,
            _ => {
                let slot = state.category_cursor.selected;
                if let Some(c) = state.fact_cursors.get_mut(slot) {
                    *c = cursor;
                }
            }
        }
    }
    state.diff.scroll = state.diff.scroll.min(diff_max_scroll(state));
}
