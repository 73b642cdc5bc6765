//! The timeline view: an environment's points newest first, each with its time, hosts and
//! how many facts changed (with a bar, so bursts stand out), the marked and compared
//! points, and the selected point's changed facts. Only visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{clean, fit, pane_block, placeholder, span};
use crate::store::SideRef;
use crate::store::TimelinePoint;
use crate::tui::sides::SidePick;
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};
use crate::tui::timeline::{Loadable, TimelineAreas, TimelineView};

/// Columns before the bar: marker (2), time (19), hosts (6), changed (8), gap (2).
const FIXED_COLUMNS: usize = 2 + 19 + 6 + 8 + 2;

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let Some(view) = state.timeline() else {
        return;
    };
    let env_name = state
        .workspace
        .environments
        .get(view.env)
        .map_or("?", |e| e.name.as_str());
    let scope = view.host().unwrap_or("all hosts");
    let title = Line::from(format!(
        " Timeline · {} · {} ",
        clean(env_name),
        clean(scope)
    ));
    frame.render_widget(Clear, rect);
    frame.render_widget(pane_block(title, true, theme), rect);
    let areas = TimelineAreas::of(rect);
    let points = match &view.points {
        Loadable::Loading => {
            let text = format!("loading the timeline of {}…", clean(env_name));
            placeholder(
                frame,
                areas.list,
                vec![Line::from(span(text, Role::Filter, theme))],
            );
            return;
        }
        Loadable::Failed(message) => {
            placeholder(
                frame,
                areas.list,
                vec![Line::from(span(
                    clean(message).into_owned(),
                    Role::Error,
                    theme,
                ))],
            );
            return;
        }
        Loadable::Ready(points) => points,
    };
    summary(frame, areas.summary, state, view, points, theme);
    let head = format!(
        "  {:<19} {:>5} {:>7}  change",
        "time (UTC)", "hosts", "changed"
    );
    frame.render_widget(
        Paragraph::new(span(
            fit(&head, usize::from(areas.head.width)),
            Role::Dim,
            theme,
        )),
        areas.head,
    );
    if points.is_empty() {
        placeholder(
            frame,
            areas.list,
            vec![Line::from(span("no snapshots", Role::Dim, theme))],
        );
        return;
    }
    rows(frame, areas.list, state, view, points, theme);
    if let (Some(details_rect), Some(point)) = (areas.details, view.selected()) {
        let below = details_rect.x == areas.list.x;
        // What to type on the command line for the same side.
        let reference =
            Some(SideRef::environment(env_name, view.host(), Some(point.taken_at)).to_string());
        details(
            frame,
            details_rect,
            below,
            reference.as_deref(),
            point,
            theme,
        );
    }
}

