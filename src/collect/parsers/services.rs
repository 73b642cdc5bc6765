//! Services: systemd units and their state.

use crate::collect::probe::Facts;
use crate::model::Value;

/// `systemctl list-units --type=service --all --plain --no-legend --no-pager` →
/// one `unit:<name>` fact per loaded unit: `active/running`, `inactive/dead`, …
pub fn systemd_units(out: &str) -> Result<Facts, String> {
    let mut facts = Facts::new();
    for line in out.lines() {
        let line = line
            .trim_start()
            .trim_start_matches(['●', '*'])
            .trim_start();
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [unit, load, active, sub, ..] = fields.as_slice() else {
            if line.is_empty() {
                continue;
            }
            return Err(format!("unreadable unit line '{line}'"));
        };
        if *load != "loaded" {
            continue;
        }
        facts.push((
            format!("unit:{unit}"),
            Value::string(format!("{active}/{sub}")),
        ));
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_states() {
        let out = "  cron.service                 loaded    active   running Regular background program processing daemon\n\
                   ● ghost.service              not-found inactive dead    ghost.service\n\
                   nginx.service                loaded    failed   failed  A high performance web server\n\
                   ssh.service                  loaded    active   running OpenBSD Secure Shell server\n";
        let facts = systemd_units(out).unwrap();
        assert_eq!(
            facts,
            vec![
                ("unit:cron.service".into(), Value::string("active/running")),
                ("unit:nginx.service".into(), Value::string("failed/failed")),
                ("unit:ssh.service".into(), Value::string("active/running")),
            ]
        );
        assert!(systemd_units("oops\n").is_err());
    }
}
