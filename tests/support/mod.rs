//! Shared test helpers.

pub mod postgres;
pub mod sshd;
