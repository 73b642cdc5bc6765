//! Parse errors of `driftscope.toml` said the way a user fixes them: a type mismatch
//! (`invalid type: string "x", expected a sequence`) becomes the key, what it holds and
//! what to write instead.

/// The longest excerpt of the bad value quoted back.
const EXCERPT: usize = 40;

/// `message` (from the TOML parser) reworded when it is a type mismatch at `offset` in
/// `text`; other messages are returned as they are.
pub(super) fn explain(text: &str, offset: Option<usize>, message: &str) -> String {
    let Some(rest) = message.strip_prefix("invalid type: ") else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return message.to_string();
    };
    let place = offset.and_then(|at| key_at(text, at));
    let name = match &place {
        Some((key, Some(table))) => format!("{key} under [{table}]"),
        Some((key, None)) => key.clone(),
        None => "this value".to_string(),
    };
    let (kind, value) = split_found(found);
    let shown = value.map_or_else(String::new, |v| format!(" ({})", excerpt(v)));
    let Some((wanted, example)) = wanted(expected, value) else {
        return format!("{name}: expected {expected}, found {kind}{shown}");
    };
    match place {
        Some((key, _)) => {
            format!("{name}: expected {wanted}, found {kind}{shown}; write {key} = {example}")
        }
        None => format!("{name}: expected {wanted}, found {kind}{shown}; write {example}"),
    }
}

/// `string "x"` → (`a string`, `Some("\"x\"")`); `integer `3`` → (`a number`, `3`).
fn split_found(found: &str) -> (String, Option<&str>) {
    let (kind, value) = match found.split_once(' ') {
        Some((kind, value)) => (kind, Some(value.trim_matches('`'))),
        None => (found, None),
    };
    let kind = match kind {
        "string" => "text",
        "integer" | "float" => "a number",
        "boolean" => "true or false",
        "sequence" => "a list",
        "map" => "a table",
        other => other,
    };
    (kind.to_string(), value)
}

/// What the parser expected, in words, and an example to write.
fn wanted(expected: &str, value: Option<&str>) -> Option<(&'static str, String)> {
    let as_string = value
        .filter(|v| v.starts_with('"') && v.chars().count() <= EXCERPT)
        .unwrap_or("\"…\"");
    if expected.contains("duration") {
        return Some(("a duration in quotes", "\"5s\"".to_string()));
    }
    if expected.contains("sequence") {
        return Some(("a list in brackets", format!("[{as_string}]")));
    }
    if expected.starts_with('u') || expected.starts_with('i') && expected.len() <= 5 {
        return Some(("a whole number", "8".to_string()));
    }
    if expected.contains("boolean") || expected == "a bool" {
        return Some(("true or false", "true".to_string()));
    }
    if expected.contains("string") {
        return Some(("text in quotes", "\"…\"".to_string()));
    }
    if expected.contains("map") || expected.starts_with("struct") {
        return Some(("a table", "{ … }".to_string()));
    }
    None
}

/// The key whose value starts at `offset` (the line's `key =`) and the nearest table
/// header above it (`environments.dev`), if any.
fn key_at(text: &str, offset: usize) -> Option<(String, Option<String>)> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let key = before[line_start..].split_once('=')?.0.trim();
    if key.is_empty() {
        return None;
    }
    let table = before[..line_start].lines().rev().find_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]"));
        let inner = inner.or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')));
        inner.map(|t| t.trim().to_string())
    });
    Some((key.to_string(), table))
}

/// At most [`EXCERPT`] characters of `value`, with `…` when cut.
fn excerpt(value: &str) -> String {
    if value.chars().count() <= EXCERPT {
        return value.to_string();
    }
    let cut: String = value.chars().take(EXCERPT).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_for_a_list_names_the_key_and_what_to_write() {
        let text = "[environments.dev]\nhosts = \"x\"\n";
        let at = text.find("\"x\"");
        assert_eq!(
            explain(text, at, "invalid type: string \"x\", expected a sequence"),
            "hosts under [environments.dev]: expected a list in brackets, found text (\"x\"); \
             write hosts = [\"x\"]"
        );
    }

    #[test]
    fn numbers_and_long_values_are_explained_briefly() {
        let text = "[collect]\nconcurrency = \"many\"\n";
        let at = text.find("\"many\"");
        let said = explain(text, at, "invalid type: string \"many\", expected usize");
        assert!(said.contains("expected a whole number"), "{said}");
        let long = format!("\"{}\"", "y".repeat(1000));
        let said = explain(
            "x = 1",
            None,
            &format!("invalid type: string {long}, expected a sequence"),
        );
        assert!(said.len() < 200, "{said}");
        assert_eq!(explain("", None, "expected newline"), "expected newline");
        let text = "[collect]\nconnect_timeout = 5\n";
        let said = explain(
            text,
            text.find('5'),
            "invalid type: integer `5`, expected a duration",
        );
        assert_eq!(
            said,
            "connect_timeout under [collect]: expected a duration in quotes, found a number (5); \
             write connect_timeout = \"5s\""
        );
    }
}
