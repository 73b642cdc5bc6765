//! docs/probes.md stays true: its example configuration is valid and every built-in
//! probe is documented.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use driftscope::collect::catalogue::{builtin_names, plan_probes};
use driftscope::config::{CollectSettings, Config};

const DOC: &str = include_str!("../docs/probes.md");

/// The first ```toml block of the document.
fn example() -> &'static str {
    let start = DOC.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let len = DOC[start..].find("```").expect("closed example");
    &DOC[start..start + len]
}

#[test]
fn the_example_configuration_is_valid() {
    let config = Config::parse(example(), "docs/probes.md").unwrap();
    assert_eq!(config.collect.concurrency, 8);
    assert_eq!(config.probes.len(), 2);
    assert_eq!(config.databases.len(), 1);
    driftscope::collect::schema::plan(&config.databases).unwrap();
    let probes = plan_probes(&CollectSettings::from_config(&config)).unwrap();
    let names: Vec<&str> = probes.iter().map(|p| p.name.as_str()).collect();
    assert!(!names.contains(&"firewall"));
    for name in [
        "file:/etc/nginx/nginx.conf",
        "env-file:/etc/app/app.env",
        "cert:api.example.internal:443",
        "app.features",
    ] {
        assert!(names.contains(&name), "{name} missing");
    }
}

#[test]
fn every_builtin_probe_is_documented() {
    for name in builtin_names() {
        assert!(
            DOC.contains(&format!("| `{name}` |")),
            "docs/probes.md lacks `{name}`"
        );
    }
}
