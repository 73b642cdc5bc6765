//! The snapshot document: everything known about one host at one instant.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Category, Value, excerpt};

/// The most characters of a parser's message quoted in an error: the message may quote
/// the bad input, which can be any size.
const MESSAGE_EXCERPT: usize = 200;

/// The `format` identifier every snapshot file carries.
pub const FORMAT_ID: &str = "driftscope-snapshot";
/// The snapshot format version this build writes: version 2 adds `schemes` and the
/// `ansible` source kind to version 1.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest snapshot format version this build reads (it reads every version from
/// this one to [`FORMAT_VERSION`]).
pub const OLDEST_FORMAT_VERSION: u32 = 1;

/// True when this build reads snapshots of format version `version`.
pub fn is_readable_version(version: u64) -> bool {
    (u64::from(OLDEST_FORMAT_VERSION)..=u64::from(FORMAT_VERSION)).contains(&version)
}

/// Facts of a snapshot: category, then key, both sorted.
pub type FactMap = BTreeMap<Category, BTreeMap<String, Value>>;

/// Where a snapshot's facts came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Source {
    /// Collected on the machine running driftscope.
    Local,
    /// Collected over SSH from `target` (`user@host:port` or a config alias).
    Ssh {
        /// The SSH target as configured.
        target: String,
    },
    /// Converted from another tool's output file.
    Import {
        /// The tool that produced the file (`raw`, `ansible`, `osquery`…).
        tool: String,
        /// The imported file's name.
        file: String,
    },
    /// Collected by running the probe script through `ansible-playbook`, over the
    /// connection Ansible made to the host.
    Ansible,
    /// Part of the embedded demo workspace.
    Demo,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Local => f.write_str("local"),
            Source::Ssh { target } => write!(f, "ssh {target}"),
            Source::Import { tool, file } => write!(f, "import {tool} {file}"),
            Source::Ansible => f.write_str("ansible"),
            Source::Demo => f.write_str("demo"),
        }
    }
}

/// A probe that failed, or whose tool was missing, while collecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeError {
    /// The probe's name.
    pub probe: String,
    /// The category the probe fills, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The probe's exit status, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// What went wrong, in one line.
    pub message: String,
}

/// The identity of a fact across snapshots: its category and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FactKey {
    /// The fact's category.
    pub category: Category,
    /// The fact's key within the category.
    pub key: String,
}

impl FactKey {
    /// Builds a key from its parts.
    pub fn new(category: Category, key: impl Into<String>) -> FactKey {
        FactKey {
            category,
            key: key.into(),
        }
    }
}

impl fmt::Display for FactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.category, self.key)
    }
}

/// Everything known about one host at one instant. Immutable once written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`FORMAT_ID`].
    pub format: String,
    /// The format version; this build knows [`FORMAT_VERSION`].
    pub version: u32,
    /// The environment the host belongs to.
    pub environment: String,
    /// The host's name within its environment.
    pub host: String,
    /// When the facts were collected, in UTC, whole seconds.
    #[serde(serialize_with = "ser_time", deserialize_with = "de_time")]
    pub taken_at: DateTime<Utc>,
    /// Where the facts came from.
    pub source: Source,
    /// The collector that wrote the snapshot, e.g. `driftscope 0.1.0`.
    pub collector: String,
    /// The facts, by category and key.
    #[serde(default, deserialize_with = "super::fact_map::deserialize")]
    pub facts: FactMap,
    /// Probes that failed while collecting.
    #[serde(default)]
    pub errors: Vec<ProbeError>,
    /// The version scheme of `versions` facts, where the collector or importer knew
    /// it: a key (`package:curl`) or a key prefix ending in `*` (`package:*`) →
    /// `dpkg`, `rpm`, `apk`, `pep440`, `semver` or `plain`. Empty (and absent from the
    /// document) when unknown, as in older snapshots.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemes: BTreeMap<String, String>,
}

fn ser_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let raw = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| serde::de::Error::custom(format!("taken_at '{raw}' is not RFC 3339: {e}")))
}