/// Points and snapshots, and the marked point.
fn summary(
    frame: &mut Frame,
    rect: Rect,
    state: &State,
    view: &TimelineView,
    points: &[TimelinePoint],
    theme: &Theme,
) {
    let snapshots: usize = points.iter().map(|p| p.snapshots.len()).sum();
    let mut spans = vec![span(
        format!(
            "{} point{}, {} snapshot{}",
            points.len(),
            if points.len() == 1 { "" } else { "s" },
            snapshots,
            if snapshots == 1 { "" } else { "s" }
        ),
        Role::Text,
        theme,
    )];
    if view.host().is_none() && !view.hosts.is_empty() {
        spans.push(span(
            format!(" on {} host{}", view.hosts.len(), plural(view.hosts.len())),
            Role::Text,
            theme,
        ));
    }
    if let Some(mark) = &state.mark {
        let label = pick_label(state, mark);
        spans.push(span("   A: ", Role::Dim, theme));
        spans.push(span(clean(&label).into_owned(), Role::Baseline, theme));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `prod@11-21 22:00` (`prod/web-1@…` for one host), or `prod` for the newest snapshots.
fn pick_label(state: &State, pick: &SidePick) -> String {
    let name = state
        .workspace
        .environments
        .get(pick.env)
        .map_or("?", |e| e.name.as_str());
    pick.short_name(name)
}

/// The visible rows, newest first.
fn rows(
    frame: &mut Frame,
    rect: Rect,
    state: &State,
    view: &TimelineView,
    points: &[TimelinePoint],
    theme: &Theme,
) {
    let height = usize::from(rect.height);
    let offset = view.cursor.visible_offset(height, points.len());
    let max = points
        .iter()
        .filter_map(|p| p.changed_since_previous)
        .max()
        .unwrap_or(0);
    let bar_width = usize::from(rect.width).saturating_sub(FIXED_COLUMNS);
    let pinned = state.pinned.as_deref().unwrap_or(&[]);
    let lines: Vec<Line> = (offset..points.len().min(offset + height))
        .filter_map(|row| view.point_at(row).map(|p| (row, p)))
        .map(|(row, point)| {
            let here = SidePick {
                env: view.env,
                host: view.host().map(str::to_string),
                at: Some(point.taken_at),
            };
            let (marker, marker_role) = if state.mark.as_ref() == Some(&here) {
                ("A ", Role::Filter)
            } else if pinned.first() == Some(&here) {
                ("◆ ", Role::Baseline)
            } else if pinned.get(1) == Some(&here) {
                ("● ", Role::Text)
            } else {
                ("  ", Role::Dim)
            };
            let mut spans = vec![
                span(marker, marker_role, theme),
                span(
                    point.taken_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    Role::Text,
                    theme,
                ),
                span(format!(" {:>5}", point.hosts.len()), Role::Dim, theme),
            ];
            match point.changed_since_previous {
                None => {
                    spans.push(span(format!(" {:>7}", "-"), Role::Dim, theme));
                    spans.push(span(
                        fit("  first snapshot", bar_width + 2),
                        Role::Dim,
                        theme,
                    ));
                }
                Some(changed) => {
                    let role = if changed == 0 {
                        Role::Equal
                    } else {
                        Role::Changed
                    };
                    spans.push(span(format!(" {changed:>7}"), role, theme));
                    spans.push(Span::raw("  "));
                    spans.push(span(bar(changed, max, bar_width), Role::Changed, theme));
                }
            }
            let style = if row == view.cursor.selected {
                theme.style(Role::Selection)
            } else {
                ratatui::style::Style::default()
            };
            Line::from(spans).style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rect);
}

/// A bar of `value` against `max` in at most `width` cells; any change shows one cell.
fn bar(value: usize, max: usize, width: usize) -> String {
    if value == 0 || max == 0 || width == 0 {
        return String::new();
    }
    let cells = (value * width).div_ceil(max).clamp(1, width);
    "█".repeat(cells)
}

/// The selected point: time, hosts, its reference for the command line, and the facts
/// that changed.
fn details(
    frame: &mut Frame,
    rect: Rect,
    below: bool,
    reference: Option<&str>,
    point: &TimelinePoint,
    theme: &Theme,
) {
    let block = Block::default()
        .borders(if below { Borders::TOP } else { Borders::LEFT })
        .border_style(theme.style(Role::Border));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        span("point ", Role::Dim, theme),
        span(
            point.taken_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            Role::Text,
            theme,
        ),
        span(" on ", Role::Dim, theme),
        span(
            fit(&clean(&point.hosts.join(", ")), width.saturating_sub(33)),
            Role::Text,
            theme,
        ),
    ])];
    // The reference for the command line, when there is room to spare.
    if let Some(reference) = reference.filter(|_| inner.height >= 10) {
        lines.push(Line::from(vec![
            span("diff as ", Role::Dim, theme),
            span(
                fit(&clean(reference), width.saturating_sub(8)),
                Role::Text,
                theme,
            ),
        ]));
    }
    let facts = &point.changed_facts;
    lines.push(Line::from(span(
        match point.changed_since_previous {
            None => "the first snapshot of these hosts: nothing to compare with".to_string(),
            Some(0) => "nothing changed since the previous snapshots".to_string(),
            Some(n) => format!(
                "{n} fact{} changed since the previous snapshots:",
                plural(n)
            ),
        },
        Role::Dim,
        theme,
    )));
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let shown = if facts.len() > room {
        room.saturating_sub(1)
    } else {
        facts.len()
    };
    for key in facts.iter().take(shown) {
        lines.push(Line::from(span(
            fit(&format!("  {}", clean(&key.to_string())), width),
            Role::Changed,
            theme,
        )));
    }
    if shown < facts.len() && room > 0 {
        lines.push(Line::from(span(
            format!("  … and {} more", facts.len() - shown),
            Role::Dim,
            theme,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_any_change_shows() {
        assert_eq!(bar(5, 5, 10).chars().count(), 10);
        assert_eq!(bar(1, 100, 10).chars().count(), 1);
        assert_eq!(bar(50, 100, 10).chars().count(), 5);
        assert_eq!(bar(0, 100, 10), "");
        assert_eq!(bar(3, 3, 0), "");
    }
}
