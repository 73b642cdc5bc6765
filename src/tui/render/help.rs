//! Draws the help overlay: the view layer's help lines, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::pieces_line;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::view;

/// Draws the help screen in `rect`.
pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    frame.render_widget(Clear, rect);
    let block = super::pane_block(
        Line::from(" Help · keys from the active keymap "),
        true,
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = view::help::lines(&state.keymap);
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let scroll = state.help_scroll().unwrap_or(0).min(max);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .map(|pieces| pieces_line(pieces, theme))
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
