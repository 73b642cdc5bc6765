//! osquery import: rows of common osquery tables mapped into driftscope's categories.
//!
//! Accepted inputs, told apart by their content:
//! - one host's tables as one JSON object, each key a table name and each value what
//!   `osqueryi --json "SELECT * FROM <table>"` prints (an array of row objects);
//! - one table's rows (such an array) in a file named after the table, e.g.
//!   `os_version.json`, or a folder of such files (one host);
//! - the daemon's results log (`osqueryd.results.log`, `osqueryd.snapshots.log`): JSON
//!   lines in the snapshot, event or batch format, for any number of hosts. A scheduled
//!   query is matched to a table by its name, which must be the table's name or end in
//!   it (`pack/driftscope/os_version`, `pack_driftscope_os_version`); differential
//!   results are replayed in order.
//!
//! osquery writes every column as a string (`logger_numerics` writes numbers); both are
//! read. Unknown tables are skipped with a note. The mapping is in `docs/importers.md`.

use crate::collect::parsers::config::{canonical_zone, fips, is_zone_name};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json};

use super::{
    ImportContext, ImportResult, SnapshotBuilder, Tool, choose_time, json_kind, json_text,
    source_file_name, squeeze,
};
use crate::collect::package_name::package_key;
use crate::collect::parsers::infra::{PSEUDO_FS, gib};
use crate::model::{Category, Value, sanitize};

/// One row: column name → value.
pub type Row = Map<String, Json>;

/// Everything read for one host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostTables {
    /// The host's identifier in the input, if it gives one.
    pub host: Option<String>,
    /// The newest time the input gives for the host's results.
    pub taken_at: Option<DateTime<Utc>>,
    /// Rows by table name.
    pub tables: BTreeMap<String, Vec<Row>>,
}

/// The tables this importer maps, longest name first (so `deb_packages` is matched
/// before anything shorter that it ends with).
pub const TABLES: &[&str] = &[
    "system_controls",
    "listening_ports",
    "dns_resolvers",
    "systemd_units",
    "deb_packages",
    "rpm_packages",
    "kernel_info",
    "system_info",
    "os_version",
    "etc_hosts",
    "routes",
    "mounts",
    "time",
];

/// Imports the file or folder at `path` (shown as `shown` in messages).
pub fn import(path: &Path, shown: &str, context: &ImportContext) -> Result<ImportResult, String> {
    let (hosts, mut problems) = if path.is_dir() {
        (vec![read_folder(path, shown)?], Vec::new())
    } else {
        let text = crate::input::read_to_string(path, crate::input::DATA_LIMIT)
            .map_err(|e| format!("{shown}: cannot read: {e}"))?;
        parse(&text, &source_file_name(path), shown)?
    };
    let mut result = ImportResult::default();
    for host in hosts {
        match to_snapshot(&host, context, path, shown) {
            Ok(b) => result.imported.push(b.finish()),
            Err(why) => problems.push(why),
        }
    }
    result.problems = problems;
    Ok(result)
}

/// Reads one input file's hosts (named `file_name`, shown as `shown`), and one line per
/// part that could not be read.
pub fn parse(
    text: &str,
    file_name: &str,
    shown: &str,
) -> Result<(Vec<HostTables>, Vec<String>), String> {
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(map)) if !looks_like_log_line(&map) => {
            let mut host = HostTables::default();
            for (table, rows) in map {
                let rows = rows_of(rows, &table, shown)?;
                host.tables.insert(table, rows);
            }
            Ok((vec![host], Vec::new()))
        }
        Ok(Json::Array(rows)) => {
            let table = table_of_file(file_name).ok_or_else(|| {
                format!(
                    "{shown}: a list of rows, but the file name does not say which table they \
                     are from (name it after the table, e.g. os_version.json)"
                )
            })?;
            let rows = rows_of(Json::Array(rows), &table, shown)?;
            let mut host = HostTables::default();
            host.tables.insert(table, rows);
            Ok((vec![host], Vec::new()))
        }
        Ok(Json::Object(_)) | Err(_) if text.trim_start().starts_with('{') => {
            results_log(text, shown)
        }
        Ok(other) => Err(format!(
            "{shown}: not osquery results: the document is {}",
            json_kind(&other)
        )),
        Err(e) => Err(format!(
            "{shown}: line {}, column {}: not valid JSON",
            e.line(),
            e.column()
        )),
    }
}

