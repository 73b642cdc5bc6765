//! [`Facts`]: a terse way to add facts of one category to a snapshot.

use std::collections::BTreeMap;

use crate::model::{Category, Scalar, Snapshot, Value};

/// Adds facts of one category to a snapshot, one typed call per fact.
pub(super) struct Facts<'a> {
    snap: &'a mut Snapshot,
    category: Category,
}

impl<'a> Facts<'a> {
    /// Facts of `category` in `snap`.
    pub(super) fn new(snap: &'a mut Snapshot, category: Category) -> Facts<'a> {
        Facts { snap, category }
    }

    /// Adds any value.
    pub(super) fn value(&mut self, key: impl Into<String>, value: Value) {
        self.snap.insert(self.category, key, value);
    }

    /// Adds a version.
    pub(super) fn version(&mut self, key: impl Into<String>, version: &str) {
        self.value(key, Value::version(version));
    }

    /// Adds a scalar string, number or boolean.
    pub(super) fn scalar(&mut self, key: impl Into<String>, scalar: impl Into<Scalar>) {
        self.value(key, Value::Scalar(scalar.into()));
    }

    /// Adds multi-line text.
    pub(super) fn text(&mut self, key: impl Into<String>, text: String) {
        self.value(key, Value::Text(text));
    }

    /// Adds an ordered list.
    pub(super) fn list<S: Into<String>>(
        &mut self,
        key: impl Into<String>,
        items: impl IntoIterator<Item = S>,
    ) {
        self.value(
            key,
            Value::List(items.into_iter().map(Into::into).collect()),
        );
    }

    /// Adds an unordered set.
    pub(super) fn set<S: Into<String>>(
        &mut self,
        key: impl Into<String>,
        members: impl IntoIterator<Item = S>,
    ) {
        self.value(key, Value::set(members));
    }

    /// Adds a record from `(field, value)` pairs.
    pub(super) fn record<K: Into<String>, V: Into<String>>(
        &mut self,
        key: impl Into<String>,
        fields: impl IntoIterator<Item = (K, V)>,
    ) {
        let fields: BTreeMap<String, String> = fields
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.value(key, Value::Record(fields));
    }
}
