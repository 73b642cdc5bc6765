//! The one text-input component of the explorer, used by the filter and by each field of
//! the reason prompt. Editing is driven by keymap actions ([`Action::edits_text`]), so
//! every editing key can be rebound; characters of unbound keys are inserted.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

use super::action::Action;

/// A line of text being edited, with its cursor.
#[derive(Debug, Clone, Default)]
pub struct TextInput {
    input: Input,
}

impl PartialEq for TextInput {
    fn eq(&self, other: &TextInput) -> bool {
        self.value() == other.value() && self.cursor() == other.cursor()
    }
}

impl Eq for TextInput {}

impl TextInput {
    /// An input holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextInput {
        TextInput {
            input: Input::new(text.into()),
        }
    }

    /// The text.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// The cursor's position in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// The cursor's position in terminal columns from the start.
    pub fn visual_cursor(&self) -> usize {
        self.input.visual_cursor()
    }

    /// Empties the text.
    pub fn clear(&mut self) {
        self.input.reset();
    }

    /// Applies an editing action; true when the text changed. Actions that do not edit
    /// text are ignored.
    pub fn edit(&mut self, action: Action) -> bool {
        let request = match action {
            Action::DeletePrevChar => InputRequest::DeletePrevChar,
            Action::DeleteNextChar => InputRequest::DeleteNextChar,
            Action::DeletePrevWord => InputRequest::DeletePrevWord,
            Action::ClearInput => InputRequest::DeleteLine,
            Action::CursorLeft => InputRequest::GoToPrevChar,
            Action::CursorRight => InputRequest::GoToNextChar,
            Action::CursorPrevWord => InputRequest::GoToPrevWord,
            Action::CursorNextWord => InputRequest::GoToNextWord,
            Action::CursorStart => InputRequest::GoToStart,
            Action::CursorEnd => InputRequest::GoToEnd,
            _ => return false,
        };
        self.apply(request)
    }

    /// Inserts `c` at the cursor; true when the text changed.
    pub fn insert(&mut self, c: char) -> bool {
        self.apply(InputRequest::InsertChar(c))
    }

    fn apply(&mut self, request: InputRequest) -> bool {
        self.input
            .handle(request)
            .is_some_and(|changed| changed.value)
    }
}

/// The character a key types, when it is a plain (or shifted) printable key.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain && !c.is_control() => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_actions_move_the_cursor_and_change_the_text() {
        let mut input = TextInput::new("keep it short");
        assert_eq!(input.cursor(), 13);
        assert!(input.edit(Action::DeletePrevWord));
        assert_eq!(input.value(), "keep it ");
        assert!(!input.edit(Action::CursorStart));
        assert!(input.insert('>'));
        assert_eq!(input.value(), ">keep it ");
        input.edit(Action::CursorEnd);
        assert!(!input.edit(Action::DeleteNextChar), "nothing after the end");
        input.edit(Action::CursorLeft);
        assert!(input.edit(Action::DeleteNextChar));
        assert_eq!(input.value(), ">keep it");
        assert!(input.edit(Action::ClearInput));
        assert!(input.is_empty());
        assert!(!input.edit(Action::Quit), "not an editing action");
    }

    #[test]
    fn only_plain_printable_keys_type() {
        let key = |code, modifiers| KeyEvent::new(code, modifiers);
        assert_eq!(
            typed_char(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some('G')
        );
        assert_eq!(
            typed_char(&key(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(typed_char(&key(KeyCode::Enter, KeyModifiers::NONE)), None);
    }
}