/// A results log holding one line parses as one object; it has these fields.
fn looks_like_log_line(map: &Map<String, Json>) -> bool {
    map.contains_key("name")
        && (map.contains_key("snapshot")
            || map.contains_key("columns")
            || map.contains_key("diffResults"))
}

/// The table a `<table>.json` file holds.
fn table_of_file(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".json").unwrap_or(file_name);
    (!stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| stem.to_string())
}

/// Checks that `value` is an array of objects: the rows of `table`.
fn rows_of(value: Json, table: &str, shown: &str) -> Result<Vec<Row>, String> {
    let Json::Array(items) = value else {
        return Err(format!(
            "{shown}: table {table}: expected a list of rows, found {}",
            json_kind(&value)
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Json::Object(row) => Ok(row),
            other => Err(format!(
                "{shown}: table {table}, row {}: expected an object, found {}",
                i + 1,
                json_kind(&other)
            )),
        })
        .collect()
}

/// A folder of `<table>.json` files: one host.
fn read_folder(path: &Path, shown: &str) -> Result<HostTables, String> {
    let listing = std::fs::read_dir(path).map_err(|e| format!("{shown}: cannot list: {e}"))?;
    let mut files: Vec<PathBuf> = listing
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{shown}: the folder holds no .json files"));
    }
    let mut host = HostTables::default();
    for file in files {
        let file_shown = file.display().to_string();
        let text = crate::input::read_to_string(&file, crate::input::DATA_LIMIT)
            .map_err(|e| format!("{file_shown}: cannot read: {e}"))?;
        let (mut hosts, _) = parse(&text, &source_file_name(&file), &file_shown)?;
        if let Some(part) = hosts.pop() {
            host.tables.extend(part.tables);
        }
    }
    Ok(host)
}

