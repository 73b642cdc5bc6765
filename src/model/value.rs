//! Typed fact values.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A single plain value: a string, a number or a boolean.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// A number, kept exactly as JSON wrote it (integers stay integers).
    Number(serde_json::Number),
    /// A string.
    String(String),
}

impl Eq for Scalar {}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Number(n) => write!(f, "{n}"),
            Scalar::String(s) => f.write_str(s),
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::String(s.to_string())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::String(s)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

impl From<i64> for Scalar {
    fn from(n: i64) -> Self {
        Scalar::Number(n.into())
    }
}

impl From<u64> for Scalar {
    fn from(n: u64) -> Self {
        Scalar::Number(n.into())
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Bool(b) => serializer.serialize_bool(*b),
            Scalar::Number(n) => n.serialize(serializer),
            Scalar::String(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v.into()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v.into()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                serde_json::Number::from_f64(v)
                    .map(Scalar::Number)
                    .ok_or_else(|| E::custom("a number must be finite"))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::String(v.to_string()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::String(v))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// The typed value of a fact.
///
/// Serialized externally tagged, one key naming the kind:
/// `{"version": "3.11.4"}`, `{"set": ["a", "b"]}`, `{"redacted": "hmac-sha256:…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Value {
    /// A plain string, number or boolean, compared for equality.
    Scalar(Scalar),
    /// A version string, kept raw and compared by version rules.
    Version(String),
    /// An ordered list: order is part of the value.
    List(Vec<String>),
    /// An unordered set: members are kept sorted and unique.
    Set(Vec<String>),
    /// Multi-line text, such as a configuration file.
    Text(String),
    /// A small map of named fields, such as a certificate or a table column.
    Record(BTreeMap<String, String>),
    /// A secret, kept only as a keyed fingerprint (`hmac-sha256:<hex>`).
    Redacted(String),
}

impl Value {
    /// A scalar string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::Scalar(Scalar::String(s.into()))
    }

    /// A version value.
    pub fn version(s: impl Into<String>) -> Value {
        Value::Version(s.into())
    }

    /// A set value from any members; they are sorted and de-duplicated.
    pub fn set<I, S>(members: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut v: Vec<String> = members.into_iter().map(Into::into).collect();
        v.sort();
        v.dedup();
        Value::Set(v)
    }

    /// A record value from `(field, value)` pairs.
    pub fn record<I, K, V>(fields: I) -> Value
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Value::Record(
            fields
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// The kind's name as written in snapshot files.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Scalar(_) => "scalar",
            Value::Version(_) => "version",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Text(_) => "text",
            Value::Record(_) => "record",
            Value::Redacted(_) => "redacted",
        }
    }

    /// A short, single-line rendering for lists and tables.
    ///
    /// Redacted values never show their fingerprint here; text shows its line count.
    pub fn summary(&self) -> String {
        match self {
            Value::Scalar(s) => s.to_string(),
            Value::Version(v) => v.clone(),
            Value::List(items) => format!("[{}]", items.join(", ")),
            Value::Set(items) => format!("{{{}}}", items.join(", ")),
            Value::Text(t) => {
                let lines = t.lines().count();
                format!("{lines} line{}", if lines == 1 { "" } else { "s" })
            }
            Value::Record(fields) => fields
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Redacted(_) => "(redacted)".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_serialize_externally_tagged() {
        let v = Value::version("3.11.4");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"version":"3.11.4"}"#
        );
        let v = Value::Scalar(Scalar::from(8i64));
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"scalar":8}"#);
        let back: Value = serde_json::from_str(r#"{"scalar":true}"#).unwrap();
        assert_eq!(back, Value::Scalar(Scalar::Bool(true)));
    }

    #[test]
    fn set_constructor_sorts_and_dedups() {
        assert_eq!(
            Value::set(["b", "a", "b"]),
            Value::Set(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn redacted_summary_hides_the_fingerprint() {
        let v = Value::Redacted("hmac-sha256:abcdef".into());
        assert!(!v.summary().contains("abcdef"));
    }

    #[test]
    fn unknown_kind_is_rejected() {
        assert!(serde_json::from_str::<Value>(r#"{"blob":"x"}"#).is_err());
    }
}
