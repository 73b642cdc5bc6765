//! The help screen's lines, generated from the active keymap so that it never lies:
//! every action by group with its keys, what the keys do in the timeline and in a fact's
//! history, the mouse, and the markers. Shared by the help overlay (its scroll limit) and
//! by drawing.

use crate::diff::review::ReviewState;
use crate::tui::action::{Action, ActionGroup};
use crate::tui::keymap::{Key, Keymap, Scope};
use crate::tui::theme::Role;

use super::markers::review_marker;

/// One line of the help screen: pieces of text and their roles.
pub type HelpLine = Vec<(String, Role)>;

/// The help screen's lines for `keymap`.
pub fn lines(keymap: &Keymap) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    let mut group: Option<ActionGroup> = None;
    // Text editing keys are listed with the filter and the prompt, below.
    for action in Action::ALL.into_iter().filter(|a| !a.edits_text()) {
        if group != Some(action.group()) {
            if group.is_some() {
                lines.push(Vec::new());
            }
            group = Some(action.group());
            lines.push(vec![(action.group().title().to_string(), Role::Header)]);
        }
        lines.push(vec![
            ("  ".to_string(), Role::Text),
            (format!("{:<16}", keys(keymap, &[action])), Role::FooterKey),
            (format!(" {}", action.description()), Role::Text),
            (format!("  {}", action.name()), Role::Dim),
        ]);
    }
    section(
        &mut lines,
        "Filter (after the filter key)",
        vec![
            ("type".to_string(), "narrow the facts (fuzzy, as you type)"),
            (
                scoped(keymap, Scope::Filter, &[Action::Submit]),
                "keep the filter and browse",
            ),
            (
                scoped(keymap, Scope::Filter, &[Action::Cancel]),
                "clear the filter",
            ),
            (
                scoped(
                    keymap,
                    Scope::Input,
                    &[Action::DeletePrevChar, Action::ClearInput],
                ),
                "delete a character / everything",
            ),
        ],
    );
    section(
        &mut lines,
        "In the timeline",
        vec![
            (
                keys(keymap, &[Action::DrillIn]),
                "compare the point with the newest snapshots",
            ),
            (
                keys(keymap, &[Action::MarkPoint]),
                "mark the point as side A",
            ),
            (
                keys(keymap, &[Action::ComparePoints]),
                "compare A with this point (B), in any environment",
            ),
            (
                keys(keymap, &[Action::NextSide, Action::PrevSide]),
                "the next / previous environment's timeline",
            ),
            (
                keys(keymap, &[Action::FocusNextPane, Action::FocusPrevPane]),
                "all hosts / one host at a time",
            ),
            (keys(keymap, &[Action::Back, Action::OpenTimeline]), "close"),
        ],
    );
    section(
        &mut lines,
        "In the hosts of an environment",
        vec![
            (
                keys(keymap, &[Action::DrillIn]),
                "compare the host with its peers (the rest of its environment)",
            ),
            (
                keys(keymap, &[Action::NextSide, Action::PrevSide]),
                "the next / previous environment",
            ),
            (
                keys(keymap, &[Action::Back]),
                "back to the hosts, then close",
            ),
        ],
    );
    section(
        &mut lines,
        "In a fact's history",
        vec![
            (
                keys(keymap, &[Action::NextSide, Action::PrevSide]),
                "the next / previous compared environment",
            ),
            (keys(keymap, &[Action::Back, Action::FactHistory]), "close"),
        ],
    );
    let decide = [Action::Justify, Action::Remediate]
        .iter()
        .filter_map(|a| keymap.first_key(*a))
        .collect::<Vec<_>>()
        .join(" or ");
    section(
        &mut lines,
        &format!("Reason prompt (after {decide})"),
        vec![
            (
                "type".to_string(),
                "the reason (required), ticket or link, expiry day",
            ),
            (
                scoped(
                    keymap,
                    Scope::Prompt,
                    &[Action::NextField, Action::PrevField],
                ),
                "next / previous field",
            ),
            (
                scoped(keymap, Scope::Prompt, &[Action::Submit]),
                "save (the demo saves nothing)",
            ),
            (scoped(keymap, Scope::Prompt, &[Action::Cancel]), "cancel"),
            (
                scoped(
                    keymap,
                    Scope::Input,
                    &[Action::DeletePrevChar, Action::ClearInput],
                ),
                "delete a character / the field",
            ),
        ],
    );
    section(
        &mut lines,
        "Editing text (filter and reason prompt)",
        vec![
            (
                scoped(
                    keymap,
                    Scope::Input,
                    &[
                        Action::CursorLeft,
                        Action::CursorRight,
                        Action::CursorPrevWord,
                        Action::CursorNextWord,
                    ],
                ),
                "move the cursor by a character / a word",
            ),
            (
                scoped(
                    keymap,
                    Scope::Input,
                    &[Action::CursorStart, Action::CursorEnd],
                ),
                "move the cursor to the start / the end",
            ),
            (
                scoped(
                    keymap,
                    Scope::Input,
                    &[Action::DeleteNextChar, Action::DeletePrevWord],
                ),
                "delete the character under the cursor / the word before",
            ),
        ],
    );
    section(
        &mut lines,
        "Mouse",
        vec![
            ("click".to_string(), "focus a pane and select a row"),
            ("wheel".to_string(), "scroll the pane under the pointer"),
        ],
    );
    lines.push(Vec::new());
    lines.push(vec![(
        "Markers: ≠ differs  ∅ missing  ≋ hosts disagree  = equal".to_string(),
        Role::Dim,
    )]);
    let mut review = vec![("Review:  ".to_string(), Role::Dim)];
    for state in ReviewState::ALL {
        let (marker, role) = review_marker(state);
        review.push((marker.to_string(), role));
        review.push((format!(" {}  ", state.label()), Role::Dim));
    }
    lines.push(review);
    lines.push(vec![(
        "Keys come from the keymap; override them in driftscope/keymap.toml in your config folder."
            .to_string(),
        Role::Dim,
    )]);
    lines
}

/// The keys bound to any of `actions`, or `(unbound)`.
fn keys(keymap: &Keymap, actions: &[Action]) -> String {
    shown(actions.iter().flat_map(|a| keymap.keys_for(*a)))
}

/// The keys bound to any of `actions` in `scope`, or `(unbound)`.
fn scoped(keymap: &Keymap, scope: Scope, actions: &[Action]) -> String {
    shown(actions.iter().flat_map(|a| keymap.keys_in(scope, *a)))
}

/// Keys separated by spaces, or `(unbound)` when there are none.
fn shown(keys: impl Iterator<Item = Key>) -> String {
    let keys: Vec<String> = keys.map(|k| k.to_string()).collect();
    if keys.is_empty() {
        "(unbound)".to_string()
    } else {
        keys.join(" ")
    }
}

/// A titled section of `(keys, what they do)` rows after a blank line.
fn section(lines: &mut Vec<HelpLine>, title: &str, rows: Vec<(String, &str)>) {
    lines.push(Vec::new());
    lines.push(vec![(title.to_string(), Role::Header)]);
    for (keys, what) in rows {
        lines.push(vec![
            ("  ".to_string(), Role::Text),
            (format!("{keys:<16}"), Role::FooterKey),
            (format!(" {what}"), Role::Text),
        ]);
    }
}
