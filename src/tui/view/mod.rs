//! The view layer: pure view models of what the screen shows — panel lines, the review
//! detail, the diff pane's content, markers, help lines — computed from the state. Both
//! the layout (to size panes and bound scrolling) and `render` (to draw) use them, so a
//! pane's size and what is drawn in it cannot disagree. Nothing here draws.

pub mod detail;
pub mod diffcontent;
pub mod diffview;
pub mod footer;
pub mod grid;
pub mod help;
pub mod markers;
pub mod refresh;
pub mod tableview;

use std::borrow::Cow;

use crate::model::sanitize;

/// Untrusted text made safe for one terminal line.
pub fn clean(text: &str) -> Cow<'_, str> {
    sanitize(text, false)
}

/// Pads or cuts `text` to exactly `width` columns (by characters).
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}
