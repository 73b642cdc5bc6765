//! Synthetic snapshots of any size, for benchmarks and scale tests.
//!
//! Facts cycle through a fixed mix of categories and value kinds (versions of several
//! styles, environment and sysctl scalars, ~20-line config files, secrets, schema
//! records and index column lists, resolver sets, certificates, mounts, service units),
//! so every kind appears in realistic proportions at any size. A small, seeded
//! generator keeps the output deterministic without any dependency.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{TimeZone, Utc};

use crate::model::{Category, Scalar, Snapshot, Source, Value};

/// Two snapshots (`a`, `b`) of `facts` facts each, of every value kind, where about
/// `drift_percent` percent of the facts differ. Deterministic for a given `seed`.
///
/// About one drifting fact in ten is missing from one side (so that side has slightly
/// fewer facts); the others hold a changed value of the same kind.
pub fn pair(facts: usize, drift_percent: u32, seed: u64) -> (Snapshot, Snapshot) {
    let taken_at = Utc
        .with_ymd_and_hms(2026, 11, 20, 9, 30, 0)
        .single()
        .unwrap_or_default();
    let mut a = Snapshot::new("staging", "staging-1", taken_at, Source::Demo);
    let mut b = Snapshot::new("prod", "prod-1", taken_at, Source::Demo);
    let mut rng = Rng::new(seed);
    let drift_per_10k = u64::from(drift_percent.min(100)) * 100;
    let mut key = String::new();

    for i in 0..facts {
        let slot = SLOTS[i % SLOTS.len()];
        key.clear();
        // Writing to a String cannot fail.
        let _ = write!(key, "{}{i:07}{}", slot.prefix, slot.suffix);
        let value = generate(slot.kind, i, &mut rng);
        let category = slot.category;
        if rng.below(10_000) < drift_per_10k {
            match rng.below(20) {
                0 => a.insert(category, key.clone(), value),
                1 => b.insert(category, key.clone(), value),
                _ => {
                    let changed = mutate(&value, i, &mut rng);
                    a.insert(category, key.clone(), value);
                    b.insert(category, key.clone(), changed);
                }
            }
        } else {
            a.insert(category, key.clone(), value.clone());
            b.insert(category, key.clone(), value);
        }
    }
    (a, b)
}

/// What a slot of the cycle generates.
#[derive(Clone, Copy)]
enum Kind {
    SemverVersion,
    DebianVersion,
    RpmVersion,
    EnvString,
    Number,
    Flag,
    ConfigFile,
    Secret,
    ColumnRecord,
    IndexColumns,
    Resolvers,
    Certificate,
    MountRecord,
    UnitRecord,
}

#[derive(Clone, Copy)]
struct Slot {
    category: Category,
    prefix: &'static str,
    suffix: &'static str,
    kind: Kind,
}

const fn slot(category: Category, prefix: &'static str, suffix: &'static str, kind: Kind) -> Slot {
    Slot {
        category,
        prefix,
        suffix,
        kind,
    }
}

/// One cycle of the mix: 20 facts.
const SLOTS: [Slot; 20] = [
    slot(Category::Versions, "package:lib", "", Kind::DebianVersion),
    slot(Category::Versions, "package:py-", "", Kind::SemverVersion),
    slot(Category::Versions, "package:rpm-", "", Kind::RpmVersion),
    slot(Category::Versions, "runtime.node-", "", Kind::SemverVersion),
    slot(Category::Config, "env.APP_", "", Kind::EnvString),
    slot(Category::Config, "env.WORKERS_", "", Kind::Number),
    slot(
        Category::Config,
        "file:/etc/app/conf.d/",
        ".conf",
        Kind::ConfigFile,
    ),
    slot(Category::Config, "env.SECRET_", "", Kind::Secret),
    slot(Category::Config, "sysctl.net.core.opt", "", Kind::Number),
    slot(Category::Config, "feature.flag_", "", Kind::Flag),
    slot(
        Category::Schema,
        "column:public.t",
        ".id",
        Kind::ColumnRecord,
    ),
    slot(
        Category::Schema,
        "index:public.idx_",
        "",
        Kind::IndexColumns,
    ),
    slot(
        Category::Schema,
        "column:public.t",
        ".name",
        Kind::ColumnRecord,
    ),
    slot(Category::Network, "resolvers.", "", Kind::Resolvers),
    slot(
        Category::Network,
        "cert:/etc/ssl/site",
        ".pem",
        Kind::Certificate,
    ),
    slot(Category::Network, "port:tcp/", "", Kind::Number),
    slot(Category::Infra, "mount:/data", "", Kind::MountRecord),
    slot(Category::Infra, "memory.slot", "", Kind::Number),
    slot(
        Category::Services,
        "unit:app-",
        ".service",
        Kind::UnitRecord,
    ),
    slot(
        Category::Services,
        "unit:worker-",
        ".service",
        Kind::UnitRecord,
    ),
];

