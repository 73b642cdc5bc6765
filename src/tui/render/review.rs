//! Review spans drawn as lines; the review's view models are in `view::markers` and
//! `view::detail`.

use ratatui::text::Line;

use super::span;
use crate::tui::theme::{Role, Theme};

/// Spans as a line in `theme`.
pub fn to_line(parts: Vec<(String, Role)>, theme: &Theme) -> Line<'static> {
    Line::from(
        parts
            .into_iter()
            .map(|(text, role)| span(text, role, theme))
            .collect::<Vec<_>>(),
    )
}
