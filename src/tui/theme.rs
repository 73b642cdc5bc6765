//! Themes: semantic roles (added, removed, severity levels, focus, selection…) mapped to
//! styles, read from TOML files. Three themes are embedded; `NO_COLOR` is honoured.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use toml::de::{DeTable, DeValue};

use super::tomlpos::FileError;

/// The embedded themes by name; the first is the default.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

macro_rules! roles {
    ($($variant:ident => $name:literal : $doc:literal,)*) => {
        /// A semantic role that a theme gives a style.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role {
            $(#[doc = $doc] $variant,)*
        }

        impl Role {
            /// Every role.
            pub const ALL: &'static [Role] = &[$(Role::$variant,)*];

            /// The role's key in theme files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Role::$variant => $name,)*
                }
            }

            /// What the role is used for.
            pub fn description(self) -> &'static str {
                match self {
                    $(Role::$variant => $doc,)*
                }
            }
        }
    };
}

roles! {
    Text => "text": "Ordinary text.",
    Dim => "dim": "Secondary text: counts, summaries, hints.",
    Border => "border": "Borders of unfocused panes.",
    Focus => "focus": "Border and title of the focused pane.",
    Title => "title": "Titles of unfocused panes.",
    Selection => "selection": "The selected row of the focused pane.",
    SelectionInactive => "selection_inactive": "The selected row of other panes.",
    Header => "header": "The header line.",
    Breadcrumb => "breadcrumb": "Breadcrumbs of where you are.",
    FooterKey => "footer_key": "Keys in the footer and the help screen.",
    Footer => "footer": "Footer text.",
    Baseline => "baseline": "The baseline environment's marker.",
    Added => "added": "Lines and members only the other side has.",
    Removed => "removed": "Lines and members only the baseline has.",
    AddedEmphasis => "added_emphasis": "Changed characters within an added line.",
    RemovedEmphasis => "removed_emphasis": "Changed characters within a removed line.",
    Changed => "changed": "Values that differ.",
    Missing => "missing": "Facts absent from a side.",
    Equal => "equal": "Facts equal everywhere.",
    Divergent => "divergent": "Hosts of one environment that disagree.",
    SeverityCritical => "severity_critical": "Critical severity.",
    SeverityHigh => "severity_high": "High severity.",
    SeverityMedium => "severity_medium": "Medium severity.",
    SeverityLow => "severity_low": "Low severity.",
    Unreviewed => "unreviewed": "Drift nobody has reviewed yet.",
    Justified => "justified": "Drift justified as intentional.",
    Remediate => "remediate": "Drift marked for remediation.",
    Stale => "stale": "Annotations whose values changed since.",
    Expired => "expired": "Annotations past their expiry day.",
    LineNumber => "line_number": "Line numbers of text diffs.",
    Filter => "filter": "The filter prompt.",
    Demo => "demo": "The demo-data marker.",
    Error => "error": "Error messages.",
}

/// A complete theme: one style per role.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// The theme's name.
    pub name: String,
    styles: Vec<Style>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::built_in("dark").unwrap_or_else(|_| Theme::plain("plain"))
    }
}

