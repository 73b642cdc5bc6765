//! Versions: OS release, kernel, libc, OpenSSL, runtimes, servers and packages.

use super::{first_version, key_value};
use crate::collect::package_name::package_key;
use crate::collect::probe::Facts;
use crate::model::Value;

/// `/etc/os-release` → `os.release` (PRETTY_NAME), `os.id`, `os.version`.
pub fn os_release(out: &str) -> Result<Facts, String> {
    let mut facts = Facts::new();
    for (key, value) in out.lines().filter_map(key_value) {
        match key {
            "PRETTY_NAME" => facts.push(("os.release".into(), Value::string(value))),
            "ID" => facts.push(("os.id".into(), Value::string(value))),
            "VERSION_ID" => facts.push(("os.version".into(), Value::version(value))),
            _ => {}
        }
    }
    if facts.is_empty() {
        return Err("no PRETTY_NAME, ID or VERSION_ID in os-release".into());
    }
    Ok(facts)
}

/// Three lines from `uname -s`, `uname -r`, `uname -m` → `kernel.name`, `kernel`, `arch`.
pub fn uname(out: &str) -> Result<Facts, String> {
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    match lines.as_slice() {
        [name, release, machine, ..] => Ok(vec![
            ("kernel.name".into(), Value::string(*name)),
            ("kernel".into(), Value::version(*release)),
            ("arch".into(), Value::string(*machine)),
        ]),
        _ => Err(format!("expected 3 lines from uname, got {}", lines.len())),
    }
}

/// `getconf GNU_LIBC_VERSION` (`glibc 2.36`) or musl's `ldd` banner → `lib.glibc` / `lib.musl`.
pub fn libc(out: &str) -> Result<Facts, String> {
    let lower = out.to_ascii_lowercase();
    let name = if lower.contains("musl") {
        "musl"
    } else if lower.contains("glibc") || lower.contains("gnu libc") {
        "glibc"
    } else {
        return Err("neither glibc nor musl found".into());
    };
    let version = first_version(out).ok_or("no libc version found")?;
    Ok(vec![(format!("lib.{name}"), Value::version(version))])
}

/// `openssl version` → `lib.openssl`.
pub fn openssl(out: &str) -> Result<Facts, String> {
    let line = out.lines().next().unwrap_or_default();
    let key = if line.starts_with("LibreSSL") {
        "lib.libressl"
    } else {
        "lib.openssl"
    };
    let version = first_version(line).ok_or("no version in `openssl version`")?;
    Ok(vec![(key.into(), Value::version(version))])
}

/// `name<TAB>banner` lines → `runtime.<name>` versions.
pub fn runtimes(out: &str) -> Result<Facts, String> {
    named_versions(out, "runtime")
}

/// `name<TAB>banner` lines → `server.<name>` versions.
pub fn servers(out: &str) -> Result<Facts, String> {
    named_versions(out, "server")
}

fn named_versions(out: &str, prefix: &str) -> Result<Facts, String> {
    Ok(out
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .filter_map(|(name, banner)| {
            let version = first_version(banner)?;
            Some((format!("{prefix}.{}", name.trim()), Value::version(version)))
        })
        .collect())
}

/// The package list: a `#dpkg`, `#rpm` or `#apk` line (with the host's architecture
/// after the manager's name, when known), then `name<TAB>version` lines (dpkg, whose
/// name may carry `:arch`; rpm, with `<TAB>arch` after the version) or `apk info -v`
/// lines (`musl-1.2.4-r2`).
/// → `packages.manager` and one `package:<name>` version per package, named as
/// [`package_key`] names it (the architecture kept only when foreign).
pub fn packages(out: &str) -> Result<Facts, String> {
    let mut lines = out.lines();
    let mut header = lines
        .next()
        .and_then(|l| l.strip_prefix('#'))
        .ok_or("missing package manager line")?
        .split_whitespace();
    let manager = header.next().ok_or("missing package manager line")?;
    let native = header.next();
    let mut facts = vec![("packages.manager".to_string(), Value::string(manager))];
    for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
        let entry = match manager {
            "apk" => split_apk(line).map(|(n, v)| (n, v, None)),
            _ => {
                let mut fields = line.split('\t').map(str::trim);
                match (fields.next(), fields.next()) {
                    (Some(name), Some(version)) => Some((name, version, fields.next())),
                    _ => None,
                }
            }
        };
        match entry {
            Some((name, version, arch)) if !name.is_empty() && name != "gpg-pubkey" => {
                facts.push((package_key(name, arch, native), Value::version(version)));
            }
            Some(_) => {}
            None => return Err(format!("unreadable package line '{line}'")),
        }
    }
    Ok(facts)
}

