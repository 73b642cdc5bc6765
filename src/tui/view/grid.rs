//! The diff pane's grid-like bodies laid out for a width: a fact's values side by side
//! (and, for a schema fact of a table, the table's columns below), or a table's columns
//! alone. Long values wrap over as many rows as they need, so every value can be read in
//! full; the layout's row count is what the pane scrolls over.

use crate::tui::theme::Role;

use super::diffcontent::DiffContent;
use super::diffview::{DiffBody, Styled};
use super::tableview::TableView;

/// The widest the label column gets.
pub const LABEL_WIDTH: usize = 18;

/// One row on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GridRow {
    /// Values: the label (empty on a wrapped value's later rows) and each side's piece of
    /// its value.
    Values {
        /// The label column's pieces.
        label: Vec<Styled>,
        /// One cell per side, each pieces of text.
        cells: Vec<Vec<Styled>>,
    },
    /// Nothing.
    Blank,
    /// A section title.
    Title(Vec<Styled>),
    /// A dim note.
    Note(&'static str),
}

/// A grid body laid out for a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridLayout {
    /// The label column's width.
    pub label_width: usize,
    /// Each side's column: offset from the left of the pane and width.
    pub columns: Vec<(u16, u16)>,
    /// The rows, wrapped.
    pub rows: Vec<GridRow>,
}

/// Splits `width` after a label of `skip` columns into `n` columns one apart: each
/// column's offset and width.
pub fn columns(skip: u16, width: u16, n: usize) -> Vec<(u16, u16)> {
    let n = n.max(1) as u16;
    let gap = 1;
    let skip = skip.min(width);
    let each = (width - skip).saturating_sub(gap * (n - 1)) / n;
    (0..n).map(|i| (skip + i * (each + gap), each)).collect()
}

/// The layout of `content` in a pane `width` columns wide; `None` for bodies that are not
/// grids (text, lists, nothing).
pub fn layout(content: &DiffContent<'_>, width: u16) -> Option<GridLayout> {
    match content {
        DiffContent::Fact {
            body: DiffBody::Grid { rows },
            table,
            ..
        } => {
            let mut label_width = rows
                .iter()
                .map(|r| r.label.chars().count())
                .max()
                .unwrap_or(5)
                .clamp(5, LABEL_WIDTH);
            if let Some(table) = table {
                label_width = label_width.max(table_label_width(table));
            }
            let sides = rows.first().map_or(1, |r| r.cells.len());
            let columns = columns(label_width as u16 + 1, width, sides);
            let mut out = Vec::new();
            for row in rows {
                let label = vec![Styled {
                    text: row.label.clone(),
                    role: Role::Dim,
                }];
                let cells: Vec<Vec<Styled>> = row.cells.iter().map(|c| vec![c.clone()]).collect();
                push_wrapped(&mut out, label, &cells, &columns);
            }
            if let Some(table) = table {
                out.push(GridRow::Blank);
                out.push(GridRow::Title(table.title()));
                push_table(&mut out, table, &columns);
            }
            Some(GridLayout {
                label_width,
                columns,
                rows: out,
            })
        }
        DiffContent::Table(table) => {
            let label_width = table_label_width(table);
            let sides = table.columns.first().map_or(1, |c| c.cells.len());
            let columns = columns(label_width as u16 + 1, width, sides);
            let mut out = Vec::new();
            push_table(&mut out, table, &columns);
            Some(GridLayout {
                label_width,
                columns,
                rows: out,
            })
        }
        _ => None,
    }
}

/// The label column's width for a table: selection mark, status marker, space, name.
fn table_label_width(table: &TableView) -> usize {
    table
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(4)
        .min(LABEL_WIDTH)
        + 3
}

/// A table's columns, and a note while equal columns are loading.
fn push_table(out: &mut Vec<GridRow>, table: &TableView, columns: &[(u16, u16)]) {
    for column in &table.columns {
        let label = vec![
            Styled {
                text: if column.selected { "▸" } else { " " }.to_string(),
                role: Role::Focus,
            },
            column.marker.clone(),
            Styled {
                text: format!(" {}", column.name),
                role: if column.selected {
                    Role::Text
                } else {
                    Role::Dim
                },
            },
        ];
        push_wrapped(out, label, &column.cells, columns);
    }
    if table.partial {
        out.push(GridRow::Note("equal columns are still loading…"));
    }
}

