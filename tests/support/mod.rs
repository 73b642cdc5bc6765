//! Shared test helpers.

pub mod netlab;
pub mod postgres;
pub mod sshd;
