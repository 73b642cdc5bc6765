//! The help screen, generated from the active keymap so that it never lies.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::span;
use crate::tui::action::{Action, ActionGroup};
use crate::tui::keymap::Keymap;
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};

/// The help screen's lines for `keymap`: every action by group, with its keys.
pub fn help_lines<'a>(keymap: &Keymap, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut group: Option<ActionGroup> = None;
    for action in Action::ALL {
        if group != Some(action.group()) {
            if group.is_some() {
                lines.push(Line::default());
            }
            group = Some(action.group());
            lines.push(Line::from(span(
                action.group().title(),
                Role::Header,
                theme,
            )));
        }
        let keys: Vec<String> = keymap
            .keys_for(action)
            .iter()
            .map(ToString::to_string)
            .collect();
        let keys = if keys.is_empty() {
            "(unbound)".to_string()
        } else {
            keys.join(" ")
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            span(format!("{keys:<16}"), Role::FooterKey, theme),
            span(format!(" {}", action.description()), Role::Text, theme),
            span(format!("  {}", action.name()), Role::Dim, theme),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(span(
        "Filter (after the filter key)",
        Role::Header,
        theme,
    )));
    for (keys, what) in [
        ("type", "narrow the facts (fuzzy, as you type)"),
        ("enter", "keep the filter and browse"),
        ("esc", "clear the filter"),
        ("backspace ctrl-u", "delete a character / everything"),
    ] {
        lines.push(Line::from(vec![
            Span::raw("  "),
            span(format!("{keys:<16}"), Role::FooterKey, theme),
            span(format!(" {what}"), Role::Text, theme),
        ]));
    }
    lines.extend(super::timeline::help_lines(keymap, theme));
    lines.push(Line::default());
    let decide = [Action::Justify, Action::Remediate]
        .iter()
        .filter_map(|a| keymap.first_key(*a))
        .collect::<Vec<_>>()
        .join(" or ");
    lines.push(Line::from(span(
        format!("Reason prompt (after {decide})"),
        Role::Header,
        theme,
    )));
    for (keys, what) in [
        ("type", "the reason (required), ticket or link, expiry day"),
        ("tab shift-tab", "next / previous field"),
        ("enter", "save (the demo saves nothing)"),
        ("esc", "cancel"),
        ("backspace ctrl-u", "delete a character / the field"),
    ] {
        lines.push(Line::from(vec![
            Span::raw("  "),
            span(format!("{keys:<16}"), Role::FooterKey, theme),
            span(format!(" {what}"), Role::Text, theme),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(span("Mouse", Role::Header, theme)));
    for (keys, what) in [
        ("click", "focus a pane and select a row"),
        ("wheel", "scroll the pane under the pointer"),
    ] {
        lines.push(Line::from(vec![
            Span::raw("  "),
            span(format!("{keys:<16}"), Role::FooterKey, theme),
            span(format!(" {what}"), Role::Text, theme),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(span(
        "Markers: ≠ differs  ∅ missing  ≋ hosts disagree  = equal",
        Role::Dim,
        theme,
    )));
    let mut review = vec![span("Review:  ", Role::Dim, theme)];
    for state in crate::diff::review::ReviewState::ALL {
        let (marker, role) = super::review_marker(state);
        review.push(span(marker, role, theme));
        review.push(span(format!(" {}  ", state.label()), Role::Dim, theme));
    }
    lines.push(Line::from(review));
    lines.push(Line::from(span(
        "Keys come from the keymap; override them in driftscope/keymap.toml in your config folder.",
        Role::Dim,
        theme,
    )));
    lines
}

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    frame.render_widget(Clear, rect);
    let block = super::pane_block(
        Line::from(" Help · keys from the active keymap "),
        true,
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = help_lines(&state.keymap, theme);
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let scroll = state.help_scroll.min(max);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
