//! The facts pane: the chosen category's facts with review, status and severity markers;
//! in the schema category, grouped under a heading per table (or other object), with keys
//! shortened to what the heading does not say. Only the rows on screen are built,
//! whatever the size of the report.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{
    clean, fit, pane_block, placeholder, review_marker, row_style, severity_label, span,
    status_marker,
};
use crate::diff::review::{ReviewFilter, ReviewState};
use crate::diff::{Cell, FactDiff};
use crate::model::{Category, SchemaKind, Value, parse_schema_key};
use crate::tui::filter::FuzzyFilter;
use crate::tui::index::{FactIndex, ListRow};
use crate::tui::layout::AppLayout;
use crate::tui::sides::side_name;
use crate::tui::state::{CompareStatus, Mode, Pane, State};
use crate::tui::theme::{Role, Theme};

/// The most characters of one side's value shown in a row's summary.
const SUMMARY_CHARS: usize = 24;

pub fn render(frame: &mut Frame, rect: Rect, layout: &AppLayout, state: &State, theme: &Theme) {
    let category = state.category();
    let visible = state.visible_rows();
    let fact_count = state
        .loaded
        .as_ref()
        .map_or(0, |l| l.index.visible_fact_count(category));
    let what = if state.show_all { "all facts" } else { "drift" };
    let pending = state.show_all && state.loaded.as_ref().is_some_and(|l| !l.complete);
    let review_filter = state.review.filter;
    // Under a review filter, the list holds drift in that state only.
    let what = match review_filter {
        ReviewFilter::All => what,
        other => other.label(),
    };
    let title = Line::from(format!(
        " Facts · {category} · {} {what}{} ",
        fact_count,
        if pending {
            " (equal facts loading…)"
        } else {
            ""
        }
    ));
    let block = pane_block(title, state.focus == Pane::Facts, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let filter_shown = state.mode() == Mode::Filter || !state.filter.is_empty();
    if filter_shown {
        let mut spans = vec![
            span("/", Role::Filter, theme),
            span(
                clean(state.filter.value()).into_owned(),
                Role::Filter,
                theme,
            ),
        ];
        if state.mode() == Mode::Filter {
            spans.push(span("▏", Role::Filter, theme));
        }
        spans.push(span(format!("  {fact_count} match"), Role::Dim, theme));
        if FuzzyFilter::new(state.filter.value()).is_invalid() {
            spans.push(span(
                "  (not a valid regular expression)",
                Role::Error,
                theme,
            ));
        } else if let Some(loaded) = state.loaded.as_ref() {
            // The filter searches every category: say where the other matches are.
            let elsewhere: Vec<String> = Category::ALL
                .iter()
                .filter(|c| **c != category)
                .filter_map(|c| {
                    let n = loaded.index.visible_fact_count(*c);
                    (n > 0).then(|| format!("{c} {n}"))
                })
                .collect();
            if !elsewhere.is_empty() {
                spans.push(span(
                    format!(" · elsewhere: {}", elsewhere.join(", ")),
                    Role::Dim,
                    theme,
                ));
            }
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect { height: 1, ..inner },
        );
    }
    let Some(list) = layout.list(Pane::Facts, state) else {
        return;
    };
    let Some(loaded) = state.loaded.as_ref() else {
        let lines = match &state.status {
            CompareStatus::Running => vec![Line::from(span("comparing…", Role::Filter, theme))],
            CompareStatus::Failed(m) => {
                vec![Line::from(span(clean(m).into_owned(), Role::Error, theme))]
            }
            _ => idle_lines(state, theme),
        };
        placeholder(frame, list, lines);
        return;
    };
    if visible.is_empty() {
        let what = match review_filter {
            ReviewFilter::All => what.to_string(),
            other => format!("{} drift", other.label()),
        };
        let mut lines = vec![Line::from(span(
            if state.filter.is_empty() {
                format!("no {what} in {category}")
            } else {
                format!("no fact matches '{}'", clean(state.filter.value()))
            },
            Role::Dim,
            theme,
        ))];
        if review_filter != ReviewFilter::All {
            if let Some(k) = state
                .keymap
                .first_key(crate::tui::action::Action::CycleReviewFilter)
            {
                lines.push(Line::from(span(
                    format!("{k}: change the review filter"),
                    Role::Dim,
                    theme,
                )));
            }
        } else if !state.show_all {
            if let Some(k) = state
                .keymap
                .first_key(crate::tui::action::Action::ToggleShowAll)
            {
                lines.push(Line::from(span(
                    format!("{k}: show all facts"),
                    Role::Dim,
                    theme,
                )));
            }
        }
        placeholder(frame, list, lines);
        return;
    }
    let cursor = state.fact_cursor();
    let height = usize::from(list.height);
    let offset = cursor.visible_offset(height, visible.len());
    let grouped = category == Category::Schema;
    let on_screen = || visible.iter().skip(offset).take(height);
    // Summaries line up after the longest key on screen (at most 60% of the width).
    let key_width = on_screen()
        .filter_map(|row| row.fact())
        .filter_map(|row| loaded.report.facts.get(row as usize))
        .map(|f| shown_key(&f.key.key, grouped).0.chars().count())
        .max()
        .unwrap_or(0)
        .min(usize::from(list.width) * 6 / 10);
    // The column header: what the markers are, the key, and whose values follow.
    let marks = if grouped {
        "    ≠ sev  "
    } else {
        "  ≠ sev  "
    };
    let sides: Vec<String> = loaded.report.sides.iter().map(side_name).collect();
    let header = format!(
        "{marks}{}  {}",
        fit("key", key_width),
        clean(&sides.join(" · "))
    );
    frame.render_widget(
        Paragraph::new(span(
            fit(&header, usize::from(list.width)),
            Role::Dim,
            theme,
        )),
        Rect {
            y: list.y.saturating_sub(1),
            height: 1,
            ..list
        },
    );
    let mut fuzzy = FuzzyFilter::new(state.filter.value());
    let lines: Vec<Line> = on_screen()
        .enumerate()
        .filter_map(|(i, row)| {
            let line = match *row {
                ListRow::Fact(r) => {
                    let fact = loaded.report.facts.get(r as usize)?;
                    let review = state.review.state(r as usize);
                    fact_line(fact, review, grouped, key_width, &mut fuzzy, theme)
                }
                ListRow::Heading {
                    group,
                    facts,
                    drift,
                } => heading_line(&loaded.index, group, facts, drift, theme),
            };
            let selected = offset + i == cursor.selected;
            Some(line.style(row_style(state, Pane::Facts, selected, theme)))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// What to do when nothing is compared: collect the compared environments that have no
/// snapshots yet, or pick a second environment.
fn idle_lines<'a>(state: &State, theme: &Theme) -> Vec<Line<'a>> {
    let never: Vec<&str> = state
        .selection
        .sides()
        .into_iter()
        .filter_map(|i| state.workspace.environments.get(i))
        .filter(|e| !e.collected())
        .map(|e| e.name.as_str())
        .collect();
    if never.is_empty() {
        return vec![Line::from(span(
            "choose environments to compare",
            Role::Dim,
            theme,
        ))];
    }
    let mut lines = vec![Line::from(span(
        format!("never collected: {}", clean(&never.join(", "))),
        Role::Dim,
        theme,
    ))];
    if state.workspace.is_demo {
        return lines;
    }
    if let Some(key) = state.keymap.first_key(crate::tui::action::Action::Refresh) {
        lines.push(Line::from(span(
            format!("press {key} to collect them now"),
            Role::Filter,
            theme,
        )));
    }
    lines.push(Line::from(span(
        "(or run: driftscope snapshot --all)",
        Role::Dim,
        theme,
    )));
    lines
}

/// A group heading: `public.orders  table · 2 of 9 drift`, `database  1 drift`.
fn heading_line<'a>(
    index: &FactIndex,
    group: u32,
    facts: u32,
    drift: u32,
    theme: &Theme,
) -> Line<'a> {
    let Some(group) = index.group(group) else {
        return Line::default();
    };
    let counts = if drift == facts {
        format!("{drift} drift")
    } else {
        format!("{drift} of {facts} drift")
    };
    let what = match group.kind.name() {
        Some(kind) => format!("  {kind} · {counts}"),
        None => format!("  {counts}"),
    };
    Line::from(vec![
        span(clean(&group.label).into_owned(), Role::Header, theme),
        span(what, Role::Dim, theme),
    ])
}

/// The key as the list shows it, and how to find a character of the full key in it.
/// Under a schema heading, the part the heading names is left out:
/// `column:public.users.email` shows as `column email`, `table:public.users` as `table`.
fn shown_key(key: &str, grouped: bool) -> (String, KeyMap) {
    let whole = |key: &str| {
        let text = clean(key).into_owned();
        (text, KeyMap::Same)
    };
    if !grouped {
        return whole(key);
    }
    let Some(parsed) = parse_schema_key(key) else {
        return whole(key);
    };
    let rest = match parsed.kind {
        SchemaKind::Column | SchemaKind::Index | SchemaKind::Constraint | SchemaKind::Trigger => {
            parsed.item
        }
        SchemaKind::Setting
        | SchemaKind::Extension
        | SchemaKind::Schema
        | SchemaKind::Migrations => Some(parsed.name),
        _ => None,
    };
    let prefix = parsed.kind.prefix();
    let prefix_chars = prefix.chars().count();
    // Counted as drawn: control characters are shown as two.
    let key_chars = clean(key).chars().count();
    match rest {
        Some(rest) if key.ends_with(rest) => {
            let rest = clean(rest);
            let rest_chars = rest.chars().count();
            let text = format!("{prefix} {rest}");
            let map = KeyMap::Parts {
                prefix: prefix_chars,
                rest_from: key_chars - rest_chars,
            };
            (text, map)
        }
        _ => (
            prefix.to_string(),
            KeyMap::Parts {
                prefix: prefix_chars,
                rest_from: key_chars,
            },
        ),
    }
}

/// Where the characters of a full key went in the key as shown.
#[derive(Debug, Clone, Copy)]
enum KeyMap {
    /// Shown whole.
    Same,
    /// Its first `prefix` characters, a space, then the characters from `rest_from` on.
    Parts { prefix: usize, rest_from: usize },
}

impl KeyMap {
    fn map(self, position: usize) -> Option<usize> {
        match self {
            KeyMap::Same => Some(position),
            KeyMap::Parts { prefix, .. } if position < prefix => Some(position),
            KeyMap::Parts { prefix, rest_from } if position >= rest_from => {
                Some(position - rest_from + prefix + 1)
            }
            KeyMap::Parts { .. } => None,
        }
    }
}

fn fact_line<'a>(
    fact: &'a FactDiff,
    review: Option<ReviewState>,
    grouped: bool,
    key_width: usize,
    fuzzy: &mut FuzzyFilter,
    theme: &Theme,
) -> Line<'a> {
    let (marker, marker_role) = status_marker(fact);
    let (severity, severity_role) = severity_label(fact.severity);
    let (review_mark, review_role) = match review {
        Some(state) => review_marker(state),
        None => (" ", Role::Text),
    };
    let mut spans = Vec::with_capacity(10);
    if grouped {
        spans.push(Span::raw("  "));
    }
    spans.extend([
        span(review_mark, review_role, theme),
        Span::raw(" "),
        span(marker, marker_role, theme),
        Span::raw(" "),
        span(severity, severity_role, theme),
        Span::raw(" "),
    ]);
    let (shown, map) = shown_key(&fact.key.key, grouped);
    let key = fit(&shown, key_width);
    // Matches are found in the full key (what the filter matched), then placed.
    let full = clean(&fact.key.key);
    let positions: Vec<usize> = match map {
        KeyMap::Same => fuzzy.positions(&key),
        KeyMap::Parts { .. } => fuzzy
            .positions(&full)
            .into_iter()
            .filter_map(|p| map.map(p))
            .collect(),
    };
    spans.extend(highlighted(&key, &positions, theme));
    spans.push(span(format!("  {}", summary(fact)), Role::Dim, theme));
    Line::from(spans)
}