fn generate(kind: Kind, i: usize, rng: &mut Rng) -> Value {
    match kind {
        Kind::SemverVersion => Value::Version(format!(
            "{}.{}.{}",
            rng.below(20),
            rng.below(30),
            rng.below(50)
        )),
        Kind::DebianVersion => Value::Version(format!(
            "{}:{}.{}.{}-{}ubuntu{}",
            rng.below(3),
            rng.below(10),
            rng.below(20),
            rng.below(30),
            rng.below(5) + 1,
            rng.below(9)
        )),
        Kind::RpmVersion => Value::Version(format!(
            "{}.{}.{}{}-{}.el{}",
            rng.below(4),
            rng.below(10),
            rng.below(10),
            char::from(b'a' + rng.below(26) as u8),
            rng.below(20),
            7 + rng.below(3)
        )),
        Kind::EnvString => Value::string(format!("value-{}", rng.below(1_000_000))),
        Kind::Number => Value::Scalar(Scalar::from(rng.below(65_536))),
        Kind::Flag => Value::Scalar(Scalar::Bool(rng.below(2) == 1)),
        Kind::ConfigFile => Value::Text(config_file(i, rng)),
        Kind::Secret => Value::Redacted(format!("hmac-sha256:{:016x}", rng.next())),
        Kind::ColumnRecord => Value::record([
            ("type", TYPES[rng.below(TYPES.len() as u64) as usize]),
            ("nullable", if rng.below(2) == 1 { "yes" } else { "no" }),
            ("default", "none"),
        ]),
        Kind::IndexColumns => {
            let n = 1 + rng.below(3);
            Value::List(
                (0..n)
                    .map(|c| format!("col_{}", c + rng.below(5)))
                    .collect(),
            )
        }
        Kind::Resolvers => {
            let n = 2 + rng.below(3);
            Value::set((0..n).map(|_| format!("10.0.{}.{}", rng.below(4), rng.below(255))))
        }
        Kind::Certificate => {
            let mut fields = BTreeMap::new();
            fields.insert("issuer".to_string(), "Example CA".to_string());
            fields.insert("subject".to_string(), format!("site{i}.example.com"));
            fields.insert(
                "not_after".to_string(),
                format!("2027-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            );
            Value::Record(fields)
        }
        Kind::MountRecord => Value::record([
            ("fstype", "ext4".to_string()),
            ("size_gb", rng.below(2048).to_string()),
            ("options", "rw,noatime".to_string()),
        ]),
        Kind::UnitRecord => Value::record([
            ("active", "active"),
            ("sub", "running"),
            (
                "enabled",
                if rng.below(4) == 0 {
                    "disabled"
                } else {
                    "enabled"
                },
            ),
        ]),
    }
}

const TYPES: [&str; 5] = ["integer", "bigint", "text", "varchar(255)", "timestamp"];

/// A ~20-line configuration file.
fn config_file(i: usize, rng: &mut Rng) -> String {
    let mut text = String::with_capacity(600);
    let _ = writeln!(text, "# generated configuration {i}");
    let _ = writeln!(text, "[server]");
    for line in 0..8 {
        let _ = writeln!(text, "option_{line} = {}", rng.below(1000));
    }
    let _ = writeln!(text);
    let _ = writeln!(text, "[pool]");
    for line in 0..8 {
        let _ = writeln!(text, "    limit_{line} = {}", rng.below(100));
    }
    text
}

/// A value of the same kind that differs from `value`.
fn mutate(value: &Value, i: usize, rng: &mut Rng) -> Value {
    match value {
        Value::Version(v) => Value::Version(bump_version(v, rng)),
        Value::Scalar(Scalar::Bool(b)) => Value::Scalar(Scalar::Bool(!b)),
        Value::Scalar(Scalar::Number(n)) => {
            Value::Scalar(Scalar::from(n.as_u64().unwrap_or(0).wrapping_add(1)))
        }
        Value::Scalar(Scalar::String(s)) => Value::string(format!("{s}-changed")),
        Value::Text(t) => Value::Text(edit_text(t, rng)),
        Value::Set(members) => {
            let mut m = members.clone();
            if m.len() > 1 && rng.below(2) == 0 {
                m.remove(0);
            } else {
                m.push(format!("192.168.0.{i}"));
            }
            m.sort();
            m.dedup();
            Value::Set(m)
        }
        Value::List(items) => {
            let mut items = items.clone();
            if items.len() > 1 && rng.below(2) == 0 {
                items.reverse();
                if items.first() == items.last() {
                    items.push("col_extra".to_string());
                }
            } else {
                items.push("col_extra".to_string());
            }
            Value::List(items)
        }
        Value::Record(fields) => {
            let mut fields = fields.clone();
            let Some(first) = fields.keys().next().cloned() else {
                return Value::record([("added", "yes")]);
            };
            if rng.below(3) == 0 {
                fields.insert("comment".to_string(), format!("changed {i}"));
            } else if let Some(v) = fields.get_mut(&first) {
                v.push_str("-changed");
            }
            Value::Record(fields)
        }
        Value::Redacted(_) => Value::Redacted(format!("hmac-sha256:{:016x}", rng.next())),
    }
}

/// A newer version at a random level: major, minor, patch or revision.
fn bump_version(v: &str, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("1{v}"),
        1 => format!("{v}.1"),
        2 => match v.rsplit_once('-') {
            Some((head, rev)) => format!("{head}-{rev}1"),
            None => format!("{v}-1"),
        },
        _ => match v.split_once('.') {
            Some((head, tail)) => format!("{head}.9{tail}"),
            None => format!("{v}.9"),
        },
    }
}

/// Changes one line's value, re-indents a line, or appends a line.
fn edit_text(text: &str, rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => text.replacen(" = ", " = 1", 1),
        1 => text.replacen("    limit_", "  limit_", 1),
        _ => format!("{text}extra_option = {}\n", rng.below(100)),
    }
}

