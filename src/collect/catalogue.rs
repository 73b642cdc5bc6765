//! The built-in probe catalogue, and the full probe list a workspace's settings ask for.
//!
//! Every snippet is POSIX `sh`, reads only, and needs nothing beyond the usual base
//! system; a missing tool makes the probe "unavailable" (exit status 127), not a failure
//! of the host.

use super::parsers::{config, generic, infra, network, services, versions};
use super::probe::{Probe, shell_quote};
use super::script::UNAVAILABLE_STATUS;
use crate::config::CollectSettings;
use crate::model::Category;

/// sysctl keys read on every host, before the user's own.
pub const DEFAULT_SYSCTL: &[&str] = &[
    "fs.file-max",
    "kernel.pid_max",
    "net.core.somaxconn",
    "net.ipv4.ip_forward",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_tw_reuse",
    "vm.max_map_count",
    "vm.overcommit_memory",
    "vm.swappiness",
];

/// A helper the runtime and server probes share: `v FILE NAME COMMAND ARGS…` writes
/// `NAME<TAB>first line of output` to FILE when COMMAND exists. The probes start every
/// `v` in the background and print the files in order, so banners load side by side.
const BANNER_HELPER: &str = "v() { f=\"$DS_DIR/$1\"; n=$2; shift 2; command -v \"$1\" >/dev/null 2>&1 || return 0; \
o=$(\"$@\" 2>&1 | head -n 1); printf '%s\\t%s\\n' \"$n\" \"$o\" >\"$f\"; }\n";

const RUNTIMES: &str = "\
if command -v python3 >/dev/null 2>&1; then v rt1 python python3 --version & else v rt1 python python --version & fi
v rt2 node node --version &
v rt3 java java -version &
v rt4 ruby ruby --version &
v rt5 go go version &
v rt6 php php --version &
v rt7 perl perl -e 'print \"$^V\\n\"' &
v rt8 rust rustc --version &
v rt9 dotnet dotnet --version &
wait
cat \"$DS_DIR\"/rt* 2>/dev/null; true
";