/// The daemon's results log: one JSON object per line.
fn results_log(text: &str, shown: &str) -> Result<(Vec<HostTables>, Vec<String>), String> {
    let mut hosts: BTreeMap<String, HostTables> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        if line.trim().is_empty() {
            continue;
        }
        let event: Map<String, Json> = match serde_json::from_str(line) {
            Ok(Json::Object(event)) => event,
            Ok(other) => {
                return Err(format!(
                    "{shown}: line {number}: expected a results log entry (an object), found {}",
                    json_kind(&other)
                ));
            }
            Err(e) => {
                return Err(format!(
                    "{shown}: line {number}, column {}: not valid JSON",
                    e.column()
                ));
            }
        };
        let field = |name: &str| event.get(name).and_then(json_text);
        let Some(name) = field("name") else {
            return Err(format!(
                "{shown}: line {number}: no query name (field name)"
            ));
        };
        let Some(table) = table_of_query(&name) else {
            *skipped.entry(name).or_default() += 1;
            continue;
        };
        let Some(host_id) = field("hostIdentifier").or_else(|| field("hostname")) else {
            problems.push(format!(
                "{shown}: line {number}: no host (fields hostIdentifier and hostname are missing)"
            ));
            continue;
        };
        let host = hosts.entry(host_id.clone()).or_insert_with(|| HostTables {
            host: Some(host_id),
            ..HostTables::default()
        });
        if let Some(time) = field("unixTime")
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(|t| DateTime::from_timestamp(t, 0))
        {
            host.taken_at = host.taken_at.max(Some(time));
        }
        let rows = host.tables.entry(table.to_string()).or_default();
        let at = |what: &str| format!("{shown}: line {number}: {what}");
        if let Some(snapshot) = event.get("snapshot") {
            *rows = rows_of(snapshot.clone(), table, shown)
                .map_err(|_| at("field snapshot: expected a list of rows"))?;
        } else if let Some(columns) = event.get("columns") {
            let Json::Object(row) = columns else {
                return Err(at("field columns: expected an object"));
            };
            match field("action").as_deref() {
                Some("added") => rows.push(row.clone()),
                Some("removed") => rows.retain(|r| r != row),
                other => {
                    return Err(at(&format!(
                        "field action: expected added or removed, found {}",
                        other.unwrap_or("nothing")
                    )));
                }
            }
        } else if let Some(diff) = event.get("diffResults") {
            for (action, add) in [("removed", false), ("added", true)] {
                let Some(list) = diff.get(action) else {
                    continue;
                };
                let list = rows_of(list.clone(), table, shown).map_err(|_| {
                    at(&format!(
                        "field diffResults.{action}: expected a list of rows"
                    ))
                })?;
                for row in list {
                    if add {
                        rows.push(row);
                    } else {
                        rows.retain(|r| *r != row);
                    }
                }
            }
        } else {
            return Err(at("no snapshot, columns or diffResults field"));
        }
    }
    for (name, count) in skipped {
        problems.push(format!(
            "{shown}: skipped {count} result{} of query '{}': no table this importer maps ends its name",
            if count == 1 { "" } else { "s" },
            sanitize(&name, false)
        ));
    }
    if hosts.is_empty() {
        return Err(format!(
            "{shown}: no results of a mapped table ({})",
            TABLES.join(", ")
        ));
    }
    Ok((hosts.into_values().collect(), problems))
}

/// The table a scheduled query's name refers to: the name itself, or its end after a
/// `/`, `_` or `:`.
fn table_of_query(name: &str) -> Option<&'static str> {
    TABLES.iter().copied().find(|table| {
        name == *table
            || name
                .strip_suffix(table)
                .is_some_and(|head| head.ends_with(['/', '_', ':']))
    })
}

/// The value of `column` in `row` as text; an error naming the table, row and column.
fn column(row: &Row, column: &str, table: &str, index: usize) -> Result<String, String> {
    match row.get(column) {
        Some(value) => json_text(value).ok_or_else(|| {
            format!(
                "row {}, column {column}: expected a string, found {}",
                index + 1,
                json_kind(value)
            )
        }),
        None => Err(format!(
            "row {}: no column {column} (select it from {table})",
            index + 1
        )),
    }
}

