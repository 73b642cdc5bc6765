//! Turns a script's frames into a snapshot: parse each probe's output, redact, and
//! record failed or unavailable probes as errors. Pure.

use chrono::{DateTime, Utc};

use super::frames::Frames;
use super::probe::Probe;
use super::redact::Redactor;
use super::script::{TIMED_OUT_STATUS, UNAVAILABLE_STATUS};
use crate::model::{ProbeError, Snapshot, Source};

/// Where a snapshot's facts came from and when.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The environment.
    pub environment: String,
    /// The host within the environment.
    pub host: String,
    /// How it was reached.
    pub source: Source,
    /// When the collection started.
    pub taken_at: DateTime<Utc>,
}

/// The longest probe error message kept.
const MAX_MESSAGE: usize = 300;

/// Builds the snapshot of one host from its frames.
pub fn snapshot(
    origin: Origin,
    probes: &[Probe],
    frames: &Frames,
    redactor: &Redactor,
) -> Snapshot {
    let mut snap = Snapshot::new(
        origin.environment,
        origin.host,
        origin.taken_at,
        origin.source,
    );
    for (index, probe) in probes.iter().enumerate() {
        // Redacted whole, then shortened: a cut must never leave part of a secret that
        // the whole would have been recognised as.
        let error = |exit_status: Option<i32>, message: String| ProbeError {
            probe: probe.name.clone(),
            category: Some(probe.category),
            exit_status,
            message: shorten(&redactor.line(&message)).to_string(),
        };
        let Some(frame) = frames.frames.iter().find(|f| f.index == index) else {
            snap.errors.push(error(
                None,
                "did not run: the probe script stopped early".into(),
            ));
            continue;
        };
        let detail = first_full_line(&frame.stderr);
        match frame.status {
            0 => match probe.parse(&frame.stdout) {
                Ok(facts) => {
                    for (key, value) in facts {
                        let value = redactor.fact(&key, value);
                        snap.insert(probe.category, key, value);
                    }
                }
                Err(why) => snap
                    .errors
                    .push(error(Some(0), format!("unreadable output: {why}"))),
            },
            UNAVAILABLE_STATUS => snap.errors.push(error(
                Some(UNAVAILABLE_STATUS),
                format!(
                    "unavailable: {}",
                    detail.unwrap_or("a command it needs is missing")
                ),
            )),
            TIMED_OUT_STATUS => snap.errors.push(error(
                Some(TIMED_OUT_STATUS),
                "timed out: stopped after the probe timeout".into(),
            )),
            status => snap.errors.push(error(
                Some(status),
                match detail {
                    Some(d) => format!("failed with exit status {status}: {d}"),
                    None => format!("failed with exit status {status}"),
                },
            )),
        }
    }
    snap.normalize();
    super::version_scheme::record(&mut snap);
    snap
}

/// The first non-empty line of `text`, trimmed and shortened.
pub fn first_line(text: &str) -> Option<&str> {
    first_full_line(text).map(shorten)
}

/// The first non-empty line of `text`, trimmed.
fn first_full_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// `line` cut to at most [`MAX_MESSAGE`] bytes, at a character boundary.
fn shorten(line: &str) -> &str {
    let mut end = line.len().min(MAX_MESSAGE);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::frames::Frame;
    use crate::collect::key::WorkspaceKey;
    use crate::config::SecretsConfig;
    use crate::model::{Category, Value};

    fn probes() -> Vec<Probe> {
        vec![
            Probe::plain(
                "env",
                Category::Config,
                &[],
                "",
                crate::collect::parsers::config::env_file,
            ),
            Probe::plain(
                "os",
                Category::Versions,
                &[],
                "",
                crate::collect::parsers::versions::os_release,
            ),
            Probe::plain("gone", Category::Network, &[], "", |_| Ok(vec![])),
            Probe::plain("boom", Category::Infra, &[], "", |_| Ok(vec![])),
            Probe::plain("late", Category::Infra, &[], "", |_| Ok(vec![])),
        ]
    }

    fn frame(index: usize, status: i32, stdout: &str, stderr: &str) -> Frame {
        Frame {
            index,
            status,
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn facts_errors_and_unavailable_probes_are_recorded() {
        let frames = Frames {
            frames: vec![
                frame(0, 0, "LOG_LEVEL=warn\nDB_PASSWORD=hunter2\n", ""),
                frame(1, 0, "garbage\n", ""),
                frame(2, 127, "", "not installed: ss\n"),
                frame(3, 2, "", "\nboom: permission denied, password=hunter2\n"),
            ],
            complete: false,
        };
        let redactor =
            Redactor::new(WorkspaceKey::from_bytes([1; 32]), &SecretsConfig::default()).unwrap();
        let origin = Origin {
            environment: "prod".into(),
            host: "web-1".into(),
            source: Source::Local,
            taken_at: Utc::now(),
        };
        let snap = snapshot(origin, &probes(), &frames, &redactor);
        assert_eq!(
            snap.get(Category::Config, "env.LOG_LEVEL"),
            Some(&Value::string("warn"))
        );
        assert!(matches!(
            snap.get(Category::Config, "env.DB_PASSWORD"),
            Some(Value::Redacted(_))
        ));
        let messages: Vec<(&str, &str)> = snap
            .errors
            .iter()
            .map(|e| (e.probe.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(messages[0].0, "os");
        assert!(messages[0].1.starts_with("unreadable output"));
        assert_eq!(messages[1], ("gone", "unavailable: not installed: ss"));
        assert!(
            messages[2]
                .1
                .starts_with("failed with exit status 2: boom: permission denied")
        );
        assert_eq!(
            messages[3],
            ("late", "did not run: the probe script stopped early")
        );
        assert!(!snap.to_json().contains("hunter2"));
    }
}
