//! Severity rules for schema facts, on top of the generic rules.
//!
//! The generic rating already makes a missing table, column or index critical and a
//! changed record high. Schema facts refine that:
//!
//! - `rows:` facts (row-count estimates) are informational: any difference is low.
//! - A changed record (column, index, constraint, table, view, sequence, function,
//!   trigger) rates by its worst changed field: a type, nullability, definition or
//!   body change is high; a default, volatility or validation change medium; a
//!   comment, column position or sequence cache change low.
//! - Enum labels in another order are medium (order decides comparisons and sorting).
//!
//! Every rule is symmetric, like the generic ones.

use std::collections::BTreeMap;

use super::Rating;
use crate::diff::{ChangeKind, Severity};
use crate::model::{SchemaKind, Value, parse_schema_key};

/// Record fields whose change is cosmetic or informational.
const LOW_FIELDS: &[&str] = &["comment", "position", "cache"];

/// Record fields whose change alters behaviour in a limited way.
const MEDIUM_FIELDS: &[&str] = &[
    "default",
    "identity",
    "deferrable",
    "validated",
    "volatility",
    "strict",
    "language",
    "start",
];

/// Adjusts the generic `rating` of a schema fact with key `key`; other keys keep it.
pub(super) fn refine(key: &str, a: Option<&Value>, b: Option<&Value>, rating: Rating) -> Rating {
    if rating == Rating::NONE {
        return rating;
    }
    let Some(kind) = parse_schema_key(key).map(|k| k.kind) else {
        return rating;
    };
    match (kind, a, b) {
        (SchemaKind::Rows, _, _) => Rating {
            severity: Severity::Low,
            change: rating.change,
        },
        (_, Some(Value::Record(x)), Some(Value::Record(y))) => Rating {
            severity: worst_field(x, y),
            change: rating.change,
        },
        (SchemaKind::Enum, _, _) if rating.change == ChangeKind::Order => Rating {
            severity: Severity::Medium,
            change: ChangeKind::Order,
        },
        _ => rating,
    }
}

/// The severity of the worst field that differs between two records.
fn worst_field(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Severity {
    a.keys()
        .chain(b.keys())
        .filter(|field| a.get(*field) != b.get(*field))
        .map(|field| field_severity(field))
        .max()
        .unwrap_or(Severity::None)
}

/// How much a change of one record field matters.
fn field_severity(field: &str) -> Severity {
    if LOW_FIELDS.contains(&field) {
        Severity::Low
    } else if MEDIUM_FIELDS.contains(&field) {
        Severity::Medium
    } else {
        Severity::High
    }
}

#[cfg(test)]
mod tests {
    use super::super::rate_fact;
    use super::*;
    use crate::diff::version::Scheme;
    use crate::model::{Category, FactKey, Scalar};

    fn rated(key: &str, a: Option<&Value>, b: Option<&Value>) -> (Severity, ChangeKind) {
        let key = FactKey::new(Category::Schema, key);
        let r = rate_fact(&key, Scheme::Plain, a, b);
        assert_eq!(
            r,
            rate_fact(&key, Scheme::Plain, b, a),
            "rating must be symmetric"
        );
        (r.severity, r.change)
    }

    fn column(fields: &[(&str, &str)]) -> Value {
        Value::record(fields.iter().copied())
    }

    #[test]
    fn missing_tables_columns_and_indexes_are_critical() {
        let v = column(&[("type", "integer")]);
        for key in [
            "table:public.users",
            "column:public.users.email",
            "index:public.users.users_email_key",
        ] {
            assert_eq!(
                rated(key, Some(&v), None),
                (Severity::Critical, ChangeKind::Missing)
            );
        }
    }

    #[test]
    fn type_and_nullability_changes_are_high() {
        let base = column(&[
            ("type", "integer"),
            ("nullable", "false"),
            ("position", "3"),
        ]);
        let retyped = column(&[("type", "bigint"), ("nullable", "false"), ("position", "4")]);
        let nullable = column(&[("type", "integer"), ("nullable", "true"), ("position", "3")]);
        let key = "column:public.payments.amount_cents";
        assert_eq!(
            rated(key, Some(&base), Some(&retyped)),
            (Severity::High, ChangeKind::Fields)
        );
        assert_eq!(
            rated(key, Some(&base), Some(&nullable)),
            (Severity::High, ChangeKind::Fields)
        );
    }

    #[test]
    fn defaults_are_medium_and_comments_and_positions_low() {
        let base = column(&[("type", "text"), ("position", "2")]);
        let key = "column:public.users.locale";
        let with_default = column(&[("type", "text"), ("position", "2"), ("default", "'en'")]);
        assert_eq!(
            rated(key, Some(&base), Some(&with_default)).0,
            Severity::Medium
        );
        let commented = column(&[
            ("type", "text"),
            ("position", "2"),
            ("comment", "UI language"),
        ]);
        assert_eq!(rated(key, Some(&base), Some(&commented)).0, Severity::Low);
        let moved = column(&[("type", "text"), ("position", "5")]);
        assert_eq!(rated(key, Some(&base), Some(&moved)).0, Severity::Low);
    }

    #[test]
    fn row_estimates_are_low_even_when_missing() {
        let a = Value::Scalar(Scalar::from(10i64));
        let b = Value::Scalar(Scalar::from(12_000i64));
        assert_eq!(
            rated("rows:public.users", Some(&a), Some(&b)),
            (Severity::Low, ChangeKind::Value)
        );
        assert_eq!(
            rated("rows:public.users", Some(&a), None),
            (Severity::Low, ChangeKind::Missing)
        );
        assert_eq!(
            rated("rows:public.users", Some(&a), Some(&a)).0,
            Severity::None
        );
    }

    #[test]
    fn enum_order_is_medium_and_labels_high() {
        let list = |items: &[&str]| Value::List(items.iter().map(|s| s.to_string()).collect());
        let key = "enum:public.order_status";
        let base = list(&["pending", "paid"]);
        assert_eq!(
            rated(key, Some(&base), Some(&list(&["paid", "pending"]))),
            (Severity::Medium, ChangeKind::Order)
        );
        assert_eq!(
            rated(
                key,
                Some(&base),
                Some(&list(&["pending", "paid", "refunded"]))
            ),
            (Severity::High, ChangeKind::Members)
        );
    }

    #[test]
    fn other_categories_and_kinds_keep_the_generic_rating() {
        let a = Value::Scalar(Scalar::from(1i64));
        let b = Value::Scalar(Scalar::from(2i64));
        let key = FactKey::new(Category::Config, "rows:public.users");
        assert_eq!(
            rate_fact(&key, Scheme::Plain, Some(&a), Some(&b)).severity,
            Severity::High
        );
        assert_eq!(
            rated(
                "extension:hstore",
                Some(&Value::version("1.7")),
                Some(&Value::version("1.8"))
            ),
            (Severity::High, ChangeKind::Minor)
        );
        // Migrations applied on one side only are critical: the ladder's schema rung.
        assert_eq!(
            rated(
                "migrations:rails",
                Some(&Value::set(["1", "2"])),
                Some(&Value::set(["1"]))
            ),
            (Severity::Critical, ChangeKind::Members)
        );
    }
}
