//! The reason prompt: what is being decided about which drift, the three fields (the
//! edited one with a cursor), and a line for errors, progress and keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{clean, pane_block, span};
use crate::model::{AnnotationKind, join_environments};
use crate::tui::prompt::{Prompt, PromptField};
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};

/// Width of the field labels.
const LABEL_WIDTH: usize = 8;

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let Some(prompt) = state.prompt() else {
        return;
    };
    frame.render_widget(Clear, rect);
    let verb = match prompt.kind {
        AnnotationKind::Justify => "Justify",
        AnnotationKind::Remediate => "Remediate",
    };
    let environments = join_environments(&prompt.environments.iter().cloned().collect());
    let title = match prompt.bulk_scope {
        Some((category, _)) => format!(
            " {verb} {} drifts shown in {category} on {} ",
            prompt.bulk.len(),
            clean(&environments)
        ),
        None => format!(
            " {verb} {} on {} ",
            clean(&prompt.fact.key.to_string()),
            clean(&environments)
        ),
    };
    let block = pane_block(Line::from(title), true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = Vec::new();
    if prompt.read_only {
        lines.push(Line::from(vec![
            span(" demo data ", Role::Demo, theme),
            span(
                " read-only: Enter checks what you typed, nothing is saved",
                Role::Dim,
                theme,
            ),
        ]));
    } else if let Some(current) = &prompt.current {
        lines.push(Line::from(span(
            clean(current).into_owned(),
            Role::Dim,
            theme,
        )));
    }
    let value_width = usize::from(inner.width).saturating_sub(LABEL_WIDTH + 2);
    for field in PromptField::ALL {
        lines.push(field_line(prompt, field, value_width, theme));
    }
    lines.push(status_line(prompt, theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn field_line<'a>(prompt: &Prompt, field: PromptField, width: usize, theme: &Theme) -> Line<'a> {
    let editing = prompt.field == field && prompt.saving.is_none();
    let marker = if editing { "▸" } else { " " };
    let label_role = if editing { Role::FooterKey } else { Role::Dim };
    let mut spans = vec![
        span(marker, Role::Filter, theme),
        span(
            format!("{:<LABEL_WIDTH$} ", field.label()),
            label_role,
            theme,
        ),
    ];
    let text = clean(prompt.text(field)).into_owned();
    if text.is_empty() && !editing {
        spans.push(span(field.placeholder(), Role::Dim, theme));
    } else {
        // The end of the text (where typing happens) stays in view.
        let room = width.saturating_sub(1);
        let count = text.chars().count();
        let shown = if count > room {
            let tail: String = text.chars().skip(count + 1 - room).collect();
            format!("…{tail}")
        } else {
            text
        };
        spans.push(span(shown, Role::Text, theme));
        if editing {
            spans.push(span("▏", Role::Filter, theme));
            if prompt.text(field).is_empty() {
                spans.push(span(field.placeholder(), Role::Dim, theme));
            }
        }
    }
    Line::from(spans)
}

fn status_line<'a>(prompt: &Prompt, theme: &Theme) -> Line<'a> {
    if prompt.saving.is_some() {
        return Line::from(span(" saving…", Role::Filter, theme));
    }
    if let Some(error) = &prompt.error {
        return Line::from(span(format!(" ⚠ {}", clean(error)), Role::Error, theme));
    }
    let mut spans = vec![Span::raw(" ")];
    let save = match prompt.bulk_scope {
        Some((_, decided)) => {
            let verb = match prompt.kind {
                AnnotationKind::Justify => "justify",
                AnnotationKind::Remediate => "mark",
            };
            let left = if decided > 0 {
                format!(" ({decided} already decided, left alone)")
            } else {
                String::new()
            };
            format!("{verb} all {}{left}", prompt.bulk.len())
        }
        None => "save".to_string(),
    };
    for (key, what) in [
        ("enter", save.as_str()),
        ("tab", "next field"),
        ("esc", "cancel"),
    ] {
        spans.push(span(key, Role::FooterKey, theme));
        spans.push(span(format!(" {what}  "), Role::Footer, theme));
    }
    Line::from(spans)
}
