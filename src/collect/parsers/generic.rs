//! The parsers a user can pick for their own probes: lines, set, kv, json, text, version.

use serde_json::Value as Json;

use super::{first_version, key_value};
use crate::collect::probe::{Facts, KeyedParseFn};
use crate::config::ParserKind;
use crate::model::{Scalar, Value};

/// The parser function for a user-chosen kind.
pub fn for_kind(kind: ParserKind) -> KeyedParseFn {
    match kind {
        ParserKind::Lines => lines,
        ParserKind::Set => set,
        ParserKind::Kv => kv,
        ParserKind::Json => json,
        ParserKind::Text => text,
        ParserKind::Version => version,
    }
}

fn non_empty_lines(out: &str) -> impl Iterator<Item = String> + '_ {
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
}

/// Non-empty lines, in order → one list under `key`.
pub fn lines(out: &str, key: &str) -> Result<Facts, String> {
    Ok(vec![(
        key.to_string(),
        Value::List(non_empty_lines(out).collect()),
    )])
}

/// Non-empty lines, order ignored → one set under `key`.
pub fn set(out: &str, key: &str) -> Result<Facts, String> {
    Ok(vec![(key.to_string(), Value::set(non_empty_lines(out)))])
}

/// `name=value` lines → `<key>.<name>` facts.
pub fn kv(out: &str, key: &str) -> Result<Facts, String> {
    let facts: Facts = out
        .lines()
        .filter_map(key_value)
        .map(|(k, v)| (format!("{key}.{k}"), Value::string(v)))
        .collect();
    if facts.is_empty() && !out.trim().is_empty() {
        return Err("no lines of the form name=value in the output".into());
    }
    Ok(facts)
}

/// The whole output → one text fact under `key`.
pub fn text(out: &str, key: &str) -> Result<Facts, String> {
    Ok(vec![(key.to_string(), Value::Text(out.to_string()))])
}

/// The first version number in the output → one version fact under `key`.
pub fn version(out: &str, key: &str) -> Result<Facts, String> {
    let v = first_version(out).ok_or("no version number in the output")?;
    Ok(vec![(key.to_string(), Value::version(v))])
}

/// A JSON document. An object's fields become `<key>.<field>` facts (nested objects
/// flattened with dots, arrays of scalars as lists); any other document is one fact.
pub fn json(out: &str, key: &str) -> Result<Facts, String> {
    let doc: Json = serde_json::from_str(out).map_err(|e| format!("invalid JSON: {e}"))?;
    let mut facts = Facts::new();
    flatten(key, &doc, &mut facts, 0);
    Ok(facts)
}

/// Objects nested deeper than this are kept as JSON text.
const MAX_DEPTH: usize = 8;

fn flatten(key: &str, doc: &Json, facts: &mut Facts, depth: usize) {
    match doc {
        Json::Object(map) if depth < MAX_DEPTH && !map.is_empty() => {
            for (field, value) in map {
                flatten(&format!("{key}.{field}"), value, facts, depth + 1);
            }
        }
        Json::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let items = items.iter().map(scalar_text).collect();
            facts.push((key.to_string(), Value::List(items)));
        }
        Json::Bool(b) => facts.push((key.to_string(), Value::Scalar(Scalar::Bool(*b)))),
        Json::Number(n) => facts.push((key.to_string(), Value::Scalar(Scalar::Number(n.clone())))),
        Json::String(s) => facts.push((key.to_string(), Value::string(s.as_str()))),
        Json::Null => facts.push((key.to_string(), Value::string("null"))),
        other => facts.push((
            key.to_string(),
            Value::Text(serde_json::to_string_pretty(other).unwrap_or_default()),
        )),
    }
}

fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_order_and_sets_sort() {
        assert_eq!(
            lines("b\n\na\n", "k").unwrap()[0].1,
            Value::List(vec!["b".into(), "a".into()])
        );
        assert_eq!(set("b\na\nb\n", "k").unwrap()[0].1, Value::set(["a", "b"]));
    }

    #[test]
    fn kv_prefixes_keys() {
        let facts = kv("workers=8\nmode=prod\n", "app").unwrap();
        assert_eq!(facts[0], ("app.workers".into(), Value::string("8")));
        assert!(kv("just text\n", "app").is_err());
    }

    #[test]
    fn json_objects_flatten() {
        let out =
            r#"{"version":"2.3.1","replicas":3,"tls":{"enabled":true},"zones":["a","b"],"x":null}"#;
        let facts = json(out, "app").unwrap();
        let map: std::collections::BTreeMap<_, _> = facts.into_iter().collect();
        assert_eq!(map["app.version"], Value::string("2.3.1"));
        assert_eq!(map["app.replicas"], Value::Scalar(Scalar::from(3i64)));
        assert_eq!(map["app.tls.enabled"], Value::Scalar(Scalar::Bool(true)));
        assert_eq!(map["app.zones"], Value::List(vec!["a".into(), "b".into()]));
        assert_eq!(map["app.x"], Value::string("null"));
        assert!(
            json("{oops", "app")
                .unwrap_err()
                .starts_with("invalid JSON")
        );
    }

    #[test]
    fn version_and_text() {
        assert_eq!(
            version("app 2.3.1 (build 7)\n", "v").unwrap()[0].1,
            Value::version("2.3.1")
        );
        assert!(version("none\n", "v").is_err());
        assert_eq!(
            text("a\nb\n", "t").unwrap()[0].1,
            Value::Text("a\nb\n".into())
        );
    }
}
