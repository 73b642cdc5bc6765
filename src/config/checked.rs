//! Strings checked while `driftscope.toml` is parsed, so that errors point at their
//! line and column.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::EnvironmentConfig;
use super::environments::{check_environment_name, check_host};
use crate::diff::IgnoreRules;

/// A string checked while parsing, so errors point at its line and column.
struct Checked<const KIND: u8>(String);

const ENV_NAME: u8 = 0;
const HOST: u8 = 1;
const PATTERN: u8 = 2;

impl<'de, const KIND: u8> Deserialize<'de> for Checked<KIND> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let checked = match KIND {
            ENV_NAME => check_environment_name(&text),
            HOST => check_host(&text),
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

pub(super) fn de_hosts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw = Vec::<Checked<HOST>>::deserialize(d)?;
    Ok(raw.into_iter().map(|h| h.0).collect())
}

pub(super) fn de_patterns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw = Vec::<Checked<PATTERN>>::deserialize(d)?;
    Ok(raw.into_iter().map(|p| p.0).collect())
}
