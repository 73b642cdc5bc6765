//! Importers: other tools' output turned into snapshots, for fleets that already run a
//! configuration or inventory engine.
//!
//! - [`raw`]: the framed output of `driftscope probe-script`, run by any fleet engine;
//! - [`ansible`]: Ansible `setup` facts (ad-hoc output, `--tree` files, a `jsonfile`
//!   fact cache), with `package_facts` and `service_facts` when gathered;
//! - [`osquery`]: osquery results for common tables (`osqueryi --json` output, or the
//!   daemon's results log).
//!
//! Every importer redacts secrets with the workspace key, exactly as collection does,
//! and names the file, host and field in every problem it reports. A field whose shape
//! is unexpected does not abort a host: it becomes a probe error in the snapshot, the
//! way a failing probe does.

pub mod ansible;
pub mod osquery;
pub mod raw;

use std::path::Path;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use super::probe::Probe;
use super::redact::Redactor;
use crate::model::{Category, ProbeError, Snapshot, Source, Value};

/// The tools whose output can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    /// The output of the script `driftscope probe-script` prints.
    Raw,
    /// Ansible facts.
    Ansible,
    /// osquery results.
    Osquery,
    /// What the playbook of `driftscope ansible-playbook` fetched: a folder holding
    /// `<inventory name>/output` per host.
    AnsibleOutput,
}

impl Tool {
    /// The tool's name, as recorded in a snapshot's source.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Raw => "raw",
            Tool::Ansible => "ansible",
            Tool::Osquery => "osquery",
            Tool::AnsibleOutput => "ansible-output",
        }
    }
}

/// What every import needs besides its input.
#[derive(Debug, Clone)]
pub struct ImportContext<'a> {
    /// The environment the hosts go to.
    pub environment: String,
    /// The host name to use instead of the one the input gives (one host only).
    pub host: Option<String>,
    /// The time to use instead of the one the input gives.
    pub taken_at: Option<DateTime<Utc>>,
    /// Redaction with the workspace key and `[secrets]` settings.
    pub redactor: &'a Redactor,
    /// The workspace's probes, which raw output must have been produced with.
    pub probes: &'a [Probe],
}

/// One host's snapshot read from an input.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The snapshot, secrets already redacted.
    pub snapshot: Snapshot,
    /// Lines worth showing: a time taken from the file, fields of unexpected shape.
    pub notes: Vec<String>,
}

/// What an input held: the hosts read, and hosts or parts that could not be.
#[derive(Debug, Clone, Default)]
pub struct ImportResult {
    /// One snapshot per host read.
    pub imported: Vec<Imported>,
    /// One line per host or part that could not be read, naming the file.
    pub problems: Vec<String>,
}

/// Imports the file (or, for Ansible and osquery, the folder) at `path` with `tool`.
///
/// Fails, naming the file, when nothing in it could be read as that tool's output.
pub fn import(tool: Tool, path: &Path, context: &ImportContext) -> Result<ImportResult> {
    let shown = path.display().to_string();
    let result = match tool {
        Tool::Raw => raw::import(path, &shown, context),
        Tool::Ansible => ansible::import(path, &shown, context),
        Tool::Osquery => osquery::import(path, &shown, context),
        Tool::AnsibleOutput => ansible_output(path, &shown, context),
    }
    .map_err(|why| eyre!("{why}"))?;
    if result.imported.is_empty() {
        let why = result
            .problems
            .first()
            .cloned()
            .unwrap_or_else(|| format!("{shown}: no host found"));
        return Err(eyre!("{why}"));
    }
    if let (Some(host), true) = (&context.host, result.imported.len() > 1) {
        return Err(eyre!(
            "{shown}: --host {host} names one host, but the input holds {} hosts",
            result.imported.len()
        ));
    }
    Ok(result)
}

/// The name recorded as a snapshot's source file: the last part of the path only, so
/// no local folder names end up in shared snapshots.
pub fn source_file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A file's modification time, whole seconds, when the input says nothing of time.
pub fn modified_time(path: &Path) -> Option<DateTime<Utc>> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let time: DateTime<Utc> = modified.into();
    DateTime::from_timestamp(time.timestamp(), 0)
}

/// Builds one host's snapshot fact by fact, redacting each value, and keeps the
/// problems met on the way as probe errors and notes.
#[derive(Debug)]
pub struct SnapshotBuilder<'a> {
    snapshot: Snapshot,
    redactor: &'a Redactor,
    notes: Vec<String>,
    /// `FILE: host H` — the start of every note.
    origin: String,
}

