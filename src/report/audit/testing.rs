//! A reviewed sample comparison for the audit renderers' tests: every review state, a
//! resolved annotation, and person-typed text full of markup.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::diff::DriftReport;
use crate::diff::review::{AnnotationDraft, Reviews, annotate, review};
use crate::model::{Annotation, AnnotationKind, Category, FactKey};
use crate::report::testing::sample_report;

fn draft(
    kind: AnnotationKind,
    reason: &str,
    ticket: Option<&str>,
    expires: Option<NaiveDate>,
) -> AnnotationDraft {
    AnnotationDraft {
        kind,
        reason: reason.into(),
        ticket: ticket.map(str::to_string),
        expires,
    }
}

fn decide(
    report: &DriftReport,
    key: &str,
    draft: AnnotationDraft,
    (author, time): (&str, DateTime<Utc>),
) -> Annotation {
    let fact = report
        .facts
        .iter()
        .find(|f| f.key.key == key)
        .unwrap_or_else(|| panic!("{key} is not in the sample report"));
    let environments = ["staging".to_string(), "prod".to_string()];
    annotate(fact, &environments, draft, author, time).unwrap()
}

/// The sample report reviewed at 2026-11-22 12:00Z: two justified drifts (one with a
/// hostile reason), two to remediate (one with a link), one stale, one expired, the rest
/// unreviewed, and one annotation whose fact no longer drifts.
pub fn sample_audit() -> (DriftReport, Reviews, Vec<Annotation>, DateTime<Utc>) {
    let report = sample_report();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 10, 0, 0).unwrap();
    use AnnotationKind::{Justify, Remediate};
    let mut stale = decide(
        &report,
        "file:/etc/nginx/nginx.conf",
        draft(Justify, "Prod keeps idle connections shorter.", None, None),
        ("Dana Whitfield", day(15)),
    );
    // Made for other values than the ones compared now.
    stale.fingerprint = format!("sha256:{}", "0".repeat(64));
    let mut resolved = stale.clone();
    resolved.key = FactKey::new(Category::Versions, "kernel");
    resolved.reason = "Prod kernel was held back for a driver.".into();
    let annotations = vec![
        decide(
            &report,
            "env.LOG_LEVEL",
            draft(
                Justify,
                "Prod logs <b>less</b> | *on purpose* & \"by design\"\n<script>alert(1)</script>",
                Some("OPS-12"),
                NaiveDate::from_ymd_opt(2027, 3, 31),
            ),
            ("Dana Whitfield", day(18)),
        ),
        decide(
            &report,
            "package.curl",
            draft(Justify, "Build suffix only.", None, None),
            ("Sam Okafor", day(18)),
        ),
        decide(
            &report,
            "runtime.python",
            draft(
                Remediate,
                "Staging must run the Python prod runs.",
                Some("https://tickets.example/SHOP-7?from=audit&x=<y>"),
                None,
            ),
            ("Priya Raman", day(19)),
        ),
        decide(
            &report,
            "index:users_email",
            draft(
                Remediate,
                "Add the missing unique index in prod.",
                Some("DB-88"),
                None,
            ),
            ("Priya Raman", day(19)),
        ),
        stale,
        decide(
            &report,
            "resolvers",
            draft(
                Justify,
                "Until the resolver migration.",
                Some("javascript:alert(1)"),
                NaiveDate::from_ymd_opt(2026, 11, 19),
            ),
            ("Sam Okafor", day(12)),
        ),
        resolved,
    ];
    let environments = vec!["staging".to_string(), "prod".to_string()];
    let reviews = review(&report, &environments, &annotations, now);
    (report, reviews, annotations, now)
}
