//! The selected drift's review as the diff pane shows it above the values: its state,
//! who decided what and when, ticket, expiry and reason. Lines of `(text, role)` pieces,
//! shared by the layout (its height) and by drawing.

use crate::model::{Annotation, sanitize};
use crate::tui::action::Action;
use crate::tui::index::ListRow;
use crate::tui::state::State;
use crate::tui::theme::Role;

use super::markers::review_marker;
use crate::diff::review::ReviewState;

/// Most lines of a reason shown in the diff pane.
const REASON_LINES: usize = 3;

/// Untrusted text made safe for one terminal line.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    sanitize(text, false)
}

/// The rows the selected drift's review takes in a diff pane of `width` × `height`
/// (inside its border).
pub fn detail_height(state: &State, width: u16, height: u16) -> u16 {
    detail(state, width, height).len() as u16
}

/// The selected drift's review as lines of `(text, role)` spans for a diff pane of
/// `width` × `height`: nothing for an equal fact; for an unreviewed drift one line with
/// the keys that decide it; otherwise the state with who and when, the ticket and
/// expiry, and the reason (wrapped, at most three lines). At most a third of the height.
pub fn detail(state: &State, width: u16, height: u16) -> Vec<Vec<(String, Role)>> {
    let Some(row) = state
        .selected_row()
        .and_then(ListRow::fact)
        .map(|r| r as usize)
    else {
        return Vec::new();
    };
    let Some(review_state) = state.review.state(row) else {
        return Vec::new();
    };
    let max_rows = usize::from(height.saturating_sub(3) / 3).max(1);
    let (marker, role) = review_marker(review_state);
    let mut lines = Vec::new();
    let rule = state
        .review
        .reviews
        .as_ref()
        .and_then(|r| r.rule(row))
        .and_then(|i| state.review.policy.rule(i));
    if let Some(rule) = rule.filter(|_| state.review.annotation(row).is_none()) {
        // Justified by an expectation rule of driftscope.toml, not by an annotation.
        lines.push(vec![
            (format!("{marker} justified by rule"), role),
            (format!(" {}", clean(&rule.pattern)), Role::Dim),
        ]);
        let reason = clean(&rule.reason).into_owned();
        for text in wrap(&reason, usize::from(width).saturating_sub(2), REASON_LINES) {
            lines.push(vec![(format!("  {text}"), Role::Text)]);
        }
        lines.truncate(max_rows);
        return lines;
    }
    match state.review.annotation(row) {
        None => {
            let mut line = vec![(format!("{marker} unreviewed"), role)];
            let keys: Vec<String> = [Action::Justify, Action::Remediate]
                .into_iter()
                .filter_map(|a| {
                    state
                        .keymap
                        .first_key(a)
                        .map(|k| format!("{k} {}", a.short_label()))
                })
                .collect();
            if !keys.is_empty() {
                line.push((format!(" · {}", keys.join(" · ")), Role::Dim));
            }
            lines.push(line);
        }
        Some(annotation) => {
            let [(head, head_role), (rest, rest_role)] =
                state_line(review_state, marker, role, annotation);
            let width = usize::from(width);
            if head.chars().count() + rest.chars().count() <= width {
                lines.push(vec![(head, head_role), (rest, rest_role)]);
            } else {
                // Too long for one line: the state alone, then who and when, indented.
                lines.push(vec![(head, head_role)]);
                let rest = rest.trim_start_matches(':').trim();
                for text in wrap(rest, width.saturating_sub(2), 2) {
                    lines.push(vec![(format!("  {text}"), rest_role)]);
                }
            }
            let mut facts: Vec<(String, Role)> = Vec::new();
            if let Some(ticket) = &annotation.ticket {
                facts.push((format!("ticket {}", clean(ticket)), Role::Text));
            }
            if let Some(last) = annotation.expires {
                if !facts.is_empty() {
                    facts.push((" · ".to_string(), Role::Dim));
                }
                if review_state == ReviewState::Expired {
                    facts.push((format!("expired: held through {last}"), Role::Expired));
                } else {
                    facts.push((format!("holds through {last}"), Role::Dim));
                }
            }
            if !facts.is_empty() {
                let mut line = vec![("  ".to_string(), Role::Dim)];
                line.extend(facts);
                lines.push(line);
            }
            let reason = clean(&annotation.reason).into_owned();
            for text in wrap(&reason, width.saturating_sub(2), REASON_LINES) {
                lines.push(vec![(format!("  {text}"), Role::Text)]);
            }
        }
    }
    lines.truncate(max_rows);
    lines
}

/// The first line of an annotated drift: the state, then who decided what and when.
fn state_line(
    review_state: ReviewState,
    marker: &str,
    role: Role,
    annotation: &Annotation,
) -> [(String, Role); 2] {
    let when = annotation.time.format("%Y-%m-%d %H:%M UTC");
    let author = clean(&annotation.author).into_owned();
    let decided = format!("{} by {author} on {when}", annotation.kind.describe());
    match review_state {
        ReviewState::Stale => [
            (format!("{marker} stale"), role),
            (format!(": values changed since {decided}"), Role::Dim),
        ],
        ReviewState::Expired => [
            (format!("{marker} expired"), role),
            (format!(": {decided}"), Role::Dim),
        ],
        other => [
            (format!("{marker} {}", other.label()), role),
            (format!(" by {author} on {when}"), Role::Dim),
        ],
    }
}

/// `text` in lines of at most `width` characters, broken at spaces where possible; at
/// most `max_lines`, the last ending in `…` when text was left out.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = current.chars().count();
            let gap = usize::from(used > 0);
            if used + gap + word.len() <= width {
                if gap == 1 {
                    current.push(' ');
                }
                current.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than the line: cut it.
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep = width.saturating_sub(1);
            if last.chars().count() > keep {
                *last = last.chars().take(keep).collect();
            }
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::review::StateCounts;
    use crate::tui::view::markers::compact_counts;

    #[test]
    fn wrap_breaks_at_spaces_cuts_long_words_and_marks_left_out_text() {
        assert_eq!(wrap("one two three", 7, 3), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a b c d e f", 3, 2), ["a b", "c …"]);
        assert!(wrap("   ", 10, 3).is_empty());
    }

    #[test]
    fn compact_counts_list_only_states_with_drift() {
        let counts = StateCounts {
            unreviewed: 2,
            remediate: 1,
            ..StateCounts::default()
        };
        let text: String = compact_counts(&counts)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(text, "•2 ✗1");
        let none: String = compact_counts(&StateCounts::default())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(none, "-");
    }
}