impl<'a> SnapshotBuilder<'a> {
    /// An empty snapshot of `host` in `context`'s environment.
    pub fn new(
        context: &ImportContext<'a>,
        host: &str,
        taken_at: DateTime<Utc>,
        tool: Tool,
        file: &str,
        shown: &str,
    ) -> SnapshotBuilder<'a> {
        let source = Source::Import {
            tool: tool.as_str().to_string(),
            file: file.to_string(),
        };
        SnapshotBuilder {
            snapshot: Snapshot::new(context.environment.clone(), host, taken_at, source),
            redactor: context.redactor,
            notes: Vec::new(),
            origin: format!("{shown}: host {host}"),
        }
    }

    /// Adds one fact, redacted.
    pub fn fact(&mut self, category: Category, key: impl Into<String>, value: Value) {
        let key = key.into();
        let value = self.redactor.fact(&key, value);
        self.snapshot.insert(category, key, value);
    }

    /// Records that part `part` (a field or table) could not be read, and why.
    pub fn problem(&mut self, part: &str, category: Option<Category>, why: &str) {
        let message = self.redactor.line(why);
        self.notes
            .push(format!("{}: {part}: {message}", self.origin));
        self.snapshot.errors.push(ProbeError {
            probe: part.to_string(),
            category,
            exit_status: None,
            message,
        });
    }

    /// Adds a note that is not a problem of the data (where the time came from).
    pub fn note(&mut self, note: &str) {
        self.notes.push(format!("{}: {note}", self.origin));
    }

    /// The finished snapshot and its notes.
    pub fn finish(mut self) -> Imported {
        self.snapshot.normalize();
        super::version_scheme::record(&mut self.snapshot);
        Imported {
            snapshot: self.snapshot,
            notes: self.notes,
        }
    }
}

/// The time a snapshot is filed under: the one given on the command line, else the
/// input's own, else the file's modification time (with a note), else now.
pub fn choose_time(
    context: &ImportContext,
    from_input: Option<DateTime<Utc>>,
    path: &Path,
) -> (DateTime<Utc>, Option<&'static str>) {
    if let Some(given) = context.taken_at {
        return (given, None);
    }
    if let Some(time) = from_input {
        return (time, None);
    }
    match modified_time(path) {
        Some(time) => (
            time,
            Some("the input gives no time; using the file's modification time"),
        ),
        None => (
            DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default(),
            Some("the input gives no time; using the current time"),
        ),
    }
}

/// Every host's output under the folder `path`, each read with the context's probes
/// (`driftscope import ansible-output` gives each host its own list instead).
fn ansible_output(
    path: &Path,
    shown: &str,
    context: &ImportContext,
) -> Result<ImportResult, String> {
    use super::via_ansible::fetched;
    let read = fetched::ReadContext {
        environment: &context.environment,
        redactor: context.redactor,
        max_output: crate::input::DATA_LIMIT,
        taken_at: context.taken_at,
    };
    let mut result = ImportResult::default();
    for host in fetched::hosts_in(path)? {
        match fetched::read_host(path, &host, context.probes, &read) {
            Ok(imported) => result.imported.push(imported),
            Err(e) => result.problems.push(e),
        }
    }
    if result.imported.is_empty() && result.problems.is_empty() {
        return Err(format!(
            "{shown}: no host output found (expected <host>/output)"
        ));
    }
    Ok(result)
}

/// A JSON value's type, for error messages.
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A scalar JSON value as text: strings as they are, numbers and booleans written out.
pub(crate) fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Collapses runs of white space to one space and trims, as the native parsers do.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_file_name_is_recorded() {
        assert_eq!(
            source_file_name(Path::new("some/where/facts.json")),
            "facts.json"
        );
        assert_eq!(source_file_name(Path::new("facts.json")), "facts.json");
    }

    #[test]
    fn scalars_become_text_and_blanks_are_squeezed() {
        assert_eq!(json_text(&serde_json::json!(42)), Some("42".to_string()));
        assert_eq!(json_text(&serde_json::json!([1])), None);
        assert_eq!(squeeze("  AMD   EPYC\t7B13 "), "AMD EPYC 7B13");
        assert_eq!(json_kind(&serde_json::json!({})), "an object");
    }
}
