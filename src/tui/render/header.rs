//! The header: workspace, compared environments with their snapshot times, breadcrumbs,
//! the comparison's status and the demo-data marker.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{clean, span};
use crate::tui::sides::short_name;
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
    let any_time = sides.iter().any(|side| side.time.is_some());
    for (i, side) in sides.into_iter().enumerate() {
        if i > 0 {
            spans.push(span(" · ", Role::Dim, theme));
        }
        if i == 0 {
            spans.push(span("◆ ", Role::Baseline, theme));
        }
        let role = if i == 0 { Role::Baseline } else { Role::Text };
        // A side picked in a timeline reads `prod@11-21 22:00`: the time is part of it.
        spans.push(span(clean(&side.name).into_owned(), role, theme));
        match side.time {
            Some(t) if side.pinned => {
                spans.push(span(format!("@{}", when(state.now, t)), role, theme))
            }
            Some(t) => spans.push(span(format!(" {}", when(state.now, t)), Role::Dim, theme)),
            None => {}
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

/// A compared side as the header shows it.
struct Compared {
    /// `prod`, `prod/web-1`, or a label (`prod#2`).
    name: String,
    /// True when the side is a point picked in a timeline: its time is part of its name.
    pinned: bool,
    /// The time of its newest snapshot (of the point, when pinned).
    time: Option<DateTime<Utc>>,
}

impl Compared {
    /// The side's short name with its time when pinned: `prod@11-21 22:00`.
    fn full_name(&self) -> String {
        match self.time.filter(|_| self.pinned) {
            Some(t) => format!("{}@{}", self.name, t.format("%m-%d %H:%M")),
            None => self.name.clone(),
        }
    }
}

/// The compared sides with the time of their newest snapshot, baseline first.
fn compared(state: &State) -> Vec<Compared> {
    if let Some(report) = state.report() {
        return report
            .sides
            .iter()
            .map(|s| {
                let newest = s.hosts.iter().map(|h| h.taken_at).max();
                match s.at {
                    Some(_) if !s.environment.is_empty() => Compared {
                        name: short_name(&s.environment, s.host.as_deref(), None),
                        pinned: true,
                        time: newest,
                    },
                    _ => Compared {
                        name: s.label.clone(),
                        pinned: false,
                        time: newest,
                    },
                }
            })
            .collect();
    }
    if let Some(pinned) = &state.pinned {
        return pinned
            .iter()
            .filter_map(|s| {
                let env = state.workspace.environments.get(s.env)?;
                Some(Compared {
                    name: short_name(&env.name, s.host.as_deref(), None),
                    pinned: s.at.is_some(),
                    time: s.at.or(env.latest),
                })
            })
            .collect();
    }
    state
        .selection
        .sides()
        .into_iter()
        .filter_map(|i| state.workspace.environments.get(i))
        .map(|e| Compared {
            name: e.name.clone(),
            pinned: false,
            time: e.latest,
        })
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
    let names: Vec<String> = compared(state)
        .into_iter()
        .map(|side| side.full_name())
        .collect();
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
