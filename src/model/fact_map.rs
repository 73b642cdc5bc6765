//! Reading a snapshot's `facts` object in one pass.
//!
//! Snapshot files list each category's facts sorted by key (`to_json` writes them so),
//! so each category's map is built from a vector in one bulk step rather than by one
//! search-and-insert per fact; set members are sorted and de-duplicated as they are
//! read. A file whose keys are out of order or repeated reads the same as through a
//! plain map: sorted, and the last of repeated keys wins.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{MapAccess, Visitor};

use super::snapshot::FactMap;
use super::{Category, Value};

/// Deserializes a [`FactMap`]; errors read as those of a plain map.
pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<FactMap, D::Error> {
    deserializer.deserialize_map(CategoriesVisitor)
}

/// Sorts and de-duplicates a set's members; other values are left alone.
pub(super) fn normalize(value: &mut Value) {
    if let Value::Set(members) = value {
        // Sets are usually written sorted already: checking is cheaper than sorting.
        if !members.is_sorted_by(|a, b| a < b) {
            members.sort();
            members.dedup();
        }
    }
}

struct CategoriesVisitor;

impl<'de> Visitor<'de> for CategoriesVisitor {
    type Value = FactMap;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FactMap, A::Error> {
        let mut facts = FactMap::new();
        while let Some(category) = map.next_key::<Category>()? {
            let category_facts = map.next_value_seed(FactsSeed(PhantomData))?;
            facts.insert(category, category_facts);
        }
        Ok(facts)
    }
}

/// One category's facts, as a `DeserializeSeed` so that `next_value_seed` can use it.
struct FactsSeed<'de>(PhantomData<&'de ()>);

impl<'de> serde::de::DeserializeSeed<'de> for FactsSeed<'de> {
    type Value = BTreeMap<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(FactsVisitor)
    }
}

struct FactsVisitor;

impl<'de> Visitor<'de> for FactsVisitor {
    type Value = BTreeMap<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((key, mut value)) = map.next_entry::<String, Value>()? {
            normalize(&mut value);
            entries.push((key, value));
        }
        // Bulk building checks the order in one pass (sorting only when needed) and
        // keeps the last of repeated keys, as inserting one by one would.
        Ok(entries.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<FactMap, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize(&mut de)
    }

    #[test]
    fn reads_what_a_plain_map_reads() {
        let json = r#"{"config": {"b": {"scalar": 1}, "a": {"scalar": 2}},
                       "versions": {"x": {"version": "1.0"}}}"#;
        let plain: FactMap = serde_json::from_str(json).unwrap();
        assert_eq!(read(json).unwrap(), plain);
    }

    #[test]
    fn the_last_of_repeated_keys_wins() {
        let json = r#"{"config": {"a": {"scalar": 1}, "b": {"scalar": 2}, "a": {"scalar": 3}}}"#;
        let facts = read(json).unwrap();
        let config = &facts[&Category::Config];
        assert_eq!(config.len(), 2);
        assert_eq!(config["a"], Value::Scalar(3i64.into()));
        let plain: FactMap = serde_json::from_str(json).unwrap();
        assert_eq!(facts, plain);
    }

    #[test]
    fn set_members_are_sorted_and_unique() {
        let facts = read(r#"{"network": {"r": {"set": ["b", "a", "b"]}}}"#).unwrap();
        assert_eq!(facts[&Category::Network]["r"], Value::set(["a", "b"]));
    }

    #[test]
    fn errors_read_as_those_of_a_plain_map() {
        for json in [
            r#"{"config": []}"#,
            r#"[]"#,
            r#"{"bogus": {}}"#,
            r#"{"config": {"a": {"blob": 1}}}"#,
            r#"{"config": {"a": {"scalar": 1}"#,
        ] {
            let plain = serde_json::from_str::<FactMap>(json).unwrap_err();
            assert_eq!(
                read(json).unwrap_err().to_string(),
                plain.to_string(),
                "{json}"
            );
        }
    }
}
