//! The annotations file: round trip, byte-stable saves, stale and expired detection
//! through the file, merging changes made on disk meanwhile, undo, and errors that name
//! the file and line.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use driftscope::diff::review::{AnnotationDraft, ReviewState, annotate, review};
use driftscope::diff::{DiffOptions, DriftReport, Side, compare};
use driftscope::model::{
    Annotation, AnnotationId, AnnotationKind, Category, FactKey, Scalar, Snapshot, Source, Value,
};
use driftscope::store::{
    ANNOTATIONS_FILE, AnnotationStore, Workspace, parse_annotations, render_annotations,
};
use tempfile::TempDir;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()
}

fn fingerprint(n: u8) -> String {
    format!("sha256:{}", format!("{n:02x}").repeat(32))
}

fn record(category: Category, key: &str, envs: &[&str], kind: AnnotationKind) -> Annotation {
    Annotation {
        key: FactKey::new(category, key),
        environments: envs.iter().map(|e| e.to_string()).collect(),
        kind,
        reason: format!("reason for {key}"),
        ticket: None,
        expires: None,
        author: "Dana".into(),
        time: t0(),
        fingerprint: fingerprint(1),
        values: Default::default(),
        batch: None,
    }
}

/// Several records covering every field, including text that needs escaping.
fn varied() -> Vec<Annotation> {
    let mut quoted = record(
        Category::Config,
        "file:/etc/app \"main\".conf",
        &["staging", "prod"],
        AnnotationKind::Remediate,
    );
    quoted.reason = "Line one\nline \"two\" with a \\ and a tab\t; ünïcode".into();
    quoted.ticket = Some("https://tickets.example/SHOP-1?a=1&b=2".into());
    quoted.expires = NaiveDate::from_ymd_opt(2027, 1, 31);
    quoted.author = "Zoë O'Neil".into();
    vec![
        record(
            Category::Network,
            "resolv.nameservers",
            &["staging", "prod"],
            AnnotationKind::Justify,
        ),
        quoted,
        record(
            Category::Versions,
            "runtime.python",
            &["staging", "prod"],
            AnnotationKind::Justify,
        ),
        record(
            Category::Versions,
            "runtime.python",
            &["dev", "prod"],
            AnnotationKind::Justify,
        ),
        record(
            Category::Versions,
            "runtime.python",
            &["prod"],
            AnnotationKind::Remediate,
        ),
    ]
}

fn open(dir: &Path) -> AnnotationStore {
    AnnotationStore::open(&dir.join(ANNOTATIONS_FILE), ANNOTATIONS_FILE).unwrap()
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(ANNOTATIONS_FILE)).unwrap()
}

#[test]
fn records_round_trip_through_the_file_sorted_by_identity() {
    let text = render_annotations(&varied());
    let back = parse_annotations(&text, ANNOTATIONS_FILE).unwrap();
    let mut expected = varied();
    expected.sort_by_key(Annotation::id);
    assert_eq!(back, expected);
    let order: Vec<String> = back.iter().map(|a| a.id().to_string()).collect();
    assert_eq!(
        order,
        [
            "versions/runtime.python on dev, prod",
            "versions/runtime.python on prod",
            "versions/runtime.python on prod, staging",
            "config/file:/etc/app \"main\".conf on prod, staging",
            "network/resolv.nameservers on prod, staging",
        ]
    );
}

#[test]
fn the_file_reads_as_one_table_per_record_with_fixed_field_order() {
    let text = render_annotations(&varied()[..1]);
    let table = text.split("[[annotation]]\n").nth(1).unwrap();
    assert_eq!(
        table,
        "category = \"network\"\n\
         key = \"resolv.nameservers\"\n\
         environments = [\"prod\", \"staging\"]\n\
         kind = \"justify\"\n\
         reason = \"reason for resolv.nameservers\"\n\
         author = \"Dana\"\n\
         time = \"2026-11-20T09:30:00Z\"\n\
         fingerprint = \"sha256:0101010101010101010101010101010101010101010101010101010101010101\"\n"
    );
    assert!(text.starts_with("# driftscope annotations"), "{text}");
}

