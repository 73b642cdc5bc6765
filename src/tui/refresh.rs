//! Refreshing the compared environments: what a background collection reports, and how
//! the explorer keeps track of each host. Pure: the collection itself runs in
//! `refresh_job`, off the UI thread.

use std::time::Duration;

use crate::store::SnapshotMeta;

use super::state::EnvSummary;

/// A refresh to run: collect these environments' hosts and store their snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRequest {
    /// Numbers refreshes; reports of another refresh are ignored.
    pub id: u64,
    /// The environments to collect, baseline first.
    pub environments: Vec<String>,
}

/// A stored snapshot, as a refresh reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The new history entry (facts and probe errors counted).
    pub meta: SnapshotMeta,
    /// The environment's summary with the new snapshot in its history.
    pub summary: EnvSummary,
}

/// What a running refresh reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshEvent {
    /// The hosts to collect, in the order later events refer to them by index.
    Planned {
        /// The refresh.
        id: u64,
        /// `env/host` of each host.
        hosts: Vec<String>,
    },
    /// A host's collection began.
    Started {
        /// The refresh.
        id: u64,
        /// The host's position in [`RefreshEvent::Planned`]'s list.
        index: usize,
    },
    /// A host's collection ended: its snapshot stored, or a one-line reason it was not.
    HostDone {
        /// The refresh.
        id: u64,
        /// The host's position in [`RefreshEvent::Planned`]'s list.
        index: usize,
        /// How long collecting (and storing) took.
        elapsed: Duration,
        /// The stored snapshot, or why there is none.
        outcome: Result<Stored, String>,
    },
    /// The refresh ended; `error` says why it could not start, if it could not.
    Finished {
        /// The refresh.
        id: u64,
        /// Why nothing was collected, when nothing could be.
        error: Option<String>,
    },
}

impl RefreshEvent {
    /// The refresh the event belongs to.
    pub fn id(&self) -> u64 {
        match self {
            RefreshEvent::Planned { id, .. }
            | RefreshEvent::Started { id, .. }
            | RefreshEvent::HostDone { id, .. }
            | RefreshEvent::Finished { id, .. } => *id,
        }
    }
}

/// Where one host's collection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostStatus {
    /// Not started yet (hosts are collected a few at a time).
    Waiting,
    /// Being collected.
    Collecting,
    /// Collected and stored.
    Done {
        /// Facts in the new snapshot.
        facts: usize,
        /// Probe errors recorded in it.
        probe_errors: usize,
        /// How long it took.
        elapsed: Duration,
    },
    /// Not collected or not stored.
    Failed {
        /// Why, in one line (the host's label removed from its front).
        reason: String,
        /// How long it took to fail.
        elapsed: Duration,
    },
}

/// One host of a refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRow {
    /// `env/host`.
    pub label: String,
    /// Where it stands.
    pub status: HostStatus,
}

/// A refresh in progress or just finished, as the progress panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshState {
    /// The refresh's number.
    pub id: u64,
    /// The environments being collected.
    pub environments: Vec<String>,
    /// Each host, in collection order (empty until planned).
    pub hosts: Vec<HostRow>,
    /// True until the refresh has ended.
    pub running: bool,
    /// Why the refresh could not start, if it could not.
    pub error: Option<String>,
    /// Whether the progress panel is shown (the user may hide it; the refresh goes on).
    pub visible: bool,
}

/// Counts of a refresh's hosts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshCounts {
    /// Hosts in the refresh.
    pub total: usize,
    /// Collected and stored.
    pub done: usize,
    /// Failed.
    pub failed: usize,
    /// Being collected now.
    pub collecting: usize,
}

impl RefreshState {
    /// A refresh of `environments` that has just been asked for.
    pub fn new(id: u64, environments: Vec<String>) -> RefreshState {
        RefreshState {
            id,
            environments,
            hosts: Vec::new(),
            running: true,
            error: None,
            visible: true,
        }
    }

