//! Raw import: the framed output of the script `driftscope probe-script` prints, as a
//! fleet engine captured it. A file may hold one host's output or several one after
//! another; each run names its host, start time and probe list in its header
//! (see [`crate::collect::script`]), and is read with the same parsers and redaction as
//! a direct collection.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::{ImportContext, ImportResult, Imported, Tool, choose_time, source_file_name};
use crate::collect::frames::{self, find_at_line_start};
use crate::collect::interpret::{self, Origin};
use crate::collect::script::plan_digest;
use crate::model::{Source, sanitize};

/// What a run's header says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunHeader {
    /// The host name it printed (`uname -n`).
    pub host: Option<String>,
    /// When it started.
    pub taken_at: Option<DateTime<Utc>>,
    /// The probe count and digest of its probe list.
    pub plan: Option<(usize, String)>,
}

/// Imports every run in the file at `path` (shown as `shown` in messages).
pub fn import(path: &Path, shown: &str, context: &ImportContext) -> Result<ImportResult, String> {
    let bytes = crate::input::read(path, crate::input::DATA_LIMIT)
        .map_err(|e| format!("{shown}: cannot read: {e}"))?;
    read(&bytes, path, shown, context)
}

/// Imports every run in `bytes`, read from `path`.
pub fn read(
    bytes: &[u8],
    path: &Path,
    shown: &str,
    context: &ImportContext,
) -> Result<ImportResult, String> {
    let mut result = ImportResult::default();
    let expected = (context.probes.len(), plan_digest(context.probes));
    let mut pos = 0;
    let mut runs = 0;
    while let Some((token, at)) = next_run(&bytes[pos..]) {
        runs += 1;
        let header = read_header(&bytes[pos..pos + at], &token);
        let block = frames::parse_block(&bytes[pos + at..], &token)
            .map_err(|e| format!("{shown}: run {runs}: unreadable probe output: {e}"))?;
        pos += at + block.end.max(1);
        let label = header.host.as_deref().map_or_else(
            || format!("run {runs}"),
            |h| format!("host {}", sanitize(h, false)),
        );
        match header.plan {
            Some(plan) if plan == expected => {}
            Some((count, digest)) => {
                result.problems.push(format!(
                    "{shown}: {label}: the output comes from another probe list ({count} probes, \
                     plan {digest}; this workspace has {} probes, plan {}) — print the script \
                     again with `driftscope probe-script` and rerun it",
                    expected.0, expected.1
                ));
                continue;
            }
            None => {
                result.problems.push(format!(
                    "{shown}: {label}: no probe plan line; the output was not produced by \
                     `driftscope probe-script`"
                ));
                continue;
            }
        }
        let Some(host) = context.host.clone().or(header.host.clone()) else {
            result.problems.push(format!(
                "{shown}: {label}: the output names no host; give one with --host"
            ));
            continue;
        };
        let (taken_at, time_note) = choose_time(context, header.taken_at, path);
        let origin = Origin {
            environment: context.environment.clone(),
            host: host.clone(),
            source: Source::Import {
                tool: Tool::Raw.as_str().to_string(),
                file: source_file_name(path),
            },
            taken_at,
        };
        let snapshot = interpret::snapshot(origin, context.probes, &block.frames, context.redactor);
        let mut notes = Vec::new();
        let host = sanitize(&host, false);
        if let Some(note) = time_note {
            notes.push(format!("{shown}: host {host}: {note}"));
        }
        if !block.frames.complete {
            notes.push(format!(
                "{shown}: host {host}: the output is cut short; probes without output are recorded as errors"
            ));
        }
        result.imported.push(Imported { snapshot, notes });
    }
    if runs == 0 {
        return Err(format!(
            "{shown}: no driftscope probe output found (expected what the script from \
             `driftscope probe-script` prints)"
        ));
    }
    Ok(result)
}

/// The token and offset of the next `@@<token> frames <N>` line.
fn next_run(bytes: &[u8]) -> Option<(String, usize)> {
    let mut from = 0;
    while let Some(found) = find_at_line_start(&bytes[from..], b"@@DS") {
        let at = from + found;
        let line_end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| at + n);
        let line = String::from_utf8_lossy(&bytes[at + 2..line_end]);
        let mut words = line.split(' ');
        if let (Some(token), Some("frames")) = (words.next(), words.next()) {
            if token.len() > 2 && token[2..].chars().all(|c| c.is_ascii_hexdigit()) {
                return Some((token.to_string(), at));
            }
        }
        from = at + 1;
    }
    None
}

