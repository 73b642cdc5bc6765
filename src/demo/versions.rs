//! Versions: OS, kernel, runtimes, libraries, servers, the application and its packages.

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::hosts::Env;
use super::profile::Profile;

/// Debian packages installed with the same version on every host.
const COMMON_PACKAGES: &[(&str, &str)] = &[
    ("adduser", "3.134"),
    ("apt", "2.6.1"),
    ("apt-utils", "2.6.1"),
    ("base-passwd", "3.6.1"),
    ("bash", "5.2.15-2+b7"),
    ("bind9-dnsutils", "1:9.18.24-1"),
    ("bsdutils", "1:2.38.1-5+deb12u1"),
    ("ca-certificates", "20230311"),
    ("cloud-guest-utils", "0.33-1"),
    ("cloud-init", "22.4.2-1+deb12u1"),
    ("coreutils", "9.1-1"),
    ("cron", "3.0pl1-162"),
    ("dash", "0.5.12-2"),
    ("dbus", "1.14.10-1~deb12u1"),
    ("debconf", "1.5.82"),
    ("debian-archive-keyring", "2023.3+deb12u1"),
    ("debianutils", "5.7-0.5~deb12u1"),
    ("diffutils", "1:3.8-4"),
    ("dpkg", "1.21.22"),
    ("e2fsprogs", "1.47.0-2"),
    ("findutils", "4.9.0-4"),
    ("gcc-12-base", "12.2.0-14"),
    ("git", "1:2.39.2-1.1"),
    ("gnupg", "2.2.40-1.1"),
    ("grep", "3.8-5"),
    ("gzip", "1.12-1"),
    ("hostname", "3.23+nmu1"),
    ("htop", "3.2.2-2"),
    ("init-system-helpers", "1.65.2"),
    ("iproute2", "6.1.0-3"),
    ("iputils-ping", "3:20221126-1"),
    ("jq", "1.6-2.1"),
    ("kmod", "30+20221128-1"),
    ("less", "590-2.1~deb12u2"),
    ("libapparmor1", "3.0.8-3"),
    ("libbrotli1", "1.0.9-2+b6"),
    ("libbz2-1.0", "1.0.8-5+b1"),
    ("libc-bin", "2.36-9+deb12u7"),
    ("libc6", "2.36-9+deb12u7"),
    ("libcap2", "1:2.66-4"),
    ("libexpat1", "2.5.0-1"),
    ("libffi8", "3.4.4-1"),
    ("libgcc-s1", "12.2.0-14"),
    ("libgcrypt20", "1.10.1-3"),
    ("libgnutls30", "3.7.9-2+deb12u2"),
    ("libgpg-error0", "1.46-1"),
    ("libjemalloc2", "5.3.0-1"),
    ("libkrb5-3", "1.20.1-2+deb12u1"),
    ("libldap-2.5-0", "2.5.13+dfsg-5"),
    ("liblz4-1", "1.9.4-1"),
    ("liblzma5", "5.4.1-0.2"),
    ("libncursesw6", "6.4-4"),
    ("libnghttp2-14", "1.52.0-1+deb12u1"),
    ("libpam0g", "1.5.2-6+deb12u1"),
    ("libpcre2-8-0", "10.42-1"),
    ("libreadline8", "8.2-1.3"),
    ("libsasl2-2", "2.1.28+dfsg-10"),
    ("libseccomp2", "2.5.4-1+b3"),
    ("libselinux1", "3.4-1+b6"),
    ("libsqlite3-0", "3.40.1-2"),
    ("libstdc++6", "12.2.0-14"),
    ("libsystemd0", "252.22-1~deb12u1"),
    ("libudev1", "252.22-1~deb12u1"),
    ("libuuid1", "2.38.1-5+deb12u1"),
    ("libxml2", "2.9.14+dfsg-1.3~deb12u1"),
    ("libyaml-0-2", "0.2.5-1"),
    ("libzstd1", "1.5.4+dfsg2-5"),
    ("locales", "2.36-9+deb12u7"),
    ("login", "1:4.13+dfsg1-1+b1"),
    ("logrotate", "3.21.0-1"),
    ("lsb-release", "12.0-1"),
    ("mawk", "1.3.4.20200120-3.1"),
    ("mount", "2.38.1-5+deb12u1"),
    ("nano", "7.2-1"),
    ("ncurses-base", "6.4-4"),
    ("netbase", "6.4"),
    ("nftables", "1.0.6-2+deb12u2"),
    ("nginx", "1.22.1-9"),
    ("nginx-common", "1.22.1-9"),
    ("openssh-client", "1:9.2p1-2+deb12u2"),
    ("openssh-server", "1:9.2p1-2+deb12u2"),
    ("passwd", "1:4.13+dfsg1-1+b1"),
    ("perl-base", "5.36.0-7+deb12u1"),
    ("procps", "2:4.0.2-3"),
    ("prometheus-node-exporter", "1.5.0-1+b6"),
    ("python3", "3.11.2-1+b1"),
    ("readline-common", "8.2-1.3"),
    ("redis-tools", "5:7.0.15-1~deb12u1"),
    ("rsync", "3.2.7-1"),
    ("rsyslog", "8.2302.0-1"),
    ("sed", "4.9-1"),
    ("sudo", "1.9.13p3-1+deb12u1"),
    ("systemd", "252.22-1~deb12u1"),
    ("systemd-sysv", "252.22-1~deb12u1"),
    ("systemd-timesyncd", "252.22-1~deb12u1"),
    ("tar", "1.34+dfsg-1.2+deb12u1"),
    ("tcpdump", "4.99.3-1"),
    ("tmux", "3.3a-3"),
    ("tzdata", "2024a-0+deb12u1"),
    ("unattended-upgrades", "2.9.1+nmu3"),
    ("unzip", "6.0-28"),
    ("util-linux", "2.38.1-5+deb12u1"),
    ("vim-tiny", "2:9.0.1378-2"),
    ("wget", "1.21.3-1+b2"),
    ("xz-utils", "5.4.1-0.2"),
    ("zlib1g", "1:1.2.13.dfsg-1"),
    ("zstd", "1.5.4+dfsg2-5"),
];

