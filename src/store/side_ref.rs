//! A comparison side as a typed reference — `ENV`, `ENV@TIME`, `ENV/HOST`,
//! `ENV/HOST@TIME` or a snapshot file — parsed once, and resolved the same way by the
//! command line and the explorer.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use color_eyre::eyre::{Result, eyre};

use super::refs::compact_time;
use super::{ResolvedSide, SnapshotMeta, TimeSpec, Workspace};

/// One side of a comparison, before any snapshot is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SideRef {
    /// An environment's newest snapshots (of one host only when `host` is given), at or
    /// before `at` when given.
    Environment {
        /// The environment's name.
        env: String,
        /// One host only.
        host: Option<String>,
        /// The newest snapshots at or before this time; `None` for the newest of all.
        at: Option<SideTime>,
    },
    /// One snapshot file.
    File(PathBuf),
}

/// The time of a side: the exact instant, and the text it was typed as, if it was.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SideTime {
    /// The instant; snapshots taken at or before it are picked.
    pub at: DateTime<Utc>,
    /// The text as typed (`-2d`, `2026-11-20`), which labels keep; `None` when the side
    /// was built from an instant, which then reads as an exact RFC 3339 time.
    pub typed: Option<String>,
}

impl SideRef {
    /// An environment side (`ENV`, `ENV/HOST`, with an exact time when `at` is given).
    pub fn environment(env: &str, host: Option<&str>, at: Option<DateTime<Utc>>) -> SideRef {
        SideRef::Environment {
            env: env.to_string(),
            host: host.map(str::to_string),
            at: at.map(|at| SideTime { at, typed: None }),
        }
    }

    /// Parses a reference as typed, relative times (`-2d`) counted back from `now`.
    ///
    /// - a path to an existing file, or anything ending in `.json` (or `.json.zst`,
    ///   `.json.gz`): that file;
    /// - `ENV@TIME`: each host's newest snapshot at or before TIME;
    /// - `ENV/HOST`, `ENV/HOST@TIME`: that host's only (a host name may hold `@`: only a
    ///   suffix that reads as a time is one);
    /// - `ENV`: each host's newest snapshot.
    pub fn parse(text: &str, now: DateTime<Utc>) -> Result<SideRef> {
        let text = text.trim();
        let path = Path::new(text);
        if super::snapshot_file::is_snapshot_file_name(path) || path.is_file() {
            return Ok(SideRef::File(path.to_path_buf()));
        }
        let typed_time = |typed: &str| -> Result<SideTime> {
            let spec = TimeSpec::parse(typed, now).map_err(|e| eyre!("in '{text}': {e}"))?;
            Ok(SideTime {
                at: spec.0,
                typed: Some(typed.trim().to_string()),
            })
        };
        let Some(split) = text.find(['/', '@']) else {
            return Ok(SideRef::Environment {
                env: text.to_string(),
                host: None,
                at: None,
            });
        };
        let (env, rest) = (text[..split].to_string(), &text[split + 1..]);
        if text[split..].starts_with('@') {
            return Ok(SideRef::Environment {
                env,
                host: None,
                at: Some(typed_time(rest)?),
            });
        }
        let timed = rest
            .rsplit_once('@')
            .filter(|(_, time)| TimeSpec::parse(time, now).is_ok());
        Ok(match timed {
            Some((host, time)) => SideRef::Environment {
                env,
                host: Some(host.to_string()),
                at: Some(typed_time(time)?),
            },
            None => SideRef::Environment {
                env,
                host: Some(rest.to_string()),
                at: None,
            },
        })
    }

    /// The environment named, for an environment side.
    pub fn env(&self) -> Option<&str> {
        match self {
            SideRef::Environment { env, .. } => Some(env),
            SideRef::File(_) => None,
        }
    }
}

impl fmt::Display for SideRef {
    /// The canonical text, which [`SideRef::parse`] reads back: typed times as typed,
    /// other times exact (`2026-11-21T22:00:15.250Z`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SideRef::File(path) => write!(f, "{}", path.display()),
            SideRef::Environment { env, host, at } => {
                f.write_str(env)?;
                if let Some(host) = host {
                    write!(f, "/{host}")?;
                }
                match at {
                    Some(SideTime {
                        typed: Some(typed), ..
                    }) => write!(f, "@{typed}"),
                    Some(SideTime { at, typed: None }) => {
                        write!(f, "@{}", at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
                    }
                    None => Ok(()),
                }
            }
        }
    }
}

