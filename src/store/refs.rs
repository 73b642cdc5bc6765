//! Snapshot references on the command line: `ENV`, `ENV@TIME`, or a file path.

use chrono::{DateTime, Utc};

use crate::model::Snapshot;

/// A point in time given by the user: a date (its end, UTC) or a date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpec(pub DateTime<Utc>);

/// A reference resolved to the snapshots of one comparison side.
#[derive(Debug, Clone)]
pub struct ResolvedSide {
    /// The label for the side's column (the reference as the user wrote it, tidied).
    pub label: String,
    /// One snapshot per host.
    pub snapshots: Vec<Snapshot>,
}
