//! The footer's view model: the most useful keys for what has the keyboard, read from
//! the active keymap, as `(key, label)` pairs.

use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crate::tui::state::{Mode, Pane, State};

/// Always offered, at the footer's right end, while browsing or in a timeline.
pub const ALWAYS: [Action; 2] = [Action::ToggleHelp, Action::Quit];

/// The actions the footer offers for a pane, most useful first (help and quit are
/// always offered besides); `text` when the diff pane shows a text diff.
pub fn footer_actions(pane: Pane, sides: usize, text: bool) -> Vec<Action> {
    match pane {
        Pane::Environments => vec![
            Action::ToggleCompare,
            Action::SetBaseline,
            Action::OpenTimeline,
            Action::Refresh,
            Action::DrillIn,
            Action::NextDrift,
            Action::FocusNextPane,
        ],
        Pane::Categories => vec![
            Action::DrillIn,
            Action::Back,
            Action::NextDrift,
            Action::StartFilter,
            Action::FocusNextPane,
        ],
        Pane::Facts => vec![
            Action::DrillIn,
            Action::Justify,
            Action::Remediate,
            Action::NextDrift,
            Action::StartFilter,
            Action::CycleReviewFilter,
            Action::ClearAnnotation,
            Action::UndoAnnotation,
            Action::ToggleShowAll,
            Action::PrevDrift,
            Action::FactHistory,
            Action::Back,
        ],
        Pane::Diff => {
            let mut a = vec![
                Action::SelectNext,
                Action::NextDrift,
                Action::Justify,
                Action::Remediate,
                Action::Back,
                Action::PrevDrift,
            ];
            if sides > 2 {
                a.push(Action::NextSide);
            }
            if text {
                a.push(Action::NextHunk);
            }
            a.extend([Action::ScrollRight, Action::FactHistory]);
            a
        }
    }
}

/// The footer's `(key, label)` pairs for what has the keyboard, most useful first.
pub fn pairs(state: &State) -> Vec<(String, &'static str)> {
    match state.mode() {
        Mode::Filter => {
            let mut pairs = vec![("type".to_string(), "filter")];
            pairs.extend(scoped(
                state,
                Scope::Filter,
                &[(Action::Submit, "keep"), (Action::Cancel, "clear")],
            ));
            let up = state.keymap.first_key_in(Scope::Filter, Action::SelectPrev);
            let down = state.keymap.first_key_in(Scope::Filter, Action::SelectNext);
            match (up.as_deref(), down.as_deref()) {
                (Some("up"), Some("down")) => pairs.push(("↑↓".to_string(), "move")),
                (Some(up), Some(down)) => pairs.push((format!("{up} {down}"), "move")),
                _ => {}
            }
            pairs
        }
        Mode::Prompt => {
            let mut pairs = vec![("type".to_string(), "edit")];
            pairs.extend(scoped(
                state,
                Scope::Prompt,
                &[
                    (Action::Submit, "save"),
                    (Action::NextField, "next field"),
                    (Action::Cancel, "cancel"),
                ],
            ));
            pairs.extend(scoped(
                state,
                Scope::Input,
                &[(Action::ClearInput, "clear field")],
            ));
            pairs
        }
        Mode::Help => {
            let mut p: Vec<(String, &'static str)> = Vec::new();
            for (action, label) in [
                (Action::SelectNext, "scroll"),
                (Action::ToggleHelp, "close"),
            ] {
                if let Some(k) = state.keymap.first_key(action) {
                    p.push((k, label));
                }
            }
            p
        }
        Mode::Timeline => timeline_pairs(state),
        Mode::History => history_pairs(state),
        Mode::Hosts => hosts_pairs(state),
        Mode::Browse => {
            let sides = state.report().map_or(0, |r| r.sides.len());
            let text = state.focus == Pane::Diff
                && matches!(
                    super::diffcontent::content(state),
                    super::diffcontent::DiffContent::Fact {
                        body: super::diffview::DiffBody::Text { .. },
                        ..
                    }
                );
            footer_actions(state.focus, sides, text)
                .into_iter()
                .filter_map(|a| {
                    let label = match (state.focus, a) {
                        (Pane::Diff, Action::SelectNext) => "scroll",
                        _ => a.short_label(),
                    };
                    state.keymap.first_key(a).map(|k| (k, label))
                })
                .collect()
        }
    }
}

/// The pairs at the footer's right end: help and quit, while browsing or in a timeline.
pub fn always(state: &State) -> Vec<(String, &'static str)> {
    if matches!(state.mode(), Mode::Browse | Mode::Timeline) {
        ALWAYS
            .iter()
            .filter_map(|a| state.keymap.first_key(*a).map(|k| (k, a.short_label())))
            .collect()
    } else {
        Vec::new()
    }
}

/// The first key of each action in `scope`, with its label; unbound actions are left out.
fn scoped(
    state: &State,
    scope: Scope,
    actions: &[(Action, &'static str)],
) -> Vec<(String, &'static str)> {
    actions
        .iter()
        .filter_map(|(action, label)| {
            state
                .keymap
                .first_key_in(scope, *action)
                .map(|k| (k, *label))
        })
        .collect()
}

/// The footer's keys while the timeline is open, read from the keymap.
fn timeline_pairs(state: &State) -> Vec<(String, &'static str)> {
    [
        (Action::DrillIn, "vs newest"),
        (Action::MarkPoint, "mark A"),
        (Action::ComparePoints, "compare A"),
        (Action::Back, "close"),
        (Action::NextSide, "next env"),
        (Action::FocusNextPane, "hosts"),
    ]
    .into_iter()
    .filter_map(|(action, label)| state.keymap.first_key(action).map(|k| (k, label)))
    .collect()
}

/// The footer's keys while the hosts overlay is open, read from the keymap.
fn hosts_pairs(state: &State) -> Vec<(String, &'static str)> {
    let peers = state.hosts_view().is_some_and(|v| v.peers.is_some());
    let actions = if peers {
        vec![
            (Action::SelectNext, "scroll"),
            (Action::Back, "back to the hosts"),
        ]
    } else {
        vec![
            (Action::SelectNext, "down"),
            (Action::DrillIn, "compare with its peers"),
            (Action::NextSide, "next env"),
            (Action::Back, "close"),
        ]
    };
    actions
        .into_iter()
        .filter_map(|(action, label)| state.keymap.first_key(action).map(|k| (k, label)))
        .collect()
}

/// The footer's keys while the popup is open, read from the keymap.
fn history_pairs(state: &State) -> Vec<(String, &'static str)> {
    let several = state.fact_history().is_some_and(|v| v.envs.len() > 1);
    let mut actions = vec![(Action::SelectNext, "scroll")];
    if several {
        actions.push((Action::NextSide, "next env"));
    }
    actions.push((Action::Back, "close"));
    actions
        .into_iter()
        .filter_map(|(action, label)| state.keymap.first_key(action).map(|k| (k, label)))
        .collect()
}