impl Workspace {
    /// The stored snapshots `side` selects now, without reading them (empty when it
    /// selects none, or names a file); a cache of loaded sides is current while they
    /// stay the same.
    pub fn picked(&self, side: &SideRef) -> Vec<SnapshotMeta> {
        let SideRef::Environment { env, host, at } = side else {
            return Vec::new();
        };
        self.history
            .latest(env, at.as_ref().map(|t| t.at))
            .into_iter()
            .filter(|m| host.as_ref().is_none_or(|h| m.host == *h))
            .cloned()
            .collect()
    }

    /// Loads the snapshots `side` names, labelled with its canonical text (a file by
    /// `ENV@TIME` from its contents). Errors are one line naming the environment, host,
    /// time or file at fault.
    pub fn resolve_side(&self, side: &SideRef) -> Result<ResolvedSide> {
        let (env, host, at) = match side {
            SideRef::File(path) => {
                let snapshot = self.load_file(path)?;
                return Ok(ResolvedSide {
                    label: format!(
                        "{}@{}",
                        snapshot.environment,
                        compact_time(snapshot.taken_at)
                    ),
                    environment: snapshot.environment.clone(),
                    host: Some(snapshot.host.clone()),
                    at: Some(snapshot.taken_at),
                    snapshots: vec![snapshot],
                });
            }
            SideRef::Environment { env, host, at } => (env, host, at.as_ref().map(|t| t.at)),
        };
        let metas = match host {
            Some(host) if !self.history.of_environment(env).is_empty() => {
                self.pick_host(env, host, at)?
            }
            _ => self.pick(env, at)?,
        };
        let snapshots = metas
            .into_iter()
            .map(|meta| self.load(meta))
            .collect::<Result<Vec<_>>>()?;
        Ok(ResolvedSide {
            label: side.to_string(),
            snapshots,
            environment: env.clone(),
            host: host.clone(),
            at,
        })
    }

    /// The snapshot of `env/host` at `at`, or an error saying why there is none.
    fn pick_host(
        &self,
        env: &str,
        host: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<Vec<&SnapshotMeta>> {
        let picked: Vec<&SnapshotMeta> = self
            .history
            .latest(env, at)
            .into_iter()
            .filter(|m| m.host == host)
            .collect();
        if picked.is_empty() {
            return Err(match at {
                Some(at) => eyre!(
                    "no snapshot of {env}/{host} at or before {}",
                    compact_time(at)
                ),
                None => eyre!("host '{host}' has no snapshots in '{env}'"),
            });
        }
        Ok(picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    fn parse(text: &str) -> SideRef {
        SideRef::parse(text, now()).unwrap()
    }

    #[test]
    fn references_are_classified() {
        assert_eq!(parse("prod"), SideRef::environment("prod", None, None));
        assert_eq!(
            parse("prod@-2d"),
            SideRef::Environment {
                env: "prod".into(),
                host: None,
                at: Some(SideTime {
                    at: now() - TimeDelta::days(2),
                    typed: Some("-2d".into())
                }),
            }
        );
        assert_eq!(
            parse("prod/web-1"),
            SideRef::environment("prod", Some("web-1"), None)
        );
        assert_eq!(
            parse("old/prod.json"),
            SideRef::File(PathBuf::from("old/prod.json"))
        );
        let odd_host = parse("prod/a@b");
        assert_eq!(odd_host, SideRef::environment("prod", Some("a@b"), None));
    }

    #[test]
    fn display_reads_back_and_keeps_exact_times() {
        let t =
            Utc.with_ymd_and_hms(2026, 11, 21, 22, 0, 15).unwrap() + TimeDelta::milliseconds(250);
        let side = SideRef::environment("prod", Some("web-1"), Some(t));
        assert_eq!(side.to_string(), "prod/web-1@2026-11-21T22:00:15.250Z");
        assert_eq!(
            SideRef::parse(&side.to_string(), now())
                .unwrap()
                .to_string(),
            side.to_string()
        );
        let SideRef::Environment { at: Some(back), .. } = parse(&side.to_string()) else {
            panic!("not an environment side");
        };
        assert_eq!(back.at, t);
        for typed in [
            "prod@-2d",
            "prod@2026-11-20",
            "prod/web-1@2026-11-20T09:30Z",
            "prod",
        ] {
            assert_eq!(parse(typed).to_string(), typed);
        }
    }

    #[test]
    fn a_bad_time_names_the_reference() {
        let err = SideRef::parse("prod@yesterday", now())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("in 'prod@yesterday': 'yesterday' is not a time"),
            "{err}"
        );
    }
}
