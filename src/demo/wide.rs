//! Wide synthetic environments, for benchmarks and scale tests: two environments of
//! many hosts each, every host of an environment holding the same facts (from
//! [`super::synthetic::pair`]) but for its own host name and a few outlier hosts that
//! stray on some facts. Deterministic.

use chrono::Duration;

use crate::model::{Category, Snapshot, Value};

/// The shape of a wide pair of environments.
#[derive(Debug, Clone, Copy)]
pub struct WideShape {
    /// Hosts per environment.
    pub hosts: usize,
    /// Facts per host.
    pub facts: usize,
    /// Percent of facts that differ between the two environments.
    pub drift_percent: u32,
    /// Outlier hosts per environment.
    pub outliers: usize,
    /// Facts each outlier changes (the first outlier the most: `strays`, then one fewer
    /// per outlier, at least one).
    pub strays: usize,
}

impl WideShape {
    /// Two environments × 500 hosts × 1,000 facts, 2% drift, 3 outliers per
    /// environment straying on up to 12 facts.
    pub const FLEET: WideShape = WideShape {
        hosts: 500,
        facts: 1_000,
        drift_percent: 2,
        outliers: 3,
        strays: 12,
    };
}

/// The name of host `i` (1-based) of `env`: `prod-web-7`.
pub fn host_name(env: &str, i: usize) -> String {
    format!("{env}-web-{i}")
}

/// The hosts of `staging` and `prod`, `shape.hosts` each. Every host holds an
/// `infra/hostname` fact of its own; outlier hosts (spread through the environment)
/// hold other versions of some facts, so they are the ones that stray from the majority.
pub fn environments(shape: WideShape, seed: u64) -> (Vec<Snapshot>, Vec<Snapshot>) {
    let (staging, prod) = super::synthetic::pair(shape.facts, shape.drift_percent, seed);
    (spread(&staging, shape), spread(&prod, shape))
}

/// The outlier hosts' numbers (1-based) among `hosts`: spread through the environment.
pub fn outlier_numbers(shape: WideShape) -> Vec<usize> {
    (0..shape.outliers.min(shape.hosts))
        .map(|k| 1 + (17 + k * 193) % shape.hosts.max(1))
        .collect()
}

fn spread(base: &Snapshot, shape: WideShape) -> Vec<Snapshot> {
    let env = base.environment.clone();
    let outliers = outlier_numbers(shape);
    let keys: Vec<(Category, String)> = base
        .facts
        .iter()
        .flat_map(|(category, facts)| facts.keys().map(move |key| (*category, key.clone())))
        .collect();
    (1..=shape.hosts)
        .map(|i| {
            let mut host = base.clone();
            host.host = host_name(&env, i);
            host.taken_at = base.taken_at + Duration::seconds(i as i64 % 60);
            host.insert(
                Category::Infra,
                "hostname",
                Value::string(host.host.clone()),
            );
            if let Some(rank) = outliers.iter().position(|n| *n == i) {
                let strays = shape.strays.saturating_sub(rank).max(1);
                for (n, (category, key)) in keys.iter().step_by(7).take(strays).enumerate() {
                    host.insert(*category, key.clone(), Value::version(format!("9.{n}.{i}")));
                }
            }
            host
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outliers_hold_other_values_and_the_rest_agree() {
        let shape = WideShape {
            hosts: 20,
            facts: 100,
            drift_percent: 0,
            outliers: 2,
            strays: 4,
        };
        let (staging, _) = environments(shape, 7);
        assert_eq!(staging.len(), 20);
        let numbers = outlier_numbers(shape);
        assert_eq!(numbers, [18, 11]);
        let refs: Vec<&Snapshot> = staging.iter().collect();
        let ranked = crate::diff::hosts::strays(&refs, &Default::default()).hosts;
        assert_eq!(ranked[0].host, "staging-web-18");
        assert_eq!(ranked[0].strays, 4);
        assert_eq!(ranked[1].host, "staging-web-11");
        assert_eq!(ranked[1].strays, 3);
        assert_eq!(ranked[2].strays, 0);
    }
}
