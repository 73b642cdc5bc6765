//! How bad the difference between two values of a fact is.
//!
//! Every rule here is symmetric, and [`Rating::worse`] breaks severity ties by a fixed
//! rank of change kinds, so the worst rating over a set of values does not depend on
//! the order in which the values are seen.

use std::cmp::Ordering;

use super::version::Scheme;
use super::{ChangeKind, FactDiff, Severity};
use crate::model::{Category, FactKey, Value};

pub mod ladder;
mod schema;

/// A severity with the kind of change that drove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rating {
    /// How bad it is.
    pub severity: Severity,
    /// What kind of change it is.
    pub change: ChangeKind,
}

impl Rating {
    /// No difference.
    pub const NONE: Rating = Rating::new(Severity::None, ChangeKind::None);

    const fn new(severity: Severity, change: ChangeKind) -> Rating {
        Rating { severity, change }
    }

    /// The worse of two ratings: higher severity, then the higher-ranked change kind.
    pub fn worse(self, other: Rating) -> Rating {
        let key = |r: Rating| (r.severity, rank(r.change));
        if key(other) > key(self) { other } else { self }
    }
}

/// The report's order, worst first: severity, then the ladder's rung (see [`ladder`]),
/// then the kind of change, then missing before differing, then category and key.
pub fn priority(a: &FactDiff, b: &FactDiff) -> Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| ladder::rung(&a.key).cmp(&ladder::rung(&b.key)))
        .then_with(|| rank(b.change).cmp(&rank(a.change)))
        .then(b.status.cmp(&a.status))
        .then_with(|| a.key.cmp(&b.key))
}

/// Tie-break order among change kinds of equal severity; higher is more telling.
fn rank(change: ChangeKind) -> u8 {
    match change {
        ChangeKind::None => 0,
        ChangeKind::Order => 1,
        ChangeKind::Whitespace => 2,
        ChangeKind::Build => 3,
        ChangeKind::Patch => 4,
        ChangeKind::Fields => 5,
        ChangeKind::Members => 6,
        ChangeKind::Text => 7,
        ChangeKind::Value => 8,
        ChangeKind::Minor => 9,
        ChangeKind::Secret => 10,
        ChangeKind::Kind => 11,
        ChangeKind::Major => 12,
        ChangeKind::Missing => 13,
    }
}

/// Rates the difference between two values of the fact `key`, versions compared by
/// `scheme`: the generic rules of [`rate`], refined for categories that have their own
/// ([`schema`]), then placed on the severity [`ladder`].
pub(crate) fn rate_fact(
    key: &FactKey,
    scheme: Scheme,
    a: Option<&Value>,
    b: Option<&Value>,
) -> Rating {
    let generic = rate_with(scheme, a, b);
    let refined = match key.category {
        Category::Schema => schema::refine(&key.key, a, b, generic),
        _ => generic,
    };
    ladder::place(key, refined)
}

/// Rates the difference between two values of one fact with the plain version scheme;
/// `None` is absence.
#[cfg(test)]
pub(crate) fn rate(a: Option<&Value>, b: Option<&Value>) -> Rating {
    rate_with(Scheme::Plain, a, b)
}

/// Rates the difference between two values of one fact, whatever the fact; `None` is
/// absence.
fn rate_with(scheme: Scheme, a: Option<&Value>, b: Option<&Value>) -> Rating {
    use ChangeKind as C;
    use Severity as S;
    let (a, b) = match (a, b) {
        (None, None) => return Rating::NONE,
        (Some(_), None) | (None, Some(_)) => return Rating::new(S::Critical, C::Missing),
        (Some(a), Some(b)) if a == b => return Rating::NONE,
        (Some(a), Some(b)) => (a, b),
    };
    match (a, b) {
        (Value::Version(x), Value::Version(y)) => match scheme.classify(x, y) {
            C::Major => Rating::new(S::Critical, C::Major),
            C::Minor => Rating::new(S::High, C::Minor),
            C::Patch => Rating::new(S::Medium, C::Patch),
            // The strings differ, so a `None` here can only be cosmetic.
            _ => Rating::new(S::Low, C::Build),
        },
        (Value::Scalar(_), Value::Scalar(_)) => Rating::new(S::High, C::Value),
        (Value::Text(x), Value::Text(y)) => {
            if same_ignoring_whitespace(x, y) {
                Rating::new(S::Low, C::Whitespace)
            } else {
                Rating::new(S::High, C::Text)
            }
        }
        (Value::List(x), Value::List(y)) => members_rating(x, y, false),
        (Value::Set(x), Value::Set(y)) => members_rating(x, y, true),
        (Value::Record(_), Value::Record(_)) => Rating::new(S::High, C::Fields),
        (Value::Redacted(_), Value::Redacted(_)) => Rating::new(S::High, C::Secret),
        _ => Rating::new(S::High, C::Kind),
    }
}

