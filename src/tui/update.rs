//! The pure update function: a message in, a changed state and effects out. No I/O.
//!
//! Keys become actions through the keymap; the top overlay gets them first (see
//! `overlay`), the panes otherwise. While text is typed (the filter, the reason prompt),
//! the keymap's text sections are looked up first and unbound characters are typed.
//! Every update ends by normalising the state against its viewport (`viewport`).

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::model::{AnnotationKind, Category};
use crate::store::SideRef;

use super::action::Action;
use super::fact_history;
use super::index::{FactIndex, ListRow, drift_per_side};
use super::input::typed_char;
use super::keymap::{Key, Scope};
use super::message::{CompareRequest, Effect, Msg};
use super::overlay::{self, Overlay};
use super::refresh::{RefreshEvent, RefreshRequest, RefreshState};
use super::review;
use super::state::{CompareStatus, Cursor, Loaded, Mode, Pane, State};
use super::timeline;
use super::view::diffcontent::{self, DiffContent};
use super::view::diffview::{DiffBody, hunks};
use super::viewport::{self, list_cursor, page};

/// Rows moved by one turn of the mouse wheel.
const WHEEL_ROWS: usize = 3;
/// Columns moved by one horizontal scroll step.
const HSCROLL_COLUMNS: usize = 8;
/// Why the demo cannot be refreshed.
pub const DEMO_READ_ONLY: &str =
    "the demo is read-only: nothing to collect (driftscope init starts your own workspace)";

/// Applies `msg` to `state` and returns the work it asks for. The state is normalised
/// against its viewport afterwards.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = dispatch(state, msg);
    viewport::normalize(state);
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(mouse) => {
            on_mouse(state, mouse);
            Vec::new()
        }
        Msg::Resize(width, height) => {
            state.area = Rect::new(0, 0, width, height);
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
        Msg::Hosts { id, result } => {
            super::hosts::on_answer(state, id, result);
            Vec::new()
        }
    }
}

/// The first comparison to run, for a fresh state.
pub fn start(state: &mut State) -> Vec<Effect> {
    let effects = request_compare(state);
    viewport::normalize(state);
    effects
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    state.notice = None;
    let bound = Key::from_event(&key);
    let scope = match state.mode() {
        Mode::Filter => Some(Scope::Filter),
        Mode::Prompt => Some(Scope::Prompt),
        _ => None,
    };
    if let Some(scope) = scope {
        let action = state
            .keymap
            .action_in(scope, bound)
            .or_else(|| state.keymap.action_in(Scope::Input, bound));
        if let Some(action) = action {
            return text_action(state, scope, action);
        }
        if let Some(c) = typed_char(&key) {
            type_char(state, c);
            return Vec::new();
        }
    }
    match state.keymap.action_for(bound) {
        Some(action) => apply(state, action),
        None => Vec::new(),
    }
}

/// An action bound in a text section (`[filter]`, `[prompt]`, `[input]`) while typing.
fn text_action(state: &mut State, scope: Scope, action: Action) -> Vec<Effect> {
    if scope == Scope::Prompt {
        return super::prompt::on_action(state, action);
    }
    match action {
        Action::Submit => {
            state.overlays.close(Mode::Filter);
            follow_matches(state);
        }
        Action::Cancel => {
            state.overlays.close(Mode::Filter);
            set_filter(state, |filter| filter.clear());
        }
        Action::SelectNext => move_in(state, Pane::Facts, Move::By(1)),
        Action::SelectPrev => move_in(state, Pane::Facts, Move::By(-1)),
        edit if edit.edits_text() => set_filter(state, |filter| {
            filter.edit(edit);
        }),
        other => return apply(state, other),
    }
    Vec::new()
}

/// Types `c` into the input that has the keyboard.
fn type_char(state: &mut State, c: char) {
    match state.mode() {
        Mode::Filter => set_filter(state, |filter| {
            filter.insert(c);
        }),
        Mode::Prompt => super::prompt::type_char(state, c),
        _ => {}
    }
}

/// Changes the filter with `edit` and rebuilds the lists when its text changed.
fn set_filter(state: &mut State, edit: impl FnOnce(&mut super::input::TextInput)) {
    let before = state.filter.value().to_string();
    edit(&mut state.filter);
    if state.filter.value() == before {
        return;
    }
    let selected = anchor(state);
    refresh_index(state);
    reselect(state, selected.as_ref(), Otherwise::Top);
}

