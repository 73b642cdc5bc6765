//! The diff pane: the selected fact side by side, one column per compared environment.
//! Text facts show aligned rows with line numbers and intra-line highlights; schema facts
//! of a table (and table headings) show the table's columns side by side. Below the
//! headline, a drift's review: its annotation, or the keys that decide it.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{
    clean, fit, pane_block, placeholder, severity_label, span, status_marker, status_word,
};
use crate::diff::{DriftReport, FactDiff, RowTag, TextLine, TextRow};
use crate::model::sanitize;
use crate::tui::sides::side_name;
use crate::tui::state::{Pane, State};
use crate::tui::theme::{Role, Theme};
use crate::tui::view::diffcontent::{self, DiffContent};
use crate::tui::view::diffview::{DiffBody, Styled};
use crate::tui::view::grid::{self, GridLayout, GridRow};

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let content = diffcontent::content(state);
    let title = match &content {
        DiffContent::Fact { fact, .. } => format!(" Diff · {} ", clean(&fact.key.key)),
        DiffContent::Table(table) => format!(" Diff · table {} ", clean(&table.label)),
        DiffContent::Group(group) => format!(" Diff · {} ", clean(&group.label)),
        DiffContent::Empty => " Diff ".to_string(),
    };
    let block = pane_block(Line::from(title), state.focus == Pane::Diff, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let hint = |frame: &mut Frame, lines: Vec<Line<'_>>| placeholder(frame, inner, lines);
    let report = match (state.report(), &content) {
        (Some(report), DiffContent::Fact { .. } | DiffContent::Table(_)) => report,
        (_, DiffContent::Group(group)) => {
            let facts = group.rows.len();
            let s = if facts == 1 { "" } else { "s" };
            hint(
                frame,
                vec![
                    Line::from(span(
                        format!("{}: {facts} fact{s}", clean(&group.label)),
                        Role::Dim,
                        theme,
                    )),
                    Line::from(span("select one to see it side by side", Role::Dim, theme)),
                ],
            );
            return;
        }
        _ => {
            hint(
                frame,
                vec![Line::from(span(
                    "select a fact to see it side by side",
                    Role::Dim,
                    theme,
                ))],
            );
            return;
        }
    };
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let headline = match &content {
        DiffContent::Fact { fact, body, .. } => headline(fact, report, body, theme),
        DiffContent::Table(table) => styled_line(&table.title(), theme),
        _ => Line::default(),
    };
    frame.render_widget(Paragraph::new(headline), Rect { height: 1, ..inner });
    let detail: Vec<Line> = crate::tui::view::detail::detail(state, inner.width, inner.height)
        .into_iter()
        .map(|parts| super::review::to_line(parts, theme))
        .collect();
    let detail_rows = (detail.len() as u16).min(inner.height.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(detail),
        Rect {
            y: inner.y + 1,
            height: detail_rows,
            ..inner
        },
    );
    let rest = Rect {
        y: inner.y + 1 + detail_rows,
        height: inner.height.saturating_sub(1 + detail_rows),
        ..inner
    };
    if rest.height == 0 {
        return;
    }
    let head_rect = Rect { height: 1, ..rest };
    let body_rect = Rect {
        y: rest.y + 1,
        height: rest.height - 1,
        ..rest
    };
    let max_scroll = content
        .rows_in(body_rect.width)
        .saturating_sub(usize::from(body_rect.height));
    let scroll = state.diff.scroll.min(max_scroll);
    let height = usize::from(body_rect.height);
    match &content {
        DiffContent::Fact {
            body: DiffBody::Text { other, rows },
            ..
        } => {
            text_header(frame, head_rect, report, *other, theme);
            text_rows(
                frame,
                body_rect,
                rows,
                scroll,
                height,
                state.diff.hscroll,
                theme,
            );
        }
        DiffContent::Fact {
            body: DiffBody::Grid { .. },
            ..
        }
        | DiffContent::Table(_) => {
            if let Some(grid) = grid::layout(&content, body_rect.width) {
                column_header(frame, head_rect, report, &grid.columns, theme);
                draw_grid(frame, body_rect, &grid, scroll, theme);
            }
        }
        DiffContent::Fact {
            body: DiffBody::Lists { columns },
            ..
        } => {
            let cols = grid::columns(0, head_rect.width, report.sides.len());
            column_header(frame, head_rect, report, &cols, theme);
            lists(frame, body_rect, columns, scroll, theme);
        }
        DiffContent::Group(_) | DiffContent::Empty => {}
    }
}

