//! Draws the footer: the view layer's key pairs, the always-offered ones at the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::span;
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};
use crate::tui::view::footer;

/// Draws the footer in `rect`.
pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let pairs = footer::pairs(state);
    let line = |pairs: Vec<(String, &str)>| {
        let mut spans = vec![Span::raw(" ")];
        for (key, label) in pairs {
            spans.push(span(key, Role::FooterKey, theme));
            spans.push(span(format!(" {label}  "), Role::Footer, theme));
        }
        Line::from(spans)
    };
    let right = line(footer::always(state));
    // The always-there keys keep their place; the pane's keys get what is left.
    let right_width = (right.width() as u16).min(rect.width / 2);
    let left_rect = Rect {
        width: rect.width - right_width,
        ..rect
    };
    let right_rect = Rect {
        x: rect.x + left_rect.width,
        width: right_width,
        ..rect
    };
    // Only whole entries: a key without its label would mislead.
    let mut room = usize::from(left_rect.width).saturating_sub(1);
    let fitting: Vec<(String, &str)> = pairs
        .into_iter()
        .take_while(|(key, label)| {
            let need = key.chars().count() + label.chars().count() + 3;
            let fits = need <= room;
            room = room.saturating_sub(need);
            fits
        })
        .collect();
    frame.render_widget(Paragraph::new(line(fitting)), left_rect);
    frame.render_widget(Paragraph::new(right), right_rect);
}