#[test]
fn re_saving_an_unchanged_file_is_byte_identical() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    for a in varied() {
        store.put(a).unwrap();
    }
    let first = read(dir.path());
    // Any input order renders the same bytes, and re-rendering what was read changes nothing.
    let mut reversed = varied();
    reversed.reverse();
    assert_eq!(render_annotations(&reversed), first);
    let reread = parse_annotations(&first, ANNOTATIONS_FILE).unwrap();
    assert_eq!(render_annotations(&reread), first);
    // Putting a record identical to the stored one leaves the file as it was.
    let mut store = open(dir.path());
    store.put(varied()[2].clone()).unwrap();
    assert_eq!(read(dir.path()), first);
}

#[test]
fn a_missing_file_means_no_annotations_and_is_created_on_the_first_change() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    assert!(store.records().is_empty());
    assert!(!dir.path().join(ANNOTATIONS_FILE).exists());
    let a = varied().remove(0);
    store.put(a.clone()).unwrap();
    assert_eq!(open(dir.path()).records(), [a]);
}

#[test]
fn put_replaces_a_record_with_the_same_identity_and_undo_restores_it() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    let first = varied().remove(0);
    store.put(first.clone()).unwrap();
    let replacement = Annotation {
        kind: AnnotationKind::Remediate,
        reason: "changed our minds".into(),
        time: t0() + TimeDelta::hours(1),
        ..first.clone()
    };
    store.put(replacement.clone()).unwrap();
    assert_eq!(open(dir.path()).records(), [replacement]);
    assert_eq!(store.next_undo(), Some(&first.id()));
    store.undo().unwrap().unwrap();
    assert_eq!(open(dir.path()).records(), std::slice::from_ref(&first));
    store.undo().unwrap().unwrap();
    assert!(open(dir.path()).records().is_empty());
    assert!(store.undo().unwrap().is_none());
    assert!(!store.can_undo());
}

#[test]
fn remove_deletes_one_record_undo_brings_it_back_and_a_missing_one_is_an_error() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    for a in varied() {
        store.put(a).unwrap();
    }
    let gone = varied().remove(1);
    store.remove(&gone.id()).unwrap();
    assert_eq!(open(dir.path()).records().len(), 4);
    assert!(open(dir.path()).find(&gone.id()).is_none());
    store.undo().unwrap();
    assert_eq!(open(dir.path()).find(&gone.id()), Some(&gone));
    let nothing = AnnotationId {
        key: FactKey::new(Category::Infra, "cpu.count"),
        environments: BTreeSet::from(["prod".to_string()]),
    };
    let err = store.remove(&nothing).unwrap_err().to_string();
    assert_eq!(err, "there is no annotation for infra/cpu.count on prod");
}

#[test]
fn invalid_annotations_are_refused_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    let blank = Annotation {
        reason: " ".into(),
        ..varied().remove(0)
    };
    let err = store.put(blank).unwrap_err().to_string();
    assert!(err.contains("reason may not be empty"), "{err}");
    let bad_env = record(Category::Config, "x", &["my env"], AnnotationKind::Justify);
    let err = store.put(bad_env).unwrap_err().to_string();
    assert!(err.contains("whitespace"), "{err}");
    assert!(!dir.path().join(ANNOTATIONS_FILE).exists());
    assert!(!store.can_undo());
}

#[test]
fn changes_made_on_disk_meanwhile_are_merged_and_no_record_is_lost() {
    let dir = TempDir::new().unwrap();
    let records = varied();
    let mut setup = open(dir.path());
    setup.put(records[0].clone()).unwrap();
    setup.put(records[1].clone()).unwrap();

    // Two people load the same file.
    let mut alice = open(dir.path());
    let mut bob = open(dir.path());
    // Bob adds one record and removes another, and saves first.
    bob.put(records[2].clone()).unwrap();
    bob.remove(&records[1].id()).unwrap();
    // Alice adds a different record without having seen Bob's changes.
    let report = alice.put(records[3].clone()).unwrap();
    assert!(report.merged);
    assert_eq!(report.from_disk, 2, "{report:?}");
    assert!(report.conflicts.is_empty(), "{report:?}");
    let messages = report.messages(ANNOTATIONS_FILE);
    assert!(
        messages[0].starts_with("annotations.toml had changed on disk; merged: 2 records"),
        "{messages:?}"
    );

    let mut expected = vec![records[0].clone(), records[2].clone(), records[3].clone()];
    expected.sort_by_key(Annotation::id);
    assert_eq!(open(dir.path()).records(), expected);
    assert_eq!(alice.records(), expected);
    // Bob's next save picks up Alice's record in turn.
    bob.put(records[4].clone()).unwrap();
    assert_eq!(open(dir.path()).records().len(), 4);
}