/// One row of values, wrapped: as many screen rows as its longest cell needs.
fn push_wrapped(
    out: &mut Vec<GridRow>,
    label: Vec<Styled>,
    cells: &[Vec<Styled>],
    columns: &[(u16, u16)],
) {
    let wrapped: Vec<Vec<Vec<Styled>>> = cells
        .iter()
        .zip(columns)
        .map(|(pieces, (_, width))| wrap_pieces(pieces, usize::from(*width)))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    for line in 0..height {
        out.push(GridRow::Values {
            label: if line == 0 { label.clone() } else { Vec::new() },
            cells: wrapped
                .iter()
                .map(|lines| lines.get(line).cloned().unwrap_or_default())
                .collect(),
        });
    }
}

/// Pieces of text (joined by spaces) broken into lines of at most `width` characters, at
/// spaces where possible; every character is kept.
pub fn wrap_pieces(pieces: &[Styled], width: usize) -> Vec<Vec<Styled>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Styled>> = vec![Vec::new()];
    let mut used = 0;
    for (i, piece) in pieces.iter().enumerate() {
        let mut words: Vec<String> = Vec::new();
        let mut chars = piece.text.chars().peekable();
        // Words keep their trailing space, so that joining them gives the text back.
        while chars.peek().is_some() {
            let mut word = String::new();
            for c in chars.by_ref() {
                word.push(c);
                if c == ' ' {
                    break;
                }
            }
            words.push(word);
        }
        if i > 0 && !words.is_empty() {
            words[0].insert(0, ' ');
        }
        for word in words {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let room = width - used;
                let visible = word.iter().rev().skip_while(|c| **c == ' ').count();
                if visible <= room || (used == 0 && word.len() <= room) {
                    push_text(&mut lines, word.iter().collect(), piece.role);
                    used += word.len().min(room);
                    break;
                }
                if used > 0 {
                    lines.push(Vec::new());
                    used = 0;
                    // A new line does not start with the space that separated words.
                    while word.first() == Some(&' ') {
                        word.remove(0);
                    }
                    continue;
                }
                let rest = word.split_off(width);
                push_text(&mut lines, word.iter().collect(), piece.role);
                lines.push(Vec::new());
                word = rest;
                if word.is_empty() {
                    break;
                }
            }
        }
    }
    if lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

fn push_text(lines: &mut [Vec<Styled>], text: String, role: Role) {
    if let Some(line) = lines.last_mut() {
        line.push(Styled { text, role });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Vec<Styled>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|p| p.text.as_str()).collect::<String>())
            .collect()
    }

    fn piece(text: &str) -> Styled {
        Styled {
            text: text.into(),
            role: Role::Text,
        }
    }

    #[test]
    fn long_values_wrap_at_spaces_and_keep_every_character() {
        let definition =
            "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)";
        let lines = wrap_pieces(&[piece(definition)], 30);
        let shown = text(&lines);
        assert!(shown.iter().all(|l| l.chars().count() <= 30), "{shown:?}");
        assert_eq!(shown.concat().replace(' ', ""), definition.replace(' ', ""));
        assert!(shown.last().is_some_and(|l| l.contains("(customer_id)")));
        let pieces = [piece("character varying(255)"), piece("not null")];
        assert_eq!(
            text(&wrap_pieces(&pieces, 12)),
            ["character ", "varying(255)", "not null"]
        );
        assert_eq!(
            text(&wrap_pieces(&[piece("abcdefgh")], 3)),
            ["abc", "def", "gh"]
        );
        assert_eq!(text(&wrap_pieces(&[piece("short")], 30)), ["short"]);
    }

    #[test]
    fn columns_split_what_the_label_leaves() {
        assert_eq!(columns(10, 71, 2), [(10, 30), (41, 30)]);
        assert_eq!(columns(80, 40, 2), [(40, 0), (41, 0)]);
    }
}