/// The snapshot of one host, or why it cannot be made.
fn to_snapshot<'a>(
    host: &HostTables,
    context: &ImportContext<'a>,
    path: &Path,
    shown: &str,
) -> Result<SnapshotBuilder<'a>, String> {
    let name = context
        .host
        .clone()
        .or_else(|| host.host.clone())
        .or_else(|| first_value(host, "system_info", "hostname"))
        .ok_or_else(|| {
            format!("{shown}: no host name: add the system_info table or give one with --host")
        })?;
    let from_input = host.taken_at.or_else(|| {
        first_value(host, "time", "unix_time")
            .and_then(|t| t.parse().ok())
            .and_then(|t| DateTime::from_timestamp(t, 0))
    });
    let (taken_at, time_note) = choose_time(context, from_input, path);
    let mut b = SnapshotBuilder::new(
        context,
        &name,
        taken_at,
        Tool::Osquery,
        &source_file_name(path),
        shown,
    );
    if let Some(note) = time_note {
        b.note(note);
    }
    // The host's own architecture, so packages are keyed as the native probe keys them.
    let native = first_value(host, "os_version", "arch");
    for (table, rows) in &host.tables {
        if matches!(table.as_str(), "deb_packages" | "rpm_packages") {
            let mut facts = Vec::new();
            let mapped = if table == "deb_packages" {
                deb_packages(rows, table, native.as_deref(), &mut facts)
            } else {
                rpm_packages(rows, table, native.as_deref(), &mut facts)
            };
            match mapped {
                Ok(()) => {
                    for (key, value) in facts {
                        b.fact(Category::Versions, key, value);
                    }
                }
                Err(why) => b.problem(&format!("table {table}"), Some(Category::Versions), &why),
            }
            continue;
        }
        let mapped: Option<(Category, MapFn)> = match table.as_str() {
            "os_version" => Some((Category::Versions, os_version)),
            "kernel_info" => Some((Category::Versions, kernel_info)),
            "system_controls" => Some((Category::Config, system_controls)),
            "listening_ports" => Some((Category::Network, listening_ports)),
            "etc_hosts" => Some((Category::Network, etc_hosts)),
            "dns_resolvers" => Some((Category::Network, dns_resolvers)),
            "routes" => Some((Category::Network, default_routes)),
            "system_info" => Some((Category::Infra, system_info)),
            "mounts" => Some((Category::Infra, mounts)),
            "systemd_units" => Some((Category::Services, systemd_units)),
            "default_environment" => Some((Category::Config, default_environment)),
            "time" => Some((Category::Config, time_zone)),
            other => {
                b.note(&format!(
                    "table {}: skipped, not mapped",
                    sanitize(other, false)
                ));
                None
            }
        };
        let Some((category, map)) = mapped else {
            continue;
        };
        let mut facts = Vec::new();
        match map(rows, table, &mut facts) {
            Ok(()) => {
                for (key, value) in facts {
                    b.fact(category, key, value);
                }
            }
            Err(why) => b.problem(&format!("table {table}"), Some(category), &why),
        }
    }
    Ok(b)
}

/// The first row's value of `column` in `table`.
fn first_value(host: &HostTables, table: &str, column: &str) -> Option<String> {
    host.tables
        .get(table)?
        .first()?
        .get(column)
        .and_then(json_text)
        .filter(|v| !v.is_empty())
}

/// A table's mapping: rows → facts, or the first problem met.
type MapFn = fn(&[Row], &str, &mut Vec<(String, Value)>) -> Result<(), String>;

fn os_version(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    let Some(row) = rows.first() else {
        return Ok(());
    };
    for (col, key, make) in [
        ("platform", "os.id", Value::string as fn(String) -> Value),
        ("name", "os.name", Value::string),
        ("version", "os.version_name", Value::string),
        ("codename", "os.codename", Value::string),
        ("arch", "arch", Value::string),
    ] {
        if row.contains_key(col) {
            let value = column(row, col, table, 0)?;
            if !value.is_empty() {
                facts.push((key.to_string(), make(value)));
            }
        }
    }
    Ok(())
}

fn kernel_info(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    let Some(row) = rows.first() else {
        return Ok(());
    };
    facts.push((
        "kernel".into(),
        Value::version(column(row, "version", table, 0)?),
    ));
    if row.contains_key("arguments") {
        let args = column(row, "arguments", table, 0)?;
        facts.push(("kernel.cmdline".into(), Value::string(squeeze(&args))));
    }
    Ok(())
}

/// `deb_packages`: installed packages, keyed as the native probe keys them (see
/// `package_name`: the architecture kept only when it is not the host's own, `native`).
fn deb_packages(
    rows: &[Row],
    table: &str,
    native: Option<&str>,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    facts.push(("packages.manager".into(), Value::string("dpkg")));
    for (i, row) in rows.iter().enumerate() {
        if row.contains_key("status") {
            let status = column(row, "status", table, i)?;
            if !status.ends_with(" installed") {
                continue;
            }
        }
        let name = column(row, "name", table, i)?;
        let version = column(row, "version", table, i)?;
        let arch = row.get("arch").and_then(json_text);
        facts.push((
            package_key(&name, arch.as_deref(), native),
            Value::Version(version),
        ));
    }
    Ok(())
}

