//! Indexing the snapshot folder: metadata of every file, without keeping facts in memory.
//!
//! Each file is parsed once with a reader that counts facts and probe errors instead of
//! building them, while still checking the format identifier and version the way
//! [`Snapshot::from_json`](crate::model::Snapshot::from_json) does.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::history::{History, Location, SnapshotMeta};
use super::paths::display_path;
use crate::model::{Category, FORMAT_ID, FORMAT_VERSION, ProbeError, SnapshotError, Source, Value};

/// Indexes every `*.json` file under `dir` (at any depth). Hidden files and folders are
/// skipped, and so are symbolic links to folders. Files that cannot be read become
/// one-line problems naming the file relative to `root`.
pub fn index_snapshots(root: Option<&Path>, dir: &Path) -> History {
    let mut history = History::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let listing = match fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(e) => {
                let shown = display_path(root, &folder);
                history.problems.push(format!("{shown}: cannot list: {e}"));
                continue;
            }
        };
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let shown = display_path(root, &folder);
                    history.problems.push(format!("{shown}: cannot list: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") && !path.is_dir() {
                match read_meta(&path) {
                    Ok(meta) => history.entries.push(meta),
                    Err(why) => {
                        let shown = display_path(root, &path);
                        history.problems.push(format!("{shown}: {why}"));
                    }
                }
            }
        }
    }
    history.sort();
    history
}

/// Reads one snapshot file's metadata; the error is the reason, without the file's name.
pub fn read_meta(path: &Path) -> Result<SnapshotMeta, String> {
    let bytes = crate::input::read(path, crate::input::DATA_LIMIT)
        .map_err(|e| format!("cannot read: {e}"))?;
    let doc = parse_meta(&bytes).map_err(|e| e.to_string())?;
    Ok(SnapshotMeta {
        environment: doc.environment,
        host: doc.host,
        taken_at: doc.taken_at,
        fact_count: doc.facts.0,
        error_count: doc.errors.0,
        location: Location::File(PathBuf::from(path)),
    })
}

/// The number of facts and probe errors of the snapshot document `bytes`, read the way
/// the index reads it: it accepts exactly the documents a full parse accepts.
pub fn snapshot_counts(bytes: &[u8]) -> Result<(usize, usize), SnapshotError> {
    parse_meta(bytes).map(|doc| (doc.facts.0, doc.errors.0))
}

/// Parses the metadata of a snapshot document, with the same verdicts as a full parse on
/// the document's shape, format and version.
fn parse_meta(bytes: &[u8]) -> Result<MetaDoc, SnapshotError> {
    match serde_json::from_slice::<MetaDoc>(bytes) {
        Ok(doc) => {
            check_header(Some(&doc.format), Some(u64::from(doc.version)))?;
            Ok(doc)
        }
        Err(err) => {
            // As in a full parse: a foreign or newer document is named as such rather
            // than by its first unexpected field.
            if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
                let version = header.version.as_ref().and_then(serde_json::Value::as_u64);
                check_header(header.format.as_deref(), version)?;
            }
            // The document is named as a full read names it.
            Err(match crate::model::malformed(bytes, &err) {
                SnapshotError::Malformed {
                    message,
                    line,
                    column,
                } => SnapshotError::Malformed {
                    message: message.replace("struct MetaDoc", "struct Snapshot"),
                    line,
                    column,
                },
                other => other,
            })
        }
    }
}

fn check_header(format: Option<&str>, version: Option<u64>) -> Result<(), SnapshotError> {
    match format {
        Some(FORMAT_ID) => {}
        Some(other) => {
            return Err(SnapshotError::NotASnapshot {
                found: other.to_string(),
            });
        }
        None => return Ok(()),
    }
    match version {
        Some(found) if found != u64::from(FORMAT_VERSION) => {
            Err(SnapshotError::UnsupportedVersion { found })
        }
        _ => Ok(()),
    }
}

/// Just enough of a document to tell its format and version.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

