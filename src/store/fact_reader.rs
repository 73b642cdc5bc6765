//! Reading one fact from a snapshot file without building the others.
//!
//! The document is streamed: every other category and key is skipped unparsed, so
//! looking a fact up across hundreds of snapshots costs little more than reading them.

use std::fmt;
use std::path::Path;

use serde::Deserializer;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};

use crate::model::{FORMAT_ID, FactKey, Value, check_header};

/// The value of `key` in the snapshot file at `path`, `None` when the snapshot lacks it.
///
/// The error is the reason, without the file's name.
pub fn read_fact(path: &Path, key: &FactKey) -> Result<Option<Value>, String> {
    let bytes =
        super::snapshot_file::read_snapshot_bytes(path).map_err(|e| format!("cannot read: {e}"))?;
    fact_in(&bytes, key)
}

/// The value of `key` in a snapshot document.
pub fn fact_in(bytes: &[u8], key: &FactKey) -> Result<Option<Value>, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = DocumentSeed(key)
        .deserialize(&mut de)
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| e.to_string())?;
    Ok(found)
}

/// The whole document: checks the format and version, looks into `facts`.
struct DocumentSeed<'k>(&'k FactKey);

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a driftscope snapshot document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut found = None;
        while let Some(field) = map.next_key::<String>()? {
            match field.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != FORMAT_ID {
                        return Err(A::Error::custom(format!(
                            "not a driftscope snapshot (format is '{format}')"
                        )));
                    }
                }
                "version" => {
                    let version: u64 = map.next_value()?;
                    if let Err(e) = check_header(Some(FORMAT_ID), Some(version)) {
                        return Err(A::Error::custom(e));
                    }
                }
                "facts" => found = map.next_value_seed(CategoriesSeed(self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// The `facts` object: category, then key.
struct CategoriesSeed<'k>(&'k FactKey);

impl<'de> DeserializeSeed<'de> for CategoriesSeed<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CategoriesSeed<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of categories to facts")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut found = None;
        while let Some(matches) = map.next_key_seed(Equals(self.0.category.as_str()))? {
            if matches {
                found = map.next_value_seed(KeysSeed(&self.0.key))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// One category's object: the wanted key's value is parsed, the rest skipped.
struct KeysSeed<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeysSeed<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for KeysSeed<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of fact keys to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut found = None;
        while let Some(matches) = map.next_key_seed(Equals(self.0))? {
            if matches {
                found = Some(map.next_value::<Value>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A string compared with the wanted one without being copied.
struct Equals<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for Equals<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Equals<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Snapshot, Source};
    use chrono::{TimeZone, Utc};

    fn document() -> String {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let mut s = Snapshot::new("prod", "web-1", t, Source::Local);
        s.insert(Category::Versions, "lib.openssl", Value::version("3.0.13"));
        s.insert(Category::Versions, "kernel", Value::version("6.1"));
        s.insert(
            Category::Config,
            "file:/etc/app \"quoted\".conf",
            Value::Text("a\nb\n".into()),
        );
        s.insert(Category::Network, "lib.openssl", Value::string("elsewhere"));
        s.to_json()
    }

    #[test]
    fn finds_one_fact_and_only_in_its_category() {
        let doc = document();
        let key = FactKey::new(Category::Versions, "lib.openssl");
        assert_eq!(
            fact_in(doc.as_bytes(), &key),
            Ok(Some(Value::version("3.0.13")))
        );
        let escaped = FactKey::new(Category::Config, "file:/etc/app \"quoted\".conf");
        assert_eq!(
            fact_in(doc.as_bytes(), &escaped),
            Ok(Some(Value::Text("a\nb\n".into())))
        );
        let absent = FactKey::new(Category::Infra, "lib.openssl");
        assert_eq!(fact_in(doc.as_bytes(), &absent), Ok(None));
    }

    #[test]
    fn foreign_newer_and_broken_documents_are_refused() {
        let key = FactKey::new(Category::Versions, "kernel");
        let doc = document();
        let newer = doc.replace(
            &format!("\"version\": {}", crate::model::FORMAT_VERSION),
            "\"version\": 3",
        );
        assert!(
            fact_in(newer.as_bytes(), &key)
                .unwrap_err()
                .contains("unsupported snapshot format version 3")
        );
        let foreign = doc.replace("driftscope-snapshot", "other");
        assert!(
            fact_in(foreign.as_bytes(), &key)
                .unwrap_err()
                .contains("not a driftscope snapshot")
        );
        assert!(fact_in(&doc.as_bytes()[..doc.len() / 2], &key).is_err());
        assert!(fact_in(b"[1, 2]", &key).is_err());
    }
}
