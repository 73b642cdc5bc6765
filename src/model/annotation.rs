//! Annotations: a team's recorded decision about one difference between environments.
//!
//! An annotation says a drifting fact is intentional (*justify*) or must be fixed
//! (*remediate*), with a reason, who decided and when, and a fingerprint of the values it
//! was made for, so a later change of those values shows it as stale. Deciding which
//! annotation applies to which drift is `diff::review`'s work; keeping them in the
//! workspace is `store`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::FactKey;

/// The prefix of an annotation's value fingerprint: `sha256:` and 64 lowercase hex digits.
pub const FINGERPRINT_PREFIX: &str = "sha256:";

/// What the team decided about a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    /// The difference is intentional and documented.
    Justify,
    /// The difference is a defect to fix.
    Remediate,
}

impl AnnotationKind {
    /// The lowercase name used in files and on the command line: `justify`, `remediate`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Justify => "justify",
            AnnotationKind::Remediate => "remediate",
        }
    }

    /// How a fact with this annotation reads: `justified`, `to remediate`.
    pub fn describe(self) -> &'static str {
        match self {
            AnnotationKind::Justify => "justified",
            AnnotationKind::Remediate => "to remediate",
        }
    }
}

impl fmt::Display for AnnotationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnnotationKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "justify" => Ok(AnnotationKind::Justify),
            "remediate" => Ok(AnnotationKind::Remediate),
            other => Err(format!(
                "unknown annotation kind '{other}' (expected justify or remediate)"
            )),
        }
    }
}

/// What makes an annotation unique in a workspace: the fact and the environments.
///
/// Ordered by category (display order), key, then environment names; the annotations
/// file is kept in this order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnotationId {
    /// The annotated fact.
    pub key: FactKey,
    /// The environments it applies to, sorted and distinct.
    pub environments: BTreeSet<String>,
}

impl AnnotationId {
    /// The identity of `key`'s annotation for the given environment names (in any
    /// order, repeats allowed: each side's environment, say).
    pub fn new<I, S>(key: FactKey, environments: I) -> AnnotationId
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AnnotationId {
            key,
            environments: environments.into_iter().map(Into::into).collect(),
        }
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} on {}",
            self.key,
            join_environments(&self.environments)
        )
    }
}

/// `prod, staging`: environment names joined for messages.
pub fn join_environments(environments: &BTreeSet<String>) -> String {
    environments
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A decision about one fact's difference between some environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The annotated fact: category and key.
    pub key: FactKey,
    /// The names of the environments compared when it was made, sorted and distinct.
    /// A comparison of `staging@2026-11-20` with `prod` gives `{prod, staging}`; one
    /// environment compared with itself over time gives just `{prod}`.
    pub environments: BTreeSet<String>,
    /// Justify or remediate.
    pub kind: AnnotationKind,
    /// Why: required, one paragraph.
    pub reason: String,
    /// A ticket number or link, if any.
    pub ticket: Option<String>,
    /// The last day (UTC) the annotation holds; from the next day on it is expired.
    pub expires: Option<NaiveDate>,
    /// Who made it (git `user.name`, else the OS user).
    pub author: String,
    /// When it was made, UTC, whole seconds.
    pub time: DateTime<Utc>,
    /// `sha256:<hex>` over the values the annotated environments held (see
    /// `diff::review::fingerprint`); redacted values enter only as their fingerprints.
    pub fingerprint: String,
    /// What each environment held when the decision was made, in words, for reviewers
    /// of the file (secrets as `(redacted)`). Informational: staleness follows the
    /// fingerprint. Empty for records written before it was kept.
    pub values: BTreeMap<String, String>,
    /// The batch the annotation was made in (a baseline acceptance or a bulk
    /// decision), so the batch can be listed and undone together; `None` for one-off
    /// decisions.
    pub batch: Option<String>,
}

impl Annotation {
    /// The annotation's identity: fact and environments.
    pub fn id(&self) -> AnnotationId {
        AnnotationId {
            key: self.key.clone(),
            environments: self.environments.clone(),
        }
    }

