//! Detailed comparisons of a side's value against the baseline's.

use std::collections::BTreeSet;

use super::text::side_by_side;
use super::version::Scheme;
use super::{Comparison, FieldChange};
use crate::model::Value;

/// How `other` differs from `base`, for the kinds where detail helps: versions, texts,
/// sets and lists, records. `None` for scalars, secrets and mismatched kinds. Versions
/// are compared by `scheme`.
pub(crate) fn against_baseline(base: &Value, other: &Value, scheme: Scheme) -> Option<Comparison> {
    match (base, other) {
        (Value::Version(b), Value::Version(o)) => Some(Comparison::Version {
            ordering: scheme.compare(o, b),
            level: scheme.classify(b, o),
        }),
        (Value::Text(b), Value::Text(o)) => Some(Comparison::Text {
            rows: side_by_side(b, o),
        }),
        (Value::Set(b), Value::Set(o)) | (Value::List(b), Value::List(o)) => Some(members(b, o)),
        (Value::Record(b), Value::Record(o)) => {
            let fields: BTreeSet<&String> = b.keys().chain(o.keys()).collect();
            let changes = fields
                .into_iter()
                .filter_map(|field| {
                    let (vb, vo) = (b.get(field), o.get(field));
                    (vb != vo).then(|| FieldChange {
                        field: field.clone(),
                        base: vb.cloned(),
                        other: vo.cloned(),
                    })
                })
                .collect();
            Some(Comparison::Fields { changes })
        }
        _ => None,
    }
}

/// Members only on one side, each list sorted and without repeats.
fn members(base: &[String], other: &[String]) -> Comparison {
    let b: BTreeSet<&String> = base.iter().collect();
    let o: BTreeSet<&String> = other.iter().collect();
    Comparison::Members {
        added: o.difference(&b).map(|s| (*s).clone()).collect(),
        removed: b.difference(&o).map(|s| (*s).clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;
    use crate::diff::{ChangeKind, RowTag};
    use crate::model::Scalar;

    #[test]
    fn versions_report_direction_and_level() {
        let c = against_baseline(
            &Value::version("3.12.1"),
            &Value::version("3.11.4"),
            Scheme::Plain,
        );
        assert_eq!(
            c,
            Some(Comparison::Version {
                ordering: Ordering::Less,
                level: ChangeKind::Minor
            })
        );
    }

    #[test]
    fn texts_give_rows() {
        let Some(Comparison::Text { rows }) = against_baseline(
            &Value::Text("a\nb\n".into()),
            &Value::Text("a\nc\n".into()),
            Scheme::Plain,
        ) else {
            panic!("expected a text comparison");
        };
        assert_eq!(rows[1].tag, RowTag::Changed);
    }

    #[test]
    fn sets_and_lists_give_added_and_removed_members() {
        let c = against_baseline(
            &Value::set(["a", "b"]),
            &Value::set(["b", "c", "d"]),
            Scheme::Plain,
        );
        assert_eq!(
            c,
            Some(Comparison::Members {
                added: vec!["c".into(), "d".into()],
                removed: vec!["a".into()],
            })
        );
        let reordered = against_baseline(
            &Value::List(vec!["x".into(), "y".into()]),
            &Value::List(vec!["y".into(), "x".into()]),
            Scheme::Plain,
        );
        assert_eq!(
            reordered,
            Some(Comparison::Members {
                added: vec![],
                removed: vec![]
            })
        );
    }

    #[test]
    fn records_give_changed_added_and_removed_fields_sorted() {
        let base = Value::record([("type", "int"), ("null", "no"), ("default", "0")]);
        let other = Value::record([("type", "bigint"), ("null", "no"), ("comment", "id")]);
        let Some(Comparison::Fields { changes }) = against_baseline(&base, &other, Scheme::Plain)
        else {
            panic!("expected a fields comparison");
        };
        let names: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(names, ["comment", "default", "type"]);
        assert_eq!(changes[0].base, None);
        assert_eq!(changes[1].other, None);
        assert_eq!(changes[2].base.as_deref(), Some("int"));
        assert_eq!(changes[2].other.as_deref(), Some("bigint"));
    }

    #[test]
    fn scalars_secrets_and_mixed_kinds_have_no_detail() {
        let a = Value::Scalar(Scalar::from(1i64));
        let b = Value::Scalar(Scalar::from(2i64));
        assert_eq!(against_baseline(&a, &b, Scheme::Plain), None);
        let r1 = Value::Redacted("hmac-sha256:1".into());
        let r2 = Value::Redacted("hmac-sha256:2".into());
        assert_eq!(against_baseline(&r1, &r2, Scheme::Plain), None);
        assert_eq!(
            against_baseline(&Value::set(["a"]), &a, Scheme::Plain),
            None
        );
    }
}