/// Why a snapshot document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// The text is not valid JSON, or not shaped like a snapshot.
    Malformed {
        /// The parser's message.
        message: String,
        /// 1-based line of the error (0 when unknown).
        line: usize,
        /// 1-based column of the error (0 when unknown).
        column: usize,
    },
    /// The document names another format.
    NotASnapshot {
        /// The `format` field found.
        found: String,
    },
    /// The document is a snapshot of a format version this build does not know.
    UnsupportedVersion {
        /// The version found.
        found: u64,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Malformed {
                message,
                line,
                column,
            } if *line > 0 => write!(
                f,
                "line {line}, column {column}: {}",
                excerpt(message, MESSAGE_EXCERPT)
            ),
            SnapshotError::Malformed { message, .. } => {
                f.write_str(&excerpt(message, MESSAGE_EXCERPT))
            }
            SnapshotError::NotASnapshot { found } => write!(
                f,
                "not a driftscope snapshot (format is '{}', expected '{FORMAT_ID}')",
                excerpt(found, 60)
            ),
            SnapshotError::UnsupportedVersion { found } => write!(
                f,
                "unsupported snapshot format version {found} (this driftscope reads versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION})"
            ),
        }
    }
}

impl std::error::Error for SnapshotError {}

/// Just enough of a document to tell its format and version.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

impl Snapshot {
    /// A new, empty snapshot of the current format.
    pub fn new(
        environment: impl Into<String>,
        host: impl Into<String>,
        taken_at: DateTime<Utc>,
        source: Source,
    ) -> Snapshot {
        Snapshot {
            format: FORMAT_ID.to_string(),
            version: FORMAT_VERSION,
            environment: environment.into(),
            host: host.into(),
            taken_at,
            source,
            collector: format!("driftscope {}", env!("CARGO_PKG_VERSION")),
            facts: FactMap::new(),
            errors: Vec::new(),
            schemes: BTreeMap::new(),
        }
    }

    /// The recorded version scheme of the `versions` fact `key`: its own entry, else
    /// the longest `prefix*` entry it starts with.
    pub fn scheme_of(&self, key: &str) -> Option<&str> {
        if let Some(scheme) = self.schemes.get(key) {
            return Some(scheme);
        }
        self.schemes
            .iter()
            .filter_map(|(pattern, scheme)| {
                let prefix = pattern.strip_suffix('*')?;
                key.starts_with(prefix).then_some((prefix.len(), scheme))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, scheme)| scheme.as_str())
    }

    /// Adds or replaces one fact.
    pub fn insert(&mut self, category: Category, key: impl Into<String>, value: Value) {
        self.facts
            .entry(category)
            .or_default()
            .insert(key.into(), value);
    }

    /// Looks up one fact.
    pub fn get(&self, category: Category, key: &str) -> Option<&Value> {
        self.facts.get(&category)?.get(key)
    }

    /// The number of facts across all categories.
    pub fn fact_count(&self) -> usize {
        self.facts.values().map(BTreeMap::len).sum()
    }

    /// Parses a snapshot document, checking its format and version.
    ///
    /// Set members are sorted and de-duplicated, so equal sets compare equal.
    pub fn from_json(text: &str) -> Result<Snapshot, SnapshotError> {
        match serde_json::from_str::<Snapshot>(text) {
            // Set members were normalized as they were read.
            Ok(snap) => {
                check_header(Some(&snap.format), Some(u64::from(snap.version)))?;
                Ok(snap)
            }
            Err(err) => {
                // A newer or foreign document may fail to parse for that reason alone:
                // say so rather than report the first unexpected field.
                if let Ok(h) = serde_json::from_str::<Header>(text) {
                    let version = h.version.as_ref().and_then(serde_json::Value::as_u64);
                    check_header(h.format.as_deref(), version)?;
                }
                Err(malformed(text.as_bytes(), &err))
            }
        }
    }

    /// Writes the document deterministically: fixed field order, sorted maps,
    /// two-space indentation and a final newline.
    pub fn to_json(&self) -> String {
        // Serializing plain structs, strings and maps with string keys cannot fail.
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }

    /// Sorts and de-duplicates set members.
    pub fn normalize(&mut self) {
        for facts in self.facts.values_mut() {
            facts.values_mut().for_each(super::fact_map::normalize);
        }
    }
}

/// Refuses a document that names another format, or a version this build cannot read.
/// A document without a format or version passes, to be named by its missing field.
pub(crate) fn check_header(
    format: Option<&str>,
    version: Option<u64>,
) -> Result<(), SnapshotError> {
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
        Some(v) if !is_readable_version(v) => Err(SnapshotError::UnsupportedVersion { found: v }),
        _ => Ok(()),
    }
}

/// The error of a document that did not parse as a snapshot: said plainly when the
/// text is not a JSON object at all (`expected ident` means nothing to someone who opened
/// a YAML or text file by mistake); a broken JSON document keeps the parser's message.
pub(crate) fn malformed(bytes: &[u8], err: &serde_json::Error) -> SnapshotError {
    let reason = strip_position(&err.to_string());
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let message = if first != Some(&b'{') {
        format!(
            "not JSON ({reason}); a snapshot file is the JSON document `driftscope snapshot` \
             writes"
        )
    } else {
        reason
    };
    SnapshotError::Malformed {
        message,
        line: err.line(),
        column: err.column(),
    }
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        s
    }

    #[test]
    fn round_trips_and_writes_deterministically() {
        let s = sample();
        let text = s.to_json();
        let back = Snapshot::from_json(&text).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.to_json(), text);
        assert!(text.contains("\"taken_at\": \"2026-11-20T09:30:00Z\""));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn schemes_are_optional_and_found_by_key_or_prefix() {
        let old = sample().to_json();
        assert!(!old.contains("schemes"), "an empty map is not written");
        assert!(Snapshot::from_json(&old).unwrap().schemes.is_empty());
        let mut s = sample();
        s.schemes.insert("package:*".into(), "dpkg".into());
        s.schemes.insert("package:py*".into(), "plain".into());
        s.schemes.insert("package:curl".into(), "rpm".into());
        let back = Snapshot::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.scheme_of("package:libc6"), Some("dpkg"));
        assert_eq!(back.scheme_of("package:python3"), Some("plain"));
        assert_eq!(back.scheme_of("package:curl"), Some("rpm"));
        assert_eq!(back.scheme_of("runtime.python"), None);
    }

    #[test]
    fn unknown_version_is_named() {
        let text = sample()
            .to_json()
            .replace(&format!("\"version\": {FORMAT_VERSION}"), "\"version\": 7");
        assert_eq!(
            Snapshot::from_json(&text),
            Err(SnapshotError::UnsupportedVersion { found: 7 })
        );
    }

    #[test]
    fn a_version_1_document_still_reads_and_keeps_its_version() {
        assert_eq!(FORMAT_VERSION, 2);
        let text = sample()
            .to_json()
            .replace(&format!("\"version\": {FORMAT_VERSION}"), "\"version\": 1");
        let back = Snapshot::from_json(&text).unwrap();
        assert_eq!(back.version, 1);
        assert_eq!(back.facts, sample().facts);
        assert_eq!(back.to_json(), text);
    }

    #[test]
    fn unknown_version_wins_over_unknown_fields() {
        let text = r#"{"format":"driftscope-snapshot","version":3,"hosts":[]}"#;
        assert_eq!(
            Snapshot::from_json(text),
            Err(SnapshotError::UnsupportedVersion { found: 3 })
        );
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let err = Snapshot::from_json("{\n  \"format\": \"driftscope-snapshot\",\n  oops\n}")
            .unwrap_err();
        match err {
            SnapshotError::Malformed { line, column, .. } => {
                assert_eq!(line, 3);
                assert!(column > 0);
            }
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn sets_are_normalized_on_read() {
        let mut s = sample();
        s.insert(
            Category::Network,
            "resolvers",
            Value::Set(vec!["b".into(), "a".into(), "a".into()]),
        );
        let back = Snapshot::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(
            back.get(Category::Network, "resolvers"),
            Some(&Value::set(["a", "b"]))
        );
    }
}