/// `name-1.2.4-r2` → (`name`, `1.2.4-r2`).
fn split_apk(line: &str) -> Option<(&str, &str)> {
    let rel = line.rfind('-')?;
    let ver = line[..rel].rfind('-')?;
    Some((&line[..ver], &line[ver + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OS_RELEASE: &str = r#"PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
"#;

    #[test]
    fn os_release_of_debian() {
        let facts = os_release(OS_RELEASE).unwrap();
        assert!(facts.contains(&(
            "os.release".into(),
            Value::string("Debian GNU/Linux 12 (bookworm)")
        )));
        assert!(facts.contains(&("os.id".into(), Value::string("debian"))));
        assert!(facts.contains(&("os.version".into(), Value::version("12"))));
        assert!(os_release("garbage\n").is_err());
    }

    #[test]
    fn uname_lines() {
        let facts = uname("Linux\n6.1.0-18-amd64\nx86_64\n").unwrap();
        assert_eq!(
            facts[1],
            ("kernel".into(), Value::version("6.1.0-18-amd64"))
        );
        assert_eq!(facts[2], ("arch".into(), Value::string("x86_64")));
        assert!(uname("Linux\n").is_err());
    }

    #[test]
    fn libc_glibc_and_musl() {
        assert_eq!(
            libc("glibc 2.36\n").unwrap(),
            vec![("lib.glibc".into(), Value::version("2.36"))]
        );
        let musl = "musl libc (x86_64)\nVersion 1.2.4\nDynamic Program Loader\n";
        assert_eq!(
            libc(musl).unwrap(),
            vec![("lib.musl".into(), Value::version("1.2.4"))]
        );
    }

    #[test]
    fn openssl_version_banner() {
        let out = "OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)\n";
        assert_eq!(
            openssl(out).unwrap(),
            vec![("lib.openssl".into(), Value::version("3.0.19"))]
        );
        assert_eq!(openssl("LibreSSL 3.3.6\n").unwrap()[0].0, "lib.libressl");
    }

    #[test]
    fn runtime_banners() {
        let out = "python\tPython 3.11.2\nnode\tv20.11.1\njava\topenjdk version \"17.0.9\" 2023-10-17\nbroken\t\n";
        let facts = runtimes(out).unwrap();
        assert_eq!(facts.len(), 3);
        assert_eq!(facts[1], ("runtime.node".into(), Value::version("20.11.1")));
    }

    #[test]
    fn architectures_are_kept_only_when_foreign() {
        let dpkg = "#dpkg amd64\nlibcurl4:amd64\t7.88.1-10\nlibc6:i386\t2.36-9\nbash\t5.2.15-2\n";
        let keys: Vec<String> = packages(dpkg).unwrap().into_iter().map(|f| f.0).collect();
        assert_eq!(
            keys,
            [
                "packages.manager",
                "package:libcurl4",
                "package:libc6:i386",
                "package:bash"
            ]
        );
        let rpm = "#rpm x86_64\nglibc\t2.34-83.el9\tx86_64\nglibc\t2.34-83.el9\ti686\ntzdata\t2024a-1.el9\tnoarch\n";
        let keys: Vec<String> = packages(rpm).unwrap().into_iter().map(|f| f.0).collect();
        assert_eq!(
            keys,
            [
                "packages.manager",
                "package:glibc",
                "package:glibc:i686",
                "package:tzdata"
            ]
        );
    }

    #[test]
    fn dpkg_rpm_and_apk_lists() {
        let dpkg = "#dpkg\nopenssl\t3.0.11-1~deb12u2\nlibc6\t2.36-9+deb12u4\n";
        let facts = packages(dpkg).unwrap();
        assert_eq!(facts[0], ("packages.manager".into(), Value::string("dpkg")));
        assert_eq!(
            facts[1],
            ("package:openssl".into(), Value::version("3.0.11-1~deb12u2"))
        );
        let rpm = "#rpm\nopenssl-libs\t3.0.7-25.el9_3\ngpg-pubkey\t8483c65d-5ccc5b19\n";
        assert_eq!(packages(rpm).unwrap().len(), 2);
        let apk = "#apk\nmusl-1.2.4-r2\nca-certificates-bundle-20230506-r0\n";
        let facts = packages(apk).unwrap();
        assert_eq!(
            facts[2],
            (
                "package:ca-certificates-bundle".into(),
                Value::version("20230506-r0")
            )
        );
        assert!(packages("openssl\t3\n").is_err());
    }
}
