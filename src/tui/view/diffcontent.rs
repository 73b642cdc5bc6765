//! What the diff pane shows for the facts pane's selection: a fact side by side (for a
//! schema fact of a table, followed by the table's columns), a table's columns alone
//! (a table heading), or nothing to compare (another heading). Shared by rendering and
//! by `update`, which needs its height to bound scrolling.

use crate::diff::FactDiff;

use super::diffview::{self, DiffBody};
use super::tableview::{self, TableView};
use crate::tui::index::{Group, ListRow};
use crate::tui::state::State;

/// The diff pane's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffContent<'a> {
    /// Nothing is selected.
    Empty,
    /// A fact, and for a schema fact of a table, the table's columns below it.
    Fact {
        /// The fact.
        fact: &'a FactDiff,
        /// Its side-by-side body.
        body: DiffBody<'a>,
        /// Its table's columns (only below a grid body).
        table: Option<TableView>,
    },
    /// A table heading: the table's columns.
    Table(TableView),
    /// A heading of facts that are not a table's.
    Group(&'a Group),
}

impl DiffContent<'_> {
    /// Rows of content below the headline and the column header in a pane `width`
    /// columns wide (long grid values wrap).
    pub fn rows_in(&self, width: u16) -> usize {
        match super::grid::layout(self, width) {
            Some(grid) => grid.rows.len(),
            None => self.height(),
        }
    }

    /// Rows of content below the headline and the column header, one per value.
    pub fn height(&self) -> usize {
        match self {
            DiffContent::Empty | DiffContent::Group(_) => 0,
            DiffContent::Fact { body, table, .. } => {
                body.height() + table.as_ref().map_or(0, |t| 1 + t.height())
            }
            // The title is the headline.
            DiffContent::Table(table) => table.height() - 1,
        }
    }
}

/// The content for `state`'s selection.
pub fn content(state: &State) -> DiffContent<'_> {
    let (Some(loaded), Some(row)) = (state.loaded.as_ref(), state.selected_row()) else {
        return DiffContent::Empty;
    };
    let group = state.selected_group();
    match row {
        ListRow::Heading { .. } => match group {
            Some(g) => match tableview::build(&loaded.report, g, None, loaded.complete) {
                Some(table) => DiffContent::Table(table),
                None => DiffContent::Group(g),
            },
            None => DiffContent::Empty,
        },
        ListRow::Fact(r) => {
            let Some(fact) = loaded.report.facts.get(r as usize) else {
                return DiffContent::Empty;
            };
            let body = diffview::build_with(fact, state.other_side(), state.all_hosts);
            let table = match (&body, group) {
                (DiffBody::Grid { .. }, Some(g)) => {
                    tableview::build(&loaded.report, g, Some(r), loaded.complete)
                }
                _ => None,
            };
            DiffContent::Fact { fact, body, table }
        }
    }
}
