//! Shared test helpers.

pub mod sshd;
