//! The store's history queries on the embedded demo workspace: a fact's history, the
//! timeline, snapshot selection, and pruning refused on the read-only demo.

use chrono::{DateTime, Utc};
use driftscope::model::{Category, FactKey, Value};
use driftscope::store::prune::{apply, plan};
use driftscope::store::{
    ChangeCache, Retention, fact_history, snapshots_of, timeline, timeline_cached,
};

#[test]
fn the_demo_says_when_openssl_changed_in_prod() {
    let ws = driftscope::demo::workspace();
    let key = FactKey::new(Category::Versions, "lib.openssl");
    let history = fact_history(&ws, "prod", None, &key).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].value, Some(Value::version("3.0.11")));
    assert_eq!(history[0].hosts, ["prod-web-1", "prod-web-2", "prod-web-3"]);
    assert_eq!(history[1].value, Some(Value::version("3.0.13")));
    assert_eq!(history[1].hosts, ["prod-web-1", "prod-web-2"]);
    let newest = ws
        .history
        .of_environment("prod")
        .iter()
        .filter(|m| m.host == "prod-web-2")
        .map(|m| m.taken_at)
        .max();
    assert_eq!(Some(history[1].last_seen), newest);
    let on_web_3 = fact_history(&ws, "prod", Some("prod-web-3"), &key).unwrap();
    assert_eq!(on_web_3.len(), 1);
    assert_eq!(on_web_3[0].value, Some(Value::version("3.0.11")));
}

#[test]
fn the_demo_cannot_be_pruned() {
    let mut ws = driftscope::demo::workspace();
    let plans = plan(&ws.history, None, None, &Retention::default());
    let err = apply(&mut ws, &plans).unwrap_err().to_string();
    assert_eq!(err, "the demo workspace is read-only");
}

#[test]
fn the_demo_prod_timeline_shows_yesterdays_security_update() {
    let ws = driftscope::demo::workspace();
    let points = timeline(&ws, "prod", None).unwrap();
    // A week of daily runs and the latest one, each with all three hosts.
    assert_eq!(points.len(), 8);
    assert!(points.iter().all(|p| p.hosts.len() == 3));
    assert_eq!(points[0].changed_since_previous, None);
    let openssl = FactKey::new(Category::Versions, "lib.openssl");
    let with_openssl: Vec<usize> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.changed_facts.contains(&openssl))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(with_openssl, [7]);
    for point in &points[1..] {
        assert_eq!(
            point.changed_since_previous,
            Some(point.changed_facts.len())
        );
    }
    let resolved = ws.resolve(&points[6].reference("prod")).unwrap();
    let times: Vec<DateTime<Utc>> = resolved.snapshots.iter().map(|s| s.taken_at).collect();
    let expected: Vec<DateTime<Utc>> = points[6].snapshots.iter().map(|m| m.taken_at).collect();
    assert_eq!(times, expected);
}

#[test]
fn one_host_gives_one_point_per_snapshot_and_the_cache_is_reused() {
    let ws = driftscope::demo::workspace();
    let mut cache = ChangeCache::default();
    let points = timeline_cached(&ws, "prod", Some("prod-web-3"), &mut cache).unwrap();
    let stored = ws
        .history
        .of_environment("prod")
        .iter()
        .filter(|m| m.host == "prod-web-3")
        .count();
    assert_eq!(points.len(), stored);
    assert_eq!(cache.len(), stored - 1);
    assert!(points.iter().all(|p| p.hosts == ["prod-web-3"]));
    // prod-web-3 never got the OpenSSL update.
    let openssl = FactKey::new(Category::Versions, "lib.openssl");
    assert!(points.iter().all(|p| !p.changed_facts.contains(&openssl)));
    let again = timeline_cached(&ws, "prod", Some("prod-web-3"), &mut cache).unwrap();
    assert_eq!(again, points);
    assert_eq!(cache.len(), stored - 1);
}

#[test]
fn unknown_environments_and_hosts_name_what_exists() {
    let ws = driftscope::demo::workspace();
    let err = snapshots_of(&ws, "qa", None).unwrap_err().to_string();
    assert_eq!(err, "unknown environment 'qa' (known: dev, prod, staging)");
    let err = snapshots_of(&ws, "prod", Some("web-9"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "no snapshots of host 'web-9' in environment 'prod' (its hosts: prod-web-1, prod-web-2, prod-web-3)"
    );
    let picked = snapshots_of(&ws, "prod", Some("prod-web-2")).unwrap();
    assert!(!picked.is_empty());
    assert!(picked.iter().all(|m| m.host == "prod-web-2"));
    assert!(picked.windows(2).all(|w| w[0].taken_at <= w[1].taken_at));
}
