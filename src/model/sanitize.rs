//! Neutralising untrusted text before it reaches a terminal.
//!
//! Text in snapshots comes from hosts and files nobody here controls. Escape sequences
//! (CSI, OSC, …) and other control characters are replaced so they are shown, not obeyed.

use std::borrow::Cow;

/// Returns `text` safe to print on a terminal: tabs become four spaces; other control
/// characters (C0 such as the ESC that starts escape sequences, DEL, C1) and bidi overrides
/// become visible notation (`^[`, `^?`, `<U+009B>`); line breaks are kept only when
/// `keep_newlines`.
pub fn sanitize(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs_work = text
        .chars()
        .any(|c| is_unsafe(c) && !(keep_newlines && c == '\n'));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c if is_unsafe(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Control characters, plus the Unicode bidi overrides that can disguise text.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            sanitize("worker_processes 4;", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        let s = sanitize("ok\u{1b}[2J\u{1b}]0;pwned\u{7}done", false);
        assert_eq!(s, "ok^[[2J^[]0;pwned^Gdone");
        assert!(!s.chars().any(|c| c.is_control()));
    }

    #[test]
    fn newlines_are_kept_only_on_request() {
        assert_eq!(sanitize("a\nb", true), "a\nb");
        assert_eq!(sanitize("a\nb", false), "a^Jb");
        assert_eq!(sanitize("a\r\nb", true), "a^M\nb");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_escaped() {
        assert_eq!(sanitize("a\u{9b}b", false), "a<U+009B>b");
        assert_eq!(sanitize("a\u{202e}b", false), "a<U+202E>b");
    }
}
