//! The help overlay: its scroll position and its pure update. Its lines are the view
//! layer's ([`view::help`](super::view::help)), generated from the keymap.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
use super::state::{Mode, State};
use super::view;

/// Rows moved by one turn of the mouse wheel.
const WHEEL_ROWS: usize = 3;

/// The help screen's state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpView {
    /// The first line shown.
    pub scroll: usize,
}

/// Scrolls the help screen with the movement actions.
pub fn apply(state: &mut State, action: Action) {
    let page = page(state);
    let max = max_scroll(state);
    let Some(help) = state.overlays.help_mut() else {
        return;
    };
    let scroll = help.scroll;
    help.scroll = match action {
        Action::SelectNext => scroll + 1,
        Action::SelectPrev => scroll.saturating_sub(1),
        Action::PageDown => scroll + page,
        Action::PageUp => scroll.saturating_sub(page),
        Action::SelectFirst => 0,
        Action::SelectLast => usize::MAX,
        _ => scroll,
    }
    .min(max);
}

/// The wheel scrolls; a click closes.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) {
    let max = max_scroll(state);
    match mouse.kind {
        MouseEventKind::ScrollDown => {
            if let Some(help) = state.overlays.help_mut() {
                help.scroll = (help.scroll + WHEEL_ROWS).min(max);
            }
        }
        MouseEventKind::ScrollUp => {
            if let Some(help) = state.overlays.help_mut() {
                help.scroll = help.scroll.saturating_sub(WHEEL_ROWS);
            }
        }
        MouseEventKind::Down(MouseButton::Left) => state.overlays.close(Mode::Help),
        _ => {}
    }
}

/// Rows shown at once (inside the border).
fn shown(state: &State) -> usize {
    state
        .viewport
        .help
        .map_or(1, |r| usize::from(r.height.saturating_sub(2)))
}

fn page(state: &State) -> usize {
    state
        .viewport
        .help
        .map_or(10, |r| usize::from(r.height))
        .saturating_sub(1)
        .max(1)
}

/// The largest useful scroll: help lines minus the rows shown.
pub fn max_scroll(state: &State) -> usize {
    view::help::lines(&state.keymap)
        .len()
        .saturating_sub(shown(state))
}
