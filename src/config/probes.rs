//! `[[probes]]`: the user's own probes and how their output becomes facts.

use serde::Deserialize;

use crate::model::Category;

/// How a user probe's output becomes facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParserKind {
    /// Non-empty lines, in order: one list fact.
    Lines,
    /// Non-empty lines, order ignored: one set fact.
    Set,
    /// `key=value` lines: one fact per key.
    #[serde(alias = "key=value", alias = "keyvalue")]
    Kv,
    /// A JSON document: an object's fields become facts; anything else one fact.
    Json,
    /// The whole output: one text fact.
    Text,
    /// The first version number in the output: one version fact.
    Version,
}

/// `[[probes]]`: a probe the user adds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeConfig {
    /// The probe's name; also the fact key (or key prefix) unless `key` is set.
    pub name: String,
    /// The category its facts go to.
    pub category: Category,
    /// A POSIX `sh` command run on the host.
    pub command: String,
    /// How its output is read.
    pub parser: ParserKind,
    /// The fact key (or key prefix for `kv` and `json`); defaults to `name`.
    #[serde(default)]
    pub key: Option<String>,
    /// Whether it needs root: on hosts configured with `sudo`, it runs through
    /// `sudo -n`.
    #[serde(default)]
    pub needs_root: bool,
}