/// Draws the rows of a grid layout from row `scroll` on.
fn draw_grid(frame: &mut Frame, rect: Rect, grid: &GridLayout, scroll: usize, theme: &Theme) {
    let skip = (grid.label_width as u16 + 1).min(rect.width);
    for (i, row) in grid
        .rows
        .iter()
        .skip(scroll)
        .take(usize::from(rect.height))
        .enumerate()
    {
        let y = rect.y + i as u16;
        match row {
            GridRow::Values { label, cells } => {
                frame.render_widget(
                    Paragraph::new(joined(label, grid.label_width, theme)),
                    Rect::new(rect.x, y, skip, 1),
                );
                for (pieces, (x, w)) in cells.iter().zip(&grid.columns) {
                    let line = joined(pieces, usize::from(*w), theme);
                    frame.render_widget(Paragraph::new(line), Rect::new(rect.x + *x, y, *w, 1));
                }
            }
            GridRow::Blank => {}
            GridRow::Title(pieces) => {
                frame.render_widget(
                    Paragraph::new(styled_line(pieces, theme)),
                    Rect::new(rect.x, y, rect.width, 1),
                );
            }
            GridRow::Note(text) => {
                frame.render_widget(
                    Paragraph::new(span(*text, Role::Dim, theme)),
                    Rect::new(rect.x, y, rect.width, 1),
                );
            }
        }
    }
}

/// Pieces of text one after the other, cut to `width` characters (with `…`).
fn joined<'a>(pieces: &[Styled], width: usize, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::with_capacity(pieces.len());
    let mut used = 0;
    for piece in pieces {
        let text = clean(&piece.text);
        let len = text.chars().count();
        if used + len <= width {
            spans.push(span(text.into_owned(), piece.role, theme));
            used += len;
            continue;
        }
        let room = width.saturating_sub(used);
        if room > 0 {
            spans.push(span(fit(&text, room), piece.role, theme));
        }
        break;
    }
    Line::from(spans)
}

/// Pieces of text as one line.
fn styled_line<'a>(pieces: &[Styled], theme: &Theme) -> Line<'a> {
    Line::from(
        pieces
            .iter()
            .map(|p| span(clean(&p.text).into_owned(), p.role, theme))
            .collect::<Vec<_>>(),
    )
}

fn headline<'a>(
    fact: &FactDiff,
    report: &DriftReport,
    body: &DiffBody<'_>,
    theme: &Theme,
) -> Line<'a> {
    let (marker, marker_role) = status_marker(fact);
    let (severity, severity_role) = severity_label(fact.severity);
    let mut spans = vec![
        span(
            format!("{marker} {}", status_word(fact)),
            marker_role,
            theme,
        ),
        span(" · ", Role::Dim, theme),
        span(severity.trim().to_string(), severity_role, theme),
        span(format!(" · {}", fact.change.as_str()), Role::Dim, theme),
    ];
    if let DiffBody::Text { other, .. } = body {
        if report.sides.len() > 2 {
            let name = |side: usize| {
                report
                    .sides
                    .get(side)
                    .map_or(String::new(), |s| clean(&side_name(s)).into_owned())
            };
            spans.push(span(
                format!(
                    "   {} ⇄ {} ({other}/{})",
                    name(0),
                    name(*other),
                    report.sides.len() - 1
                ),
                Role::Dim,
                theme,
            ));
        }
    }
    Line::from(spans)
}

fn side_label(report: &DriftReport, side: usize) -> String {
    let info = report.sides.get(side);
    let name = info.map_or_else(|| "?".to_string(), side_name);
    let hosts = info.map_or(0, |s| s.hosts.len());
    let mut text = clean(&name).into_owned();
    if hosts > 1 {
        text.push_str(&format!(" ({hosts} hosts)"));
    }
    if side == 0 {
        text.push_str(" ◆");
    }
    text
}

/// Splits `width` into `n` columns; returns each column's x offset and width.
fn columns(x: u16, width: u16, n: usize) -> Vec<(u16, u16)> {
    let n = n.max(1) as u16;
    let gap = 1;
    let each = width.saturating_sub(gap * (n - 1)) / n;
    (0..n).map(|i| (x + i * (each + gap), each)).collect()
}

fn column_header(
    frame: &mut Frame,
    rect: Rect,
    report: &DriftReport,
    columns: &[(u16, u16)],
    theme: &Theme,
) {
    for (side, (x, w)) in columns.iter().enumerate() {
        let role = if side == 0 {
            Role::Baseline
        } else {
            Role::Header
        };
        let text = fit(&side_label(report, side), usize::from(*w));
        frame.render_widget(
            Paragraph::new(Line::from(span(text, role, theme))),
            Rect::new(rect.x + *x, rect.y, *w, 1),
        );
    }
}

fn text_header(frame: &mut Frame, rect: Rect, report: &DriftReport, other: usize, theme: &Theme) {
    let cols = columns(rect.x, rect.width, 2);
    for (i, (x, w)) in cols.into_iter().enumerate() {
        let side = if i == 0 { 0 } else { other };
        let role = if side == 0 {
            Role::Baseline
        } else {
            Role::Header
        };
        let text = fit(&side_label(report, side), usize::from(w));
        frame.render_widget(
            Paragraph::new(Line::from(span(text, role, theme))),
            Rect::new(x, rect.y, w, 1),
        );
    }
}

