//! docs/ssh.md stays true: its example configuration is valid and means what the
//! document says it means.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use driftscope::collect::catalogue::plan_probes;
use driftscope::collect::{Selection, Target, plan_at};
use driftscope::config::{CollectSettings, Config};

const DOC: &str = include_str!("../docs/ssh.md");

/// The first ```toml block of the document.
fn example() -> &'static str {
    let start = DOC.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let len = DOC[start..].find("```").expect("closed example");
    &DOC[start..start + len]
}

#[test]
fn the_example_configuration_plans_as_documented() {
    let config = Config::parse(example(), "docs/ssh.md").unwrap();
    let settings = CollectSettings::from_config(&config);
    settings.sudo.check().unwrap();
    assert!(settings.sudo.applies("prod", "db-1.prod.internal"));
    assert!(!settings.sudo.applies("prod", "web-01.prod.internal"));
    assert_eq!(settings.collect.max_output.0, 64 << 20);
    let probes = plan_probes(&settings).unwrap();
    let nginx = probes.iter().find(|p| p.name == "nginx.config").unwrap();
    assert!(nginx.needs_root);
    assert!(
        probes
            .iter()
            .find(|p| p.name == "firewall")
            .unwrap()
            .needs_root
    );
    let jobs = plan_at(
        None,
        &config.environments,
        &Selection {
            environments: vec!["prod".into()],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(jobs.len(), 21);
    assert_eq!(jobs[0].host, "web-01.prod.internal");
    assert_eq!(jobs[19].host, "web-20.prod.internal");
    for job in &jobs {
        let Target::SshWith { options, .. } = &job.target else {
            panic!("{:?} is not behind the bastion", job.target)
        };
        assert_eq!(options.jump.as_deref(), Some("ops@bastion.example.com"));
    }
}

#[test]
fn the_documented_ini_inventory_reads_as_described() {
    let start = DOC.find("```ini\n").expect("an ini example") + "```ini\n".len();
    let len = DOC[start..].find("```").expect("closed example");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.ini");
    std::fs::write(&path, &DOC[start..start + len]).unwrap();
    let hosts = driftscope::collect::ansible_inventory::load(&path, &path, Some("web")).unwrap();
    let entries: Vec<&str> = hosts.iter().map(|h| h.entry.as_str()).collect();
    assert_eq!(
        entries,
        [
            "deploy@web-01.prod",
            "deploy@web-02.prod",
            "deploy@web-03.prod",
            "10.0.0.4:2222"
        ]
    );
    assert!(
        hosts
            .iter()
            .all(|h| h.options.jump.as_deref() == Some("ops@bastion.example.com"))
    );
}

#[test]
fn every_toml_example_of_the_document_is_a_valid_configuration() {
    let mut rest = DOC;
    let mut count = 0;
    while let Some(start) = rest.find("```toml\n") {
        let body = &rest[start + "```toml\n".len()..];
        let len = body.find("```").expect("closed example");
        Config::parse(&body[..len], "docs/ssh.md").unwrap();
        count += 1;
        rest = &body[len..];
    }
    assert!(count >= 2, "{count} examples");
}
