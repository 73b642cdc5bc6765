//! Strings checked while `driftscope.toml` is parsed, so that errors point at their
//! line and column.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::EnvironmentConfig;
use super::environments::{HostEntry, check_environment_name, check_host, check_jump};
use crate::diff::IgnoreRules;

/// A string checked while parsing, so errors point at its line and column.
struct Checked<const KIND: u8>(String);

const ENV_NAME: u8 = 0;
const HOST: u8 = 1;
const PATTERN: u8 = 2;
const JUMP: u8 = 3;

impl<'de, const KIND: u8> Deserialize<'de> for Checked<KIND> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let checked = match KIND {
            ENV_NAME => check_environment_name(&text),
            HOST => check_host(&text),
            JUMP => check_jump(&text),
            _ => IgnoreRules::new(std::slice::from_ref(&text))
                .map(drop)
                .map_err(|e| format!("ignore pattern {text:?}: {e}")),
        };
        checked.map(|()| Checked(text)).map_err(D::Error::custom)
    }
}

impl<const KIND: u8> PartialEq for Checked<KIND> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<const KIND: u8> Eq for Checked<KIND> {}

impl<const KIND: u8> PartialOrd for Checked<KIND> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<const KIND: u8> Ord for Checked<KIND> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

pub(super) fn de_environments<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, EnvironmentConfig>, D::Error> {
    let raw = BTreeMap::<Checked<ENV_NAME>, EnvironmentConfig>::deserialize(d)?;
    Ok(raw.into_iter().map(|(k, v)| (k.0, v)).collect())
}

pub(super) fn de_hosts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<HostEntry>, D::Error> {
    Vec::<HostEntry>::deserialize(d)
}

/// A host entry's table form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HostTable {
    host: Checked<HOST>,
    #[serde(default)]
    jump: Option<Checked<JUMP>>,
}

impl<'de> Deserialize<'de> for HostEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = HostEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a host (\"user@host:port\") or a table { host = \"…\", jump = \"…\" }")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<HostEntry, E> {
                check_host(text).map_err(E::custom)?;
                Ok(HostEntry::plain(text))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<HostEntry, A::Error> {
                let table =
                    HostTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(HostEntry {
                    host: table.host.0,
                    jump: table.jump.map(|j| j.0),
                })
            }
        }
        d.deserialize_any(Visit)
    }
}

pub(super) fn de_patterns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw = Vec::<Checked<PATTERN>>::deserialize(d)?;
    Ok(raw.into_iter().map(|p| p.0).collect())
}
