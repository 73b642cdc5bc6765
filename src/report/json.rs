//! The `driftscope-diff` JSON document, version 1, for programs (documented in
//! `docs/diff-json.md`).
//!
//! Fields appear in a fixed order and maps are sorted, so the same report always gives
//! the same bytes. Redacted fingerprints are never written: each is replaced by a token
//! (`#1`, `#2`…) that is equal for equal values of the same fact, so a reader can still
//! tell which sides hold the same secret.
//!
//! The document is streamed to its writer straight from the report: no copy of the
//! report, no intermediate text, and characters a terminal might obey are escaped as
//! the strings are written.

use std::collections::BTreeMap;
use std::io;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::diff::{
    CategoryCounts, Cell, ChangeKind, DriftReport, FactDiff, HostGroup, Severity, SideComparison,
    SideInfo, Status,
};
use crate::model::{Category, Value};

use super::describe::RedactionClasses;
use super::summary::total_counts;

#[cfg(test)]
mod reference;

/// The document's `format` identifier.
pub const FORMAT_ID: &str = "driftscope-diff";
/// The document's format version.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    sides: &'a [SideInfo],
    summary: BTreeMap<Category, Counts>,
    totals: Counts,
    facts: Facts<'a>,
}

#[derive(Serialize)]
struct Counts {
    facts: usize,
    drift: usize,
    equal: usize,
    ignored: usize,
    by_severity: BySeverity,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

impl Counts {
    fn from(counts: &CategoryCounts) -> Counts {
        let n = |s: Severity| counts.by_severity.get(&s).copied().unwrap_or(0);
        Counts {
            facts: counts.facts,
            drift: counts.drift,
            equal: counts.facts.saturating_sub(counts.drift),
            ignored: counts.ignored,
            by_severity: BySeverity {
                critical: n(Severity::Critical),
                high: n(Severity::High),
                medium: n(Severity::Medium),
                low: n(Severity::Low),
            },
        }
    }
}

/// The report's facts, each written as it is reached.
struct Facts<'a>(&'a [FactDiff]);

impl Serialize for Facts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for fact in self.0 {
            seq.serialize_element(&FactOut::of(fact))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct FactOut<'a> {
    category: Category,
    key: &'a str,
    status: Status,
    divergent: bool,
    severity: Severity,
    change: ChangeKind,
    cells: Cells<'a>,
    comparisons: &'a [SideComparison],
}

impl FactOut<'_> {
    fn of(fact: &FactDiff) -> FactOut<'_> {
        FactOut {
            category: fact.key.category,
            key: &fact.key.key,
            status: fact.status,
            divergent: fact.divergent,
            severity: fact.severity,
            change: fact.change,
            cells: Cells {
                cells: &fact.cells,
                classes: RedactionClasses::of(fact),
            },
            comparisons: &fact.comparisons,
        }
    }
}

/// A fact's cells with its redacted fingerprints replaced by their class tokens.
struct Cells<'a> {
    cells: &'a [Cell],
    classes: RedactionClasses,
}

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.cells.len()))?;
        for cell in self.cells {
            seq.serialize_element(&CellOut {
                cell,
                classes: &self.classes,
            })?;
        }
        seq.end()
    }
}

/// One cell, written as [`Cell`]'s own serialization (tagged by `state`) would write it.
struct CellOut<'a> {
    cell: &'a Cell,
    classes: &'a RedactionClasses,
}

impl Serialize for CellOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let classes = self.classes;
        match self.cell {
            Cell::Absent => {
                let mut s = serializer.serialize_struct("Cell", 1)?;
                s.serialize_field("state", "absent")?;
                s.end()
            }
            Cell::Present { value } => {
                let mut s = serializer.serialize_struct("Cell", 2)?;
                s.serialize_field("state", "present")?;
                s.serialize_field("value", &Withheld { value, classes })?;
                s.end()
            }
            Cell::Divergent { groups } => {
                let mut s = serializer.serialize_struct("Cell", 2)?;
                s.serialize_field("state", "divergent")?;
                s.serialize_field("groups", &Groups { groups, classes })?;
                s.end()
            }
        }
    }
}

