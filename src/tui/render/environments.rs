//! The environments pane: each environment with its hosts, the age of its newest
//! snapshot (or `never` collected), its drift against the baseline (for a compared one,
//! how much of it still needs review: `3/12`, all of it `12`, none `✓12`), and whether it
//! is compared.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{age, clean, fit, pane_block, placeholder, row_style, span};
use crate::tui::layout::AppLayout;
use crate::tui::review::SideDrift;
use crate::tui::state::{CompareStatus, Pane, State};
use crate::tui::theme::{Role, Theme};

pub fn render(frame: &mut Frame, rect: Rect, layout: &AppLayout, state: &State, theme: &Theme) {
    let title = Line::from(" Environments ");
    let block = pane_block(title, state.focus == Pane::Environments, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let envs = &state.workspace.environments;
    if envs.is_empty() {
        placeholder(
            frame,
            inner,
            vec![Line::from(span(
                "no environments: declare them in driftscope.toml",
                Role::Dim,
                theme,
            ))],
        );
        return;
    }
    let Some(list) = layout.list(Pane::Environments, state) else {
        return;
    };
    // Columns: marker (2), name, hosts (3), age (5), drift (6).
    let name_width = usize::from(inner.width)
        .saturating_sub(2 + 4 + 5 + 6)
        .max(3);
    let head = format!(
        "  {} {:>3} {:>4} {:>5}",
        fit("env", name_width),
        "hst",
        "age",
        "drift"
    );
    frame.render_widget(
        Paragraph::new(Line::from(span(head, Role::Dim, theme))),
        Rect { height: 1, ..inner },
    );
    let height = usize::from(list.height);
    let offset = state.env_cursor.visible_offset(height, envs.len());
    let lines: Vec<Line> = envs
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, env)| {
            let (marker, marker_role) = if state.selection.baseline == i {
                ("◆ ", Role::Baseline)
            } else if state.selection.contains(i) {
                ("● ", Role::Text)
            } else {
                ("○ ", Role::Dim)
            };
            let env_age = env.latest.map_or("—".to_string(), |t| age(state.now, t));
            let (drift, drift_role) = if !env.collected() {
                ("never".to_string(), Role::Dim)
            } else if state.selection.baseline == i {
                ("base".to_string(), Role::Baseline)
            } else if let Some(drift) = side_drift(state, i) {
                // Its own drift against the baseline; how much of it still needs review.
                match (drift.needs_review, drift.total) {
                    (_, 0) => ("0".to_string(), Role::Equal),
                    (0, total) => (format!("✓{total}"), Role::Justified),
                    (open, total) if open == total => (total.to_string(), Role::Unreviewed),
                    (open, total) => (format!("{open}/{total}"), Role::Unreviewed),
                }
            } else {
                match state.env_drift.get(i).copied().flatten() {
                    Some(0) => ("0".to_string(), Role::Equal),
                    Some(n) => (n.to_string(), Role::Dim),
                    None if state.status == CompareStatus::Running => ("…".to_string(), Role::Dim),
                    None => ("·".to_string(), Role::Dim),
                }
            };
            let name_role = if state.selection.contains(i) {
                Role::Text
            } else {
                Role::Dim
            };
            Line::from(vec![
                span(marker, marker_role, theme),
                span(fit(&clean(&env.name), name_width), name_role, theme),
                span(format!(" {:>3}", env.hosts), Role::Dim, theme),
                span(format!(" {env_age:>4}"), Role::Dim, theme),
                Span::raw(" "),
                span(format!("{drift:>5}"), drift_role, theme),
            ])
            .style(row_style(
                state,
                Pane::Environments,
                i == state.env_cursor.selected,
                theme,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// The drift of environment `env` against the baseline, when it is compared.
fn side_drift(state: &State, env: usize) -> Option<SideDrift> {
    let loaded = state.loaded.as_ref()?;
    let side = loaded.side_envs.iter().position(|&e| e == env)?;
    state.review.side_drift.get(side).copied()
}