/// SplitMix64: a tiny, fast, seedable generator, good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &Snapshot) -> std::collections::BTreeSet<&'static str> {
        s.facts
            .values()
            .flat_map(|m| m.values().map(Value::kind))
            .collect()
    }

    #[test]
    fn is_deterministic_for_a_seed() {
        assert_eq!(pair(500, 5, 7), pair(500, 5, 7));
        assert_ne!(pair(500, 5, 7).0, pair(500, 5, 8).0);
    }

    #[test]
    fn has_every_kind_and_category() {
        let (a, _) = pair(200, 0, 1);
        assert_eq!(a.fact_count(), 200);
        assert_eq!(
            kinds(&a).into_iter().collect::<Vec<_>>(),
            [
                "list", "record", "redacted", "scalar", "set", "text", "version"
            ]
        );
        assert_eq!(a.facts.len(), Category::ALL.len());
    }

    #[test]
    fn no_drift_gives_equal_snapshots_facts() {
        let (a, b) = pair(1000, 0, 3);
        assert_eq!(a.facts, b.facts);
    }

    #[test]
    fn drift_is_about_the_requested_share() {
        let (a, b) = pair(20_000, 5, 42);
        let entries = |x: &Snapshot| -> Vec<(Category, String, Value)> {
            x.facts
                .iter()
                .flat_map(|(c, m)| m.iter().map(move |(k, v)| (*c, k.clone(), v.clone())))
                .collect()
        };
        let changed_or_only_a = entries(&a)
            .into_iter()
            .filter(|(c, k, v)| b.get(*c, k) != Some(v))
            .count();
        let only_b = entries(&b)
            .into_iter()
            .filter(|(c, k, _)| a.get(*c, k).is_none())
            .count();
        let total = changed_or_only_a + only_b;
        assert!((800..=1200).contains(&total), "{total} facts differ");
        assert!(a.fact_count() < 20_000 && b.fact_count() < 20_000);
    }

    #[test]
    fn config_files_are_about_twenty_lines() {
        let (a, _) = pair(20, 0, 9);
        let text = a
            .facts
            .values()
            .flat_map(|m| m.values())
            .find_map(|v| match v {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap();
        assert!((18..=22).contains(&text.lines().count()));
    }
}
