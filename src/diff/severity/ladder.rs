//! The severity ladder: what a difference can do to a running service decides how
//! high it ranks. Rungs, most urgent first (reasons in `docs/drift.md`):
//!
//! 1. **Runtime**: servers, language runtimes, web servers, OpenSSL and libc
//!    (`server.*`, `runtime.*`, `lib.openssl`, `lib.glibc`…, and packages that install
//!    them). A major or minor jump or an absence is critical, a patch high, a revision
//!    medium.
//! 2. **Schema**: objects the application uses. Missing tables, columns and indexes are
//!    critical, and so are migrations applied on one side only.
//! 3. **Config**: keys and values the application reads. A key only one side has is
//!    critical, a changed value high.
//! 4. **Network**: resolvers, routes, firewall, certificates: any change is high.
//! 5. **Platform**: kernel, OS release, machine shape, services: changes as rated, an
//!    absence medium, version jumps one step lower than for runtimes.
//! 6. **Package**: libraries and other packages: major high, minor and patch medium,
//!    revision low, and present on one side only low.
//!
//! Severity ties are broken by rung, then by the kind of change (see
//! [`super::priority`]).

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::Rating;
use crate::diff::{ChangeKind, Severity};
use crate::model::{Category, FactKey};

/// A rung of the ladder; earlier rungs rank higher at equal severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rung {
    /// Servers, runtimes, OpenSSL, libc.
    Runtime,
    /// Database objects the application uses.
    Schema,
    /// Configuration the application reads.
    Config,
    /// Network paths.
    Network,
    /// Kernel, OS, machine shape, services.
    Platform,
    /// Libraries and other packages.
    Package,
}

/// `versions` keys (other than packages) of servers, runtimes and the TLS/C libraries.
const RUNTIME_KEYS: &[&str] = &[
    "server.*",
    "runtime.*",
    "lib.openssl",
    "lib.libressl",
    "lib.glibc",
    "lib.musl",
];

/// Package names (dpkg, rpm, apk) that install a server, a runtime, OpenSSL or libc.
const RUNTIME_PACKAGES: &[&str] = &[
    "postgresql-[0-9]*",
    "postgresql[0-9]*-server",
    "postgresql-server",
    "mysql-server*",
    "mariadb-server*",
    "redis-server",
    "redis",
    "memcached",
    "rabbitmq-server",
    "mongodb-org-server",
    "nginx",
    "nginx-core",
    "apache2",
    "apache2-bin",
    "httpd",
    "haproxy",
    "openssl",
    "openssl-libs",
    "libssl[0-9]*",
    "libc6",
    "glibc",
    "musl",
    "python3",
    "python3.[0-9]*",
    "python3[0-9]*",
    "nodejs",
    "openjdk-*-jre*",
    "openjdk-*-jdk*",
    "java-*-openjdk*",
    "ruby",
    "ruby[0-9]*",
    "php[0-9]*-fpm",
    "php[0-9]*",
    "golang-[0-9]*",
];

/// The compiled name lists.
struct Lists {
    keys: GlobSet,
    packages: GlobSet,
}

fn lists() -> &'static Lists {
    static LISTS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| Lists {
        keys: compile(RUNTIME_KEYS),
        packages: compile(RUNTIME_PACKAGES),
    })
}

fn compile(patterns: &[&str]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        // The lists are constants checked by the tests below.
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// The rung of a fact.
pub fn rung(key: &FactKey) -> Rung {
    match key.category {
        Category::Versions => {
            if let Some(name) = key.key.strip_prefix("package:") {
                let name = name.split(':').next().unwrap_or(name);
                if lists().packages.is_match(name) {
                    Rung::Runtime
                } else {
                    Rung::Package
                }
            } else if lists().keys.is_match(&key.key) {
                Rung::Runtime
            } else if key.key.starts_with("app.") {
                Rung::Config
            } else if key.key == "kernel" || key.key.starts_with("os.") {
                Rung::Platform
            } else {
                Rung::Package
            }
        }
        Category::Schema => Rung::Schema,
        Category::Config => Rung::Config,
        Category::Network => Rung::Network,
        Category::Infra | Category::Services => Rung::Platform,
    }
}

/// Places a rating on the ladder: its severity as the fact's rung decides.
pub(super) fn place(key: &FactKey, rating: Rating) -> Rating {
    use ChangeKind as C;
    use Severity as S;
    if rating.severity == S::None {
        return rating;
    }
    let severity = match (rung(key), rating.change) {
        (Rung::Runtime, C::Missing | C::Major | C::Minor) => S::Critical,
        (Rung::Runtime, C::Patch) => S::High,
        (Rung::Runtime, C::Build) => S::Medium,
        (Rung::Schema, C::Members) if key.key.starts_with("migrations:") => S::Critical,
        (Rung::Network, C::Missing) => S::High,
        (Rung::Platform, C::Missing) => S::Medium,
        (Rung::Platform, C::Major) => S::High,
        (Rung::Platform, C::Minor | C::Patch) => S::Medium,
        (Rung::Platform, C::Build) => S::Low,
        (Rung::Package, C::Missing | C::Build) => S::Low,
        (Rung::Package, C::Major) => S::High,
        (Rung::Package, C::Minor | C::Patch) => S::Medium,
        _ => rating.severity,
    };
    Rating {
        severity,
        change: rating.change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(key: &str) -> FactKey {
        FactKey::new(Category::Versions, key)
    }

    #[test]
    fn the_name_lists_compile() {
        for pattern in RUNTIME_KEYS.iter().chain(RUNTIME_PACKAGES) {
            assert!(Glob::new(pattern).is_ok(), "{pattern}");
        }
    }

    #[test]
    fn servers_runtimes_and_tls_are_the_runtime_rung() {
        for key in [
            "server.postgresql",
            "runtime.python",
            "lib.openssl",
            "package:postgresql-16",
            "package:libssl3",
            "package:libssl3:amd64",
            "package:openssl",
            "package:libc6",
            "package:python3.11",
            "package:nginx",
        ] {
            assert_eq!(rung(&versions(key)), Rung::Runtime, "{key}");
        }
        for key in [
            "package:postgresql-client-16",
            "package:libpq5",
            "package:fonts-dejavu-core",
            "pip:gunicorn",
            "lib.libpq",
        ] {
            assert_eq!(rung(&versions(key)), Rung::Package, "{key}");
        }
        assert_eq!(rung(&versions("kernel")), Rung::Platform);
        assert_eq!(rung(&versions("app.shop")), Rung::Config);
    }

    #[test]
    fn a_package_on_one_side_only_is_low_unless_it_is_a_runtime() {
        let missing = Rating {
            severity: Severity::Critical,
            change: ChangeKind::Missing,
        };
        assert_eq!(
            place(&versions("package:fonts-dejavu-core"), missing).severity,
            Severity::Low
        );
        assert_eq!(
            place(&versions("package:postgresql-16"), missing).severity,
            Severity::Critical
        );
    }
}
