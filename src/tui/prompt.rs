//! The reason prompt that justifying or remediating a drift opens: a reason (required),
//! an optional ticket or link and an optional expiry day. Tab moves between the fields,
//! Enter validates and saves, Esc cancels. Pure: keys in, state and effects out.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::diff::FactDiff;
use crate::diff::review::AnnotationDraft;
use crate::model::{Annotation, AnnotationKind, Category, join_environments, parse_expiry};

use super::action::Action;
use super::input::TextInput;
use super::message::Effect;
use super::review;
use super::state::{Mode, State};

/// A field of the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptField {
    /// Why (required).
    Reason,
    /// A ticket number or link (optional).
    Ticket,
    /// The last day the decision holds, `YYYY-MM-DD` (optional).
    Expires,
}

impl PromptField {
    /// The fields, in Tab order.
    pub const ALL: [PromptField; 3] = [
        PromptField::Reason,
        PromptField::Ticket,
        PromptField::Expires,
    ];

    /// The field after this one (wrapping).
    pub fn next(self) -> PromptField {
        match self {
            PromptField::Reason => PromptField::Ticket,
            PromptField::Ticket => PromptField::Expires,
            PromptField::Expires => PromptField::Reason,
        }
    }

    /// The field before this one (wrapping).
    pub fn prev(self) -> PromptField {
        match self {
            PromptField::Reason => PromptField::Expires,
            PromptField::Ticket => PromptField::Reason,
            PromptField::Expires => PromptField::Ticket,
        }
    }

    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            PromptField::Reason => "reason",
            PromptField::Ticket => "ticket",
            PromptField::Expires => "expires",
        }
    }

    /// What an empty field means, shown in its place.
    pub fn placeholder(self) -> &'static str {
        match self {
            PromptField::Reason => "why (required)",
            PromptField::Ticket => "ticket or link (optional)",
            PromptField::Expires => "last day it holds, YYYY-MM-DD (optional)",
        }
    }
}

/// The prompt's state: what is being decided about which drift, and the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// Justify or remediate.
    pub kind: AnnotationKind,
    /// The drift as shown when the prompt opened; the decision is about these values.
    pub fact: Box<FactDiff>,
    /// The environment of each side of the comparison.
    pub environments: Vec<String>,
    /// The reason typed so far.
    pub reason: TextInput,
    /// The ticket typed so far.
    pub ticket: TextInput,
    /// The expiry day typed so far.
    pub expires: TextInput,
    /// The field being edited.
    pub field: PromptField,
    /// Why the last Enter did not save, or why saving failed.
    pub error: Option<String>,
    /// True on the read-only demo: Enter validates but saves nothing.
    pub read_only: bool,
    /// The change being saved, once Enter was accepted.
    pub saving: Option<u64>,
    /// The annotation that applies to the drift now, in words, if any.
    pub current: Option<String>,
    /// Every drift a bulk decision annotates (empty for one drift, `fact`).
    pub bulk: Vec<FactDiff>,
    /// For a bulk decision: the category shown and how many shown drifts were already
    /// decided (left as they are).
    pub bulk_scope: Option<(Category, usize)>,
}

impl Prompt {
    /// A prompt for a `kind` decision about `fact`. When an annotation of the same kind
    /// applies already, its text is the starting point (an expiry already past is left
    /// out: it would be refused).
    pub fn open(
        kind: AnnotationKind,
        fact: FactDiff,
        environments: Vec<String>,
        existing: Option<&Annotation>,
        today: NaiveDate,
        read_only: bool,
    ) -> Prompt {
        let same_kind = existing.filter(|a| a.kind == kind);
        let compared: BTreeSet<String> = environments.iter().cloned().collect();
        let current = existing.map(|a| {
            let decided = format!(
                "{} by {} on {}",
                a.kind.describe(),
                a.author,
                a.time.format("%Y-%m-%d")
            );
            if a.environments == compared {
                format!("replaces: {decided}")
            } else {
                format!(
                    "applies now: {decided}, made for {}",
                    join_environments(&a.environments)
                )
            }
        });
        Prompt {
            kind,
            fact: Box::new(fact),
            environments,
            reason: TextInput::new(same_kind.map(|a| a.reason.clone()).unwrap_or_default()),
            ticket: TextInput::new(same_kind.and_then(|a| a.ticket.clone()).unwrap_or_default()),
            expires: TextInput::new(
                same_kind
                    .and_then(|a| a.expires)
                    .filter(|day| *day >= today)
                    .map(|day| day.to_string())
                    .unwrap_or_default(),
            ),
            field: PromptField::Reason,
            error: None,
            read_only,
            saving: None,
            current,
            bulk: Vec::new(),
            bulk_scope: None,
        }
    }