/// Packages only on the servers, which get their TLS certificates from Let's Encrypt.
const SERVER_PACKAGES: &[(&str, &str)] = &[
    ("certbot", "2.1.0-4"),
    ("fail2ban", "1.0.2-2"),
    ("python3-certbot-nginx", "2.1.0-2"),
];

/// Packages only on the dev box, which builds code and runs its own database and cache.
const DEV_PACKAGES: &[(&str, &str)] = &[
    ("build-essential", "12.9"),
    ("gcc-12", "12.2.0-14"),
    ("libpq-dev", "16.3-1.pgdg120+1"),
    ("make", "4.3-4.1"),
    ("postgresql-16", "16.3-1.pgdg120+1"),
    ("redis-server", "5:7.0.15-1~deb12u1"),
];

/// Python packages of the application: name, version in the 4.18 lockfile, in the 4.19 one.
const PYTHON_PACKAGES: &[(&str, &str, &str)] = &[
    ("boto3", "1.34.84", "1.34.84"),
    ("celery", "5.3.6", "5.3.6"),
    ("certifi", "2024.2.2", "2024.2.2"),
    ("cryptography", "42.0.5", "42.0.5"),
    ("django", "4.2.11", "4.2.13"),
    ("gunicorn", "21.2.0", "22.0.0"),
    ("psycopg", "3.1.18", "3.1.18"),
    ("redis", "5.0.3", "5.0.3"),
    ("requests", "2.31.0", "2.31.0"),
    ("sentry-sdk", "1.45.0", "2.3.1"),
    ("stripe", "8.11.0", "9.9.0"),
    ("whitenoise", "6.6.0", "6.6.0"),
];

/// Adds the versions facts of `p` to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let mut f = Facts::new(snap, Category::Versions);
    f.scalar("os.name", "Debian GNU/Linux");
    f.version("os.release", p.debian);
    f.scalar("os.codename", "bookworm");
    f.version("kernel", p.kernel);
    f.version("runtime.python", p.python);
    f.version("runtime.pip", "24.0");
    f.version("runtime.node", p.node);
    f.version("runtime.npm", "10.5.0");
    f.version("lib.openssl", p.openssl);
    f.version("lib.glibc", "2.36");
    f.version("lib.libpq", p.postgres);
    f.version("server.postgresql", p.postgres);
    f.version("server.redis", "7.2.4");
    f.version("server.nginx", "1.22.1");
    f.version("app.shop", p.release);

    for (name, current, next) in PYTHON_PACKAGES {
        let version = if p.next_train() { next } else { current };
        f.version(format!("pip:{name}"), version);
    }

    let packages = COMMON_PACKAGES.iter().chain(match p.host.env {
        Env::Dev => DEV_PACKAGES,
        Env::Staging | Env::Prod => SERVER_PACKAGES,
    });
    for (name, version) in packages {
        f.version(format!("package:{name}"), version);
    }
    f.version("package:base-files", p.base_files);
    f.version("package:linux-image-amd64", p.kernel_package);
    f.version("package:openssl", p.openssl_package);
    f.version("package:libssl3", p.openssl_package);
    f.version("package:curl", p.curl_package);
    f.version("package:libcurl4", p.curl_package);
    let pgdg = format!("{}-1.pgdg120+1", p.postgres);
    f.version(
        format!("package:postgresql-client-{}", p.postgres_major()),
        &pgdg,
    );
    f.version("package:libpq5", &pgdg);
    let nodesource = format!("{}-1nodesource1", p.node);
    f.version("package:nodejs", &nodesource);
}