    /// How many hosts are in each state.
    pub fn counts(&self) -> RefreshCounts {
        let mut counts = RefreshCounts {
            total: self.hosts.len(),
            ..RefreshCounts::default()
        };
        for host in &self.hosts {
            match host.status {
                HostStatus::Waiting => {}
                HostStatus::Collecting => counts.collecting += 1,
                HostStatus::Done { .. } => counts.done += 1,
                HostStatus::Failed { .. } => counts.failed += 1,
            }
        }
        counts
    }

    /// Applies one event of this refresh; returns the stored snapshot's summary, if the
    /// event stored one.
    pub fn apply(&mut self, event: RefreshEvent) -> Option<EnvSummary> {
        match event {
            RefreshEvent::Planned { hosts, .. } => {
                self.hosts = hosts
                    .into_iter()
                    .map(|label| HostRow {
                        label,
                        status: HostStatus::Waiting,
                    })
                    .collect();
                None
            }
            RefreshEvent::Started { index, .. } => {
                if let Some(row) = self.hosts.get_mut(index) {
                    row.status = HostStatus::Collecting;
                }
                None
            }
            RefreshEvent::HostDone {
                index,
                elapsed,
                outcome,
                ..
            } => {
                let row = self.hosts.get_mut(index)?;
                match outcome {
                    Ok(stored) => {
                        row.status = HostStatus::Done {
                            facts: stored.meta.fact_count,
                            probe_errors: stored.meta.error_count,
                            elapsed,
                        };
                        Some(stored.summary)
                    }
                    Err(reason) => {
                        row.status = HostStatus::Failed {
                            reason: without_label(&reason, &row.label).to_string(),
                            elapsed,
                        };
                        None
                    }
                }
            }
            RefreshEvent::Finished { error, .. } => {
                self.running = false;
                self.error = error;
                for row in &mut self.hosts {
                    if matches!(row.status, HostStatus::Waiting | HostStatus::Collecting) {
                        row.status = HostStatus::Failed {
                            reason: "not collected: the refresh stopped".into(),
                            elapsed: Duration::ZERO,
                        };
                    }
                }
                None
            }
        }
    }

    /// A one-line outcome for the header, once the refresh has ended.
    pub fn summary(&self) -> String {
        if let Some(error) = &self.error {
            return format!("refresh failed: {error}");
        }
        let c = self.counts();
        let hosts = if c.total == 1 { "host" } else { "hosts" };
        if c.failed == 0 {
            format!("refreshed {} {hosts}", c.done)
        } else {
            format!(
                "refreshed {} of {} {hosts}; {} failed",
                c.done, c.total, c.failed
            )
        }
    }
}

/// `reason` without a leading `label: ` (collection errors start with the host's label).
fn without_label<'a>(reason: &'a str, label: &str) -> &'a str {
    reason
        .strip_prefix(label)
        .and_then(|r| r.strip_prefix(": "))
        .unwrap_or(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_lose_the_label_they_start_with() {
        assert_eq!(
            without_label("prod/web-1: connection timed out", "prod/web-1"),
            "connection timed out"
        );
        assert_eq!(
            without_label("cannot store: disk full", "prod/web-1"),
            "cannot store: disk full"
        );
    }

    #[test]
    fn finishing_fails_hosts_that_never_ended() {
        let mut r = RefreshState::new(1, vec!["prod".into()]);
        r.apply(RefreshEvent::Planned {
            id: 1,
            hosts: vec!["prod/a".into(), "prod/b".into()],
        });
        r.apply(RefreshEvent::Started { id: 1, index: 0 });
        r.apply(RefreshEvent::Finished { id: 1, error: None });
        assert!(!r.running);
        assert_eq!(r.counts().failed, 2);
        assert_eq!(r.summary(), "refreshed 0 of 2 hosts; 2 failed");
    }
}