struct Groups<'a> {
    groups: &'a [HostGroup],
    classes: &'a RedactionClasses,
}

impl Serialize for Groups<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.groups.len()))?;
        for group in self.groups {
            seq.serialize_element(&GroupOut {
                value: group.value.as_ref().map(|value| Withheld {
                    value,
                    classes: self.classes,
                }),
                hosts: &group.hosts,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct GroupOut<'a> {
    value: Option<Withheld<'a>>,
    hosts: &'a [String],
}

/// A value as written: a redacted fingerprint replaced by its class token, other
/// values as they are.
struct Withheld<'a> {
    value: &'a Value,
    classes: &'a RedactionClasses,
}

impl Serialize for Withheld<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Redacted(fp) => {
                let token = match self.classes.class(fp) {
                    Some(n) => format!("#{n}"),
                    None => "#?".to_string(),
                };
                Value::Redacted(token).serialize(serializer)
            }
            other => other.serialize(serializer),
        }
    }
}

/// Writes `report` to `out` as a pretty-printed `driftscope-diff` document ending in a
/// newline. `out` should be buffered: the document is written in small pieces.
///
/// Characters JSON allows raw but a terminal might obey (DEL, C1 controls, bidi
/// overrides) are written as `\uXXXX` escapes, which decode to the same text.
pub fn write(report: &DriftReport, out: &mut dyn io::Write) -> serde_json::Result<()> {
    let document = Document {
        format: FORMAT_ID,
        version: FORMAT_VERSION,
        sides: &report.sides,
        summary: Category::ALL
            .into_iter()
            .map(|c| {
                let counts = report.categories.get(&c).cloned().unwrap_or_default();
                (c, Counts::from(&counts))
            })
            .collect(),
        totals: Counts::from(&total_counts(report)),
        facts: Facts(&report.facts),
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, TerminalSafe::new());
    document.serialize(&mut serializer)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// [`write`] into a string.
pub fn render(report: &DriftReport) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    write(report, &mut out)?;
    // The serializer writes only UTF-8 (from `&str`s and its own ASCII punctuation).
    String::from_utf8(out).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

/// Whether a character JSON allows raw is written as a `\uXXXX` escape all the same,
/// because a terminal might act on it.
pub(crate) fn escaped_for_terminals(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Pretty printing, with the characters of [`escaped_for_terminals`] escaped inside
/// strings (serde_json escapes the other control characters itself).
struct TerminalSafe {
    pretty: PrettyFormatter<'static>,
}

impl TerminalSafe {
    fn new() -> TerminalSafe {
        TerminalSafe {
            pretty: PrettyFormatter::new(),
        }
    }
}

impl Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Every such character is outside ASCII: plain ASCII text goes out in one write.
        if fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if escaped_for_terminals(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(writer)
    }
}

/// Pretty JSON text as written: characters JSON allows raw but a terminal might obey
/// (DEL, C1 controls, bidi overrides) as `\uXXXX` escapes, and a final newline.
pub(crate) fn finish(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if escaped_for_terminals(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::sample_report;

    fn document() -> serde_json::Value {
        serde_json::from_str(&render(&sample_report()).unwrap()).unwrap()
    }

    #[test]
    fn document_has_the_documented_top_level_fields() {
        let doc = document();
        assert_eq!(doc["format"], "driftscope-diff");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["sides"][0]["label"], "staging");
        assert_eq!(doc["sides"][0]["hosts"][1]["host"], "web-2");
        assert_eq!(
            doc["sides"][1]["hosts"][0]["taken_at"],
            "2026-11-21T08:00:00Z"
        );
        assert_eq!(doc["totals"]["drift"], 10);
        assert_eq!(doc["totals"]["equal"], 16);
        assert_eq!(doc["facts"].as_array().unwrap().len(), 10);
    }

    #[test]
    fn summary_has_every_category_with_all_severities() {
        let doc = document();
        let summary = doc["summary"].as_object().unwrap();
        assert_eq!(summary.len(), Category::ALL.len());
        let versions = &summary["versions"];
        assert_eq!(versions["facts"], 10);
        assert_eq!(versions["drift"], 3);
        assert_eq!(versions["equal"], 7);
        assert_eq!(versions["by_severity"]["critical"], 1);
        assert_eq!(versions["by_severity"]["medium"], 0);
        assert_eq!(summary["infra"]["ignored"], 2);
    }

    #[test]
    fn facts_carry_category_key_and_comparisons() {
        let doc = document();
        let python = &doc["facts"][0];
        assert_eq!(python["category"], "versions");
        assert_eq!(python["key"], "runtime.python");
        assert_eq!(python["status"], "differs");
        assert_eq!(python["severity"], "critical");
        assert_eq!(python["change"], "major");
        assert_eq!(python["cells"][1]["state"], "present");
        assert_eq!(python["cells"][1]["value"]["version"], "4.0.1");
        assert_eq!(python["comparisons"][0]["side"], 1);
        assert_eq!(python["comparisons"][0]["kind"], "version");
        assert_eq!(python["comparisons"][0]["ordering"], "newer");
        assert_eq!(python["comparisons"][0]["level"], "major");
    }

    #[test]
    fn fingerprints_are_replaced_by_class_tokens() {
        let text = render(&sample_report()).unwrap();
        assert!(!text.contains("hmac-sha256"), "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let token = doc["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "env.API_TOKEN")
            .unwrap();
        assert_eq!(token["cells"][0]["value"]["redacted"], "#1");
        assert_eq!(token["cells"][1]["value"]["redacted"], "#2");
    }

    /// Several hosts per side (so cells diverge), facts of every value kind (some
    /// missing, some changed), secrets, and text a terminal might obey.
    fn generated_report(include_equal: bool) -> DriftReport {
        use crate::demo::synthetic;
        use crate::diff::{DiffOptions, Side, compare};
        use crate::model::Scalar;

        let (mut a, b) = synthetic::pair(3_000, 20, 11);
        let (mut c, _) = synthetic::pair(3_000, 20, 12);
        c.host = "staging-2".into();
        a.insert(
            Category::Config,
            "env.GREETING\u{9b}",
            Value::string("hi\u{202e}there\u{7f} ÿ é \u{1b}[2J"),
        );
        c.insert(
            Category::Config,
            "env.GREETING\u{9b}",
            Value::Scalar(Scalar::Bool(true)),
        );
        let sides = [
            Side {
                label: "staging\u{2066}".into(),
                snapshots: vec![&a, &c],
            },
            Side {
                label: "prod".into(),
                snapshots: vec![&b],
            },
            Side {
                label: "prod-copy".into(),
                snapshots: vec![&b],
            },
        ];
        let options = DiffOptions {
            include_equal,
            ..DiffOptions::default()
        };
        compare(&sides, &options)
    }

    #[test]
    fn streamed_document_is_byte_for_byte_the_straightforward_one() {
        for include_equal in [false, true] {
            let report = generated_report(include_equal);
            let kinds: std::collections::BTreeSet<&str> = report
                .facts
                .iter()
                .flat_map(|f| &f.cells)
                .filter_map(Cell::value)
                .map(Value::kind)
                .collect();
            assert_eq!(kinds.len(), 7, "every value kind appears: {kinds:?}");
            assert!(report.facts.iter().any(|f| f.divergent));
            let streamed = render(&report).unwrap();
            let reference = reference::render(&report).unwrap();
            assert!(streamed == reference, "the documents differ");
            assert!(streamed.contains("\\u009b") && streamed.contains("\\u202e"));
        }
    }

    #[test]
    fn a_closed_writer_is_an_io_error() {
        struct Closed;
        impl io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write(&sample_report(), &mut Closed).unwrap_err();
        assert_eq!(err.io_error_kind(), Some(io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn output_is_deterministic_and_terminal_safe() {
        let mut report = sample_report();
        report.sides[1].label = "prod\u{9b}31m\u{1b}[2J".into();
        let a = render(&report).unwrap();
        assert_eq!(a, render(&report).unwrap());
        assert!(!a.chars().any(|c| c.is_control() && c != '\n'), "{a}");
        let doc: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(doc["sides"][1]["label"], "prod\u{9b}31m\u{1b}[2J");
    }
}
