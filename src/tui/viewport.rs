//! The viewport: the screen's layout for the current state, computed once at the end of
//! every update, and the state normalised against it in this one place — every cursor
//! within its list and its offset such that the selection shows, every scroll within
//! its content. Paging, scroll limits and mouse hit-testing read
//! [`State::viewport`](super::state::State::viewport); drawing uses the same layout.

use crate::model::Category;

use super::layout::AppLayout;
use super::state::{Cursor, Mode, Pane, State};
use super::view::diffcontent;
use super::{fact_history, help, timeline};

/// Computes the viewport for `state` and keeps every cursor and scroll within bounds.
pub fn normalize(state: &mut State) {
    // Selections first: they change what the layout sizes (the review detail's height).
    let envs = state.workspace.environments.len();
    state.env_cursor.selected = state.env_cursor.selected.min(envs.saturating_sub(1));
    state.category_cursor.selected = state
        .category_cursor
        .selected
        .min(Category::ALL.len().saturating_sub(1));
    let facts = state.visible_rows().len();
    let cursor = state.fact_cursor_mut();
    cursor.selected = cursor.selected.min(facts.saturating_sub(1));

    state.viewport = AppLayout::compute(state.area, state);

    for pane in [Pane::Environments, Pane::Categories, Pane::Facts] {
        let height = state.viewport.list_height(pane, state);
        let (cursor, len) = list_cursor(state, pane);
        let offset = cursor.visible_offset(height, len);
        match pane {
            Pane::Environments => state.env_cursor.offset = offset,
            Pane::Categories => state.category_cursor.offset = offset,
            _ => state.fact_cursor_mut().offset = offset,
        }
    }
    state.diff.scroll = state.diff.scroll.min(diff_max_scroll(state));
    if state.overlays.is_open(Mode::Help) {
        let help_max = help::max_scroll(state);
        if let Some(help) = state.overlays.help_mut() {
            help.scroll = help.scroll.min(help_max);
        }
    }
    timeline::normalize(state);
    fact_history::normalize(state);
    super::hosts::normalize(state);
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

/// The largest useful diff scroll: content rows minus the rows shown.
pub fn diff_max_scroll(state: &State) -> usize {
    // The diff pane may be hidden (compact layouts); then assume the body's size.
    let (width, shown) = state.viewport.list(Pane::Diff, state).map_or(
        (
            state.area.width.saturating_sub(2),
            usize::from(state.area.height.saturating_sub(6)),
        ),
        |r| (r.width, usize::from(r.height)),
    );
    let rows = diffcontent::content(state).rows_in(width);
    rows.saturating_sub(shown.max(1))
}

/// Rows a page moves in `pane`: the rows it shows, less one.
pub fn page(state: &State, pane: Pane) -> usize {
    state
        .viewport
        .list_height(pane, state)
        .saturating_sub(1)
        .max(1)
}