impl Theme {
    /// The style of `role`.
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(role as usize).copied().unwrap_or_default()
    }

    /// A theme with no styles at all.
    pub fn plain(name: &str) -> Theme {
        Theme {
            name: name.to_string(),
            styles: vec![Style::default(); Role::ALL.len()],
        }
    }

    /// An embedded theme by name.
    pub fn built_in(name: &str) -> Result<Theme, FileError> {
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            return Err(FileError {
                file: name.to_string(),
                line: 0,
                message: format!("unknown theme (built in: {})", built_in_names()),
            });
        };
        Theme::plain(name).overlay(text, &format!("theme {name}"))
    }

    /// The theme for `--theme NAME|PATH` (the default when `None`): a path to a file, a
    /// built-in name, or a name in the user's `themes/` config folder. With `no_color`,
    /// colors are dropped and only bold, reverse and underline remain.
    pub fn resolve(spec: Option<&str>, no_color: bool) -> Result<Theme, FileError> {
        let theme = match spec {
            None => Theme::built_in(BUILT_IN[0].0)?,
            Some(spec) => {
                let as_path = Path::new(spec);
                let looks_like_path = spec.contains(std::path::MAIN_SEPARATOR)
                    || spec.contains('/')
                    || spec.ends_with(".toml");
                if looks_like_path || as_path.is_file() {
                    Theme::from_file(as_path)?
                } else if BUILT_IN.iter().any(|(n, _)| *n == spec) {
                    Theme::built_in(spec)?
                } else {
                    match config_dir().map(|d| d.join("themes").join(format!("{spec}.toml"))) {
                        Some(p) if p.is_file() => Theme::from_file(&p)?,
                        _ => {
                            return Err(FileError {
                                file: spec.to_string(),
                                line: 0,
                                message: format!(
                                    "unknown theme: not a file, nor a built-in theme ({})",
                                    built_in_names()
                                ),
                            });
                        }
                    }
                }
            }
        };
        Ok(if no_color {
            theme.without_colors()
        } else {
            theme
        })
    }

    /// Reads a theme file; roles it leaves out keep the default theme's styles.
    pub fn from_file(path: &Path) -> Result<Theme, FileError> {
        let label = path.display().to_string();
        let text =
            crate::input::read_to_string(path, crate::input::SETTINGS_LIMIT).map_err(|e| {
                FileError {
                    file: label.clone(),
                    line: 0,
                    message: format!("cannot read the theme: {e}"),
                }
            })?;
        let base = Theme::built_in(BUILT_IN[0].0)?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| label.clone());
        Theme { name: stem, ..base }.overlay(&text, &label)
    }

    /// This theme with the roles set in theme file `text` (named `file` in errors).
    pub fn overlay(mut self, text: &str, file: &str) -> Result<Theme, FileError> {
        let root = DeTable::parse(text).map_err(|e| FileError::from_toml(file, text, &e))?;
        for (key, value) in root.get_ref().iter() {
            match key.get_ref().as_ref() {
                "name" => {
                    let Some(name) = value.get_ref().as_str() else {
                        return Err(FileError::at(
                            file,
                            text,
                            Some(value.span()),
                            "'name' must be a string",
                        ));
                    };
                    self.name = name.to_string();
                }
                "roles" => {
                    let DeValue::Table(roles) = value.get_ref() else {
                        return Err(FileError::at(
                            file,
                            text,
                            Some(value.span()),
                            "'roles' must be a table",
                        ));
                    };
                    for (role_name, spec) in roles.iter() {
                        let role_name = role_name.get_ref().as_ref();
                        let Some(role) = Role::ALL.iter().copied().find(|r| r.name() == role_name)
                        else {
                            return Err(FileError::at(
                                file,
                                text,
                                Some(key_span(roles, role_name).unwrap_or(spec.span())),
                                format!("unknown role '{role_name}' (see docs/themes.md)"),
                            ));
                        };
                        let style = parse_style(spec.get_ref()).map_err(|m| {
                            FileError::at(
                                file,
                                text,
                                Some(spec.span()),
                                format!("role '{role_name}': {m}"),
                            )
                        })?;
                        self.styles[role as usize] = style;
                    }
                }
                other => {
                    return Err(FileError::at(
                        file,
                        text,
                        Some(key.span()),
                        format!("unknown key '{other}' (expected 'name' or [roles])"),
                    ));
                }
            }
        }
        Ok(self)
    }

    /// The theme without colors, for `NO_COLOR`: modifiers stay, and the selection,
    /// focus and intra-line changes get reverse or bold so they remain visible.
    pub fn without_colors(mut self) -> Theme {
        for (i, style) in self.styles.iter_mut().enumerate() {
            let mut plain = Style {
                add_modifier: style.add_modifier,
                ..Style::default()
            };
            let role = Role::ALL.get(i).copied();
            plain = match role {
                Some(Role::Selection) => plain.add_modifier(Modifier::REVERSED),
                Some(Role::SelectionInactive) => plain.add_modifier(Modifier::UNDERLINED),
                Some(Role::Focus | Role::Demo | Role::Error) => plain.add_modifier(Modifier::BOLD),
                Some(Role::AddedEmphasis | Role::RemovedEmphasis) => {
                    plain.add_modifier(Modifier::REVERSED)
                }
                _ => plain,
            };
            *style = plain;
        }
        self
    }
}