/// A snapshot document with its facts and probe errors counted, not kept.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaDoc {
    format: String,
    version: u32,
    environment: String,
    host: String,
    #[serde(deserialize_with = "de_time")]
    taken_at: DateTime<Utc>,
    #[serde(rename = "source")]
    _source: Source,
    #[serde(rename = "collector")]
    _collector: String,
    #[serde(default)]
    facts: FactCount,
    #[serde(default)]
    errors: ErrorCount,
    #[serde(default, rename = "schemes")]
    _schemes: std::collections::BTreeMap<String, String>,
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let raw = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| de::Error::custom(format!("taken_at '{raw}' is not RFC 3339: {e}")))
}

/// The number of facts across all categories; category names are checked.
#[derive(Default)]
struct FactCount(usize);

impl<'de> Deserialize<'de> for FactCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CategoriesVisitor;

        impl<'de> Visitor<'de> for CategoriesVisitor {
            type Value = FactCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of categories to facts")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FactCount, A::Error> {
                let mut total = 0;
                while map.next_key::<Category>()?.is_some() {
                    total += map.next_value::<KeyCount>()?.0;
                }
                Ok(FactCount(total))
            }
        }

        d.deserialize_map(CategoriesVisitor)
    }
}

/// The number of keys of one category's map; each value is checked, then dropped, so a
/// file a full read would refuse (a value of an unknown kind, say) is refused here too and
/// reported as a problem, instead of being listed and then failing every comparison.
struct KeyCount(usize);

impl<'de> Deserialize<'de> for KeyCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;

        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = KeyCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of fact keys to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyCount, A::Error> {
                let mut count = 0;
                while map.next_entry::<IgnoredAny, Value>()?.is_some() {
                    count += 1;
                }
                Ok(KeyCount(count))
            }
        }

        d.deserialize_map(KeysVisitor)
    }
}

/// The number of probe errors; each is checked, then dropped.
#[derive(Default)]
struct ErrorCount(usize);

impl<'de> Deserialize<'de> for ErrorCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ErrorsVisitor;

        impl<'de> Visitor<'de> for ErrorsVisitor {
            type Value = ErrorCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of probe errors")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorCount, A::Error> {
                let mut count = 0;
                while seq.next_element::<ProbeError>()?.is_some() {
                    count += 1;
                }
                Ok(ErrorCount(count))
            }
        }

        d.deserialize_seq(ErrorsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Snapshot;
    use chrono::TimeZone;

    fn sample() -> Snapshot {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let mut s = Snapshot::new("prod", "web-1", t, Source::Local);
        s.insert(
            Category::Versions,
            "runtime.python",
            Value::version("3.12.1"),
        );
        s.insert(Category::Config, "env.LOG_LEVEL", Value::string("warn"));
        s.insert(Category::Config, "workers", Value::set(["a", "b"]));
        s.errors.push(ProbeError {
            probe: "psql".into(),
            category: Some(Category::Schema),
            exit_status: Some(127),
            message: "psql: command not found".into(),
        });
        s
    }

    #[test]
    fn counts_facts_and_errors() {
        let doc = parse_meta(sample().to_json().as_bytes()).unwrap();
        assert_eq!((doc.facts.0, doc.errors.0), (3, 1));
        assert_eq!(
            (doc.environment.as_str(), doc.host.as_str()),
            ("prod", "web-1")
        );
    }

    #[test]
    fn verdicts_match_a_full_parse() {
        let good = sample().to_json();
        let cases = [
            good.replace("\"version\": 1", "\"version\": 7"),
            good.replace("driftscope-snapshot", "something-else"),
            good.replace("\"host\"", "\"hostname\""),
            good.replace("\"versions\"", "\"bogus\""),
            good.replace("2026-11-20T09:30:00Z", "yesterday"),
            good.replace("\"scalar\": \"warn\"", "\"blob\": \"warn\""),
            good[..good.len() / 2].to_string(),
            r#"{"format":"driftscope-snapshot","version":2,"hosts":[]}"#.to_string(),
        ];
        for text in cases {
            assert_ne!(text, good, "each case must break the document");
            let full = Snapshot::from_json(&text).unwrap_err();
            let light = parse_meta(text.as_bytes()).err().unwrap();
            assert_eq!(light, full, "{text}");
        }
    }
}
