//! Neutralising untrusted text before it reaches a terminal.
//!
//! Text in snapshots comes from hosts and files nobody here controls. Escape sequences
//! (CSI, OSC, …) and other control characters are replaced so they are shown, not obeyed;
//! invisible and bidirectional characters are shown too, so look-alike keys stay apart.

use std::borrow::Cow;

/// Returns `text` safe to print on a terminal: tabs become four spaces; other control
/// characters (C0 such as the ESC that starts escape sequences, DEL, C1), zero-width and
/// bidirectional characters become visible notation (`^[`, `^?`, `<U+009B>`, `<U+200B>`);
/// line breaks are kept only when `keep_newlines`.
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

/// Control characters, plus the invisible and direction-changing Unicode characters that
/// can disguise text or make two different keys look alike: zero-width spaces and joiners,
/// bidi marks, embeddings, overrides and isolates, line and paragraph separators, the byte
/// order mark, invisible operators, fillers and tag characters.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'                    // soft hyphen
                | '\u{034f}'              // combining grapheme joiner
                | '\u{061c}'              // Arabic letter mark
                | '\u{115f}'..='\u{1160}' // Hangul fillers
                | '\u{17b4}'..='\u{17b5}' // Khmer inherent vowels
                | '\u{180b}'..='\u{180f}' // Mongolian selectors and vowel separator
                | '\u{200b}'..='\u{200f}' // zero-width space, (non-)joiner, LRM, RLM
                | '\u{2028}'..='\u{202e}' // line/paragraph separators, embeddings, overrides
                | '\u{2060}'..='\u{206f}' // word joiner, invisible operators, isolates
                | '\u{3164}'              // Hangul filler
                | '\u{fe00}'..='\u{fe0f}' // variation selectors
                | '\u{feff}'              // byte order mark, zero-width no-break space
                | '\u{ffa0}'              // halfwidth Hangul filler
                | '\u{fff9}'..='\u{fffb}' // interlinear annotation marks
                | '\u{1d173}'..='\u{1d17a}' // musical formatting characters
                | '\u{e0000}'..='\u{e007f}' // tag characters
        )
}

/// At most `max_chars` characters of `text`, for quoting untrusted input in a message:
/// longer text is cut and ends with `… (N bytes in all)`.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}… ({} bytes in all)", &text[..cut], text.len())),
    }
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
    fn zero_width_and_bidi_characters_are_shown() {
        for c in [
            '\u{200b}',
            '\u{200d}',
            '\u{feff}',
            '\u{2060}',
            '\u{200f}',
            '\u{061c}',
            '\u{2028}',
            '\u{202e}',
            '\u{2066}',
            '\u{e0041}',
        ] {
            let text = format!("env.KEY{c}");
            let shown = sanitize(&text, true);
            assert_eq!(shown, format!("env.KEY<U+{:04X}>", c as u32));
        }
        // Ordinary non-ASCII text is untouched.
        assert!(matches!(
            sanitize("café — ä ü 日本", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn excerpts_cut_long_text_and_say_how_long_it_was() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "é".repeat(1000);
        let cut = excerpt(&long, 5);
        assert_eq!(cut, "ééééé… (2000 bytes in all)");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_escaped() {
        assert_eq!(sanitize("a\u{9b}b", false), "a<U+009B>b");
        assert_eq!(sanitize("a\u{202e}b", false), "a<U+202E>b");
    }
}