fn key_span(table: &DeTable<'_>, name: &str) -> Option<std::ops::Range<usize>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .map(|(k, _)| k.span())
}

fn built_in_names() -> String {
    BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A style from `"color"` (the foreground) or `{ fg, bg, bold, dim, italic, underlined,
/// reversed }`.
fn parse_style(value: &DeValue<'_>) -> Result<Style, String> {
    match value {
        DeValue::String(color) => Ok(Style::default().fg(parse_color(color)?)),
        DeValue::Table(fields) => {
            let mut style = Style::default();
            for (name, v) in fields.iter() {
                let name = name.get_ref().as_ref();
                match name {
                    "fg" | "bg" => {
                        let Some(c) = v.get_ref().as_str() else {
                            return Err(format!("'{name}' must be a color string"));
                        };
                        let color = parse_color(c)?;
                        style = if name == "fg" {
                            style.fg(color)
                        } else {
                            style.bg(color)
                        };
                    }
                    "bold" | "dim" | "italic" | "underlined" | "reversed" => {
                        let Some(on) = v.get_ref().as_bool() else {
                            return Err(format!("'{name}' must be true or false"));
                        };
                        let m = match name {
                            "bold" => Modifier::BOLD,
                            "dim" => Modifier::DIM,
                            "italic" => Modifier::ITALIC,
                            "underlined" => Modifier::UNDERLINED,
                            _ => Modifier::REVERSED,
                        };
                        if on {
                            style = style.add_modifier(m);
                        }
                    }
                    other => {
                        return Err(format!(
                            "unknown style field '{other}' (expected fg, bg, bold, dim, italic, underlined, reversed)"
                        ));
                    }
                }
            }
            Ok(style)
        }
        _ => Err("expected a color string or a table like { fg = \"red\", bold = true }".into()),
    }
}

fn parse_color(text: &str) -> Result<Color, String> {
    text.parse::<Color>()
        .map_err(|_| format!("'{text}' is not a color (a name like 'red', '#rrggbb', or 0-255)"))
}

/// The driftscope folder in the user's config directory: `$XDG_CONFIG_HOME/driftscope`,
/// or `~/.config/driftscope`.
pub fn config_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(dir) if !dir.is_empty() && Path::new(&dir).is_absolute() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?).join(".config"),
    };
    Some(base.join("driftscope"))
}

/// True when the `NO_COLOR` convention asks for no colors (set and not empty).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_parse_and_set_every_role() {
        for (name, text) in BUILT_IN {
            let theme = Theme::plain(name).overlay(text, name).unwrap();
            for role in Role::ALL {
                let set = text
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{} ", role.name())));
                assert!(set, "theme {name} leaves role {} unset", role.name());
            }
            assert_ne!(theme.style(Role::Selection), Style::default());
        }
    }

    #[test]
    fn partial_theme_keeps_default_roles() {
        let theme = Theme::default()
            .overlay("[roles]\nadded = \"#00ff00\"\n", "t.toml")
            .unwrap();
        assert_eq!(theme.style(Role::Added).fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(
            theme.style(Role::Removed),
            Theme::default().style(Role::Removed)
        );
    }

    #[test]
    fn unknown_role_and_bad_color_name_the_line() {
        let err = Theme::default()
            .overlay(
                "name = \"x\"\n[roles]\nadded = \"green\"\nadd = \"red\"\n",
                "t.toml",
            )
            .unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("t.toml", 4));
        assert!(err.message.contains("unknown role 'add'"));
        let err = Theme::default()
            .overlay("[roles]\nadded = { fg = \"greenish\" }\n", "t.toml")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("'greenish' is not a color"), "{err}");
    }

    #[test]
    fn no_color_drops_colors_but_keeps_selection_visible() {
        let theme = Theme::default().without_colors();
        for role in Role::ALL {
            let s = theme.style(*role);
            assert_eq!((s.fg, s.bg), (None, None), "{}", role.name());
        }
        assert!(
            theme
                .style(Role::Selection)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }

    #[test]
    fn unknown_theme_name_is_a_clear_error() {
        let err = Theme::resolve(Some("no-such-theme-here"), false).unwrap_err();
        assert!(err.to_string().contains("built-in theme"), "{err}");
    }
}