/// `rpm_packages`: installed packages (`version-release`), keyed like `deb_packages`.
fn rpm_packages(
    rows: &[Row],
    table: &str,
    native: Option<&str>,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    facts.push(("packages.manager".into(), Value::string("rpm")));
    for (i, row) in rows.iter().enumerate() {
        let name = column(row, "name", table, i)?;
        if name == "gpg-pubkey" {
            continue;
        }
        let mut version = column(row, "version", table, i)?;
        if row.contains_key("release") {
            let release = column(row, "release", table, i)?;
            if !release.is_empty() {
                version = format!("{version}-{release}");
            }
        }
        let arch = row.get("arch").and_then(json_text);
        facts.push((
            package_key(&name, arch.as_deref(), native),
            Value::Version(version),
        ));
    }
    Ok(())
}

fn system_controls(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        let name = column(row, "name", table, i)?;
        let value = column(row, "current_value", table, i)?;
        if name == "crypto.fips_enabled" {
            // FIPS mode on the key the native probe and the Ansible importer use.
            facts.extend(fips(&value)?);
        }
        facts.push((format!("sysctl.{name}"), Value::string(squeeze(&value))));
    }
    Ok(())
}

/// `default_environment` (`/etc/environment`): `env.<variable>` = its value, through
/// the same redaction as collected environment files.
fn default_environment(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        let name = column(row, "variable", table, i)?;
        let value = column(row, "value", table, i)?;
        facts.push((format!("env.{name}"), Value::string(value)));
    }
    Ok(())
}

/// `time`: the host's time zone (`local_timezone`; the `timezone` column is always
/// UTC), on the native `timezone` key when it is UTC, else the abbreviation in effect as
/// `timezone.abbreviation`. The clock columns are volatile and not mapped.
fn time_zone(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    let Some(row) = rows.first().filter(|r| r.contains_key("local_timezone")) else {
        return Ok(());
    };
    let zone = column(row, "local_timezone", table, 0)?;
    if is_zone_name(&zone) {
        facts.push(("timezone".into(), Value::string(canonical_zone(&zone))));
    } else if !zone.is_empty() {
        facts.push(("timezone.abbreviation".into(), Value::string(zone)));
    }
    Ok(())
}

/// `port:<proto>/<port>` → the set of bound addresses (IPv6 in brackets, as `ss` shows).
fn listening_ports(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    let mut ports: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let proto = match column(row, "protocol", table, i)?.as_str() {
            "6" => "tcp",
            "17" => "udp",
            _ => continue,
        };
        let port = column(row, "port", table, i)?;
        if port == "0" || port.is_empty() {
            continue;
        }
        let address = column(row, "address", table, i)?;
        let address = if address.contains(':') {
            format!("[{address}]")
        } else {
            address
        };
        ports
            .entry(format!("port:{proto}/{port}"))
            .or_default()
            .push(address);
    }
    facts.extend(ports.into_iter().map(|(k, v)| (k, Value::set(v))));
    Ok(())
}

/// `hosts:<name>` → the set of its addresses.
fn etc_hosts(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let address = column(row, "address", table, i)?;
        for name in column(row, "hostnames", table, i)?.split_whitespace() {
            names
                .entry(name.to_string())
                .or_default()
                .push(address.clone());
        }
    }
    facts.extend(
        names
            .into_iter()
            .map(|(name, addrs)| (format!("hosts:{name}"), Value::set(addrs))),
    );
    Ok(())
}

