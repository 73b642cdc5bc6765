//! Network: resolver, hosts file, listening sockets, routes, firewall and certificates.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::collect::probe::Facts;
use crate::model::Value;

/// `/etc/resolv.conf` → `dns.nameservers` (list, order matters), `dns.search` (list),
/// `dns.options` (set).
pub fn resolv_conf(out: &str) -> Result<Facts, String> {
    let mut nameservers = Vec::new();
    let mut search = Vec::new();
    let mut options = Vec::new();
    for line in out.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => nameservers.extend(words.map(String::from)),
            Some("search") | Some("domain") => search.extend(words.map(String::from)),
            Some("options") => options.extend(words.map(String::from)),
            _ => {}
        }
    }
    let mut facts = vec![("dns.nameservers".to_string(), Value::List(nameservers))];
    if !search.is_empty() {
        facts.push(("dns.search".into(), Value::List(search)));
    }
    if !options.is_empty() {
        facts.push(("dns.options".into(), Value::set(options)));
    }
    Ok(facts)
}

/// `/etc/hosts` → one `hosts:<name>` fact per name: the set of its addresses.
pub fn hosts_file(out: &str) -> Result<Facts, String> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let Some(addr) = words.next() else { continue };
        for name in words {
            names
                .entry(name.to_string())
                .or_default()
                .push(addr.to_string());
        }
    }
    Ok(names
        .into_iter()
        .map(|(name, addrs)| (format!("hosts:{name}"), Value::set(addrs)))
        .collect())
}

/// `ss -ltnu` or `netstat -ltnu` → one `port:<proto>/<port>` fact per listening port:
/// the set of local addresses it is bound to.
pub fn listening(out: &str) -> Result<Facts, String> {
    let mut ports: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(proto) = fields.first().map(|p| p.trim_end_matches('6')) else {
            continue;
        };
        if proto != "tcp" && proto != "udp" {
            continue;
        }
        // ss: proto state recv-q send-q local peer; netstat: proto recv-q send-q local peer state
        let is_ss = fields
            .get(1)
            .is_some_and(|f| f.chars().all(|c| c.is_ascii_alphabetic()));
        let local = if is_ss { fields.get(4) } else { fields.get(3) };
        let Some((addr, port)) = local.and_then(|l| l.rsplit_once(':')) else {
            return Err(format!("unreadable socket line '{}'", line.trim()));
        };
        let addr = addr.split('%').next().unwrap_or(addr);
        let addr = if addr.is_empty() || addr == "::" {
            "[::]"
        } else {
            addr
        };
        ports
            .entry(format!("port:{proto}/{port}"))
            .or_default()
            .push(addr.to_string());
    }
    Ok(ports
        .into_iter()
        .map(|(k, addrs)| (k, Value::set(addrs)))
        .collect())
}

/// `ss -Hltnup` (run as root, so every process shows) → one `process:<proto>/<port>`
/// fact per listening port: the set of names of the processes that own it (process
/// ids left out, as they change on every restart).
pub fn listening_processes(out: &str) -> Result<Facts, String> {
    let mut ports: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(proto) = fields.first() else {
            continue;
        };
        if *proto != "tcp" && *proto != "udp" {
            continue;
        }
        let Some((_, port)) = fields.get(4).and_then(|l| l.rsplit_once(':')) else {
            return Err(format!("unreadable socket line '{}'", line.trim()));
        };
        let names = ports.entry(format!("process:{proto}/{port}")).or_default();
        // users:(("nginx",pid=12,fd=6),("nginx",pid=13,fd=6))
        let users = line.split_once("users:(").map_or("", |(_, rest)| rest);
        for part in users.split("(\"").skip(1) {
            if let Some((name, _)) = part.split_once("\",") {
                names.push(name.to_string());
            }
        }
    }
    Ok(ports
        .into_iter()
        .map(|(k, names)| (k, Value::set(names)))
        .collect())
}

/// `ip route show` → one `route:<destination>` fact per destination: its `via`
/// gateway and `dev` interface (metrics, sources and scopes left out).
pub fn routes(out: &str) -> Result<Facts, String> {
    let mut routes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(dest) = words.first() else { continue };
        let mut parts = Vec::new();
        for pair in words[1..].windows(2) {
            if matches!(pair[0], "via" | "dev") {
                parts.push(format!("{} {}", pair[0], pair[1]));
            }
        }
        routes
            .entry(format!("route:{dest}"))
            .or_default()
            .push(parts.join(" "));
    }
    Ok(routes
        .into_iter()
        .map(|(k, v)| (k, Value::string(v.join("; "))))
        .collect())
}

