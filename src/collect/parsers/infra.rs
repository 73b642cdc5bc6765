//! Infrastructure: CPU, memory, disks, mounts and file system types.

use std::collections::BTreeMap;

use super::key_value;
use crate::collect::probe::Facts;
use crate::model::Value;

/// File system types that describe the kernel, not storage; left out of mounts.
pub(crate) const PSEUDO_FS: &[&str] = &[
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "configfs",
    "debugfs",
    "devpts",
    "devtmpfs",
    "efivarfs",
    "fusectl",
    "hugetlbfs",
    "mqueue",
    "nsfs",
    "proc",
    "pstore",
    "ramfs",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "squashfs",
    "sysfs",
    "tmpfs",
    "tracefs",
];

/// `count=4` and `model=…` lines → `cpu.count`, `cpu.model`.
pub fn cpu(out: &str) -> Result<Facts, String> {
    let facts: Facts = out
        .lines()
        .filter_map(key_value)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            (format!("cpu.{k}"), Value::string(v))
        })
        .collect();
    if facts.is_empty() {
        return Err("no CPU count or model".into());
    }
    Ok(facts)
}

/// `/proc/meminfo` → `memory.total` and `memory.swap`, in GiB to one decimal so that
/// kernel reservations do not make equal machines differ.
pub fn memory(out: &str) -> Result<Facts, String> {
    let mut facts = Facts::new();
    for line in out.lines() {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        let key = match name {
            "MemTotal" => "memory.total",
            "SwapTotal" => "memory.swap",
            _ => continue,
        };
        let kib: u64 = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("unreadable meminfo line '{line}'"))?;
        facts.push((key.to_string(), Value::string(gib(kib))));
    }
    if facts.is_empty() {
        return Err("no MemTotal in meminfo".into());
    }
    Ok(facts)
}

/// A size in KiB as facts show it: GiB with one decimal (`15.6 GiB`).
pub(crate) fn gib(kib: u64) -> String {
    format!("{:.1} GiB", kib as f64 / (1024.0 * 1024.0))
}

/// `df -PkT` → one `disk:<mount point>` record per real file system: fstype, size.
pub fn disks(out: &str) -> Result<Facts, String> {
    let mut facts = Facts::new();
    for line in out.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 7 {
            return Err(format!("unreadable df line '{}'", line.trim()));
        }
        let fstype = fields[1];
        let mount = fields[6..].join(" ");
        if PSEUDO_FS.contains(&fstype) {
            continue;
        }
        let size: u64 = fields[2]
            .parse()
            .map_err(|_| format!("unreadable size in df line '{}'", line.trim()))?;
        facts.push((
            format!("disk:{mount}"),
            Value::record([("fstype", fstype.to_string()), ("size", gib(size))]),
        ));
    }
    Ok(facts)
}

/// `/proc/mounts` → one `mount:<mount point>` record per real file system:
/// fstype, source and options.
pub fn mounts(out: &str) -> Result<Facts, String> {
    let mut seen = BTreeMap::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [source, mount, fstype, options, ..] = fields.as_slice() else {
            continue;
        };
        if PSEUDO_FS.contains(fstype) {
            continue;
        }
        // Later mounts on the same point hide earlier ones.
        seen.insert(
            format!("mount:{}", unescape_mount(mount)),
            Value::record([
                ("fstype", fstype.to_string()),
                ("source", unescape_mount(source)),
                ("options", options.to_string()),
            ]),
        );
    }
    Ok(seen.into_iter().collect())
}

/// `/proc/mounts` writes spaces as `\040` and tabs as `\011`.
fn unescape_mount(s: &str) -> String {
    s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\134", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_count_and_model() {
        let facts = cpu("count=8\nmodel=Intel(R) Xeon(R)  Platinum 8375C CPU @ 2.90GHz\n").unwrap();
        assert_eq!(facts[0], ("cpu.count".into(), Value::string("8")));
        assert_eq!(
            facts[1].1,
            Value::string("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz")
        );
    }

    #[test]
    fn meminfo_in_gib() {
        let out = "MemTotal:       24684092 kB\nMemFree:        20000000 kB\nSwapTotal:             0 kB\n";
        let facts = memory(out).unwrap();
        assert_eq!(facts[0], ("memory.total".into(), Value::string("23.5 GiB")));
        assert_eq!(facts[1], ("memory.swap".into(), Value::string("0.0 GiB")));
    }

    #[test]
    fn df_skips_pseudo_file_systems() {
        let out = "Filesystem     Type     1024-blocks     Used Available Capacity Mounted on\n\
                   devtmpfs       devtmpfs    12334492        0  12334492       0% /dev\n\
                   /dev/vda       ext4       264212084 23172532  72113356      25% /\n\
                   /dev/vdb1      xfs        104857600  1048576 103809024       1% /var/lib/my data\n";
        let facts = disks(out).unwrap();
        assert_eq!(facts.len(), 2);
        assert_eq!(facts[0].0, "disk:/");
        assert_eq!(
            facts[0].1,
            Value::record([("fstype", "ext4"), ("size", "252.0 GiB")])
        );
        assert_eq!(facts[1].0, "disk:/var/lib/my data");
    }

    #[test]
    fn proc_mounts_records() {
        let out = "proc /proc proc rw,relatime 0 0\n/dev/vda / ext4 rw,relatime 0 0\n/dev/vdb /srv/my\\040data xfs rw,noatime 0 0\n";
        let facts = mounts(out).unwrap();
        assert_eq!(facts.len(), 2);
        assert_eq!(facts[1].0, "mount:/srv/my data");
        assert_eq!(
            facts[0].1,
            Value::record([
                ("fstype", "ext4"),
                ("source", "/dev/vda"),
                ("options", "rw,relatime")
            ])
        );
    }
}
