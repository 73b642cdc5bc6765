//! Key bindings as data: an embedded default keymap, overridden entry by entry by a
//! user file. The help screen and the footer are generated from the active keymap.

use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::de::{DeTable, DeValue};

use super::action::Action;
use super::tomlpos::FileError;

/// The default keymap, embedded in the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// The value that removes a key's binding in a user keymap.
pub const UNBIND: &str = "unbind";

/// A key with its modifiers, normalised so that it compares equal to the event it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// `CONTROL` and `ALT` (and `SHIFT` for non-character keys).
    pub modifiers: KeyModifiers,
}

impl Key {
    /// A key without modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    /// A character key without modifiers.
    pub fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// The key of a terminal event: shift is folded into characters (`G`) and `shift-tab`.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    /// Parses `j`, `G`, `?`, `enter`, `shift-tab`, `ctrl-c`, `alt-x`, `f5`…
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            // A lone "-" (or "ctrl--") is the minus key, not a separator.
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 {
                if let Some(r) = lower.strip_prefix("ctrl-") {
                    modifiers |= KeyModifiers::CONTROL;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
                if let Some(r) = lower.strip_prefix("alt-") {
                    modifiers |= KeyModifiers::ALT;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
                if let Some(r) = lower.strip_prefix("shift-") {
                    modifiers |= KeyModifiers::SHIFT;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => named_key(&rest.to_ascii_lowercase())
                .ok_or_else(|| format!("unknown key '{text}'"))?,
        };
        let mut key = Key { code, modifiers };
        if key.modifiers.contains(KeyModifiers::SHIFT) {
            key.modifiers.remove(KeyModifiers::SHIFT);
            key.code = match key.code {
                KeyCode::Char(c) => KeyCode::Char(c.to_ascii_uppercase()),
                KeyCode::Tab | KeyCode::BackTab => KeyCode::BackTab,
                other => {
                    key.modifiers |= KeyModifiers::SHIFT;
                    other
                }
            };
        }
        Ok(key)
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let code = match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            if (1..=12).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(code)
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The active key bindings.
/// Where a binding applies: the keymap file's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `[keys]`: browsing, and the help, timeline and history overlays.
    Keys,
    /// `[input]`: text editing, in the filter and in the reason prompt.
    Input,
    /// `[filter]`: while typing a filter (before `[input]`).
    Filter,
    /// `[prompt]`: while typing in the reason prompt (before `[input]`).
    Prompt,
}

impl Scope {
    /// Every scope, in the order the sections are documented.
    pub const ALL: [Scope; 4] = [Scope::Keys, Scope::Input, Scope::Filter, Scope::Prompt];

    /// The section's name in keymap files.
    pub fn section(self) -> &'static str {
        match self {
            Scope::Keys => "keys",
            Scope::Input => "input",
            Scope::Filter => "filter",
            Scope::Prompt => "prompt",
        }
    }

    fn from_section(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.section() == name)
    }

    /// Why `action` cannot be bound in this section, if it cannot.
    fn refuses(self, action: Action) -> Option<String> {
        match self {
            Scope::Keys if action.edits_text() => Some(format!(
                "'{}' edits text: bind it under [input], [filter] or [prompt]",
                action.name()
            )),
            Scope::Input if !action.edits_text() => Some(format!(
                "[input] holds text-editing actions only; bind '{}' under [keys], [filter] or [prompt]",
                action.name()
            )),
            _ => None,
        }
    }
}

/// The active key bindings, per section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    bindings: Vec<(Scope, Key, Action)>,
}

impl Keymap {
    /// The embedded default keymap.
    pub fn embedded() -> Result<Keymap, FileError> {
        Keymap::default().with_overrides(DEFAULT_KEYMAP, "default keymap")
    }