/// `Order` when two differing lists (or unnormalised sets) hold the same members,
/// else `Members`.
fn members_rating(a: &[String], b: &[String], dedup: bool) -> Rating {
    fn sorted(items: &[String], dedup: bool) -> Vec<&str> {
        let mut v: Vec<&str> = items.iter().map(String::as_str).collect();
        v.sort_unstable();
        if dedup {
            v.dedup();
        }
        v
    }
    if sorted(a, dedup) == sorted(b, dedup) {
        Rating::new(Severity::Low, ChangeKind::Order)
    } else {
        Rating::new(Severity::High, ChangeKind::Members)
    }
}

/// True when two texts differ only in whitespace: indentation, trailing spaces, runs
/// of spaces within a line, blank lines and line endings.
pub(crate) fn same_ignoring_whitespace(a: &str, b: &str) -> bool {
    let mut lines_a = a.lines().filter(|l| !l.trim().is_empty());
    let mut lines_b = b.lines().filter(|l| !l.trim().is_empty());
    loop {
        match (lines_a.next(), lines_b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.split_whitespace().eq(y.split_whitespace()) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scalar;

    fn rated(a: &Value, b: &Value) -> (Severity, ChangeKind) {
        let r = rate(Some(a), Some(b));
        let back = rate(Some(b), Some(a));
        assert_eq!(r, back, "rating must be symmetric");
        (r.severity, r.change)
    }

    #[test]
    fn equal_values_and_double_absence_rate_none() {
        let v = Value::version("1.0");
        assert_eq!(rate(Some(&v), Some(&v)), Rating::NONE);
        assert_eq!(rate(None, None), Rating::NONE);
    }

    #[test]
    fn absence_is_critical_missing() {
        let v = Value::string("x");
        let r = rate(Some(&v), None);
        assert_eq!(
            (r.severity, r.change),
            (Severity::Critical, ChangeKind::Missing)
        );
        assert_eq!(rate(None, Some(&v)), r);
    }

    #[test]
    fn versions_rate_by_level() {
        let v = Value::version;
        assert_eq!(
            rated(&v("1.2.3"), &v("2.0.0")),
            (Severity::Critical, ChangeKind::Major)
        );
        assert_eq!(
            rated(&v("1.2.3"), &v("1.3.0")),
            (Severity::High, ChangeKind::Minor)
        );
        assert_eq!(
            rated(&v("1.2.3"), &v("1.2.4")),
            (Severity::Medium, ChangeKind::Patch)
        );
        assert_eq!(
            rated(&v("1.2.3-1"), &v("1.2.3-2")),
            (Severity::Low, ChangeKind::Build)
        );
    }

    #[test]
    fn scalars_rate_high_value() {
        let a = Value::Scalar(Scalar::from(2i64));
        let b = Value::Scalar(Scalar::from(8i64));
        assert_eq!(rated(&a, &b), (Severity::High, ChangeKind::Value));
    }

    #[test]
    fn text_whitespace_only_is_low() {
        let a = Value::Text("server {\n  listen 80;\n}\n".into());
        let b = Value::Text("server {\n\n\tlisten   80;  \n}".into());
        assert_eq!(rated(&a, &b), (Severity::Low, ChangeKind::Whitespace));
        let c = Value::Text("server {\n  listen 81;\n}\n".into());
        assert_eq!(rated(&a, &c), (Severity::High, ChangeKind::Text));
        let joined = Value::Text("server { listen 80; }\n".into());
        assert_eq!(rated(&a, &joined), (Severity::High, ChangeKind::Text));
    }

    #[test]
    fn members_and_order() {
        let list = |items: &[&str]| Value::List(items.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            rated(&list(&["a", "b"]), &list(&["b", "a"])),
            (Severity::Low, ChangeKind::Order)
        );
        assert_eq!(
            rated(&list(&["a", "b"]), &list(&["a", "c"])),
            (Severity::High, ChangeKind::Members)
        );
        assert_eq!(
            rated(&list(&["a", "a"]), &list(&["a"])),
            (Severity::High, ChangeKind::Members)
        );
        assert_eq!(
            rated(&Value::set(["a"]), &Value::set(["a", "b"])),
            (Severity::High, ChangeKind::Members)
        );
    }

    #[test]
    fn records_secrets_and_kinds() {
        assert_eq!(
            rated(&Value::record([("a", "1")]), &Value::record([("a", "2")])),
            (Severity::High, ChangeKind::Fields)
        );
        assert_eq!(
            rated(
                &Value::Redacted("hmac-sha256:aa".into()),
                &Value::Redacted("hmac-sha256:bb".into())
            ),
            (Severity::High, ChangeKind::Secret)
        );
        assert_eq!(
            rated(&Value::string("1.0"), &Value::version("1.0")),
            (Severity::High, ChangeKind::Kind)
        );
    }

    #[test]
    fn worse_prefers_severity_then_rank_in_any_order() {
        let minor = Rating::new(Severity::High, ChangeKind::Minor);
        let kind = Rating::new(Severity::High, ChangeKind::Kind);
        let patch = Rating::new(Severity::Medium, ChangeKind::Patch);
        assert_eq!(minor.worse(kind), kind);
        assert_eq!(kind.worse(minor), kind);
        assert_eq!(patch.worse(minor), minor);
        assert_eq!(Rating::NONE.worse(patch), patch);
    }
}
