//! Drawing: a pure function of the state (and the theme) onto a frame. No I/O, no
//! changes to the state. Only visible rows are built, so large reports draw fast.

mod categories;
mod diff;
mod environments;
mod facts;
mod footer;
mod header;
mod help;
mod history;
mod hosts;
mod prompt;
pub mod refresh;
mod review;
mod timeline;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::layout::{AppLayout, MIN_HEIGHT, MIN_WIDTH, centered};
use super::state::{Pane, State};
use super::theme::{Role, Theme};

/// Draws the whole screen and returns the layout used (for mouse hit-testing).
pub fn render(frame: &mut Frame, state: &State, theme: &Theme) -> AppLayout {
    let area = frame.area();
    let layout = AppLayout::compute(area, state);
    if layout.too_small {
        let text = format!(
            "Terminal too small: {}×{} (needs {MIN_WIDTH}×{MIN_HEIGHT})",
            area.width, area.height
        );
        let rect = centered(area, area.width, 3.min(area.height));
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.style(Role::Error))
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            rect,
        );
        return layout;
    }
    header::render(frame, layout.header, state, theme);
    if let Some(rect) = layout.environments {
        environments::render(frame, rect, &layout, state, theme);
    }
    if let Some(rect) = layout.categories {
        categories::render(frame, rect, &layout, state, theme);
    }
    if let Some(rect) = layout.facts {
        facts::render(frame, rect, &layout, state, theme);
    }
    if let Some(rect) = layout.diff {
        diff::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.timeline {
        timeline::render(frame, rect, state, theme);
    }
    footer::render(frame, layout.footer, state, theme);
    if let Some(rect) = layout.refresh {
        refresh::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.history {
        history::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.hosts {
        hosts::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.help {
        help::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.prompt {
        prompt::render(frame, rect, state, theme);
    }
    layout
}

pub use crate::tui::view::markers::{
    age, compact_counts, review_marker, severity_label, status_marker, status_word,
};
pub use crate::tui::view::{clean, fit};

/// The bordered block of a pane, highlighted when focused.
fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, title_style) = if focused {
        (theme.style(Role::Focus), theme.style(Role::Focus))
    } else {
        (theme.style(Role::Border), theme.style(Role::Title))
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(title.style(title_style))
}

/// The style of a list row: selection when selected (bright in the focused pane).
fn row_style(state: &State, pane: Pane, selected: bool, theme: &Theme) -> ratatui::style::Style {
    match (selected, state.focus == pane) {
        (true, true) => theme.style(Role::Selection),
        (true, false) => theme.style(Role::SelectionInactive),
        _ => ratatui::style::Style::default(),
    }
}

/// A message centred in a rectangle (for empty panes).
fn placeholder(frame: &mut Frame, rect: Rect, lines: Vec<Line<'_>>) {
    if rect.height == 0 {
        return;
    }
    let top = rect.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect {
        y: rect.y + top,
        height: rect.height - top,
        ..rect
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

fn span<'a>(text: impl Into<Cow<'a, str>>, role: Role, theme: &Theme) -> Span<'a> {
    Span::styled(text, theme.style(role))
}

/// Pieces of `(text, role)` as one line in `theme`.
fn pieces_line<'a>(pieces: Vec<(String, Role)>, theme: &Theme) -> Line<'a> {
    Line::from(
        pieces
            .into_iter()
            .map(|(text, role)| span(text, role, theme))
            .collect::<Vec<_>>(),
    )
}
