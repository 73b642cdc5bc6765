//! The refresh panel: each host of a background refresh (waiting, collecting, stored,
//! failed and why) and a summary line. Drawn over the lower right of the panes, so
//! browsing goes on underneath.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{BorderType, Clear, Padding, Paragraph};

use super::{clean, span};
use crate::tui::refresh::RefreshState;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::view::refresh::{PADDING, panel_lines};

/// The panel's title: the environments being refreshed.
fn title(refresh: &RefreshState) -> String {
    format!(" Refresh · {} ", clean(&refresh.environments.join(", ")))
}

/// Draws the refresh panel in `rect`, over whatever is below.
pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let Some(refresh) = &state.refresh else {
        return;
    };
    frame.render_widget(Clear, rect);
    let block = super::pane_block(Line::from(title(refresh)), false, theme)
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(PADDING));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines: Vec<Line> = panel_lines(state, usize::from(inner.width), usize::from(inner.height))
        .into_iter()
        .map(|pieces| {
            Line::from(
                pieces
                    .into_iter()
                    .map(|(text, role)| span(text, role, theme))
                    .collect::<Vec<Span>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
