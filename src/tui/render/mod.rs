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
mod prompt;
pub mod refresh;
mod review;
mod timeline;

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use crate::diff::{FactDiff, Severity, Status};
use crate::model::sanitize;

use super::diffview::severity_role;
use super::layout::{AppLayout, MIN_HEIGHT, MIN_WIDTH, centered};
use super::state::{Pane, State};
use super::theme::{Role, Theme};

pub use help::help_lines;
pub use review::{compact_counts, detail, detail_height, review_marker, wrap};

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
    if let Some(rect) = layout.help {
        help::render(frame, rect, state, theme);
    }
    if let Some(rect) = layout.prompt {
        prompt::render(frame, rect, state, theme);
    }
    layout
}

/// Untrusted text made safe for one terminal line.
fn clean(text: &str) -> Cow<'_, str> {
    sanitize(text, false)
}

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

/// A fact's status marker and its role: `≋` divergent, `∅` missing, `≠` differs, `=` equal.
pub fn status_marker(fact: &FactDiff) -> (&'static str, Role) {
    if fact.divergent {
        ("≋", Role::Divergent)
    } else {
        match fact.status {
            Status::Missing => ("∅", Role::Missing),
            Status::Differs => ("≠", Role::Changed),
            Status::Equal => ("=", Role::Equal),
        }
    }
}

/// A four-letter severity label and its role.
pub fn severity_label(severity: Severity) -> (&'static str, Role) {
    let label = match severity {
        Severity::Critical => "crit",
        Severity::High => "high",
        Severity::Medium => "med ",
        Severity::Low => "low ",
        Severity::None => "    ",
    };
    (label, severity_role(severity))
}

/// A status in words.
pub fn status_word(fact: &FactDiff) -> &'static str {
    if fact.divergent {
        "divergent within an environment"
    } else {
        match fact.status {
            Status::Missing => "missing",
            Status::Differs => "differs",
            Status::Equal => "equal",
        }
    }
}

/// How long ago `then` was, in one short word: `now`, `5m`, `3h`, `2d`.
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds();
    match secs {
        s if s < 60 => "now".to_string(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
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

/// Pads or cuts `text` to exactly `width` columns (by characters).
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

fn span<'a>(text: impl Into<Cow<'a, str>>, role: Role, theme: &Theme) -> Span<'a> {
    Span::styled(text, theme.style(role))
}
