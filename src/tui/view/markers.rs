//! The small view models every pane shares: status and severity markers, review
//! markers and counts, ages. Text with the role it is drawn in; no drawing.

use chrono::{DateTime, Utc};

use crate::diff::review::{ReviewState, StateCounts};
use crate::diff::{FactDiff, Severity, Status};
use crate::tui::theme::Role;

use super::diffview::severity_role;

/// A fact's status marker and its role: `≋` divergent, `∅` missing, `≠` differs, `=` equal.
pub fn status_marker(fact: &FactDiff) -> (&'static str, Role) {
    if fact.divergent {
        ("≋", Role::Divergent)
    } else {
        match fact.status {
            Status::Missing => ("∅", Role::Missing),
            Status::Differs => ("≠", Role::Changed),
            Status::Equal => ("=", Role::Equal),
        }
    }
}

/// A four-letter severity label and its role.
pub fn severity_label(severity: Severity) -> (&'static str, Role) {
    let label = match severity {
        Severity::Critical => "crit",
        Severity::High => "high",
        Severity::Medium => "med ",
        Severity::Low => "low ",
        Severity::None => "    ",
    };
    (label, severity_role(severity))
}

/// A status in words.
pub fn status_word(fact: &FactDiff) -> &'static str {
    if fact.divergent {
        "divergent within an environment"
    } else {
        match fact.status {
            Status::Missing => "missing",
            Status::Differs => "differs",
            Status::Equal => "equal",
        }
    }
}

/// How long ago `then` was, in one short word: `now`, `5m`, `3h`, `2d`.
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds();
    match secs {
        s if s < 60 => "now".to_string(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// A review state's marker and role: `•` unreviewed, `✓` justified, `✗` to remediate,
/// `!` stale, `⊘` expired.
pub fn review_marker(state: ReviewState) -> (&'static str, Role) {
    match state {
        ReviewState::Unreviewed => ("•", Role::Unreviewed),
        ReviewState::Justified => ("✓", Role::Justified),
        ReviewState::Remediate => ("✗", Role::Remediate),
        ReviewState::Stale => ("!", Role::Stale),
        ReviewState::Expired => ("⊘", Role::Expired),
    }
}

/// The counts of every state with any drift, compactly: `•2 ✓1 ✗1`; `-` when none.
pub fn compact_counts(counts: &StateCounts) -> Vec<(String, Role)> {
    let mut parts = Vec::new();
    for state in ReviewState::ALL {
        let n = counts.get(state);
        if n > 0 {
            let (marker, role) = review_marker(state);
            if !parts.is_empty() {
                parts.push((" ".to_string(), Role::Dim));
            }
            parts.push((format!("{marker}{n}"), role));
        }
    }
    if parts.is_empty() {
        parts.push(("-".to_string(), Role::Dim));
    }
    parts
}