/// The filter searches every category: when it is kept (submitted) and the chosen
/// category has no match while another has, the categories pane moves to the first
/// category with matches. (While typing, the filter line says where matches are.)
fn follow_matches(state: &mut State) {
    let Some(loaded) = state.loaded.as_ref() else {
        return;
    };
    if state.filter.is_empty() || loaded.index.visible_fact_count(state.category()) > 0 {
        return;
    }
    if let Some(slot) = Category::ALL
        .iter()
        .position(|c| loaded.index.visible_fact_count(*c) > 0)
    {
        state.category_cursor.selected = slot;
        state.diff.scroll = 0;
        state.diff.hscroll = 0;
    }
}

/// What the facts pane's selection is, to find it again in a rebuilt list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Anchor {
    /// A fact, by key.
    Fact(crate::model::FactKey),
    /// A schema group heading, by label.
    Group(String),
}

pub(super) fn anchor(state: &State) -> Option<Anchor> {
    match state.selected_row()? {
        ListRow::Fact(_) => state.selected_fact().map(|f| Anchor::Fact(f.key.clone())),
        ListRow::Heading { .. } => state
            .selected_group()
            .map(|g| Anchor::Group(g.label.clone())),
    }
}

/// Rebuilds the visible lists after the filter, the all/drift toggle or the review
/// changed.
pub(super) fn refresh_index(state: &mut State) {
    if let Some(loaded) = state.loaded.as_mut() {
        let report = loaded.report.clone();
        loaded.index.refresh_reviewed(
            &report,
            state.show_all,
            state.filter.value(),
            state.review.reviews.as_ref(),
            state.review.filter,
        );
    }
}

/// Where a category's cursor goes when its anchored row is no longer visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Otherwise {
    /// To the top of the list (the diff pane scrolls back too).
    Top,
    /// Where it was, within the list.
    Stay,
}

/// Puts each category's cursor back on the same fact (or group heading) if it is still
/// visible; else at the top or where it was, as `otherwise` says.
pub(super) fn reselect(state: &mut State, anchor: Option<&Anchor>, otherwise: Otherwise) {
    let Some(loaded) = state.loaded.as_ref() else {
        return;
    };
    let chosen = state.category();
    for category in Category::ALL {
        let rows = loaded.index.visible(category);
        let found = anchor.and_then(|anchor| {
            rows.iter().position(|row| match (anchor, row) {
                (Anchor::Fact(k), ListRow::Fact(r)) => {
                    k.category == category
                        && loaded
                            .report
                            .facts
                            .get(*r as usize)
                            .is_some_and(|f| &f.key == k)
                }
                (Anchor::Group(label), ListRow::Heading { group, .. }) => {
                    category == chosen
                        && loaded
                            .index
                            .group(*group)
                            .is_some_and(|g| &g.label == label)
                }
                _ => false,
            })
        });
        let cursor = state.fact_cursors.get_mut(category);
        *cursor = match (found, otherwise) {
            (Some(row), Otherwise::Stay) => Cursor {
                selected: row,
                offset: cursor.offset,
            },
            (None, Otherwise::Stay) => Cursor {
                selected: cursor.selected.min(rows.len().saturating_sub(1)),
                offset: cursor.offset,
            },
            (found, Otherwise::Top) => Cursor {
                selected: found.unwrap_or(0),
                offset: 0,
            },
        };
    }
    if otherwise == Otherwise::Top {
        state.diff.scroll = 0;
    }
}

/// Applies one action: to the top overlay when one is open, else to the panes.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(effects) = overlay::apply(state, action) {
        return effects;
    }
    let focus = state.focus;
    match action {
        Action::Quit => state.quit = true,
        Action::ToggleHelp => state
            .overlays
            .push(Overlay::Help(super::help::HelpView::default())),
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
            state.overlays.push(Overlay::Filter);
            state.focus = Pane::Facts;
        }
        Action::ToggleAllHosts => {
            state.all_hosts = !state.all_hosts;
            state.diff.scroll = 0;
        }
        Action::ToggleShowAll => {
            let selected = anchor(state);
            state.show_all = !state.show_all;
            refresh_index(state);
            reselect(state, selected.as_ref(), Otherwise::Top);
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
        Action::NextHunk => jump_hunk(state, true),
        Action::PrevHunk => jump_hunk(state, false),
        Action::OpenTimeline => return timeline::open(state),
        Action::FactHistory => return fact_history::open(state),
        Action::OpenHosts => return super::hosts::open(state),
        Action::MarkPoint | Action::ComparePoints => {
            let key = state
                .keymap
                .first_key(Action::OpenTimeline)
                .unwrap_or_else(|| Action::OpenTimeline.name().to_string());
            state.notice = Some(format!("points are picked in the timeline: press {key}"));
        }
        Action::Justify => return review::start_prompt(state, AnnotationKind::Justify),
        Action::Remediate => return review::start_prompt(state, AnnotationKind::Remediate),
        Action::JustifyShown => return review::start_bulk_prompt(state),
        Action::ClearAnnotation => return review::clear(state),
        Action::UndoAnnotation => return review::undo(state),
        Action::CycleReviewFilter => review::cycle_filter(state),
        // Text editing happens in the filter and the prompt, which take these first.
        Action::Submit
        | Action::Cancel
        | Action::NextField
        | Action::PrevField
        | Action::DeletePrevChar
        | Action::DeleteNextChar
        | Action::DeletePrevWord
        | Action::ClearInput
        | Action::CursorLeft
        | Action::CursorRight
        | Action::CursorPrevWord
        | Action::CursorNextWord
        | Action::CursorStart
        | Action::CursorEnd => {}
    }
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
            let cursor = state.fact_cursor_mut();
            let before = cursor.selected;
            cursor.selected = moved(before, len, m);
            if before != cursor.selected {
                state.diff.scroll = 0;
                state.diff.hscroll = 0;
            }
        }
        Pane::Diff => {
            // Normalising (at the end of the update) keeps the scroll within the content.
            state.diff.scroll = match m {
                Move::By(d) => state.diff.scroll.saturating_add_signed(d),
                Move::First => 0,
                Move::Last => usize::MAX,
                Move::To(i) => i,
            };
        }
    }
}

