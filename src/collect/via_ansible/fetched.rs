//! The output Ansible fetched, one folder per host (`<output>/<inventory name>/output`),
//! read with the same framing, parsers and redaction as a direct collection (through
//! the raw importer, [`crate::collect::import::raw`]); the host is named as in the
//! inventory and the snapshot's source is [`Source::Ansible`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::playbook::OUTPUT_FILE;
use crate::collect::import::{ImportContext, Imported, raw};
use crate::collect::probe::Probe;
use crate::collect::redact::Redactor;
use crate::model::{Source, sanitize};

/// What reading one host's output needs.
#[derive(Debug, Clone)]
pub struct ReadContext<'a> {
    /// The environment the host belongs to.
    pub environment: &'a str,
    /// Redaction with the workspace key and `[secrets]` settings.
    pub redactor: &'a Redactor,
    /// The most bytes of output taken from one host.
    pub max_output: u64,
    /// The time to file the snapshot under instead of the script's start time.
    pub taken_at: Option<DateTime<Utc>>,
}

/// The file `host`'s output was fetched to under `output`, or `None` when the name
/// cannot be a folder of its own (`/`, `..`).
pub fn output_file(output: &Path, host: &str) -> Option<PathBuf> {
    let plain =
        !host.is_empty() && !host.contains(['/', '\\', '\0']) && host != "." && host != "..";
    plain.then(|| output.join(host).join(OUTPUT_FILE))
}

/// The hosts whose output is under `output`, sorted: each folder holding an output file.
pub fn hosts_in(output: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(output)
        .map_err(|e| format!("{}: cannot read the folder: {e}", output.display()))?;
    let mut hosts: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(OUTPUT_FILE).is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    hosts.sort();
    Ok(hosts)
}

/// Reads `host`'s output under `output`, run with `probes`; fails with one line naming
/// the file when it is missing, too large, or holds no probe output of that probe list.
pub fn read_host(
    output: &Path,
    host: &str,
    probes: &[Probe],
    context: &ReadContext,
) -> Result<Imported, String> {
    let shown_host = sanitize(host, false);
    let Some(path) = output_file(output, host) else {
        return Err(format!(
            "host {shown_host}: the name cannot be a folder, so Ansible's output cannot be found"
        ));
    };
    let shown = path.display().to_string();
    let size = std::fs::metadata(&path)
        .map_err(|e| format!("{shown}: cannot read the fetched output: {e}"))?
        .len();
    if size > context.max_output {
        return Err(format!(
            "{shown}: the output is {size} bytes, over the {} bytes of [collect] max_output; \
             raise max_output in driftscope.toml if this host is meant to print that much",
            context.max_output
        ));
    }
    let bytes = crate::input::read(&path, context.max_output)
        .map_err(|e| format!("{shown}: cannot read the fetched output: {e}"))?;
    let import = ImportContext {
        environment: context.environment.to_string(),
        host: Some(host.to_string()),
        taken_at: context.taken_at,
        redactor: context.redactor,
        probes,
    };
    let result = raw::read(&bytes, &path, &shown, &import)?;
    if let Some(problem) = result.problems.into_iter().next() {
        return Err(problem);
    }
    let mut runs = result.imported.into_iter();
    let (Some(mut imported), None) = (runs.next(), runs.next()) else {
        return Err(format!(
            "{shown}: expected the output of one run of the probe script, found several"
        ));
    };
    imported.snapshot.source = Source::Ansible;
    Ok(imported)
}
