//! Network: resolver, listening sockets, firewall, routes, time servers, certificates.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::hosts::Env;
use super::profile::Profile;

/// A listening socket: protocol, port, bound address, process.
type Listener = (&'static str, u16, &'static str, &'static str);

/// Sockets every host listens on.
const COMMON_LISTENERS: &[Listener] = &[
    ("tcp", 22, "0.0.0.0", "sshd"),
    ("tcp", 80, "0.0.0.0", "nginx"),
    ("tcp", 443, "0.0.0.0", "nginx"),
    ("tcp", 8000, "127.0.0.1", "gunicorn"),
    ("tcp", 9100, "0.0.0.0", "prometheus-node-exporter"),
];

/// Sockets only the dev box listens on: its own database, cache and front-end server.
const DEV_LISTENERS: &[Listener] = &[
    ("tcp", 5173, "0.0.0.0", "node"),
    ("tcp", 5432, "127.0.0.1", "postgres"),
    ("tcp", 6379, "127.0.0.1", "redis-server"),
];

/// An RFC 3339 timestamp in whole seconds.
fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Adds the network facts of `p` to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let env = p.host.env;
    let mut f = Facts::new(snap, Category::Network);

    f.list("resolv.nameservers", p.nameservers);
    f.list("resolv.search", ["internal", "eu-west-1.compute.internal"]);
    f.set("resolv.options", ["edns0", "timeout:2"]);
    f.list("ntp.servers", ["169.254.169.123"]);

    let listeners: Vec<&Listener> = match env {
        Env::Dev => COMMON_LISTENERS.iter().chain(DEV_LISTENERS).collect(),
        Env::Staging | Env::Prod => COMMON_LISTENERS.iter().collect(),
    };
    f.set(
        "listening",
        listeners
            .iter()
            .map(|(proto, port, address, _)| format!("{proto} {address}:{port}")),
    );
    for (proto, port, address, process) in &listeners {
        f.record(
            format!("port:{proto}/{port}"),
            [("address", *address), ("process", *process)],
        );
    }

    let mut rules = vec![
        "ct state established,related accept".to_string(),
        "iif lo accept".to_string(),
        "ct state invalid drop".to_string(),
        "ip protocol icmp accept".to_string(),
        format!("tcp dport 22 ip saddr {} accept", p.ssh_from),
        "tcp dport { 80, 443 } accept".to_string(),
        "tcp dport 9100 ip saddr 10.0.9.0/24 accept".to_string(),
    ];
    if env == Env::Dev {
        rules.push("tcp dport 5173 ip saddr 10.0.0.0/8 accept".to_string());
    }
    f.list("firewall.input", rules);
    f.scalar("firewall.input.policy", "drop");
    f.scalar("firewall.forward.policy", "drop");

    let gateway = match env {
        Env::Dev => "10.40.0.1",
        Env::Staging => "10.30.0.1",
        Env::Prod => "10.20.0.1",
    };
    f.record(
        "route:default",
        [
            ("gateway", gateway),
            ("interface", "ens5"),
            ("metric", "100"),
        ],
    );
    f.record(
        "interface:ens5",
        [("driver", "ena"), ("mtu", "9001"), ("state", "up")],
    );

    let domain = p.domain();
    let sans = match env {
        Env::Prod => format!("{domain}, www.{domain}"),
        Env::Dev => format!("{domain}, localhost"),
        Env::Staging => domain.to_string(),
    };
    let key = if env == Env::Dev {
        "RSA 2048"
    } else {
        "ECDSA P-256"
    };
    f.record(
        "cert:/etc/ssl/shop/fullchain.pem",
        [
            ("subject", format!("CN={domain}")),
            ("issuer", p.cert.issuer.to_string()),
            ("not_before", timestamp(p.cert.not_before)),
            ("not_after", timestamp(p.cert.not_after)),
            ("sans", sans),
            ("serial", p.cert.serial.clone()),
            ("key", key.to_string()),
        ],
    );
    f.record(
        "cert:/usr/local/share/ca-certificates/shop-internal-ca.crt",
        [
            ("subject", "O=Shop, CN=Shop Internal Root CA 2023"),
            ("issuer", "O=Shop, CN=Shop Internal Root CA 2023"),
            ("not_before", "2023-03-01T00:00:00Z"),
            ("not_after", "2033-02-26T00:00:00Z"),
            ("serial", "5a1c0e7f3b9d2a4468e1c0b7f2d39a6e"),
            ("key", "ECDSA P-384"),
        ],
    );
}
