//! How the values of a fact's history are shown, by `driftscope log` and the explorer's
//! history popup alike: sanitized and shortened, secrets and texts by tokens.

use crate::model::{Value, sanitize};
use crate::store::HistoryEntry;

/// The longest value shown, in characters.
const VALUE_WIDTH: usize = 60;

/// Each entry's value as shown: sanitized and shortened; a text by its line count and a
/// token telling distinct texts apart; a secret only by such a token, saying whether it
/// changed — never by its fingerprint.
pub fn shown_values(entries: &[HistoryEntry]) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    let mut secrets: Vec<&str> = Vec::new();
    entries
        .iter()
        .map(|entry| match &entry.value {
            None => "(absent)".to_string(),
            Some(Value::Redacted(fingerprint)) => {
                let seen = secrets.iter().position(|s| s == fingerprint);
                match (seen, secrets.is_empty()) {
                    (Some(i), _) => format!("(redacted #{}: same as before)", i + 1),
                    (None, first) => {
                        secrets.push(fingerprint);
                        let n = secrets.len();
                        if first {
                            format!("(redacted #{n})")
                        } else {
                            format!("(redacted #{n}: changed)")
                        }
                    }
                }
            }
            Some(Value::Text(text)) => {
                let n = match texts.iter().position(|t| t == text) {
                    Some(i) => i + 1,
                    None => {
                        texts.push(text);
                        texts.len()
                    }
                };
                let lines = text.lines().count();
                format!(
                    "text #{n}, {lines} line{}",
                    if lines == 1 { "" } else { "s" }
                )
            }
            Some(value) => shorten(&sanitize(&value.summary(), false), VALUE_WIDTH),
        })
        .collect()
}

/// `text` cut to `width` characters, with `…` when cut.
pub fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