#[test]
fn a_record_changed_on_both_sides_keeps_the_newer_and_reports_the_other() {
    let dir = TempDir::new().unwrap();
    let base = varied().remove(0);
    open(dir.path()).put(base.clone()).unwrap();
    let mut alice = open(dir.path());
    let mut bob = open(dir.path());
    let newer = Annotation {
        reason: "bob's newer reason".into(),
        time: t0() + TimeDelta::hours(2),
        ..base.clone()
    };
    bob.put(newer.clone()).unwrap();
    let older = Annotation {
        reason: "alice's reason".into(),
        time: t0() + TimeDelta::hours(1),
        ..base.clone()
    };
    let report = alice.put(older).unwrap();
    assert_eq!(open(dir.path()).records(), std::slice::from_ref(&newer));
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    let conflict = &report.conflicts[0];
    assert!(
        conflict.contains("kept the newer from the file") && conflict.contains("alice's reason"),
        "{conflict}"
    );

    // A removal against someone else's change keeps the change.
    let mut carol = open(dir.path());
    let mut dan = open(dir.path());
    let changed = Annotation {
        reason: "dan's reason".into(),
        time: t0() + TimeDelta::hours(3),
        ..newer.clone()
    };
    dan.put(changed.clone()).unwrap();
    let report = carol.remove(&newer.id()).unwrap();
    assert_eq!(open(dir.path()).records(), [changed]);
    assert!(
        report.conflicts[0].contains("removed here but changed in annotations.toml"),
        "{report:?}"
    );
}

#[test]
fn an_unreadable_change_on_disk_stops_the_save_and_keeps_the_file() {
    let dir = TempDir::new().unwrap();
    let mut store = open(dir.path());
    store.put(varied().remove(0)).unwrap();
    let broken = "[[annotation]]\ncategory = \n";
    std::fs::write(dir.path().join(ANNOTATIONS_FILE), broken).unwrap();
    let err = store.put(varied().remove(1)).unwrap_err().to_string();
    assert!(err.starts_with("annotations.toml:2: "), "{err}");
    assert!(err.contains("nothing was saved"), "{err}");
    assert_eq!(read(dir.path()), broken);
    assert_eq!(store.records().len(), 1);
}

