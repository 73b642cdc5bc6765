//! Configuration: files, environment files, sysctl keys, time zone, locale and limits.

use super::key_value;
use crate::collect::probe::Facts;
use crate::model::Value;

/// A file's contents → one text fact under `key` (`file:/etc/nginx/nginx.conf`).
pub fn file_text(out: &str, key: &str) -> Result<Facts, String> {
    Ok(vec![(key.to_string(), Value::Text(out.to_string()))])
}

/// Files framed as `path\nsize\n` then exactly `size` bytes each (as the `sudoers`
/// probe prints them) → one `file:<path>` text fact per file.
pub fn framed_files(out: &str) -> Result<Facts, String> {
    let mut facts = Vec::new();
    let mut rest = out;
    while !rest.is_empty() {
        let (path, after) = rest
            .split_once('\n')
            .ok_or_else(|| "a file frame without its size".to_string())?;
        let (size, after) = after
            .split_once('\n')
            .ok_or_else(|| format!("{path}: a file frame without its size"))?;
        let size: usize = size
            .trim()
            .parse()
            .map_err(|_| format!("{path}: a file frame with a bad size '{size}'"))?;
        let text = after
            .get(..size)
            .ok_or_else(|| format!("{path}: the file is shorter than its frame says"))?;
        facts.push((format!("file:{path}"), Value::Text(text.to_string())));
        rest = &after[size..];
    }
    Ok(facts)
}

/// An environment file (`KEY=value`, `export KEY=value`, quotes, comments) →
/// one `env.<KEY>` fact per entry.
pub fn env_file(out: &str) -> Result<Facts, String> {
    Ok(out
        .lines()
        .filter_map(key_value)
        .map(|(k, v)| (format!("env.{k}"), Value::string(v)))
        .collect())
}

/// `key = value` lines (as `sysctl` prints them) or `/proc/sys/<path>:value` lines (as
/// `grep '' /proc/sys/…` prints them) → `sysctl.<key>`; runs of blanks inside values
/// (`4096\t131072\t6291456`) become one space.
pub fn sysctl(out: &str) -> Result<Facts, String> {
    Ok(out
        .lines()
        .filter_map(|line| match line.strip_prefix("/proc/sys/") {
            Some(rest) => rest
                .split_once(':')
                .map(|(path, value)| (path.replace('/', "."), value.to_string())),
            None => key_value(line).map(|(k, v)| (k.to_string(), v.to_string())),
        })
        .map(|(k, v)| {
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            (format!("sysctl.{k}"), Value::string(v))
        })
        .collect())
}

/// The zone name (`Europe/Paris`, from `/etc/timezone` or the `/etc/localtime` link)
/// → `timezone`.
pub fn timezone(out: &str) -> Result<Facts, String> {
    let zone = out
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or("empty output")?;
    let zone = zone.rsplit_once("zoneinfo/").map_or(zone, |(_, z)| z);
    Ok(vec![(
        "timezone".into(),
        Value::string(canonical_zone(zone)),
    )])
}

/// The names of the UTC zone (IANA links to `Etc/UTC`), compared without case.
const UTC_NAMES: &[&str] = &[
    "etc/utc",
    "utc",
    "etc/uct",
    "uct",
    "etc/universal",
    "universal",
    "etc/zulu",
    "zulu",
];

/// A time zone name as the `timezone` fact holds it: the IANA links to UTC (`UTC`,
/// `Etc/Universal`, `Zulu`…) as `Etc/UTC`, so Debian's `/etc/timezone` and a
/// `/etc/localtime` link name one zone alike; any other name as it is.
pub fn canonical_zone(name: &str) -> String {
    let name = name.trim().trim_start_matches(':');
    if UTC_NAMES.contains(&name.to_ascii_lowercase().as_str()) {
        "Etc/UTC".to_string()
    } else {
        name.to_string()
    }
}

