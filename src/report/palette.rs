//! Semantic colours for terminal output, applied only when colour is enabled.

use owo_colors::{OwoColorize, Style};

use crate::diff::Severity;

/// Paints text by role (severity, added, removed…) when enabled; passes it through
/// unchanged otherwise, so plain output never carries escape codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    /// A palette that colours when `enabled`.
    pub fn new(enabled: bool) -> Palette {
        Palette { enabled }
    }

    /// A palette that never colours.
    pub fn plain() -> Palette {
        Palette { enabled: false }
    }

    /// True when this palette emits colour.
    pub fn enabled(self) -> bool {
        self.enabled
    }

    fn paint(self, text: &str, style: Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    /// Text in the colour of a severity.
    pub fn severity(self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Critical => Style::new().red().bold(),
            Severity::High => Style::new().red(),
            Severity::Medium => Style::new().yellow(),
            Severity::Low => Style::new().cyan(),
            Severity::None => Style::new().green(),
        };
        self.paint(text, style)
    }

    /// A heading.
    pub fn heading(self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    /// A fact key or other emphasised name.
    pub fn key(self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    /// Secondary information: times, counts of context, hints.
    pub fn dim(self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }

    /// Something the other side has and the baseline lacks.
    pub fn added(self, text: &str) -> String {
        self.paint(text, Style::new().green())
    }

    /// Something the baseline has and the other side lacks.
    pub fn removed(self, text: &str) -> String {
        self.paint(text, Style::new().red())
    }

    /// The changed part of an added line.
    pub fn added_strong(self, text: &str) -> String {
        self.paint(text, Style::new().green().bold().underline())
    }

    /// The changed part of a removed line.
    pub fn removed_strong(self, text: &str) -> String {
        self.paint(text, Style::new().red().bold().underline())
    }

    /// A good outcome, such as "no drift".
    pub fn ok(self, text: &str) -> String {
        self.paint(text, Style::new().green().bold())
    }

    /// A warning.
    pub fn warn(self, text: &str) -> String {
        self.paint(text, Style::new().yellow().bold())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_palette_passes_text_through() {
        let p = Palette::plain();
        assert_eq!(p.severity(Severity::Critical, "critical"), "critical");
        assert_eq!(p.added("+x"), "+x");
        assert!(!p.enabled());
    }

    #[test]
    fn enabled_palette_emits_escape_codes() {
        let p = Palette::new(true);
        let s = p.severity(Severity::Critical, "critical");
        assert!(s.contains('\u{1b}'));
        assert!(s.contains("critical"));
    }
}