/// `dns.nameservers` (in order) and `dns.search`.
fn dns_resolvers(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    let mut by_type: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let kind = column(row, "type", table, i)?;
        let id = column(row, "id", table, i)?
            .parse::<u64>()
            .map_err(|_| format!("row {}, column id: not a number", i + 1))?;
        let address = column(row, "address", table, i)?;
        by_type.entry(kind).or_default().push((id, address));
    }
    for (kind, key) in [("nameserver", "dns.nameservers"), ("search", "dns.search")] {
        if let Some(mut entries) = by_type.remove(kind) {
            entries.sort();
            facts.push((
                key.to_string(),
                Value::List(entries.into_iter().map(|(_, a)| a).collect()),
            ));
        }
    }
    Ok(())
}

/// `routes`: the default IPv4 and IPv6 routes (destination `0.0.0.0` or `::` with a zero
/// netmask) as the native `route:default` fact gives them: `via GATEWAY dev IFACE`,
/// IPv4 first, joined by `; `.
fn default_routes(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    let mut routes: Vec<(bool, String)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let destination = column(row, "destination", table, i)?;
        let netmask = row
            .get("netmask")
            .and_then(json_text)
            .unwrap_or_else(|| "0".to_string());
        let ipv6 = destination.contains(':');
        if !matches!(destination.as_str(), "0.0.0.0" | "::") || netmask != "0" {
            continue;
        }
        let mut parts = Vec::new();
        if let Some(gateway) = row.get("gateway").and_then(json_text)
            && !gateway.is_empty()
            && gateway != "0.0.0.0"
            && gateway != "::"
        {
            parts.push(format!("via {gateway}"));
        }
        if let Some(interface) = row.get("interface").and_then(json_text)
            && !interface.is_empty()
        {
            parts.push(format!("dev {interface}"));
        }
        let route = parts.join(" ");
        if !route.is_empty() && !routes.iter().any(|(_, r)| *r == route) {
            routes.push((ipv6, route));
        }
    }
    routes.sort_by_key(|(ipv6, _)| *ipv6);
    if !routes.is_empty() {
        let joined: Vec<String> = routes.into_iter().map(|(_, r)| r).collect();
        facts.push(("route:default".into(), Value::string(joined.join("; "))));
    }
    Ok(())
}

fn system_info(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    let Some(row) = rows.first() else {
        return Ok(());
    };
    let text = |col: &str| -> Result<Option<String>, String> {
        if !row.contains_key(col) {
            return Ok(None);
        }
        let value = column(row, col, table, 0)?;
        Ok((!value.is_empty()).then_some(value))
    };
    if let Some(model) = text("cpu_brand")? {
        facts.push(("cpu.model".into(), Value::string(squeeze(&model))));
    }
    if let Some(count) = text("cpu_logical_cores")? {
        facts.push(("cpu.count".into(), Value::string(count)));
    }
    if let Some(bytes) = text("physical_memory")? {
        let bytes: u64 = bytes
            .parse()
            .map_err(|_| "row 1, column physical_memory: not a number".to_string())?;
        facts.push(("memory.total".into(), Value::string(gib(bytes / 1024))));
    }
    if let Some(vendor) = text("hardware_vendor")? {
        facts.push(("hardware.vendor".into(), Value::string(vendor)));
    }
    if let Some(model) = text("hardware_model")? {
        facts.push(("hardware.model".into(), Value::string(model)));
    }
    Ok(())
}

/// `mount:<path>` (type, source, flags) and `disk:<path>` (type, size) per real file
/// system.
fn mounts(rows: &[Row], table: &str, facts: &mut Vec<(String, Value)>) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        let fstype = column(row, "type", table, i)?;
        if PSEUDO_FS.contains(&fstype.as_str()) {
            continue;
        }
        let path = column(row, "path", table, i)?;
        facts.push((
            format!("mount:{path}"),
            Value::record([
                ("fstype", fstype.clone()),
                ("source", column(row, "device", table, i)?),
                ("options", column(row, "flags", table, i)?),
            ]),
        ));
        if row.contains_key("blocks") && row.contains_key("blocks_size") {
            let number = |col: &str| -> Result<u64, String> {
                column(row, col, table, i)?
                    .parse()
                    .map_err(|_| format!("row {}, column {col}: not a number", i + 1))
            };
            let bytes = number("blocks")?.saturating_mul(number("blocks_size")?);
            facts.push((
                format!("disk:{path}"),
                Value::record([("fstype", fstype), ("size", gib(bytes / 1024))]),
            ));
        }
    }
    Ok(())
}