    /// The default keymap overridden by `path`, or else by the user's keymap file when it
    /// exists. Errors name the file and line.
    pub fn load(path: Option<&Path>) -> Result<Keymap, FileError> {
        let keymap = Keymap::embedded()?;
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => match user_keymap_path() {
                Some(p) if p.is_file() => p,
                _ => return Ok(keymap),
            },
        };
        let label = path.display().to_string();
        let text =
            crate::input::read_to_string(&path, crate::input::SETTINGS_LIMIT).map_err(|e| {
                FileError {
                    file: label.clone(),
                    line: 0,
                    message: format!("cannot read the keymap: {e}"),
                }
            })?;
        keymap.with_overrides(&text, &label)
    }

    /// This keymap with the entries of `text` (a keymap file named `file`) replacing the
    /// bindings of the same keys in the same section; `"unbind"` removes a binding.
    pub fn with_overrides(mut self, text: &str, file: &str) -> Result<Keymap, FileError> {
        let entries = parse_entries(text, file)?;
        for (scope, key, action) in entries {
            self.bindings
                .retain(|(s, k, _)| !(*s == scope && *k == key));
            if let Some(action) = action {
                self.bindings.push((scope, key, action));
            }
        }
        Ok(self)
    }

    /// The action bound to `key` under `[keys]`.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        self.action_in(Scope::Keys, key)
    }

    /// The action bound to `key` in `scope`.
    pub fn action_in(&self, scope: Scope, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(s, k, _)| *s == scope && *k == key)
            .map(|(_, _, a)| *a)
    }

    /// Every key bound to `action`, in any section, in file order, each once.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        for scope in Scope::ALL {
            for key in self.keys_in(scope, action) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// The keys bound to `action` in `scope`, in file order.
    pub fn keys_in(&self, scope: Scope, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(s, _, a)| *s == scope && *a == action)
            .map(|(_, k, _)| *k)
            .collect()
    }

    /// The first key bound to `action`, as shown to the user.
    pub fn first_key(&self, action: Action) -> Option<String> {
        self.keys_for(action).first().map(Key::to_string)
    }

    /// The first key bound to `action` in `scope`, as shown to the user.
    pub fn first_key_in(&self, scope: Scope, action: Action) -> Option<String> {
        self.keys_in(scope, action).first().map(Key::to_string)
    }
}

/// The user's keymap file: `driftscope/keymap.toml` in the config folder.
pub fn user_keymap_path() -> Option<PathBuf> {
    super::theme::config_dir().map(|d| d.join("keymap.toml"))
}

/// One entry of a keymap file: its section, key, and action (`None`: unbind).
type Entry = (Scope, Key, Option<Action>);