fn text_rows(
    frame: &mut Frame,
    rect: Rect,
    rows: &[TextRow],
    scroll: usize,
    height: usize,
    hscroll: usize,
    theme: &Theme,
) {
    let max_number = rows
        .iter()
        .flat_map(|r| [r.left.as_ref(), r.right.as_ref()])
        .flatten()
        .map(|l| l.number)
        .max()
        .unwrap_or(1);
    let number_width = max_number.to_string().len().max(3);
    let cols = columns(rect.x, rect.width, 2);
    for (i, row) in rows.iter().skip(scroll).take(height).enumerate() {
        let y = rect.y + i as u16;
        for (half, (x, w)) in cols.iter().enumerate() {
            let line = if half == 0 {
                row.left.as_ref()
            } else {
                row.right.as_ref()
            };
            let (role, emphasis, gutter) = match (row.tag, half) {
                (RowTag::Equal, _) => (Role::Text, Role::Text, ' '),
                (RowTag::Changed, 0) | (RowTag::Removed, 0) => {
                    (Role::Removed, Role::RemovedEmphasis, '-')
                }
                (RowTag::Changed, _) | (RowTag::Added, _) => {
                    (Role::Added, Role::AddedEmphasis, '+')
                }
                (RowTag::Removed, _) => (Role::Dim, Role::Dim, ' '),
            };
            let spans = match line {
                Some(line) => {
                    let mut spans = vec![
                        span(
                            format!("{:>number_width$}", line.number),
                            Role::LineNumber,
                            theme,
                        ),
                        span(format!("{gutter}"), role, theme),
                    ];
                    spans.extend(line_spans(
                        line,
                        hscroll,
                        theme.style(role),
                        theme.style(emphasis),
                    ));
                    spans
                }
                None => vec![span(
                    format!("{:>number_width$}", ""),
                    Role::LineNumber,
                    theme,
                )],
            };
            frame.render_widget(Paragraph::new(Line::from(spans)), Rect::new(*x, y, *w, 1));
        }
        // The separator between the halves.
        if let Some((x, w)) = cols.first() {
            let sep_x = x + w;
            if sep_x < rect.x + rect.width {
                frame.render_widget(
                    Paragraph::new(span("│", Role::Border, theme)),
                    Rect::new(sep_x, y, 1, 1),
                );
            }
        }
    }
}

/// The spans of one text line: changed byte ranges in `emphasis`, the rest in `base`;
/// each piece sanitised separately, then `hscroll` characters skipped.
fn line_spans<'a>(
    line: &'a TextLine,
    hscroll: usize,
    base: Style,
    emphasis: Style,
) -> Vec<Span<'a>> {
    let text = line.text.as_str();
    let mut pieces: Vec<(Cow<'a, str>, Style)> = Vec::new();
    let mut at = 0;
    let mut ranges = line.changed.clone();
    ranges.sort_unstable();
    let valid = ranges
        .iter()
        .all(|&(a, b)| a <= b && text.get(a..b).is_some());
    if valid {
        for (a, b) in ranges {
            if a < at {
                continue;
            }
            if let Some(before) = text.get(at..a) {
                if !before.is_empty() {
                    pieces.push((sanitize(before, false), base));
                }
            }
            if let Some(changed) = text.get(a..b) {
                pieces.push((sanitize(changed, false), emphasis));
            }
            at = b;
        }
    }
    if let Some(tail) = text.get(at..) {
        if !tail.is_empty() {
            pieces.push((sanitize(tail, false), base));
        }
    }
    let mut skip = hscroll;
    let mut spans = Vec::with_capacity(pieces.len());
    for (piece, style) in pieces {
        if skip == 0 {
            spans.push(Span::styled(piece, style));
            continue;
        }
        let count = piece.chars().count();
        if count <= skip {
            skip -= count;
            continue;
        }
        let rest: String = piece.chars().skip(skip).collect();
        skip = 0;
        spans.push(Span::styled(rest, style));
    }
    spans
}

fn lists(frame: &mut Frame, rect: Rect, columns_: &[Vec<Styled>], scroll: usize, theme: &Theme) {
    let cols = columns(rect.x, rect.width, columns_.len());
    for (column, (x, w)) in columns_.iter().zip(cols) {
        for (i, item) in column
            .iter()
            .skip(scroll)
            .take(usize::from(rect.height))
            .enumerate()
        {
            styled_cell(frame, item, Rect::new(x, rect.y + i as u16, w, 1), theme);
        }
    }
}

fn styled_cell(frame: &mut Frame, cell: &Styled, rect: Rect, theme: &Theme) {
    let text = fit(&clean(&cell.text), usize::from(rect.width));
    frame.render_widget(Paragraph::new(span(text, cell.role, theme)), rect);
}