/// Whether `name` (a `TZ` value or an abbreviation) names a zone as the `timezone`
/// fact does: a UTC name, or an IANA `Area/Location` name. POSIX rule strings
/// (`CET-1CEST,M3.5.0`) and other abbreviations (`CET`, which several zones share) do
/// not.
pub fn is_zone_name(name: &str) -> bool {
    let name = name.trim().trim_start_matches(':');
    UTC_NAMES.contains(&name.to_ascii_lowercase().as_str())
        || (name.contains('/')
            && !name.starts_with('/')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+')))
}

/// `/proc/sys/crypto/fips_enabled` (`1`, `0`, or nothing when the kernel lacks it) →
/// `fips`: `true` or `false`, as Ansible's `ansible_fips` reads the same file.
pub fn fips(out: &str) -> Result<Facts, String> {
    let on = out.trim() == "1";
    Ok(vec![("fips".into(), Value::string(on.to_string()))])
}

/// `/etc/default/locale` or `/etc/locale.conf` → `locale.<VAR>`.
pub fn locale(out: &str) -> Result<Facts, String> {
    prefixed_pairs(out, "locale")
}

/// `name=value` lines of shell limits → `limits.<name>`.
pub fn limits(out: &str) -> Result<Facts, String> {
    prefixed_pairs(out, "limits")
}

fn prefixed_pairs(out: &str, prefix: &str) -> Result<Facts, String> {
    let facts: Facts = out
        .lines()
        .filter_map(key_value)
        .map(|(k, v)| (format!("{prefix}.{k}"), Value::string(v)))
        .collect();
    let has_content = out
        .lines()
        .map(str::trim)
        .any(|l| !l.is_empty() && !l.starts_with('#'));
    if facts.is_empty() && has_content {
        return Err("no lines of the form name=value".into());
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framed_files_split_on_their_sizes_not_their_text() {
        let out = "/etc/sudoers\n13\nroot ALL=ALL\n/etc/sudoers.d/x\n9\n/etc/y\n3\n";
        assert_eq!(
            framed_files(out).unwrap(),
            vec![
                (
                    "file:/etc/sudoers".to_string(),
                    Value::Text("root ALL=ALL\n".into())
                ),
                (
                    "file:/etc/sudoers.d/x".to_string(),
                    Value::Text("/etc/y\n3\n".into())
                ),
            ]
        );
        assert!(
            framed_files("/etc/a\n99\nshort")
                .unwrap_err()
                .contains("/etc/a")
        );
    }

    #[test]
    fn env_file_entries_become_env_facts() {
        let out = "# app settings\nLOG_LEVEL=warn\nexport WORKERS=\"8\"\n\nDB_PASSWORD='x y'\n";
        let facts = env_file(out).unwrap();
        assert_eq!(
            facts,
            vec![
                ("env.LOG_LEVEL".into(), Value::string("warn")),
                ("env.WORKERS".into(), Value::string("8")),
                ("env.DB_PASSWORD".into(), Value::string("x y")),
            ]
        );
    }

    #[test]
    fn sysctl_output_normalises_blanks() {
        let out = "net.core.somaxconn = 4096\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nvm.swappiness = 60\n";
        let facts = sysctl(out).unwrap();
        assert_eq!(
            facts[0],
            ("sysctl.net.core.somaxconn".into(), Value::string("4096"))
        );
        assert_eq!(facts[1].1, Value::string("4096 131072 6291456"));
        let grep = "/proc/sys/net/core/somaxconn:4096\n/proc/sys/net/ipv4/ip_local_port_range:32768\t60999\n";
        let facts = sysctl(grep).unwrap();
        assert_eq!(
            facts[0],
            ("sysctl.net.core.somaxconn".into(), Value::string("4096"))
        );
        assert_eq!(
            facts[1],
            (
                "sysctl.net.ipv4.ip_local_port_range".into(),
                Value::string("32768 60999")
            )
        );
    }

    #[test]
    fn utc_has_one_name_and_fips_reads_like_ansible() {
        for name in ["UTC", "Etc/UTC", "Universal", "zulu", ":UTC"] {
            assert_eq!(canonical_zone(name), "Etc/UTC", "{name}");
        }
        assert_eq!(canonical_zone("Europe/Paris"), "Europe/Paris");
        assert_eq!(
            timezone("/usr/share/zoneinfo/UTC\n").unwrap()[0].1,
            Value::string("Etc/UTC")
        );
        assert_eq!(fips("1\n").unwrap()[0].1, Value::string("true"));
        assert_eq!(fips("0\n").unwrap()[0].1, Value::string("false"));
        assert_eq!(fips("").unwrap()[0].1, Value::string("false"));
    }

    #[test]
    fn timezone_from_file_or_link() {
        assert_eq!(
            timezone("Etc/UTC\n").unwrap()[0].1,
            Value::string("Etc/UTC")
        );
        assert_eq!(
            timezone("/usr/share/zoneinfo/Europe/Paris\n").unwrap()[0].1,
            Value::string("Europe/Paris")
        );
        assert!(timezone("\n").is_err());
    }

    #[test]
    fn locale_and_limits() {
        let facts = locale("LANG=en_US.UTF-8\nLC_TIME=\"C.UTF-8\"\n").unwrap();
        assert_eq!(
            facts[1],
            ("locale.LC_TIME".into(), Value::string("C.UTF-8"))
        );
        let facts = limits("nofile=1048576\nstack=8192\ncore=0\n").unwrap();
        assert_eq!(facts[0], ("limits.nofile".into(), Value::string("1048576")));
        assert!(limits("oops\n").is_err());
        assert_eq!(
            locale("#  File generated by update-locale\n").unwrap(),
            vec![]
        );
    }
}
