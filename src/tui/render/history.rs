//! The fact history popup: each value the fact held in one environment, oldest first,
//! with when it was first and last seen and on which hosts. Values are made safe and
//! shortened; a secret shows only as a token, never its fingerprint.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{clean, fit, pane_block, placeholder, span};
use crate::report::history_values::shown_values;
use crate::tui::action::Action;
use crate::tui::fact_history::{FactHistoryView, HEAD_ROWS, list_area};
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};
use crate::tui::timeline::Loadable;

/// Width of a time column: `2026-11-20 09:30`.
const TIME_WIDTH: usize = 16;
/// The widest hosts column.
const HOSTS_WIDTH: usize = 36;

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let Some(view) = state.fact_history() else {
        return;
    };
    let env_name = view
        .env()
        .and_then(|i| state.workspace.environments.get(i))
        .map_or("?", |e| e.name.as_str());
    let title = Line::from(format!(
        " History · {} · {} ",
        clean(&view.key.to_string()),
        clean(env_name)
    ));
    frame.render_widget(Clear, rect);
    let block = pane_block(title, true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let list = list_area(rect);
    let result = match &view.history {
        Loadable::Loading => {
            let text = format!("reading the history in {}…", clean(env_name));
            placeholder(
                frame,
                list,
                vec![Line::from(span(text, Role::Filter, theme))],
            );
            return;
        }
        Loadable::Failed(message) => {
            placeholder(
                frame,
                list,
                vec![Line::from(span(
                    clean(message).into_owned(),
                    Role::Error,
                    theme,
                ))],
            );
            return;
        }
        Loadable::Ready(result) => result,
    };
    let entries = &result.entries;
    let values = entries.iter().filter(|e| e.value.is_some()).count();
    let mut summary = vec![span(
        format!(
            "{} snapshot{} searched, {} value{}",
            result.snapshots,
            if result.snapshots == 1 { "" } else { "s" },
            values,
            if values == 1 { "" } else { "s" }
        ),
        Role::Text,
        theme,
    )];
    if let Some(hint) = env_hint(state, view) {
        summary.push(span(hint, Role::Dim, theme));
    }
    let width = usize::from(inner.width);
    let hosts_width = entries
        .iter()
        .map(|e| e.hosts.join(", ").chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, HOSTS_WIDTH)
        .min(width.saturating_sub(2 * TIME_WIDTH + 12));
    let value_width = width.saturating_sub(2 * TIME_WIDTH + hosts_width + 6);
    let head = format!(
        "{:<TIME_WIDTH$}  {:<TIME_WIDTH$}  {}  value",
        "first seen (UTC)",
        "last seen",
        fit("hosts", hosts_width)
    );
    let head_rows = [
        Line::from(summary),
        Line::from(span(fit(&head, width), Role::Dim, theme)),
    ];
    frame.render_widget(
        Paragraph::new(head_rows.to_vec()),
        Rect {
            height: HEAD_ROWS.min(inner.height),
            ..inner
        },
    );
    if entries.is_empty() {
        placeholder(
            frame,
            list,
            vec![Line::from(span("no snapshots", Role::Dim, theme))],
        );
        return;
    }
    let shown = shown_values(entries);
    let height = usize::from(list.height);
    let scroll = view.scroll.min(entries.len().saturating_sub(height));
    let lines: Vec<Line> = entries
        .iter()
        .zip(shown)
        .skip(scroll)
        .take(height)
        .map(|(entry, value)| {
            let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M").to_string();
            let value_role = if entry.value.is_some() {
                Role::Text
            } else {
                Role::Missing
            };
            Line::from(vec![
                span(time(entry.first_seen), Role::Text, theme),
                span("  ", Role::Dim, theme),
                span(time(entry.last_seen), Role::Dim, theme),
                span("  ", Role::Dim, theme),
                span(
                    fit(&clean(&entry.hosts.join(", ")), hosts_width),
                    Role::Dim,
                    theme,
                ),
                span("  ", Role::Dim, theme),
                span(fit(&value, value_width), value_role, theme),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// `   ] [ other environment (1/2)` when several environments are compared.
fn env_hint(state: &State, view: &FactHistoryView) -> Option<String> {
    if view.envs.len() < 2 {
        return None;
    }
    let keys: Vec<String> = [Action::NextSide, Action::PrevSide]
        .into_iter()
        .filter_map(|a| state.keymap.first_key(a))
        .collect();
    Some(format!(
        "   {} other environment ({}/{})",
        keys.join(" "),
        view.shown + 1,
        view.envs.len()
    ))
}
