//! The categories pane: each category with its drift still to review and all its drift;
//! below, when there is room, the chosen category's drift by review state, and the total.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{compact_counts, fit, pane_block, row_style, span};
use crate::diff::review::StateCounts;
use crate::model::Category;
use crate::tui::layout::AppLayout;
use crate::tui::state::{Pane, State};
use crate::tui::theme::{Role, Theme};

pub fn render(frame: &mut Frame, rect: Rect, layout: &AppLayout, state: &State, theme: &Theme) {
    let total: usize = state.loaded.as_ref().map_or(0, |l| {
        Category::ALL
            .iter()
            .map(|c| l.index.counts(*c).needs_review())
            .sum()
    });
    let long = format!(" Categories · {total} to review ");
    let title = if long.chars().count() + 2 <= usize::from(rect.width) {
        Line::from(long)
    } else {
        Line::from(format!(" Categories · {total} "))
    };
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
        "review",
        "drift"
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
            let (open, drift, open_role) = match counts {
                Some(c) if c.needs_review() > 0 => (
                    c.needs_review().to_string(),
                    c.drift.to_string(),
                    Role::Unreviewed,
                ),
                Some(c) if c.drift > 0 => ("✓".to_string(), c.drift.to_string(), Role::Justified),
                Some(c) => ("0".to_string(), c.drift.to_string(), Role::Equal),
                None => ("…".to_string(), "…".to_string(), Role::Dim),
            };
            let selected = i == state.category_cursor.selected;
            let marker = if selected { "▸ " } else { "  " };
            Line::from(vec![
                span(marker, Role::Text, theme),
                span(fit(category.as_str(), name_width), Role::Text, theme),
                span(format!(" {open:>6}"), open_role, theme),
                span(format!(" {drift:>6}"), Role::Dim, theme),
            ])
            .style(row_style(state, Pane::Categories, selected, theme))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    summary(frame, list, state, theme);
}

/// Below the list, when it fits: the chosen category's drift by review state, and every
/// category's.
fn summary(frame: &mut Frame, list: Rect, state: &State, theme: &Theme) {
    let Some(loaded) = state.loaded.as_ref() else {
        return;
    };
    let needed = 2;
    if list.height < Category::ALL.len() as u16 + 1 + needed {
        return;
    }
    let category = state.category();
    let mut total = StateCounts::default();
    for c in Category::ALL {
        total.absorb(&loaded.index.counts(c).states);
    }
    let label_width = Category::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(8);
    let line = |label: &str, counts: &StateCounts| {
        let mut parts = vec![(format!("{label:<label_width$} "), Role::Dim)];
        parts.extend(compact_counts(counts));
        super::review::to_line(parts, theme)
    };
    let lines = vec![
        line(category.as_str(), &loaded.index.counts(category).states),
        line("all", &total),
    ];
    let rect = Rect {
        y: list.y + list.height - needed,
        height: needed,
        ..list
    };
    frame.render_widget(Paragraph::new(lines), rect);
}
