//! docs/schema.md stays true: its example configuration is valid, and every fact kind,
//! setting and migration tool the probe knows is documented.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use driftscope::collect::schema::{plan, sql};
use driftscope::config::Config;
use driftscope::model::SchemaKind;

const DOC: &str = include_str!("../docs/schema.md");

/// The first ```toml block of the document.
fn example() -> &'static str {
    let start = DOC.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let len = DOC[start..].find("```").expect("closed example");
    &DOC[start..start + len]
}

#[test]
fn the_example_configuration_is_valid() {
    let config = Config::parse(example(), "docs/schema.md").unwrap();
    let probes = plan(&config.databases).unwrap();
    let names: Vec<(&str, &str)> = probes
        .iter()
        .map(|p| (p.probe.name.as_str(), p.qualifier.as_str()))
        .collect();
    assert_eq!(
        names,
        [("schema:shop", ""), ("schema:analytics", "analytics/")]
    );
}

#[test]
fn every_fact_kind_setting_and_tool_is_documented() {
    for kind in SchemaKind::ALL {
        assert!(
            DOC.contains(&format!("| `{}:", kind.prefix())),
            "docs/schema.md lacks the {}: facts",
            kind.prefix()
        );
    }
    for setting in sql::SETTINGS {
        assert!(
            DOC.contains(&format!("`{setting}`")),
            "{setting} undocumented"
        );
    }
    for tool in sql::migration_tools() {
        assert!(
            DOC.contains(&format!("| `{tool}` |")),
            "{tool} undocumented"
        );
    }
}
