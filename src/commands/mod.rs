//! The command-line commands: each glues the store, the diff engine and a renderer.

pub mod snapshot;
