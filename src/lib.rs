//! driftscope: a terminal explorer for environment drift.
//!
//! The modules follow the data's trip: `collect` makes snapshots, `store` keeps them,
//! `diff` compares them, and `tui` / `report` show the result. `model` holds the plain
//! types they share; `config` owns `driftscope.toml`; `commands` glues them together for
//! the command line; `input` reads the files they are given, within bounds.

pub mod collect;
pub mod commands;
pub mod config;
pub mod demo;
pub mod diff;
pub mod input;
pub mod model;
pub mod report;
pub mod store;
pub mod tui;