fn error_of(text: &str) -> String {
    parse_annotations(text, "annotations.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn errors_name_the_file_and_line() {
    let good = render_annotations(&varied()[..2]);
    let lines: Vec<&str> = good.lines().collect();
    let line_of = |prefix: &str, nth: usize| {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with(prefix))
            .nth(nth)
            .map(|(i, _)| i + 1)
            .unwrap()
    };

    let category_line = line_of("category", 1);
    let bad = good.replacen("category = \"network\"", "category = \"netwrk\"", 1);
    let err = error_of(&bad);
    let expected = format!(
        "annotations.toml:{}: unknown category 'netwrk'",
        line_of("category", 1)
    );
    // `network` sorts after `config`, so it is the second table.
    assert!(err.starts_with(&expected), "{err} / {category_line}");

    let bad = good.replacen("kind = \"justify\"", "kind = \"ignore\"", 1);
    let err = error_of(&bad);
    assert!(
        err.starts_with(&format!(
            "annotations.toml:{}: unknown annotation kind 'ignore'",
            line_of("kind", 1)
        )),
        "{err}"
    );

    let bad = good.replacen("expires = \"2027-01-31\"", "expires = \"next week\"", 1);
    let err = error_of(&bad);
    assert!(
        err.starts_with(&format!(
            "annotations.toml:{}: expires 'next week' is not a date",
            line_of("expires", 0)
        )),
        "{err}"
    );

    let bad = good.replacen("time = \"2026-11-20T09:30:00Z\"", "time = \"yesterday\"", 1);
    assert!(error_of(&bad).starts_with(&format!(
        "annotations.toml:{}: time 'yesterday'",
        line_of("time", 0)
    )));

    let bad = good.replacen("fingerprint = \"sha256:01", "fingerprint = \"md5:01", 1);
    assert!(error_of(&bad).starts_with(&format!(
        "annotations.toml:{}: fingerprint",
        line_of("fingerprint", 0)
    )));

    let bad = good.replacen(
        "author = \"Dana\"",
        "author = \"Dana\"\ncolour = \"red\"",
        1,
    );
    let err = error_of(&bad);
    assert!(err.starts_with("annotations.toml:"), "{err}");
    assert!(err.contains("colour"), "{err}");

    let err = error_of("[[annotation]\n");
    assert!(err.starts_with("annotations.toml:1: "), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn two_records_with_one_identity_are_an_error_naming_both_lines() {
    let one = render_annotations(&varied()[..1]);
    let table = one.split_once("\n[[annotation]]").unwrap().1;
    let doubled = format!("{one}\n[[annotation]]{table}");
    let err = error_of(&doubled);
    let second = doubled
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[annotation]]")
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap();
    assert!(
        err.contains("a second annotation for network/resolv.nameservers on prod, staging"),
        "{err}"
    );
    assert!(
        err.starts_with(&format!("annotations.toml:{}", second))
            || err.starts_with(&format!("annotations.toml:{}", second + 1)),
        "{err} (second table at line {second})"
    );
}

// Stale and expired detection through the file: an annotation made on a comparison,
// saved, read back, and reviewed against later values.

fn host(env: &str, workers: i64) -> Snapshot {
    let mut s = Snapshot::new(env, format!("{env}-1"), t0(), Source::Demo);
    s.insert(
        Category::Config,
        "env.WORKERS",
        Value::Scalar(Scalar::from(workers)),
    );
    s.insert(Category::Config, "env.STABLE", Value::string("same"));
    s
}

fn compared(staging: &Snapshot, prod: &Snapshot) -> (DriftReport, Vec<String>) {
    let sides = [
        Side {
            label: "staging".into(),
            snapshots: vec![staging],
        },
        Side {
            label: "prod".into(),
            snapshots: vec![prod],
        },
    ];
    let envs = driftscope::diff::review::side_environments(&sides);
    (compare(&sides, &DiffOptions::default()), envs)
}

#[test]
fn saved_annotations_go_stale_when_values_change_and_expire_after_their_day() {
    let dir = TempDir::new().unwrap();
    let (report, envs) = compared(&host("staging", 2), &host("prod", 8));
    let draft = AnnotationDraft {
        kind: AnnotationKind::Justify,
        reason: "prod sized for load".into(),
        ticket: Some("OPS-1".into()),
        expires: NaiveDate::from_ymd_opt(2026, 12, 31),
    };
    let made = annotate(&report.facts[0], &envs, draft, "Dana", t0()).unwrap();
    open(dir.path()).put(made).unwrap();
    let stored = open(dir.path());
    let annotations = stored.records();

    let reviews = review(&report, &envs, annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Justified));
    let new_year = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let reviews = review(&report, &envs, annotations, new_year);
    assert_eq!(reviews.state(0), Some(ReviewState::Expired));

    let (changed, envs) = compared(&host("staging", 2), &host("prod", 12));
    let reviews = review(&changed, &envs, annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Stale));
    assert_eq!(reviews.total().needs_review(), 1);

    let (equal, envs) = compared(&host("staging", 8), &host("prod", 8));
    let reviews = review(&equal, &envs, annotations, t0());
    assert_eq!(reviews.resolved, [0]);
}

#[test]
fn the_demo_workspace_has_annotations_but_cannot_take_new_ones() {
    let workspace = driftscope::demo::workspace();
    assert!(workspace.annotations_path().is_none());
    let mut store = workspace.annotations().unwrap();
    assert!(store.is_read_only());
    assert!(store.records().len() >= 5);
    let err = store.put(varied().remove(0)).unwrap_err().to_string();
    assert!(err.starts_with("the demo workspace is read-only"), "{err}");
}

#[test]
fn a_workspace_reads_its_annotations_file_and_names_it_in_errors() {
    let dir = TempDir::new().unwrap();
    Workspace::init(dir.path()).unwrap();
    let workspace = Workspace::open(dir.path()).unwrap();
    assert!(workspace.annotations().unwrap().records().is_empty());
    std::fs::write(
        dir.path().join(ANNOTATIONS_FILE),
        "[[annotation]]\nkey = 3\n",
    )
    .unwrap();
    let err = workspace.annotations().unwrap_err().to_string();
    assert!(err.starts_with("annotations.toml:2: "), "{err}");
}

/// The TOML block of `docs/annotations.md`.
fn documented_example() -> String {
    let doc = include_str!("../docs/annotations.md");
    let start = doc.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("its end");
    doc[start..end].to_string()
}

#[test]
fn the_documented_example_is_a_valid_file_in_canonical_form() {
    let example = documented_example();
    let records = parse_annotations(&example, "docs/annotations.md").unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(render_annotations(&records), example);
}