/// `text` with the characters at `positions` in the filter's style.
fn highlighted<'a>(text: &str, positions: &[usize], theme: &Theme) -> Vec<Span<'a>> {
    if positions.is_empty() {
        return vec![span(text.to_string(), Role::Text, theme)];
    }
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in text.chars().enumerate() {
        let matched = positions.binary_search(&i).is_ok();
        if matched != run_matched && !run.is_empty() {
            let role = if run_matched {
                Role::Filter
            } else {
                Role::Text
            };
            spans.push(span(std::mem::take(&mut run), role, theme));
        }
        run_matched = matched;
        run.push(c);
    }
    if !run.is_empty() {
        let role = if run_matched {
            Role::Filter
        } else {
            Role::Text
        };
        spans.push(span(run, role, theme));
    }
    spans
}

/// Each side's value in a few characters, `·`-separated.
fn summary(fact: &FactDiff) -> String {
    fact.cells
        .iter()
        .map(|cell| match cell {
            Cell::Absent => "—".to_string(),
            Cell::Divergent { groups } => format!("≋{}", groups.len()),
            Cell::Present { value } => {
                let text = match value {
                    Value::Set(items) | Value::List(items) if items.len() > 3 => {
                        format!("{} items", items.len())
                    }
                    Value::Record(fields) if fields.len() > 3 => format!("{} fields", fields.len()),
                    _ => clean(&value.summary()).into_owned(),
                };
                if text.chars().count() > SUMMARY_CHARS {
                    let mut cut: String = text.chars().take(SUMMARY_CHARS - 1).collect();
                    cut.push('…');
                    cut
                } else {
                    text
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
