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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::key::WorkspaceKey;
    use crate::collect::script;
    use crate::config::SecretsConfig;
    use crate::model::{Category, Value};
    use std::time::Duration;

    fn probes() -> Vec<Probe> {
        vec![
            Probe::plain(
                "app",
                Category::Config,
                &[],
                "printf 'API_TOKEN=hunter2-hunter2\\nMODE=blue\\n'",
                crate::collect::parsers::config::env_file,
            ),
            Probe::plain(
                "broken",
                Category::Config,
                &[],
                "echo 'it broke' >&2; exit 3",
                crate::collect::parsers::config::env_file,
            ),
        ]
    }

    /// Runs the compiled script with `sh` here, as the playbook runs it on a host, and
    /// leaves its output where `fetch` puts it.
    fn fetched_run(output: &Path, host: &str, probes: &[Probe]) {
        let script = script::compile(probes, Duration::from_secs(5));
        let out = script::run_here(&script);
        std::fs::create_dir_all(output.join(host)).unwrap();
        std::fs::write(output.join(host).join(OUTPUT_FILE), out).unwrap();
    }

    fn redactor() -> Redactor {
        Redactor::new(WorkspaceKey::from_bytes([5; 32]), &SecretsConfig::default()).unwrap()
    }

    #[test]
    fn a_hosts_output_is_read_under_its_inventory_name_redacted_with_ansible_as_source() {
        let dir = tempfile::tempdir().unwrap();
        fetched_run(dir.path(), "web-07", &probes());
        let redactor = redactor();
        let context = ReadContext {
            environment: "prod",
            redactor: &redactor,
            max_output: 1 << 20,
            taken_at: None,
        };
        assert_eq!(hosts_in(dir.path()).unwrap(), ["web-07"]);
        let imported = read_host(dir.path(), "web-07", &probes(), &context).unwrap();
        let snap = imported.snapshot;
        assert_eq!(
            (snap.environment.as_str(), snap.host.as_str()),
            ("prod", "web-07")
        );
        assert_eq!(snap.source, Source::Ansible);
        assert_eq!(
            snap.get(Category::Config, "env.MODE"),
            Some(&Value::string("blue"))
        );
        assert!(matches!(
            snap.get(Category::Config, "env.API_TOKEN"),
            Some(Value::Redacted(_))
        ));
        assert!(!snap.to_json().contains("hunter2"));
        assert_eq!(snap.errors.len(), 1);
        assert_eq!(
            (snap.errors[0].probe.as_str(), snap.errors[0].exit_status),
            ("broken", Some(3))
        );
    }

    #[test]
    fn missing_oversized_or_foreign_output_fails_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fetched_run(dir.path(), "web-1", &probes());
        let redactor = redactor();
        let mut context = ReadContext {
            environment: "prod",
            redactor: &redactor,
            max_output: 1 << 20,
            taken_at: None,
        };
        let missing = read_host(dir.path(), "web-2", &probes(), &context).unwrap_err();
        assert!(
            missing.contains("web-2/output: cannot read the fetched output"),
            "{missing}"
        );
        let other_list = read_host(dir.path(), "web-1", &probes()[..1], &context).unwrap_err();
        assert!(
            other_list.contains("the output comes from another probe list"),
            "{other_list}"
        );
        context.max_output = 10;
        let big = read_host(dir.path(), "web-1", &probes(), &context).unwrap_err();
        assert!(
            big.contains("over the 10 bytes of [collect] max_output"),
            "{big}"
        );
        let escape = read_host(dir.path(), "../web-1", &probes(), &context).unwrap_err();
        assert!(escape.contains("cannot be a folder"), "{escape}");
    }
}