/// Rows of context kept above a hunk jumped to.
const HUNK_CONTEXT: usize = 2;

/// Scrolls a text diff to its next (or previous) changed hunk, wrapping around, and
/// sideways so that the hunk's first change shows.
fn jump_hunk(state: &mut State, forward: bool) {
    let DiffContent::Fact {
        body: DiffBody::Text { rows, .. },
        ..
    } = diffcontent::content(state)
    else {
        state.notice = Some("changes are jumped to in text diffs".into());
        return;
    };
    let hunks = hunks(&rows);
    if hunks.is_empty() {
        state.notice = Some("no change in this text".into());
        return;
    }
    let key = state.selected_fact().map(|f| f.key.clone());
    let last = state
        .diff
        .hunk
        .as_ref()
        .filter(|(k, i)| Some(k) == key.as_ref() && *i < hunks.len())
        .map(|(_, i)| *i);
    let index = match (last, forward) {
        (Some(i), true) => (i + 1) % hunks.len(),
        (Some(i), false) => (i + hunks.len() - 1) % hunks.len(),
        // From the rows shown: the first hunk below the top, or the last one above it.
        (None, true) => hunks
            .iter()
            .position(|(row, _)| *row >= state.diff.scroll)
            .unwrap_or(0),
        (None, false) => hunks
            .iter()
            .rposition(|(row, _)| *row < state.diff.scroll)
            .unwrap_or(hunks.len() - 1),
    };
    let Some(&(row, column)) = hunks.get(index) else {
        return;
    };
    state.diff.hunk = key.map(|k| (k, index));
    state.diff.scroll = row.saturating_sub(HUNK_CONTEXT);
    // Keep the change in view: scroll sideways only when it starts past the first
    // stretch of the line.
    let keep = HSCROLL_COLUMNS * 2;
    state.diff.hscroll = if column > keep {
        (column - keep) / HSCROLL_COLUMNS * HSCROLL_COLUMNS
    } else {
        0
    };
    state.notice = Some(format!("change {} of {}", index + 1, hunks.len()));
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
        set_filter(state, |filter| filter.clear());
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
    state.fact_cursor_mut().selected = pos;
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
    let id = state.next_request();
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
    state.generation = state.next_request();
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
            .map(|e| (i, SideRef::environment(&e.name, None, None)))
    };
    let request = CompareRequest {
        generation: state.generation,
        sides,
        others: (0..state.workspace.environments.len())
            .filter(|i| !state.selection.contains(*i))
            .filter(|i| state.is_collected(*i))
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
            index.refresh(&report, state.show_all, state.filter.value());
            state.loaded = Some(Loaded {
                report,
                side_envs,
                index,
                complete,
            });
            state.status = CompareStatus::Ready;
            state.diff.other = state.other_side();
            review::recompute(state);
            reselect(state, selected.as_ref(), Otherwise::Top);
        }
    }
}

fn on_mouse(state: &mut State, mouse: MouseEvent) {
    let layout = state.viewport;
    let on_panel = layout
        .refresh
        .is_some_and(|r| r.contains(ratatui::layout::Position::new(mouse.column, mouse.row)));
    if on_panel && state.mode() != Mode::Help {
        return;
    }
    if overlay::on_mouse(state, mouse) {
        return;
    }
    let Some(pane) = layout.pane_at(mouse.column, mouse.row) else {
        return;
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
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