/// `nft list ruleset` or `iptables-save` → `firewall.ruleset` text, with the comment
/// lines (which carry dates) and packet counters removed so only rules compare.
pub fn firewall(out: &str) -> Result<Facts, String> {
    let mut text = String::new();
    for line in out.lines().filter(|l| !l.trim_start().starts_with('#')) {
        text.push_str(&strip_counters(line));
        text.push('\n');
    }
    Ok(vec![("firewall.ruleset".into(), Value::Text(text))])
}

fn strip_counters(line: &str) -> String {
    // iptables-save: ":INPUT ACCEPT [123:4567]" ; nft: "counter packets 12 bytes 3456"
    let mut words: Vec<&str> = Vec::new();
    let mut iter = line.split(' ').peekable();
    while let Some(word) = iter.next() {
        if (word == "packets" || word == "bytes")
            && iter
                .peek()
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        {
            iter.next();
            continue;
        }
        let is_counter = word.starts_with('[')
            && word.ends_with(']')
            && word[1..word.len() - 1]
                .split(':')
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if is_counter {
            words.push("[0:0]");
        } else {
            words.push(word);
        }
    }
    words.join(" ")
}

/// `openssl x509 -noout -subject -issuer -enddate -serial -ext subjectAltName` →
/// one record under `key`: subject, issuer, not_after (RFC 3339), serial, sans.
pub fn certificate(out: &str, key: &str) -> Result<Facts, String> {
    let mut record = BTreeMap::new();
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("subject=") {
            record.insert("subject".to_string(), v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("issuer=") {
            record.insert("issuer".to_string(), v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("notAfter=") {
            record.insert("not_after".to_string(), openssl_date(v.trim()));
        } else if let Some(v) = line.strip_prefix("serial=") {
            record.insert("serial".to_string(), v.trim().to_string());
        } else if line.starts_with("X509v3 Subject Alternative Name") {
            if let Some(next) = lines.next() {
                let mut sans: Vec<&str> = next.split(',').map(str::trim).collect();
                sans.sort_unstable();
                record.insert("sans".to_string(), sans.join(", "));
            }
        }
    }
    if !record.contains_key("subject") {
        return Err("no certificate subject in openssl output".into());
    }
    Ok(vec![(key.to_string(), Value::Record(record))])
}

/// `Dec 22 21:13:19 2026 GMT` → `2026-12-22T21:13:19Z`; unknown shapes are kept.
fn openssl_date(raw: &str) -> String {
    let squeezed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&squeezed, "%b %d %H:%M:%S %Y GMT")
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_processes_are_named_without_their_ids() {
        let out = "tcp LISTEN 0 511 0.0.0.0:80 0.0.0.0:* users:((\"nginx\",pid=12,fd=6),(\"nginx\",pid=13,fd=6))\n\
                   tcp LISTEN 0 128 [::]:22 [::]:* users:((\"sshd\",pid=1,fd=4))\n\
                   udp UNCONN 0 0 127.0.0.1:323 0.0.0.0:* users:((\"chronyd\",pid=5,fd=5))\n\
                   tcp LISTEN 0 4096 127.0.0.1:9000 0.0.0.0:*\n";
        let facts = listening_processes(out).unwrap();
        assert_eq!(
            facts,
            vec![
                (
                    "process:tcp/22".to_string(),
                    Value::set(["sshd".to_string()])
                ),
                (
                    "process:tcp/80".to_string(),
                    Value::set(["nginx".to_string()])
                ),
                (
                    "process:tcp/9000".to_string(),
                    Value::set(Vec::<String>::new())
                ),
                (
                    "process:udp/323".to_string(),
                    Value::set(["chronyd".to_string()])
                ),
            ]
        );
    }

    #[test]
    fn resolv_conf_keeps_nameserver_order() {
        let out = "# Generated by NetworkManager\nsearch corp.example.com example.com\nnameserver 10.0.0.2\nnameserver 1.1.1.1\noptions edns0 trust-ad\n";
        let facts = resolv_conf(out).unwrap();
        assert_eq!(
            facts[0].1,
            Value::List(vec!["10.0.0.2".into(), "1.1.1.1".into()])
        );
        assert_eq!(
            facts[1].1,
            Value::List(vec!["corp.example.com".into(), "example.com".into()])
        );
        assert_eq!(facts[2].1, Value::set(["edns0", "trust-ad"]));
    }

    #[test]
    fn hosts_file_groups_addresses_per_name() {
        let out = "127.0.0.1\tlocalhost\n::1     localhost ip6-localhost ip6-loopback\n10.0.0.5 db.internal db # primary\n";
        let facts = hosts_file(out).unwrap();
        let map: BTreeMap<_, _> = facts.into_iter().collect();
        assert_eq!(map["hosts:localhost"], Value::set(["127.0.0.1", "::1"]));
        assert_eq!(map["hosts:db"], Value::set(["10.0.0.5"]));
    }

    #[test]
    fn ss_output_with_header() {
        let out = "Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n\
                   udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*\n\
                   tcp   LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*\n\
                   tcp   LISTEN 0      244        127.0.0.1:5432      0.0.0.0:*\n\
                   tcp   LISTEN 0      4096            [::]:22           [::]:*\n";
        let map: BTreeMap<_, _> = listening(out).unwrap().into_iter().collect();
        assert_eq!(map["port:tcp/22"], Value::set(["0.0.0.0", "[::]"]));
        assert_eq!(map["port:tcp/5432"], Value::set(["127.0.0.1"]));
        assert_eq!(map["port:udp/53"], Value::set(["127.0.0.53"]));
    }

    #[test]
    fn netstat_output() {
        let out = "Active Internet connections (only servers)\n\
                   Proto Recv-Q Send-Q Local Address           Foreign Address         State\n\
                   tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n\
                   tcp6       0      0 :::80                   :::*                    LISTEN\n";
        let map: BTreeMap<_, _> = listening(out).unwrap().into_iter().collect();
        assert_eq!(map["port:tcp/22"], Value::set(["0.0.0.0"]));
        assert_eq!(map["port:tcp/80"], Value::set(["[::]"]));
    }

    #[test]
    fn ip_route_keeps_gateway_and_device() {
        let out = "default via 192.0.2.1 dev eth0 proto dhcp src 192.0.2.2 metric 100\n\
                   192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2 metric 100\n";
        let facts = routes(out).unwrap();
        assert_eq!(
            facts[1],
            (
                "route:default".into(),
                Value::string("via 192.0.2.1 dev eth0")
            )
        );
        assert_eq!(
            facts[0],
            ("route:192.0.2.0/24".into(), Value::string("dev eth0"))
        );
    }

    #[test]
    fn firewall_rules_compare_without_counters_and_dates() {
        let a = "# Generated by iptables-save v1.8.9 on Mon Jan  1 10:00:00 2026\n*filter\n:INPUT DROP [1234:99999]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n";
        let b = "# Generated by iptables-save v1.8.9 on Tue Jan  2 11:00:00 2026\n*filter\n:INPUT DROP [5:10]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n";
        assert_eq!(firewall(a).unwrap(), firewall(b).unwrap());
        let nft = "table inet filter {\n\tchain input {\n\t\ttcp dport 22 counter packets 12 bytes 3456 accept\n\t}\n}\n";
        let Value::Text(t) = &firewall(nft).unwrap()[0].1 else {
            panic!()
        };
        assert!(t.contains("tcp dport 22 counter accept"), "{t}");
    }

    #[test]
    fn certificate_record_from_openssl() {
        let out = "subject=CN = app.example.com, O = Example\nissuer=C = US, O = Let's Encrypt, CN = R3\nnotAfter=Jan  5 12:00:00 2027 GMT\nserial=7B084E1157DE\nX509v3 Subject Alternative Name: \n    DNS:www.example.com, DNS:app.example.com, IP Address:10.0.0.1\n";
        let facts = certificate(out, "cert:/etc/ssl/app.pem").unwrap();
        let Value::Record(r) = &facts[0].1 else {
            panic!()
        };
        assert_eq!(facts[0].0, "cert:/etc/ssl/app.pem");
        assert_eq!(r["subject"], "CN = app.example.com, O = Example");
        assert_eq!(r["not_after"], "2027-01-05T12:00:00Z");
        assert_eq!(
            r["sans"],
            "DNS:app.example.com, DNS:www.example.com, IP Address:10.0.0.1"
        );
        assert!(certificate("unable to load certificate\n", "cert:x").is_err());
    }
}
