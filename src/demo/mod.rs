//! The embedded demo workspace: dev, staging and prod with the drift real teams hit.
//!
//! Built in code so the binary carries it anywhere; the same data backs the demo TUI,
//! `--demo` on every command, and many tests.

pub mod synthetic;

use crate::model::Snapshot;

/// The demo's configuration, as a `driftscope.toml` text.
pub const CONFIG_TOML: &str = "";

/// Every snapshot of the demo workspace, history included.
pub fn snapshots() -> Vec<Snapshot> {
    todo!("demo snapshots")
}
