//! The categories pane: each category with its unreviewed drift and fact counts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{fit, pane_block, row_style, span};
use crate::model::Category;
use crate::tui::layout::AppLayout;
use crate::tui::state::{Pane, State};
use crate::tui::theme::{Role, Theme};

pub fn render(frame: &mut Frame, rect: Rect, layout: &AppLayout, state: &State, theme: &Theme) {
    let total: usize = state.loaded.as_ref().map_or(0, |l| {
        Category::ALL
            .iter()
            .map(|c| l.index.counts(*c).unreviewed)
            .sum()
    });
    let title = Line::from(format!(" Categories · {total} drift "));
    let block = pane_block(title, state.focus == Pane::Categories, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let Some(list) = layout.list(Pane::Categories, state) else {
        return;
    };
    let name_width = usize::from(inner.width).saturating_sub(2 + 7 + 7).max(4);
    let head = format!(
        "  {} {:>6} {:>6}",
        fit("category", name_width),
        "drift",
        "facts"
    );
    frame.render_widget(
        Paragraph::new(Line::from(span(head, Role::Dim, theme))),
        Rect { height: 1, ..inner },
    );
    let height = usize::from(list.height);
    let offset = state
        .category_cursor
        .visible_offset(height, Category::ALL.len());
    let lines: Vec<Line> = Category::ALL
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, category)| {
            let counts = state.loaded.as_ref().map(|l| l.index.counts(*category));
            let (drift, facts, drift_role) = match counts {
                Some(c) if c.unreviewed > 0 => (
                    c.unreviewed.to_string(),
                    c.facts.to_string(),
                    Role::Unreviewed,
                ),
                Some(c) => ("0".to_string(), c.facts.to_string(), Role::Equal),
                None => ("…".to_string(), "…".to_string(), Role::Dim),
            };
            let selected = i == state.category_cursor.selected;
            let marker = if selected { "▸ " } else { "  " };
            Line::from(vec![
                span(marker, Role::Text, theme),
                span(fit(category.as_str(), name_width), Role::Text, theme),
                span(format!(" {drift:>6}"), drift_role, theme),
                span(format!(" {facts:>6}"), Role::Dim, theme),
            ])
            .style(row_style(state, Pane::Categories, selected, theme))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
