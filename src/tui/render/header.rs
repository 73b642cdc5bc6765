//! The header: workspace, compared environments with their snapshot times, breadcrumbs,
//! the comparison's status and the demo-data marker.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{clean, span};
use crate::tui::state::{CompareStatus, Pane, State};
use crate::tui::theme::{Role, Theme};

/// How to leave the demo for a real workspace.
pub const DEMO_HINT: &str = "your own workspace: driftscope init && driftscope snapshot --local";

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let mut lines = Vec::new();
    if rect.height >= 2 {
        lines.push(title_line(state, theme));
    }
    lines.push(breadcrumbs(state, theme, rect.height < 2));
    if rect.height >= 3 && state.workspace.is_demo {
        lines.push(Line::from(vec![
            span(" demo data ", Role::Demo, theme),
            Span::raw(" "),
            span(DEMO_HINT, Role::Dim, theme),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), rect);
}

fn title_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let mut spans = vec![
        span(" driftscope ", Role::Header, theme),
        span(
            clean(&state.workspace.name).into_owned(),
            Role::Breadcrumb,
            theme,
        ),
    ];
    if state.workspace.is_demo {
        spans.push(Span::raw(" "));
        spans.push(span(" DEMO DATA ", Role::Demo, theme));
    }
    spans.push(span("  │ ", Role::Border, theme));
    let sides = compared(state);
    let any_time = sides.iter().any(|(_, t)| t.is_some());
    for (i, (label, time)) in sides.into_iter().enumerate() {
        if i > 0 {
            spans.push(span(" · ", Role::Dim, theme));
        }
        if i == 0 {
            spans.push(span("◆ ", Role::Baseline, theme));
        }
        let role = if i == 0 { Role::Baseline } else { Role::Text };
        spans.push(span(clean(&label).into_owned(), role, theme));
        if let Some(t) = time {
            spans.push(span(format!(" {}", when(state.now, t)), Role::Dim, theme));
        }
    }
    if any_time {
        spans.push(span(" UTC", Role::Dim, theme));
    }
    Line::from(spans)
}

/// A snapshot time, short: `09:30` today (UTC), `11-19 17:00` on another day.
fn when(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    if t.date_naive() == now.date_naive() {
        t.format("%H:%M").to_string()
    } else {
        t.format("%m-%d %H:%M").to_string()
    }
}

/// The compared sides with the time of their newest snapshot, baseline first.
fn compared(state: &State) -> Vec<(String, Option<DateTime<Utc>>)> {
    if let Some(report) = state.report() {
        return report
            .sides
            .iter()
            .map(|s| (s.label.clone(), s.hosts.iter().map(|h| h.taken_at).max()))
            .collect();
    }
    state
        .selection
        .sides()
        .into_iter()
        .filter_map(|i| state.workspace.environments.get(i))
        .map(|e| (e.name.clone(), e.latest))
        .collect()
}

fn breadcrumbs<'a>(state: &'a State, theme: &Theme, compact: bool) -> Line<'a> {
    let sep = || span(" › ", Role::Dim, theme);
    let mut spans = vec![Span::raw(" ")];
    if compact && state.workspace.is_demo {
        spans.push(span("DEMO", Role::Demo, theme));
        spans.push(Span::raw(" "));
    }
    spans.push(span(
        clean(&state.workspace.name).into_owned(),
        Role::Breadcrumb,
        theme,
    ));
    let names: Vec<String> = compared(state).into_iter().map(|(l, _)| l).collect();
    if let Some((base, rest)) = names.split_first() {
        spans.push(sep());
        let text = format!("{} ⇄ {}", base, rest.join(", "));
        spans.push(span(clean(&text).into_owned(), Role::Breadcrumb, theme));
    }
    let depth = match state.focus {
        Pane::Environments => 0,
        Pane::Categories | Pane::Facts => 1,
        Pane::Diff => 2,
    };
    if depth >= 1 {
        spans.push(sep());
        spans.push(span(state.category().as_str(), Role::Breadcrumb, theme));
    }
    if depth >= 2 {
        let here = match state.selected_fact() {
            Some(fact) => Some(clean(&fact.key.key).into_owned()),
            None => state.selected_group().map(|g| clean(&g.label).into_owned()),
        };
        if let Some(here) = here {
            spans.push(sep());
            spans.push(span(here, Role::Breadcrumb, theme));
        }
    }
    match &state.status {
        CompareStatus::Running => {
            spans.push(span("   comparing…", Role::Filter, theme));
        }
        CompareStatus::Failed(message) => {
            spans.push(span(
                format!("   comparison failed: {}", clean(message)),
                Role::Error,
                theme,
            ));
        }
        CompareStatus::Idle => {
            spans.push(span(
                "   choose two environments to compare",
                Role::Dim,
                theme,
            ));
        }
        CompareStatus::Ready => {}
    }
    if let Some(refresh) = state.refresh.as_ref().filter(|r| r.running) {
        let c = refresh.counts();
        spans.push(span(
            format!("   refreshing {}/{}…", c.done + c.failed, c.total),
            Role::Filter,
            theme,
        ));
    }
    if let Some(notice) = &state.notice {
        spans.push(span(format!("   {}", clean(notice)), Role::Filter, theme));
    } else if let Some(first) = state.workspace.problems.first() {
        let more = state.workspace.problems.len() - 1;
        let text = if more > 0 {
            format!("   ⚠ {} (and {more} more)", clean(first))
        } else {
            format!("   ⚠ {}", clean(first))
        };
        spans.push(span(text, Role::Error, theme));
    }
    Line::from(spans)
}
