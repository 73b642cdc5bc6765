//! The refresh panel's view model: each host of a background refresh (waiting,
//! collecting, stored, failed and why) and a summary line, fitted to a width and a
//! number of lines. Shared by the layout (the panel's height) and by drawing.

use crate::tui::action::Action;
use crate::tui::refresh::{HostRow, HostStatus, RefreshState};
use crate::tui::state::State;
use crate::tui::theme::Role;

use super::{clean, fit};

/// The panel's widest width.
pub const PANEL_WIDTH: u16 = 72;
/// Blank columns inside the panel's border, on each side.
pub const PADDING: u16 = 1;
/// The most lines one failure reason takes.
const REASON_LINES: usize = 4;

/// One line of the panel: pieces of text and their roles. Text is raw (sanitised when
/// drawn).
pub type PanelLine = Vec<(String, Role)>;

/// The panel's lines for an inner width of `width` and at most `max` lines: the
/// hosts (failed and running ones first when they do not all fit), then a summary.
pub fn panel_lines(state: &State, width: usize, max: usize) -> Vec<PanelLine> {
    let Some(refresh) = &state.refresh else {
        return Vec::new();
    };
    if max == 0 {
        return Vec::new();
    }
    let label_width = refresh
        .hosts
        .iter()
        .map(|h| clean(&h.label).chars().count())
        .max()
        .unwrap_or(0)
        .min(width * 45 / 100);
    let mut blocks: Vec<(u8, Vec<PanelLine>)> = refresh
        .hosts
        .iter()
        .map(|host| (priority(&host.status), host_lines(host, label_width, width)))
        .collect();
    if let Some(error) = &refresh.error {
        let reason = wrap(&clean(error), width.max(1))
            .into_iter()
            .map(|text| vec![(text, Role::Error)])
            .collect();
        blocks.insert(0, (0, reason));
    } else if refresh.hosts.is_empty() && refresh.running {
        blocks.push((0, vec![vec![("planning…".to_string(), Role::Dim)]]));
    }
    let room = max - 1;
    let total: usize = blocks.iter().map(|(_, b)| b.len()).sum();
    let mut lines: Vec<PanelLine> = Vec::new();
    if total <= room {
        lines.extend(blocks.into_iter().flat_map(|(_, b)| b));
    } else if room > 0 {
        // Keep what needs attention, and say how many hosts are left out.
        blocks.sort_by_key(|(p, _)| *p);
        let budget = room - 1;
        let mut shown = 0;
        for (_, block) in &blocks {
            if lines.len() + block.len() > budget {
                break;
            }
            lines.extend(block.iter().cloned());
            shown += 1;
        }
        lines.push(vec![(
            format!("… and {} more", blocks.len() - shown),
            Role::Dim,
        )]);
    }
    lines.push(summary_line(state, refresh, width));
    lines
}

/// Failed hosts first, then running, waiting and stored ones.
fn priority(status: &HostStatus) -> u8 {
    match status {
        HostStatus::Failed { .. } => 0,
        HostStatus::Collecting => 1,
        HostStatus::Waiting => 2,
        HostStatus::Done { .. } => 3,
    }
}

fn host_lines(host: &HostRow, label_width: usize, width: usize) -> Vec<PanelLine> {
    let label = (fit(&clean(&host.label), label_width), Role::Text);
    let mut first = vec![label, (" ".to_string(), Role::Text)];
    let mut rest = Vec::new();
    match &host.status {
        HostStatus::Waiting => first.push(("waiting".into(), Role::Dim)),
        HostStatus::Collecting => first.push(("collecting…".into(), Role::Filter)),
        HostStatus::Done {
            facts,
            probe_errors,
            elapsed,
        } => {
            first.push(("ok".into(), Role::Added));
            first.push((
                format!(" {facts} facts in {:.1}s", elapsed.as_secs_f64()),
                Role::Dim,
            ));
            if *probe_errors > 0 {
                let s = if *probe_errors == 1 { "" } else { "s" };
                first.push((
                    format!(", {probe_errors} probe error{s}"),
                    Role::SeverityMedium,
                ));
            }
        }
        HostStatus::Failed { reason, elapsed } => {
            first.push(("failed".into(), Role::Error));
            if !elapsed.is_zero() {
                first.push((format!(" after {:.1}s", elapsed.as_secs_f64()), Role::Dim));
            }
            let wrapped = wrap(&clean(reason), width.saturating_sub(2).max(1));
            let cut = wrapped.len() > REASON_LINES;
            for (i, text) in wrapped.into_iter().take(REASON_LINES).enumerate() {
                let text = if cut && i + 1 == REASON_LINES {
                    fit(&format!("{text} …"), width.saturating_sub(2))
                } else {
                    text
                };
                rest.push(vec![("  ".to_string(), Role::Text), (text, Role::Error)]);
            }
        }
    }
    std::iter::once(first).chain(rest).collect()
}

fn summary_line(state: &State, refresh: &RefreshState, width: usize) -> PanelLine {
    let c = refresh.counts();
    let (text, role) = if refresh.running {
        let mut text = format!("{} of {} hosts done", c.done + c.failed, c.total);
        if c.failed > 0 {
            text.push_str(&format!(" · {} failed", c.failed));
        }
        (text, Role::Filter)
    } else if refresh.error.is_some() {
        ("refresh failed: nothing collected".to_string(), Role::Error)
    } else if c.failed > 0 {
        (refresh.summary(), Role::Error)
    } else {
        (refresh.summary(), Role::Added)
    };
    let hint = state
        .keymap
        .first_key(Action::Back)
        .map(|k| format!("{k}: {}", if refresh.running { "hide" } else { "close" }))
        .unwrap_or_default();
    let text_width = width.saturating_sub(hint.chars().count() + 1);
    vec![
        (fit(&text, text_width), role),
        (" ".to_string(), Role::Text),
        (hint, Role::Dim),
    ]
}

/// Breaks `text` into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        while word.len() > width {
            let rest = word.split_off(width);
            if len > 0 {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.into_iter().collect());
            len = 0;
            word = rest;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        len += word.len();
        line.extend(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert!(wrap("   ", 4).is_empty());
    }
}