/// Parses a keymap file into bindings and removals.
fn parse_entries(text: &str, file: &str) -> Result<Vec<Entry>, FileError> {
    let root = DeTable::parse(text).map_err(|e| FileError::from_toml(file, text, &e))?;
    let mut out: Vec<Entry> = Vec::new();
    for (section, value) in root.get_ref().iter() {
        let Some(scope) = Scope::from_section(section.get_ref()) else {
            return Err(FileError::at(
                file,
                text,
                Some(section.span()),
                format!(
                    "unknown section '{}' (expected [keys], [input], [filter] or [prompt])",
                    section.get_ref()
                ),
            ));
        };
        let DeValue::Table(table) = value.get_ref() else {
            return Err(FileError::at(
                file,
                text,
                Some(value.span()),
                format!("'{}' must be a table", scope.section()),
            ));
        };
        // Keep the file's order: the first key bound to an action is the one shown first.
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key_name, action_value) in entries {
            let key = Key::parse(key_name.get_ref())
                .map_err(|m| FileError::at(file, text, Some(key_name.span()), m))?;
            let Some(name) = action_value.get_ref().as_str() else {
                return Err(FileError::at(
                    file,
                    text,
                    Some(action_value.span()),
                    format!("the action for '{}' must be a string", key_name.get_ref()),
                ));
            };
            let action = if name == UNBIND {
                None
            } else {
                let action = Action::from_name(name).ok_or_else(|| {
                    FileError::at(
                        file,
                        text,
                        Some(action_value.span()),
                        format!(
                            "unknown action '{name}' for key '{}' (see the help screen for action names)",
                            key_name.get_ref()
                        ),
                    )
                })?;
                if let Some(why) = scope.refuses(action) {
                    return Err(FileError::at(file, text, Some(action_value.span()), why));
                }
                Some(action)
            };
            if out.iter().any(|(s, k, _)| *s == scope && *k == key) {
                return Err(FileError::at(
                    file,
                    text,
                    Some(key_name.span()),
                    format!("key '{key}' is bound twice in [{}]", scope.section()),
                ));
            }
            out.push((scope, key, action));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_display_canonically() {
        for (text, shown) in [
            ("j", "j"),
            ("G", "G"),
            ("shift-g", "G"),
            ("?", "?"),
            ("-", "-"),
            ("enter", "enter"),
            ("Return", "enter"),
            ("shift-tab", "shift-tab"),
            ("backtab", "shift-tab"),
            ("ctrl-c", "ctrl-c"),
            ("alt-x", "alt-x"),
            ("PageDown", "pgdn"),
            ("space", "space"),
            ("f5", "f5"),
            ("shift-up", "shift-up"),
        ] {
            assert_eq!(Key::parse(text).unwrap().to_string(), shown, "{text}");
        }
        for bad in ["", "ctrl-", "f13", "hyper-x", "foo"] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_normalise_shift() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::char('G'));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::plain(KeyCode::BackTab));
    }

    #[test]
    fn embedded_keymap_binds_every_action() {
        let km = Keymap::embedded().unwrap();
        for action in Action::ALL {
            assert!(!km.keys_for(action).is_empty(), "{action:?} has no key");
        }
        assert_eq!(km.action_for(Key::char('q')), Some(Action::Quit));
        assert_eq!(km.action_for(Key::char('G')), Some(Action::SelectLast));
    }

    #[test]
    fn user_file_overrides_single_entries() {
        let km = Keymap::embedded()
            .unwrap()
            .with_overrides(
                "[keys]\nq = \"toggle_help\"\nx = \"quit\"\nj = \"unbind\"\n",
                "u",
            )
            .unwrap();
        assert_eq!(km.action_for(Key::char('q')), Some(Action::ToggleHelp));
        assert_eq!(km.action_for(Key::char('x')), Some(Action::Quit));
        assert_eq!(km.action_for(Key::char('j')), None);
        assert_eq!(km.action_for(Key::char('k')), Some(Action::SelectPrev));
    }

    #[test]
    fn unknown_action_names_file_and_line() {
        let err = Keymap::embedded()
            .unwrap()
            .with_overrides("[keys]\nj = \"select_next\"\nx = \"explode\"\n", "my.toml")
            .unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.file, "my.toml");
        assert!(
            err.to_string().contains("unknown action 'explode'"),
            "{err}"
        );
    }

    #[test]
    fn bad_key_names_file_and_line() {
        let err = Keymap::default()
            .with_overrides("[keys]\n\n\"hyper-q\" = \"quit\"\n", "my.toml")
            .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.to_string()
                .starts_with("my.toml line 3: unknown key 'hyper-q'"),
            "{err}"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = Keymap::default()
            .with_overrides("[keys]\nq = quit\n", "my.toml")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn sections_bind_keys_separately_and_refuse_actions_of_the_wrong_kind() {
        let km = Keymap::embedded().unwrap();
        assert_eq!(
            km.action_in(Scope::Filter, Key::plain(KeyCode::Enter)),
            Some(Action::Submit)
        );
        assert_eq!(
            km.action_for(Key::plain(KeyCode::Enter)),
            Some(Action::DrillIn)
        );
        let ctrl_w = Key {
            code: KeyCode::Char('w'),
            modifiers: KeyModifiers::CONTROL,
        };
        assert_eq!(
            km.action_in(Scope::Input, ctrl_w),
            Some(Action::DeletePrevWord)
        );
        let err = Keymap::default()
            .with_overrides("[keys]\nx = \"delete_prev_word\"\n", "my.toml")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().contains("bind it under [input]"), "{err}");
        let err = Keymap::default()
            .with_overrides("[input]\nq = \"quit\"\n", "my.toml")
            .unwrap_err();
        assert!(
            err.to_string().contains("text-editing actions only"),
            "{err}"
        );
        let err = Keymap::default()
            .with_overrides("[modes]\nq = \"quit\"\n", "my.toml")
            .unwrap_err();
        assert!(err.to_string().contains("unknown section 'modes'"), "{err}");
        let both = Keymap::default()
            .with_overrides("[filter]\nq = \"cancel\"\n[prompt]\nq = \"cancel\"\n", "ok")
            .unwrap();
        assert_eq!(both.keys_for(Action::Cancel), [Key::char('q')]);
    }
}