    /// A prompt deciding every one of `facts` (drifts shown in `category` that need
    /// review; `decided` others shown are left alone) with one reason.
    pub fn bulk(
        kind: AnnotationKind,
        facts: Vec<FactDiff>,
        category: Category,
        decided: usize,
        environments: Vec<String>,
        read_only: bool,
    ) -> Prompt {
        let first = facts.first().cloned().unwrap_or_else(|| FactDiff {
            key: crate::model::FactKey::new(category, ""),
            status: crate::diff::Status::Equal,
            divergent: false,
            severity: crate::diff::Severity::None,
            change: crate::diff::ChangeKind::None,
            cells: Vec::new(),
            comparisons: Vec::new(),
        });
        let mut prompt = Prompt::open(kind, first, environments, None, NaiveDate::MIN, read_only);
        prompt.bulk = facts;
        prompt.bulk_scope = Some((category, decided));
        prompt
    }

    /// The text of a field.
    pub fn text(&self, field: PromptField) -> &str {
        self.input(field).value()
    }

    /// The input of `field`.
    pub fn input(&self, field: PromptField) -> &TextInput {
        match field {
            PromptField::Reason => &self.reason,
            PromptField::Ticket => &self.ticket,
            PromptField::Expires => &self.expires,
        }
    }

    fn input_mut(&mut self, field: PromptField) -> &mut TextInput {
        match field {
            PromptField::Reason => &mut self.reason,
            PromptField::Ticket => &mut self.ticket,
            PromptField::Expires => &mut self.expires,
        }
    }

    /// The decision typed, or the field at fault and why: the reason is required, and
    /// an expiry must be a day, `today` or later.
    pub fn draft(&self, today: NaiveDate) -> Result<AnnotationDraft, (PromptField, String)> {
        let reason = self.reason.value().trim();
        if reason.is_empty() {
            return Err((PromptField::Reason, "a reason is required".to_string()));
        }
        let expires = match self.expires.value().trim() {
            "" => None,
            text => Some(
                parse_expiry(text, today)
                    .map_err(|e| (PromptField::Expires, format!("expires: {e}")))?,
            ),
        };
        let ticket = self.ticket.value().trim();
        Ok(AnnotationDraft {
            kind: self.kind,
            reason: reason.to_string(),
            ticket: (!ticket.is_empty()).then(|| ticket.to_string()),
            expires,
        })
    }
}

/// An action bound in the keymap's `[prompt]` or `[input]` section, while the prompt is
/// open: save, cancel, change field, or edit the field's text. Editing waits while a save
/// is under way; other actions go to the overlay stack (quit, back).
pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Cancel => {
            let saving = state.prompt().is_some_and(|p| p.saving.is_some());
            close(state);
            if !saving {
                state.notice = Some("cancelled: nothing was saved".to_string());
            }
            return Vec::new();
        }
        Action::Submit => return review::submit_prompt(state),
        _ => {}
    }
    let Some(prompt) = state.overlays.prompt_mut() else {
        return Vec::new();
    };
    if prompt.saving.is_some() {
        return Vec::new();
    }
    let field = prompt.field;
    match action {
        Action::NextField => prompt.field = field.next(),
        Action::PrevField => prompt.field = field.prev(),
        edit if edit.edits_text() => {
            if prompt.input_mut(field).edit(edit) {
                prompt.error = None;
            }
        }
        other => return super::update::apply(state, other),
    }
    Vec::new()
}

/// Types `c` into the prompt's current field (not while saving).
pub fn type_char(state: &mut State, c: char) {
    if let Some(prompt) = state.overlays.prompt_mut().filter(|p| p.saving.is_none()) {
        let field = prompt.field;
        prompt.input_mut(field).insert(c);
        prompt.error = None;
    }
}

/// Closes the prompt.
pub fn close(state: &mut State) {
    state.overlays.close(Mode::Prompt);
}
