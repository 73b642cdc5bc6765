//! Renderings of a drift report for the command line: text, JSON and Markdown.
//!
//! `text` is for people at a terminal, `json` for programs, `markdown` for tickets and
//! reviews, `review_summary` for the one-line-per-category verdict of `check`. The helpers here
//! (names, value summaries, redaction classes) keep the three renderings consistent.

pub mod audit;
pub mod history_values;
pub mod hosts;
pub mod json;
pub mod markdown;
pub mod review_summary;
pub mod summary;
pub mod text;

pub mod describe;
mod palette;

pub use palette::Palette;

/// The renderings `diff` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Human-readable text, optionally coloured.
    #[default]
    Text,
    /// The stable `driftscope-diff` JSON document.
    Json,
    /// Markdown tables.
    Markdown,
}

#[cfg(test)]
pub(crate) mod testing;