/// Reads the `@@<token> host|time|plan` lines before a run's frame table; the last of
/// each wins.
pub fn read_header(bytes: &[u8], token: &str) -> RunHeader {
    let prefix = format!("@@{token} ");
    let mut header = RunHeader::default();
    for line in String::from_utf8_lossy(bytes).lines() {
        let Some(rest) = line.strip_prefix(&prefix) else {
            continue;
        };
        let (what, value) = rest.split_once(' ').unwrap_or((rest, ""));
        let value = value.trim();
        match what {
            "host" if !value.is_empty() => header.host = Some(value.to_string()),
            "time" => {
                header.taken_at = DateTime::parse_from_rfc3339(value)
                    .ok()
                    .map(|t| t.with_timezone(&Utc));
            }
            "plan" => {
                header.plan = value.split_once(' ').and_then(|(count, digest)| {
                    Some((count.parse().ok()?, digest.trim().to_string()))
                });
            }
            _ => {}
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::key::WorkspaceKey;
    use crate::collect::probe::Probe;
    use crate::collect::redact::Redactor;
    use crate::config::SecretsConfig;
    use crate::model::{Category, Value};

    fn probes() -> Vec<Probe> {
        vec![
            Probe::plain(
                "env",
                Category::Config,
                &[],
                "cat /etc/app.env",
                crate::collect::parsers::config::env_file,
            ),
            Probe::plain(
                "uname",
                Category::Versions,
                &[],
                "uname -s; uname -r; uname -m",
                crate::collect::parsers::versions::uname,
            ),
        ]
    }

    fn run_text(host: &str, plan: &str, env: &str) -> String {
        format!(
            "banner\n@@DSab12 host {host}\n@@DSab12 time 2026-11-20T09:30:00Z\n@@DSab12 plan {plan}\n\
             @@DSab12 frames 2\n0 0 {} 0\n1 0 28 0\n{env}Linux\n6.1.0-18-amd64\nx86_64\n\n@@DSab12 end\n",
            env.len()
        )
    }

    fn context<'a>(redactor: &'a Redactor, probes: &'a [Probe]) -> ImportContext<'a> {
        ImportContext {
            environment: "prod".into(),
            host: None,
            taken_at: None,
            redactor,
            probes,
        }
    }

    #[test]
    fn runs_are_read_with_their_host_time_and_redaction() {
        let probes = probes();
        let redactor =
            Redactor::new(WorkspaceKey::from_bytes([7; 32]), &SecretsConfig::default()).unwrap();
        let plan = format!("2 {}", plan_digest(&probes));
        let text = format!(
            "{}{}",
            run_text("web-1", &plan, "LOG_LEVEL=warn\nDB_PASSWORD=hunter2\n"),
            run_text("web-2", &plan, "LOG_LEVEL=info\n")
        );
        let result = read(
            text.as_bytes(),
            Path::new("out/fleet.raw"),
            "fleet.raw",
            &context(&redactor, &probes),
        )
        .unwrap();
        assert!(result.problems.is_empty(), "{:?}", result.problems);
        assert_eq!(result.imported.len(), 2);
        let web_1 = &result.imported[0].snapshot;
        assert_eq!(
            (web_1.environment.as_str(), web_1.host.as_str()),
            ("prod", "web-1")
        );
        assert_eq!(web_1.taken_at.to_rfc3339(), "2026-11-20T09:30:00+00:00");
        assert_eq!(
            web_1.source,
            Source::Import {
                tool: "raw".into(),
                file: "fleet.raw".into()
            }
        );
        assert_eq!(
            web_1.get(Category::Versions, "kernel"),
            Some(&Value::version("6.1.0-18-amd64"))
        );
        assert!(matches!(
            web_1.get(Category::Config, "env.DB_PASSWORD"),
            Some(Value::Redacted(_))
        ));
        assert!(!web_1.to_json().contains("hunter2"));
        assert_eq!(
            result.imported[1]
                .snapshot
                .get(Category::Config, "env.LOG_LEVEL"),
            Some(&Value::string("info"))
        );
    }

    #[test]
    fn another_probe_list_or_no_output_is_refused_with_the_reason() {
        let probes = probes();
        let redactor =
            Redactor::new(WorkspaceKey::from_bytes([7; 32]), &SecretsConfig::default()).unwrap();
        let text = run_text("web-1", "2 0123456789abcdef", "A=b\n");
        let result = read(
            text.as_bytes(),
            Path::new("x.raw"),
            "x.raw",
            &context(&redactor, &probes),
        )
        .unwrap();
        assert!(result.imported.is_empty());
        assert!(
            result.problems[0].starts_with("x.raw: host web-1: the output comes from another probe list (2 probes, plan 0123456789abcdef;"),
            "{:?}",
            result.problems
        );
        let err = read(
            b"Connection refused\n",
            Path::new("x.raw"),
            "x.raw",
            &context(&redactor, &probes),
        )
        .unwrap_err();
        assert!(
            err.starts_with("x.raw: no driftscope probe output found"),
            "{err}"
        );
    }

    #[test]
    fn headers_are_read_leniently() {
        let header = read_header(
            b"@@DSab host  web 1 \n@@DSab time nonsense\n@@DSab plan 3 abc\n@@DSzz host other\n",
            "DSab",
        );
        assert_eq!(header.host.as_deref(), Some("web 1"));
        assert_eq!(header.taken_at, None);
        assert_eq!(header.plan, Some((3, "abc".to_string())));
    }
}
