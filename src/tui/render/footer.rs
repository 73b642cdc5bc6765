//! The footer: the most useful keys for the focused pane, read from the active keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::span;
use crate::tui::action::Action;
use crate::tui::state::{Mode, Pane, State};
use crate::tui::theme::{Role, Theme};

/// The actions the footer offers for a pane, most useful first (help and quit are
/// always offered besides).
pub fn footer_actions(pane: Pane, sides: usize) -> Vec<Action> {
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
            a.extend([Action::ScrollRight, Action::FactHistory]);
            a
        }
    }
}

/// Always offered, at the footer's right end.
const ALWAYS: [Action; 2] = [Action::ToggleHelp, Action::Quit];

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let pairs: Vec<(String, &str)> = match state.mode {
        Mode::Filter => vec![
            ("type".into(), "filter"),
            ("enter".into(), "keep"),
            ("esc".into(), "clear"),
            ("↑↓".into(), "move"),
        ],
        Mode::Prompt => vec![
            ("type".into(), "edit"),
            ("enter".into(), "save"),
            ("tab".into(), "next field"),
            ("esc".into(), "cancel"),
            ("ctrl-u".into(), "clear field"),
        ],
        Mode::Help => {
            let mut p: Vec<(String, &str)> = Vec::new();
            for action in [Action::SelectNext, Action::ToggleHelp] {
                if let Some(k) = state.keymap.first_key(action) {
                    p.push((
                        k,
                        if action == Action::ToggleHelp {
                            "close"
                        } else {
                            "scroll"
                        },
                    ));
                }
            }
            p
        }
        Mode::Timeline => super::timeline::footer_pairs(state),
        Mode::History => super::history::footer_pairs(state),
        Mode::Browse => {
            let sides = state.report().map_or(0, |r| r.sides.len());
            footer_actions(state.focus, sides)
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
    };
    let line = |pairs: Vec<(String, &str)>| {
        let mut spans = vec![Span::raw(" ")];
        for (key, label) in pairs {
            spans.push(span(key, Role::FooterKey, theme));
            spans.push(span(format!(" {label}  "), Role::Footer, theme));
        }
        Line::from(spans)
    };
    let right = if matches!(state.mode, Mode::Browse | Mode::Timeline) {
        line(
            ALWAYS
                .iter()
                .filter_map(|a| state.keymap.first_key(*a).map(|k| (k, a.short_label())))
                .collect(),
        )
    } else {
        Line::default()
    };
    // The always-there keys keep their place; the pane's keys get what is left.
    let right_width = (right.width() as u16).min(rect.width / 2);
    let left_rect = Rect {
        width: rect.width - right_width,
        ..rect
    };
    let right_rect = Rect {
        x: rect.x + left_rect.width,
        width: right_width,
        ..rect
    };
    // Only whole entries: a key without its label would mislead.
    let mut room = usize::from(left_rect.width).saturating_sub(1);
    let fitting: Vec<(String, &str)> = pairs
        .into_iter()
        .take_while(|(key, label)| {
            let need = key.chars().count() + label.chars().count() + 3;
            let fits = need <= room;
            room = room.saturating_sub(need);
            fits
        })
        .collect();
    frame.render_widget(Paragraph::new(line(fitting)), left_rect);
    frame.render_widget(Paragraph::new(right), right_rect);
}