    /// True once the expiry day is over: on any day (UTC) after [`Annotation::expires`].
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_some_and(|last| now.date_naive() > last)
    }

    /// Checks what every stored annotation must satisfy; the error says which rule failed.
    ///
    /// The reason and author are not empty; there is at least one environment, none
    /// empty; an empty ticket is written as none; the fingerprint is `sha256:` and 64
    /// lowercase hex digits.
    pub fn validate(&self) -> Result<(), String> {
        if self.reason.trim().is_empty() {
            return Err("the reason may not be empty".to_string());
        }
        if self.author.trim().is_empty() {
            return Err("the author may not be empty".to_string());
        }
        if self.environments.is_empty() {
            return Err("an annotation needs at least one environment".to_string());
        }
        if self.environments.iter().any(|e| e.trim().is_empty()) {
            return Err("an environment name may not be empty".to_string());
        }
        if self.ticket.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err("the ticket may not be empty (leave it out instead)".to_string());
        }
        if self.batch.as_deref().is_some_and(|b| b.trim().is_empty()) {
            return Err("the batch may not be empty (leave it out instead)".to_string());
        }
        if !is_fingerprint(&self.fingerprint) {
            return Err(format!(
                "fingerprint '{}' is not '{FINGERPRINT_PREFIX}' followed by 64 hex digits",
                self.fingerprint
            ));
        }
        Ok(())
    }
}

/// Parses an expiry day as typed (`YYYY-MM-DD`), refusing a day before `today`.
pub fn parse_expiry(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let text = text.trim();
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date; use YYYY-MM-DD"))?;
    if day < today {
        return Err(format!("{day} is in the past; give today or a later day"));
    }
    Ok(day)
}

/// True for `sha256:` followed by 64 lowercase hex digits.
pub fn is_fingerprint(text: &str) -> bool {
    text.strip_prefix(FINGERPRINT_PREFIX).is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;
    use chrono::TimeZone;

    fn sample() -> Annotation {
        Annotation {
            key: FactKey::new(Category::Config, "env.LOG_LEVEL"),
            environments: ["staging".to_string(), "prod".to_string()].into(),
            kind: AnnotationKind::Justify,
            reason: "prod logs less".into(),
            ticket: None,
            expires: NaiveDate::from_ymd_opt(2026, 12, 31),
            author: "Dana".into(),
            time: Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap(),
            fingerprint: format!("{FINGERPRINT_PREFIX}{}", "a".repeat(64)),
            values: BTreeMap::new(),
            batch: None,
        }
    }

    #[test]
    fn identity_orders_environments_and_reads_well() {
        let id = sample().id();
        assert_eq!(id.to_string(), "config/env.LOG_LEVEL on prod, staging");
    }

    #[test]
    fn expiry_holds_through_the_last_day() {
        let a = sample();
        let last_day = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap();
        let next_day = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert!(!a.is_expired(last_day));
        assert!(a.is_expired(next_day));
        let forever = Annotation {
            expires: None,
            ..sample()
        };
        assert!(!forever.is_expired(next_day));
    }

    #[test]
    fn validation_names_the_broken_rule() {
        assert_eq!(sample().validate(), Ok(()));
        let blank = Annotation {
            reason: "  ".into(),
            ..sample()
        };
        assert!(blank.validate().unwrap_err().contains("reason"));
        let bad = Annotation {
            fingerprint: "sha256:XYZ".into(),
            ..sample()
        };
        assert!(bad.validate().unwrap_err().contains("fingerprint"));
        let nowhere = Annotation {
            environments: BTreeSet::new(),
            ..sample()
        };
        assert!(nowhere.validate().unwrap_err().contains("environment"));
    }

    #[test]
    fn expiry_days_are_dates_from_today_on() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(parse_expiry(" 2026-11-20 ", today), Ok(today));
        assert!(
            parse_expiry("2026-11-19", today)
                .unwrap_err()
                .contains("in the past")
        );
        assert!(
            parse_expiry("soon", today)
                .unwrap_err()
                .contains("not a date")
        );
    }

    #[test]
    fn identities_from_side_environments_collapse_repeats() {
        let key = FactKey::new(Category::Config, "x");
        let id = AnnotationId::new(key, ["prod", "staging", "prod"]);
        assert_eq!(id.to_string(), "config/x on prod, staging");
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in [AnnotationKind::Justify, AnnotationKind::Remediate] {
            assert_eq!(kind.as_str().parse::<AnnotationKind>(), Ok(kind));
        }
        assert!("fix".parse::<AnnotationKind>().is_err());
    }
}
