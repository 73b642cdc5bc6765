//! Typed side references resolved against the demo workspace: the same resolution for
//! the command line and the explorer.

use chrono::{DateTime, TimeDelta, Utc};
use driftscope::store::SideRef;

#[test]
fn host_references_select_that_hosts_snapshot_only() {
    let ws = driftscope::demo::workspace();
    let metas: Vec<_> = ws
        .history
        .of_environment("prod")
        .iter()
        .filter(|m| m.host == "prod-web-2")
        .collect();
    let older = metas[metas.len() - 2].taken_at;
    let reference = SideRef::environment("prod", Some("prod-web-2"), Some(older));
    let side = ws.resolve_side(&reference).unwrap();
    assert_eq!(side.label, reference.to_string());
    assert_eq!(side.snapshots.len(), 1);
    assert_eq!(
        (side.snapshots[0].host.as_str(), side.snapshots[0].taken_at),
        ("prod-web-2", older)
    );
    let newest = ws.resolve("prod/prod-web-2").unwrap();
    assert_eq!(
        newest.snapshots[0].taken_at,
        metas[metas.len() - 1].taken_at
    );
    let all = ws.resolve("prod").unwrap();
    assert_eq!(all.snapshots.len(), 3);
}

#[test]
fn an_exact_time_reads_back_and_picks_the_same_snapshot() {
    let ws = driftscope::demo::workspace();
    let newest = ws.history.latest("prod", None)[0].clone();
    let at = newest.taken_at;
    let side = SideRef::environment("prod", Some(&newest.host), Some(at));
    let text = side.to_string();
    let reparsed = SideRef::parse(&text, Utc::now()).unwrap();
    let picked = ws.picked(&reparsed);
    assert_eq!(picked.len(), 1);
    assert_eq!(picked[0].taken_at, at);
}

#[test]
fn picked_names_the_snapshots_a_reference_selects() {
    let ws = driftscope::demo::workspace();
    let newest = ws.history.latest("prod", None);
    let of = |r: &str| -> Vec<(String, DateTime<Utc>)> {
        ws.picked(&SideRef::parse(r, Utc::now()).unwrap())
            .into_iter()
            .map(|m| (m.host, m.taken_at))
            .collect()
    };
    assert_eq!(of("prod").len(), 3);
    assert_eq!(
        of("prod/prod-web-2"),
        [("prod-web-2".to_string(), newest[1].taken_at)]
    );
    let earlier = newest[1].taken_at - TimeDelta::days(1);
    let at = earlier.to_rfc3339();
    assert!(of(&format!("prod@{at}")).iter().all(|(_, t)| *t <= earlier));
    assert_eq!(of(&format!("prod/prod-web-2@{at}")).len(), 1);
    assert!(of("qa").is_empty());
    assert!(of("old/prod.json").is_empty());
}

#[test]
fn unknown_hosts_and_times_before_the_first_snapshot_are_one_line_errors() {
    let ws = driftscope::demo::workspace();
    let err = ws.resolve("prod/web-9").unwrap_err().to_string();
    assert_eq!(err, "host 'web-9' has no snapshots in 'prod'");
    let err = ws
        .resolve("prod/prod-web-1@2001-01-01T00:00:00Z")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "no snapshot of prod/prod-web-1 at or before 2001-01-01T00:00Z"
    );
    let err = format!("{:#}", ws.resolve("qa/web-1").unwrap_err());
    assert!(err.contains("qa") && !err.contains('\n'), "{err}");
}

#[test]
fn a_reports_sides_carry_environment_host_and_time() {
    use driftscope::store::compare::{CompareRequest, compare};
    let ws = driftscope::demo::workspace();
    let newest = ws.history.latest("prod", None)[1].clone();
    let request = CompareRequest {
        sides: vec![
            SideRef::environment("prod", Some(&newest.host), Some(newest.taken_at)),
            SideRef::parse("prod", Utc::now()).unwrap(),
            SideRef::parse("prod", Utc::now()).unwrap(),
        ],
        category: None,
        include_equal: false,
    };
    let compared = compare(&ws, &request).unwrap();
    let sides = &compared.report.sides;
    assert_eq!(sides[0].environment, "prod");
    assert_eq!(sides[0].host.as_deref(), Some(newest.host.as_str()));
    assert_eq!(sides[0].at, Some(newest.taken_at));
    assert_eq!(
        (sides[1].label.as_str(), sides[2].label.as_str()),
        ("prod#1", "prod#2")
    );
    assert_eq!(
        (
            sides[2].environment.as_str(),
            sides[2].host.as_ref(),
            sides[2].at
        ),
        ("prod", None, None)
    );
    assert_eq!(compared.environments, ["prod", "prod", "prod"]);
}