const SERVERS: &str = "\
if command -v postgres >/dev/null 2>&1; then v sv01 postgres postgres --version & else
  pg=; for p in /usr/lib/postgresql/*/bin/postgres; do [ -x \"$p\" ] && pg=$p; done
  [ -n \"$pg\" ] && v sv01 postgres \"$pg\" --version &
fi
v sv02 mysql mysqld --version &
v sv03 mariadb mariadbd --version &
v sv04 redis redis-server --version &
v sv05 memcached memcached -V &
v sv06 mongodb mongod --version &
v sv07 nginx nginx -v &
v sv08 apache apache2 -v &
v sv09 apache httpd -v &
v sv10 haproxy haproxy -v &
v sv11 etcd etcd --version &
wait
cat \"$DS_DIR\"/sv* 2>/dev/null; true
";

const PACKAGES: &str = "\
if command -v dpkg-query >/dev/null 2>&1; then
  echo \"#dpkg $(dpkg --print-architecture 2>/dev/null)\"
  dpkg-query -W -f='${Status}\\t${binary:Package}\\t${Version}\\n' | awk -F '\\t' '$1 ~ / installed$/ { print $2 \"\\t\" $3 }'
elif command -v rpm >/dev/null 2>&1; then
  echo \"#rpm $(uname -m)\"
  rpm -qa --qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\n'
elif command -v apk >/dev/null 2>&1; then
  echo '#apk'
  apk info -v 2>/dev/null
else
  echo 'no package manager found (dpkg, rpm, apk)' >&2; exit 127
fi
";

const CERT_FIELDS: &str = "-noout -subject -issuer -enddate -serial -ext subjectAltName";

/// The built-in probes, in the order they run.
pub fn builtin(sysctl_keys: &[String]) -> Vec<Probe> {
    use Category::*;
    // One `grep` prints `path:value` for every readable key (`/dev/null` makes it name
    // the file even for one key); keys the kernel lacks are simply absent.
    let sysctl_files: String = DEFAULT_SYSCTL
        .iter()
        .map(|k| k.to_string())
        .chain(sysctl_keys.iter().cloned())
        .map(|key| {
            format!(
                " {}",
                shell_quote(&format!("/proc/sys/{}", key.replace('.', "/")))
            )
        })
        .collect();
    let sysctl_script = format!("grep '' /dev/null{sysctl_files} 2>/dev/null; true");
    vec![
        Probe::plain(
            "os-release",
            Versions,
            &[],
            "if [ -r /etc/os-release ]; then cat /etc/os-release; else cat /usr/lib/os-release; fi",
            versions::os_release,
        ),
        Probe::plain(
            "uname",
            Versions,
            &["uname"],
            "uname -s; uname -r; uname -m",
            versions::uname,
        ),
        Probe::plain(
            "libc",
            Versions,
            &[],
            "getconf GNU_LIBC_VERSION 2>/dev/null || ldd --version 2>&1 | head -n 2",
            versions::libc,
        ),
        Probe::plain(
            "openssl",
            Versions,
            &["openssl"],
            "openssl version",
            versions::openssl,
        ),
        Probe::plain(
            "runtimes",
            Versions,
            &[],
            format!("{BANNER_HELPER}{RUNTIMES}"),
            versions::runtimes,
        ),
        Probe::plain(
            "servers",
            Versions,
            &[],
            format!("{BANNER_HELPER}{SERVERS}"),
            versions::servers,
        ),
        Probe::plain("packages", Versions, &[], PACKAGES, versions::packages),
        Probe::plain("sysctl", Config, &[], sysctl_script, config::sysctl),
        Probe::plain(
            "timezone",
            Config,
            &[],
            "if [ -r /etc/timezone ]; then cat /etc/timezone; \
             elif [ -L /etc/localtime ]; then readlink /etc/localtime; else echo UTC; fi",
            config::timezone,
        ),
        Probe::plain(
            "fips",
            Config,
            &[],
            "cat /proc/sys/crypto/fips_enabled 2>/dev/null; true",
            config::fips,
        ),
        Probe::plain(
            "sudoers",
            Config,
            &[],
            format!(
                "[ -r /etc/sudoers ] || {{ echo 'needs root: /etc/sudoers is readable by root only (set sudo for this host)' >&2; exit {UNAVAILABLE_STATUS}; }}; \
                 for f in /etc/sudoers /etc/sudoers.d/*; do [ -f \"$f\" ] || continue; \
                 printf '%s\\n%s\\n' \"$f\" \"$(wc -c < \"$f\")\"; cat -- \"$f\"; done"
            ),
            config::framed_files,
        )
        .needing_root(true),
        Probe::plain(
            "locale",
            Config,
            &[],
            "for f in /etc/default/locale /etc/locale.conf; do \
             if [ -r \"$f\" ]; then cat \"$f\"; exit 0; fi; done; \
             echo 'no /etc/default/locale or /etc/locale.conf' >&2; exit 127",
            config::locale,
        ),
        Probe::plain(
            "limits",
            Config,
            &[],
            "printf 'nofile=%s\\nstack=%s\\ncore=%s\\n' \"$(ulimit -n)\" \"$(ulimit -s)\" \"$(ulimit -c)\"",
            config::limits,
        ),
        Probe::plain(
            "resolv.conf",
            Network,
            &[],
            "cat /etc/resolv.conf",
            network::resolv_conf,
        ),
        Probe::plain("hosts", Network, &[], "cat /etc/hosts", network::hosts_file),
        Probe::plain(
            "listening",
            Network,
            &[],
            "if command -v ss >/dev/null 2>&1; then ss -ltnu; \
             elif command -v netstat >/dev/null 2>&1; then netstat -ltnu; \
             else echo 'neither ss nor netstat is installed' >&2; exit 127; fi",
            network::listening,
        ),
        Probe::plain(
            "listening-processes",
            Network,
            &["ss"],
            format!(
                "[ \"$(id -u)\" = 0 ] || {{ echo 'needs root: ss shows only the login user processes (set sudo for this host)' >&2; exit {UNAVAILABLE_STATUS}; }}; \
                 ss -Hltnup"
            ),
            network::listening_processes,
        )
        .needing_root(true),
        Probe::plain(
            "routes",
            Network,
            &["ip"],
            "ip route show && ip -6 route show 2>/dev/null; true",
            network::routes,
        ),
        Probe::plain(
            "firewall",
            Network,
            &[],
            "if command -v nft >/dev/null 2>&1; then nft list ruleset; \
             elif command -v iptables-save >/dev/null 2>&1; then iptables-save; \
             else echo 'neither nft nor iptables-save is installed' >&2; exit 127; fi",
            network::firewall,
        )
        .needing_root(true),
        Probe::plain(
            "cpu",
            Infra,
            &[],
            "printf 'count=%s\\n' \"$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)\"; \
             awk -F ': *' '/^(model name|Hardware|cpu model)/ { print \"model=\" $2; exit }' /proc/cpuinfo",
            infra::cpu,
        ),
        Probe::plain("memory", Infra, &[], "cat /proc/meminfo", infra::memory),
        Probe::plain("disks", Infra, &["df"], "df -PkT", infra::disks),
        Probe::plain("mounts", Infra, &[], "cat /proc/mounts", infra::mounts),
        Probe::plain(
            "systemd",
            Services,
            &["systemctl"],
            "[ -d /run/systemd/system ] || { echo 'systemd is not running' >&2; exit 127; }; \
             systemctl list-units --type=service --all --plain --no-legend --no-pager",
            services::systemd_units,
        ),
    ]
}

/// Names of the built-in probes, for `[collect] skip` and the documentation.
pub fn builtin_names() -> Vec<String> {
    builtin(&[]).into_iter().map(|p| p.name).collect()
}

/// Every probe the settings ask for: built-ins (less the skipped ones), configured
/// files, environment files and certificates, then the user's probes.
///
/// Fails with a one-line message naming the bad setting.
pub fn plan_probes(settings: &CollectSettings) -> Result<Vec<Probe>, String> {
    let c = &settings.collect;
    let names = builtin_names();
    for skip in &c.skip {
        if !names.contains(skip) {
            return Err(format!(
                "[collect] skip: unknown probe '{skip}' (built-in probes: {})",
                names.join(", ")
            ));
        }
    }
    for key in &c.sysctl {
        if key.is_empty()
            || !key
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
        {
            return Err(format!("[collect] sysctl: '{key}' is not a sysctl key"));
        }
    }
    let mut probes: Vec<Probe> = builtin(&c.sysctl)
        .into_iter()
        .filter(|p| !c.skip.contains(&p.name))
        .collect();
    for path in &c.files {
        check_path("files", path)?;
        let key = format!("file:{path}");
        probes.push(
            Probe::keyed(
                key.clone(),
                Category::Config,
                &[],
                format!("cat -- {}", shell_quote(path)),
                config::file_text,
                key,
            )
            .root_when_unreadable(path),
        );
    }
    for path in &c.env_files {
        check_path("env_files", path)?;
        probes.push(Probe::plain(
            &format!("env-file:{path}"),
            Category::Config,
            &[],
            format!("cat -- {}", shell_quote(path)),
            config::env_file,
        ));
    }
    for path in &c.cert_files {
        check_path("cert_files", path)?;
        let key = format!("cert:{path}");
        probes.push(Probe::keyed(
            key.clone(),
            Category::Network,
            &["openssl"],
            format!("openssl x509 -in {} {CERT_FIELDS}", shell_quote(path)),
            network::certificate,
            key,
        ));
    }
    for endpoint in &c.cert_endpoints {
        let Some((host, port)) = endpoint.rsplit_once(':') else {
            return Err(format!(
                "[collect] cert_endpoints: '{endpoint}' is not host:port"
            ));
        };
        if host.is_empty() || port.parse::<u16>().is_err() || endpoint.contains(char::is_whitespace)
        {
            return Err(format!(
                "[collect] cert_endpoints: '{endpoint}' is not host:port"
            ));
        }
        let key = format!("cert:{endpoint}");
        let host = host.trim_start_matches('[').trim_end_matches(']');
        probes.push(Probe::keyed(
            key.clone(),
            Category::Network,
            &["openssl"],
            format!(
                "openssl s_client -connect {} -servername {} </dev/null 2>/dev/null | openssl x509 {CERT_FIELDS}",
                shell_quote(endpoint),
                shell_quote(host)
            ),
            network::certificate,
            key,
        ));
    }
    for user in &settings.probes {
        if user.name.trim().is_empty() {
            return Err("[[probes]]: a probe has an empty name".into());
        }
        if probes.iter().any(|p| p.name == user.name) {
            return Err(format!(
                "[[probes]]: the name '{}' is already used",
                user.name
            ));
        }
        probes.push(
            Probe::keyed(
                user.name.clone(),
                user.category,
                &[],
                user.command.clone(),
                generic::for_kind(user.parser),
                user.key.clone().unwrap_or_else(|| user.name.clone()),
            )
            .needing_root(user.needs_root),
        );
    }
    Ok(probes)
}

fn check_path(field: &str, path: &str) -> Result<(), String> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "[collect] {field}: '{path}' is not an absolute path"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ParserKind, ProbeConfig};

    #[test]
    fn builtin_names_are_unique() {
        let mut names = builtin_names();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn settings_add_files_certs_and_user_probes_and_skip_builtins() {
        let mut s = CollectSettings::default();
        s.collect.skip = vec!["packages".into()];
        s.collect.files = vec!["/etc/nginx/nginx.conf".into()];
        s.collect.env_files = vec!["/etc/app.env".into()];
        s.collect.cert_files = vec!["/etc/ssl/app.pem".into()];
        s.collect.cert_endpoints = vec!["db.internal:5432".into()];
        s.probes = vec![ProbeConfig {
            name: "app".into(),
            category: Category::Config,
            command: "cat /opt/app/VERSION".into(),
            parser: ParserKind::Version,
            key: None,
            needs_root: false,
        }];
        let probes = plan_probes(&s).unwrap();
        let names: Vec<&str> = probes.iter().map(|p| p.name.as_str()).collect();
        assert!(!names.contains(&"packages"));
        for want in [
            "file:/etc/nginx/nginx.conf",
            "env-file:/etc/app.env",
            "cert:/etc/ssl/app.pem",
            "cert:db.internal:5432",
            "app",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
    }

    #[test]
    fn bad_settings_are_named() {
        let mut s = CollectSettings::default();
        s.collect.skip = vec!["nope".into()];
        assert!(
            plan_probes(&s)
                .unwrap_err()
                .contains("skip: unknown probe 'nope'")
        );
        let mut s = CollectSettings::default();
        s.collect.files = vec!["relative.conf".into()];
        assert!(
            plan_probes(&s)
                .unwrap_err()
                .contains("not an absolute path")
        );
        let mut s = CollectSettings::default();
        s.collect.cert_endpoints = vec!["nohostport".into()];
        assert!(plan_probes(&s).unwrap_err().contains("host:port"));
        let mut s = CollectSettings::default();
        s.collect.sysctl = vec!["a;rm".into()];
        assert!(plan_probes(&s).is_err());
    }
}