/// `unit:<name>` → `active/sub` for every loaded service unit, as `systemctl` gives it.
fn systemd_units(
    rows: &[Row],
    table: &str,
    facts: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        let id = column(row, "id", table, i)?;
        if !id.ends_with(".service") || column(row, "load_state", table, i)? != "loaded" {
            continue;
        }
        let state = format!(
            "{}/{}",
            column(row, "active_state", table, i)?,
            column(row, "sub_state", table, i)?
        );
        facts.push((format!("unit:{id}"), Value::string(state)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_routes_read_as_the_native_probe_gives_them() {
        let rows: Vec<Row> = serde_json::from_value(serde_json::json!([
            {"destination": "::", "netmask": "0", "gateway": "fe80::1", "interface": "eth0"},
            {"destination": "10.0.0.0", "netmask": "24", "gateway": "", "interface": "eth0"},
            {"destination": "0.0.0.0", "netmask": "0", "gateway": "10.0.0.1", "interface": "eth0"}
        ]))
        .unwrap();
        let mut facts = Vec::new();
        default_routes(&rows, "routes", &mut facts).unwrap();
        assert_eq!(
            facts,
            [(
                "route:default".to_string(),
                Value::string("via 10.0.0.1 dev eth0; via fe80::1 dev eth0")
            )]
        );
    }

    #[test]
    fn packages_are_keyed_with_a_foreign_architecture_only() {
        let row = |name: &str, arch: &str| -> Row {
            serde_json::from_value(serde_json::json!({
                "name": name, "version": "2.36-9", "arch": arch,
                "status": "install ok installed"
            }))
            .unwrap()
        };
        let rows = [
            row("libc6", "amd64"),
            row("libc6", "i386"),
            row("tzdata", "all"),
        ];
        let mut facts = Vec::new();
        deb_packages(&rows, "deb_packages", Some("x86_64"), &mut facts).unwrap();
        let keys: Vec<&str> = facts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "packages.manager",
                "package:libc6",
                "package:libc6:i386",
                "package:tzdata"
            ]
        );
    }

    #[test]
    fn query_names_are_matched_to_tables_by_their_end() {
        assert_eq!(table_of_query("os_version"), Some("os_version"));
        assert_eq!(
            table_of_query("pack/driftscope/deb_packages"),
            Some("deb_packages")
        );
        assert_eq!(table_of_query("pack_fleet_mounts"), Some("mounts"));
        assert_eq!(table_of_query("my_rpm_packages"), Some("rpm_packages"));
        assert_eq!(table_of_query("processes"), None);
        assert_eq!(table_of_query("remounts"), None);
    }

    #[test]
    fn bad_shapes_name_the_file_table_and_row() {
        let err = parse(r#"{"os_version": {"name": "x"}}"#, "h.json", "h.json").unwrap_err();
        assert_eq!(
            err,
            "h.json: table os_version: expected a list of rows, found an object"
        );
        let err = parse(r#"{"os_version": [1]}"#, "h.json", "h.json").unwrap_err();
        assert_eq!(
            err,
            "h.json: table os_version, row 1: expected an object, found a number"
        );
        let err = parse("[]", "rows.json!", "rows.json!").unwrap_err();
        assert!(err.contains("does not say which table"), "{err}");
        let err = parse("{\"a\": ", "h.json", "h.json").unwrap_err();
        assert!(err.starts_with("h.json: line 1"), "{err}");
    }
}
