//! Ansible import: the facts of the `setup` module (plus `package_facts` and
//! `service_facts` when gathered) mapped into driftscope's categories.
//!
//! Accepted inputs, told apart by their content:
//! - the output of `ansible HOSTS -m setup` (with or without `-o`): one
//!   `HOST | SUCCESS => {…}` block per host; failed and unreachable hosts are reported;
//! - a file written by `ansible HOSTS -m setup --tree DIR` (`{"ansible_facts": …}`);
//! - a `jsonfile` fact cache file, in the format of ansible-core 2.19 and later
//!   (`s1_HOST` files holding `{"__payload__": "…"}`) or earlier (`HOST` files holding
//!   the facts);
//! - a folder of such files (a `--tree` folder or a fact cache folder).
//!
//! Facts map onto the keys driftscope's own probes use where the meaning is the same
//! (`kernel`, `arch`, `cpu.count`, `memory.total`, `dns.nameservers`, `mount:/`…), and
//! onto keys of their own where it is not (`os.distribution_version`, `service:…`).
//! The table is in `docs/importers.md`.

use std::cmp::Ordering;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json};

use super::{
    ImportContext, ImportResult, SnapshotBuilder, Tool, choose_time, json_kind, json_text,
    source_file_name, squeeze,
};
use crate::collect::package_name::package_key;
use crate::collect::parsers::config::{canonical_zone, is_zone_name};
use crate::collect::parsers::infra::{PSEUDO_FS, gib};
use crate::diff::version::Scheme;
use crate::model::{Category, Value, sanitize};

/// One host's facts as found in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct HostFacts {
    /// The inventory name (or the file's name, for tree and cache files).
    pub host: String,
    /// The facts object.
    pub facts: Map<String, Json>,
}

/// Imports the file or folder at `path` (shown as `shown` in messages).
pub fn import(path: &Path, shown: &str, context: &ImportContext) -> Result<ImportResult, String> {
    if !path.is_dir() {
        return import_file(path, shown, context);
    }
    let listing = std::fs::read_dir(path).map_err(|e| format!("{shown}: cannot list: {e}"))?;
    let mut files: Vec<std::path::PathBuf> = listing
        .filter_map(|entry| entry.ok())
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{shown}: the folder holds no files"));
    }
    let mut result = ImportResult::default();
    for file in files {
        let file_shown = file.display().to_string();
        match import_file(&file, &file_shown, context) {
            Ok(part) => {
                result.imported.extend(part.imported);
                result.problems.extend(part.problems);
            }
            Err(why) => result.problems.push(why),
        }
    }
    Ok(result)
}

/// Imports one file.
fn import_file(path: &Path, shown: &str, context: &ImportContext) -> Result<ImportResult, String> {
    let text = crate::input::read_to_string(path, crate::input::DATA_LIMIT)
        .map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let file_name = source_file_name(path);
    let (hosts, problems) = parse(&text, &file_name, shown)?;
    let mut result = ImportResult {
        imported: Vec::new(),
        problems,
    };
    for host in hosts {
        result
            .imported
            .push(to_snapshot(&host, context, path, shown).finish());
    }
    Ok(result)
}

/// Finds the hosts' facts in `text` (from a file named `file_name`, shown as `shown`),
/// and one line per host whose result holds none.
pub fn parse(
    text: &str,
    file_name: &str,
    shown: &str,
) -> Result<(Vec<HostFacts>, Vec<String>), String> {
    if text.trim_start().starts_with('{') {
        let doc: Json = serde_json::from_str(text).map_err(|e| {
            format!(
                "{shown}: line {}, column {}: not valid JSON: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            )
        })?;
        return whole_file(doc, file_name, shown).map(|h| (vec![h], Vec::new()));
    }
    ad_hoc_output(text, shown)
}

/// A file that is one JSON document: a `--tree` file or a fact cache file.
fn whole_file(doc: Json, file_name: &str, shown: &str) -> Result<HostFacts, String> {
    let Json::Object(mut map) = doc else {
        return Err(format!(
            "{shown}: not Ansible facts: the document is {}, not an object",
            json_kind(&doc)
        ));
    };
    if let Some(payload) = map.remove("__payload__") {
        // ansible-core 2.19+ fact cache: the facts are JSON text inside the document, and
        // the file is named `s<schema>_<host>`.
        let Json::String(payload) = payload else {
            return Err(format!(
                "{shown}: field __payload__: expected JSON text, found {}",
                json_kind(&payload)
            ));
        };
        let facts: Json = serde_json::from_str(&payload)
            .map_err(|e| format!("{shown}: field __payload__: not valid JSON: {e}"))?;
        let Json::Object(facts) = facts else {
            return Err(format!(
                "{shown}: field __payload__: expected an object of facts, found {}",
                json_kind(&facts)
            ));
        };
        return Ok(HostFacts {
            host: cache_host_name(file_name).to_string(),
            facts,
        });
    }
    if let Some(facts) = map.remove("ansible_facts") {
        let Json::Object(facts) = facts else {
            return Err(format!(
                "{shown}: field ansible_facts: expected an object, found {}",
                json_kind(&facts)
            ));
        };
        return Ok(HostFacts {
            host: file_name.to_string(),
            facts,
        });
    }
    if map.keys().any(|k| k.starts_with("ansible_")) {
        return Ok(HostFacts {
            host: file_name.to_string(),
            facts: map,
        });
    }
    Err(format!(
        "{shown}: not Ansible facts: no ansible_facts field and no ansible_* facts \
         (expected `ansible -m setup` output, a --tree file or a fact cache file)"
    ))
}

/// `s1_web-1` → `web-1`: the host of an ansible-core 2.19+ cache file.
fn cache_host_name(file_name: &str) -> &str {
    match file_name.split_once('_') {
        Some((schema, host))
            if schema.len() > 1
                && schema.starts_with('s')
                && schema[1..].chars().all(|c| c.is_ascii_digit())
                && !host.is_empty() =>
        {
            host
        }
        _ => file_name,
    }
}

/// `HOST | STATUS => {json}` blocks (or `HOST | STATUS: message` lines), as printed by
/// ad-hoc commands with the default or the one-line output.
fn ad_hoc_output(text: &str, shown: &str) -> Result<(Vec<HostFacts>, Vec<String>), String> {
    let mut hosts = Vec::new();
    let mut problems = Vec::new();
    let mut pos = 0;
    let mut blocks = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
        let line = &text[pos..line_end];
        let Some((host, status, rest_at)) = block_start(line) else {
            pos = line_end + 1;
            continue;
        };
        blocks += 1;
        let shown_host = sanitize(host, false).into_owned();
        let after = &line[rest_at..];
        if let Some(json_at) = after.strip_prefix(" => ").map(|_| pos + rest_at + 4) {
            let mut stream =
                serde_json::Deserializer::from_str(&text[json_at..]).into_iter::<Json>();
            match stream.next() {
                Some(Ok(result)) => {
                    pos = json_at + stream.byte_offset();
                    match (status, result) {
                        ("SUCCESS" | "CHANGED", Json::Object(mut map)) => {
                            match map.remove("ansible_facts") {
                                Some(Json::Object(facts)) => hosts.push(HostFacts {
                                    host: host.to_string(),
                                    facts,
                                }),
                                _ => problems.push(format!(
                                    "{shown}: host {shown_host}: its result holds no ansible_facts (was it the setup module?)"
                                )),
                            }
                        }
                        (_, result) => {
                            let message = result
                                .get("msg")
                                .and_then(Json::as_str)
                                .unwrap_or("no message");
                            problems.push(format!(
                                "{shown}: host {shown_host}: {}: {}",
                                status.trim_end_matches('!'),
                                sanitize(message.lines().next().unwrap_or_default(), false)
                            ));
                        }
                    }
                }
                Some(Err(e)) => {
                    problems.push(format!(
                        "{shown}: host {shown_host}: its result is not valid JSON: {}",
                        strip_position(&e.to_string())
                    ));
                    pos = line_end + 1;
                }
                None => pos = line_end + 1,
            }
        } else {
            let message = after.trim_start_matches(':').trim();
            problems.push(format!(
                "{shown}: host {shown_host}: {}: {}",
                status.trim_end_matches('!'),
                sanitize(message, false)
            ));
            pos = line_end + 1;
        }
    }
    if blocks == 0 {
        return Err(format!(
            "{shown}: no Ansible facts found (expected the output of `ansible HOSTS -m setup`, \
             a --tree file or a fact cache file)"
        ));
    }
    Ok((hosts, problems))
}

/// `web-1 | SUCCESS => {` → (`web-1`, `SUCCESS`, offset of ` => {`).
fn block_start(line: &str) -> Option<(&str, &str, usize)> {
    let (host, rest) = line.split_once(" | ")?;
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    let status_len = rest.find([' ', ':']).unwrap_or(rest.len());
    let status = &rest[..status_len];
    if !matches!(status, "SUCCESS" | "CHANGED" | "FAILED!" | "UNREACHABLE!") {
        return None;
    }
    Some((host, status, host.len() + 3 + status_len))
}

/// serde_json appends " at line L column C"; messages give the place themselves.
fn strip_position(message: &str) -> String {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
        .to_string()
}

/// A field that is present but not shaped as expected.
struct FieldError {
    field: String,
    why: String,
}

type Mapped = Result<(), FieldError>;

/// One group of facts' mapping.
type MapFn = fn(&Facts, &mut SnapshotBuilder) -> Mapped;

fn wrong(field: &str, expected: &str, found: &Json) -> FieldError {
    FieldError {
        field: field.to_string(),
        why: format!("expected {expected}, found {}", json_kind(found)),
    }
}

/// The facts of one host, looked up with or without the `ansible_` prefix.
struct Facts<'a>(&'a Map<String, Json>);

impl<'a> Facts<'a> {
    /// The fact `name` and the field name it was found under.
    fn get(&self, name: &str) -> Option<(String, &'a Json)> {
        let prefixed = format!("ansible_{name}");
        if let Some(v) = self.0.get(&prefixed) {
            return Some((prefixed, v));
        }
        self.0.get(name).map(|v| (name.to_string(), v))
    }
}

/// A string (or a number written out), or a field error.
fn text_of(value: &Json, field: &str) -> Result<String, FieldError> {
    json_text(value).ok_or_else(|| wrong(field, "a string", value))
}

/// A whole number (or one written as a string), or a field error.
fn number_of(value: &Json, field: &str) -> Result<u64, FieldError> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| wrong(field, "a whole number", value))
}

fn object_of<'v>(value: &'v Json, field: &str) -> Result<&'v Map<String, Json>, FieldError> {
    value
        .as_object()
        .ok_or_else(|| wrong(field, "an object", value))
}

fn list_of<'v>(value: &'v Json, field: &str) -> Result<&'v Vec<Json>, FieldError> {
    value
        .as_array()
        .ok_or_else(|| wrong(field, "a list", value))
}

/// The strings of a list field.
fn strings_of(value: &Json, field: &str) -> Result<Vec<String>, FieldError> {
    list_of(value, field)?
        .iter()
        .enumerate()
        .map(|(i, item)| text_of(item, &format!("{field}[{i}]")))
        .collect()
}

/// The snapshot of one host.
fn to_snapshot<'a>(
    host: &HostFacts,
    context: &ImportContext<'a>,
    path: &Path,
    shown: &str,
) -> SnapshotBuilder<'a> {
    let facts = Facts(&host.facts);
    let name = context.host.clone().unwrap_or_else(|| host.host.clone());
    let (taken_at, time_note) = choose_time(context, gathered_at(&facts), path);
    let mut b = SnapshotBuilder::new(
        context,
        &name,
        taken_at,
        Tool::Ansible,
        &source_file_name(path),
        shown,
    );
    if let Some(note) = time_note {
        b.note(note);
    }
    let groups: [(Option<Category>, MapFn); 18] = [
        (Some(Category::Versions), versions),
        (Some(Category::Versions), python_executable),
        (Some(Category::Versions), kernel_cmdline),
        (Some(Category::Config), time_zone),
        (Some(Category::Config), environment),
        (Some(Category::Config), fips),
        (Some(Category::Network), default_routes),
        (Some(Category::Config), security_modules),
        (Some(Category::Network), dns),
        (Some(Category::Network), interfaces),
        (Some(Category::Infra), cpu),
        (Some(Category::Infra), memory),
        (Some(Category::Infra), mounts),
        (Some(Category::Infra), hardware),
        (Some(Category::Versions), packages),
        (Some(Category::Versions), package_manager),
        (Some(Category::Services), services),
        (Some(Category::Services), service_manager),
    ];
    for (category, map) in groups {
        if let Err(e) = map(&facts, &mut b) {
            b.problem(&e.field, category, &e.why);
        }
    }
    b
}

/// When the facts were gathered: `date_time.iso8601`, else `date_time.epoch`.
fn gathered_at(facts: &Facts) -> Option<DateTime<Utc>> {
    let (_, date_time) = facts.get("date_time")?;
    if let Some(iso) = date_time.get("iso8601").and_then(Json::as_str) {
        if let Ok(t) = DateTime::parse_from_rfc3339(iso) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let epoch = date_time.get("epoch")?;
    let seconds = epoch
        .as_i64()
        .or_else(|| epoch.as_str().and_then(|s| s.parse().ok()))?;
    DateTime::from_timestamp(seconds, 0)
}

/// Adds `facts[name]` (a string) as `key`, built by `make`.
fn scalar(
    facts: &Facts,
    b: &mut SnapshotBuilder,
    name: &str,
    category: Category,
    key: &str,
    make: fn(String) -> Value,
) -> Mapped {
    if let Some((field, value)) = facts.get(name) {
        let text = text_of(value, &field)?;
        if !text.is_empty() && text != "NA" {
            b.fact(category, key, make(text));
        }
    }
    Ok(())
}

fn versions(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    use Category::Versions;
    scalar(
        facts,
        b,
        "distribution",
        Versions,
        "os.distribution",
        Value::string,
    )?;
    scalar(
        facts,
        b,
        "distribution_version",
        Versions,
        "os.distribution_version",
        Value::Version,
    )?;
    scalar(
        facts,
        b,
        "distribution_release",
        Versions,
        "os.codename",
        Value::string,
    )?;
    scalar(facts, b, "os_family", Versions, "os.family", Value::string)?;
    scalar(facts, b, "kernel", Versions, "kernel", Value::Version)?;
    scalar(facts, b, "system", Versions, "kernel.name", Value::string)?;
    scalar(facts, b, "machine", Versions, "arch", Value::string)?;
    scalar(
        facts,
        b,
        "python_version",
        Versions,
        "runtime.python",
        Value::Version,
    )
}

/// SELinux and AppArmor status (and SELinux mode).
fn security_modules(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    for (name, fields) in [
        ("selinux", &["status", "mode"][..]),
        ("apparmor", &["status"][..]),
    ] {
        let Some((field, value)) = facts.get(name) else {
            continue;
        };
        let object = object_of(value, &field)?;
        for part in fields {
            if let Some(v) = object.get(*part) {
                let text = text_of(v, &format!("{field}.{part}"))?;
                b.fact(
                    Category::Config,
                    format!("{name}.{part}"),
                    Value::string(text),
                );
            }
        }
    }
    Ok(())
}

/// Resolver: nameservers (in order), search domains, options — as `resolv.conf` gives.
fn dns(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("dns") else {
        return Ok(());
    };
    let dns = object_of(value, &field)?;
    if let Some(v) = dns.get("nameservers") {
        let servers = strings_of(v, &format!("{field}.nameservers"))?;
        b.fact(Category::Network, "dns.nameservers", Value::List(servers));
    }
    let mut search = match dns.get("search") {
        Some(v) => strings_of(v, &format!("{field}.search"))?,
        None => Vec::new(),
    };
    if let Some(v) = dns.get("domain") {
        let domain = text_of(v, &format!("{field}.domain"))?;
        if !domain.is_empty() && !search.contains(&domain) {
            search.push(domain);
        }
    }
    if !search.is_empty() {
        b.fact(Category::Network, "dns.search", Value::List(search));
    }
    if let Some(v) = dns.get("options") {
        let options = object_of(v, &format!("{field}.options"))?;
        let tokens = options.iter().map(|(name, value)| match json_text(value) {
            Some(v) if v != "true" && !v.is_empty() => format!("{name}:{v}"),
            _ => name.clone(),
        });
        b.fact(Category::Network, "dns.options", Value::set(tokens));
    }
    Ok(())
}

/// One `interface:<name>` record per interface: state, MTU, type and addresses. MAC
/// addresses are left out: they differ on every host by design.
fn interfaces(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("interfaces") else {
        return Ok(());
    };
    for name in strings_of(value, &field)? {
        let Some((field, value)) = facts
            .get(&name)
            .or_else(|| facts.get(&name.replace(['-', ':', '.'], "_")))
        else {
            continue;
        };
        let iface = object_of(value, &field)?;
        let mut record = Vec::new();
        if let Some(v) = iface.get("active") {
            record.push(("active", text_of(v, &format!("{field}.active"))?));
        }
        if let Some(v) = iface.get("mtu") {
            record.push(("mtu", text_of(v, &format!("{field}.mtu"))?));
        }
        if let Some(v) = iface.get("type") {
            record.push(("type", text_of(v, &format!("{field}.type"))?));
        }
        if let Some(v) = iface.get("ipv4") {
            let ipv4 = object_of(v, &format!("{field}.ipv4"))?;
            record.push(("ipv4", address(ipv4, &format!("{field}.ipv4"))?));
        }
        if let Some(v) = iface.get("ipv6") {
            let list = list_of(v, &format!("{field}.ipv6"))?;
            let mut addresses = Vec::new();
            for (i, item) in list.iter().enumerate() {
                let at = format!("{field}.ipv6[{i}]");
                addresses.push(address(object_of(item, &at)?, &at)?);
            }
            if !addresses.is_empty() {
                record.push(("ipv6", addresses.join(", ")));
            }
        }
        b.fact(
            Category::Network,
            format!("interface:{name}"),
            Value::record(record),
        );
    }
    Ok(())
}

/// `address/prefix` of an address object.
fn address(object: &Map<String, Json>, field: &str) -> Result<String, FieldError> {
    let addr = match object.get("address") {
        Some(v) => text_of(v, &format!("{field}.address"))?,
        None => {
            return Err(FieldError {
                field: field.to_string(),
                why: "no address".into(),
            });
        }
    };
    match object.get("prefix") {
        Some(v) => Ok(format!(
            "{addr}/{}",
            text_of(v, &format!("{field}.prefix"))?
        )),
        None => Ok(addr),
    }
}

/// CPU count (online processors) and model.
fn cpu(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    if let Some((field, value)) = facts
        .get("processor_nproc")
        .or_else(|| facts.get("processor_vcpus"))
    {
        let count = number_of(value, &field)?;
        b.fact(
            Category::Infra,
            "cpu.count",
            Value::string(count.to_string()),
        );
    }
    if let Some((field, value)) = facts.get("processor") {
        // x86: ["0", "GenuineIntel", "Intel(R) Xeon(R) …", "1", …]; others: ["0", "ARMv8 …", …].
        let items = strings_of(value, &field)?;
        let model = items
            .iter()
            .skip_while(|s| s.chars().all(|c| c.is_ascii_digit()))
            .take_while(|s| !s.chars().all(|c| c.is_ascii_digit()))
            .last();
        if let Some(model) = model {
            b.fact(Category::Infra, "cpu.model", Value::string(squeeze(model)));
        }
    }
    Ok(())
}

/// Memory and swap, in GiB as the native probe gives them.
fn memory(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    for (name, key) in [
        ("memtotal_mb", "memory.total"),
        ("swaptotal_mb", "memory.swap"),
    ] {
        if let Some((field, value)) = facts.get(name) {
            let mb = number_of(value, &field)?;
            b.fact(
                Category::Infra,
                key,
                Value::string(gib(mb.saturating_mul(1024))),
            );
        }
    }
    Ok(())
}

/// `mount:<path>` (type, source, options) and `disk:<path>` (type, size) per real file
/// system, as the native mounts and disks probes give them.
fn mounts(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("mounts") else {
        return Ok(());
    };
    for (i, item) in list_of(value, &field)?.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let mount = object_of(item, &at)?;
        let get = |name: &str| -> Result<String, FieldError> {
            match mount.get(name) {
                Some(v) => text_of(v, &format!("{at}.{name}")),
                None => Err(FieldError {
                    field: format!("{at}.{name}"),
                    why: "missing".into(),
                }),
            }
        };
        let fstype = get("fstype")?;
        if PSEUDO_FS.contains(&fstype.as_str()) {
            continue;
        }
        let point = get("mount")?;
        b.fact(
            Category::Infra,
            format!("mount:{point}"),
            Value::record([
                ("fstype", fstype.clone()),
                ("source", get("device")?),
                ("options", get("options")?),
            ]),
        );
        if let Some(size) = mount.get("size_total") {
            let bytes = number_of(size, &format!("{at}.size_total"))?;
            b.fact(
                Category::Infra,
                format!("disk:{point}"),
                Value::record([("fstype", fstype), ("size", gib(bytes / 1024))]),
            );
        }
    }
    Ok(())
}

/// Virtualization and hardware identity (left out when Ansible says `NA`).
fn hardware(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    use Category::Infra;
    scalar(
        facts,
        b,
        "virtualization_type",
        Infra,
        "virtualization.type",
        Value::string,
    )?;
    scalar(
        facts,
        b,
        "virtualization_role",
        Infra,
        "virtualization.role",
        Value::string,
    )?;
    scalar(
        facts,
        b,
        "system_vendor",
        Infra,
        "hardware.vendor",
        Value::string,
    )?;
    scalar(
        facts,
        b,
        "product_name",
        Infra,
        "hardware.model",
        Value::string,
    )
}

/// `package_facts`: one `package:<name>` version per package and architecture (the
/// newest, when several are installed), keyed as the native probe keys them (the
/// architecture kept only when it is not the host's own), and the package manager
/// named as the native probe names it.
fn packages(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("packages") else {
        return Ok(());
    };
    let packages = object_of(value, &field)?;
    let native = facts.get("architecture").and_then(|(_, v)| json_text(v));
    let mut manager: Option<String> = None;
    for (name, installs) in packages {
        let at = format!("{field}.{name}");
        let mut newest: std::collections::BTreeMap<String, String> =
            std::collections::BTreeMap::new();
        for (i, install) in list_of(installs, &at)?.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let install = object_of(install, &at)?;
            let Some(version) = install.get("version") else {
                return Err(FieldError {
                    field: format!("{at}.version"),
                    why: "missing".into(),
                });
            };
            let mut version = text_of(version, &format!("{at}.version"))?;
            if let Some(release) = install.get("release").and_then(json_text) {
                if !release.is_empty() {
                    version = format!("{version}-{release}");
                }
            }
            if manager.is_none() {
                manager = install.get("source").and_then(json_text);
            }
            let arch = install.get("arch").and_then(json_text);
            let key = package_key(name, arch.as_deref(), native.as_deref());
            let scheme = Scheme::for_fact(&key, manager.as_deref().map(native_manager));
            let slot = newest.entry(key).or_default();
            if slot.is_empty() || scheme.compare(&version, slot) == Ordering::Greater {
                *slot = version;
            }
        }
        for (key, version) in newest {
            b.fact(Category::Versions, key, Value::Version(version));
        }
    }
    if let Some(manager) = manager {
        b.fact(
            Category::Versions,
            "packages.manager",
            Value::string(native_manager(&manager)),
        );
    }
    Ok(())
}

/// The native probe's name of a package manager Ansible names (`apt` → `dpkg`,
/// `dnf`/`yum`/`zypper` → `rpm`).
fn native_manager(name: &str) -> &str {
    match name {
        "apt" => "dpkg",
        "dnf" | "dnf5" | "yum" | "zypper" => "rpm",
        other => other,
    }
}

/// `ansible_pkg_mgr`, as `packages.manager`, when `package_facts` did not give it.
fn package_manager(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    if facts.get("packages").is_some() {
        return Ok(());
    }
    if let Some((field, value)) = facts.get("pkg_mgr") {
        let name = text_of(value, &field)?;
        if !name.is_empty() && name != "unknown" {
            b.fact(
                Category::Versions,
                "packages.manager",
                Value::string(native_manager(&name)),
            );
        }
    }
    Ok(())
}

/// The interpreter Ansible ran (`ansible_python.executable`) as
/// `runtime.python.executable`: a different interpreter is a different runtime even
/// at the same version.
fn python_executable(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("python") else {
        return Ok(());
    };
    if let Some(v) = object_of(value, &field)?.get("executable") {
        let path = text_of(v, &format!("{field}.executable"))?;
        b.fact(
            Category::Versions,
            "runtime.python.executable",
            Value::string(path),
        );
    }
    Ok(())
}

/// The kernel command line (`ansible_proc_cmdline`, else `ansible_cmdline`) as
/// `kernel.cmdline`, as the osquery importer keys it: `name=value` (or `name`) tokens,
/// sorted.
fn kernel_cmdline(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("proc_cmdline").or_else(|| facts.get("cmdline")) else {
        return Ok(());
    };
    let mut tokens = Vec::new();
    for (name, v) in object_of(value, &field)? {
        match v {
            Json::Bool(true) => tokens.push(name.clone()),
            Json::Array(items) => {
                for item in items {
                    let text = text_of(item, &format!("{field}.{name}"))?;
                    tokens.push(format!("{name}={text}"));
                }
            }
            other => tokens.push(format!(
                "{name}={}",
                text_of(other, &format!("{field}.{name}"))?
            )),
        }
    }
    tokens.sort();
    b.fact(
        Category::Versions,
        "kernel.cmdline",
        Value::string(tokens.join(" ")),
    );
    Ok(())
}

/// The time zone, on the native `timezone` key when the facts name it: the `TZ` of
/// `ansible_env` when it is a zone name (the zone the host's processes use), else
/// `Etc/UTC` when `ansible_date_time.tz_dst` (else `.tz`) is UTC. Otherwise Ansible
/// gives only an abbreviation, which several zones share (`CET`), kept as
/// `timezone.abbreviation`; the daylight-saving one does not change with the season.
fn time_zone(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    if let Some((field, env)) = facts.get("env") {
        if let Some(tz) = object_of(env, &field)?.get("TZ") {
            let name = text_of(tz, &format!("{field}.TZ"))?;
            if is_zone_name(&name) {
                b.fact(
                    Category::Config,
                    "timezone",
                    Value::string(canonical_zone(&name)),
                );
                return Ok(());
            }
        }
    }
    let Some((field, value)) = facts.get("date_time") else {
        return Ok(());
    };
    let date_time = object_of(value, &field)?;
    if let Some(v) = date_time.get("tz_dst").or_else(|| date_time.get("tz")) {
        let zone = text_of(v, &format!("{field}.tz_dst"))?;
        if is_zone_name(&zone) {
            b.fact(
                Category::Config,
                "timezone",
                Value::string(canonical_zone(&zone)),
            );
        } else if !zone.is_empty() {
            b.fact(
                Category::Config,
                "timezone.abbreviation",
                Value::string(zone),
            );
        }
    }
    Ok(())
}

/// Environment variables of a login session that differ from one connection to the
/// next, left out of `env.*`.
const SESSION_VARIABLES: &[&str] = &[
    "_",
    "OLDPWD",
    "PWD",
    "SHLVL",
    "SSH_AUTH_SOCK",
    "SSH_CLIENT",
    "SSH_CONNECTION",
    "SSH_TTY",
    "TERM",
    "XDG_RUNTIME_DIR",
    "XDG_SESSION_CLASS",
    "XDG_SESSION_ID",
    "XDG_SESSION_TYPE",
];

/// `ansible_env` as `env.<NAME>` (through the same redaction as collected environment
/// files), without the variables of the login session itself.
fn environment(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("env") else {
        return Ok(());
    };
    for (name, v) in object_of(value, &field)? {
        if SESSION_VARIABLES.contains(&name.as_str()) || name.starts_with("ANSIBLE_") {
            continue;
        }
        let text = text_of(v, &format!("{field}.{name}"))?;
        b.fact(Category::Config, format!("env.{name}"), Value::string(text));
    }
    Ok(())
}

/// FIPS mode (`ansible_fips`) as `fips`: `true` or `false`.
fn fips(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    if let Some((field, value)) = facts.get("fips") {
        let on = text_of(value, &field)?;
        b.fact(Category::Config, "fips", Value::string(on));
    }
    Ok(())
}

/// The default IPv4 and IPv6 routes as the native `route:default` fact gives them:
/// `via GATEWAY dev INTERFACE`, IPv4 first, joined by `; `.
fn default_routes(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let mut routes = Vec::new();
    for name in ["default_ipv4", "default_ipv6"] {
        let Some((field, value)) = facts.get(name) else {
            continue;
        };
        let route = object_of(value, &field)?;
        let mut parts = Vec::new();
        if let Some(gateway) = route.get("gateway").and_then(json_text) {
            parts.push(format!("via {gateway}"));
        }
        if let Some(interface) = route.get("interface").and_then(json_text) {
            parts.push(format!("dev {interface}"));
        }
        if !parts.is_empty() {
            routes.push(parts.join(" "));
        }
    }
    if !routes.is_empty() {
        b.fact(
            Category::Network,
            "route:default",
            Value::string(routes.join("; ")),
        );
    }
    Ok(())
}

/// `service_facts`: one `service:<name>` record per service: state, status, source.
fn services(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    let Some((field, value)) = facts.get("services") else {
        return Ok(());
    };
    for (name, service) in object_of(value, &field)? {
        let at = format!("{field}.{name}");
        let service = object_of(service, &at)?;
        let mut record = Vec::new();
        for part in ["state", "status", "source"] {
            if let Some(v) = service.get(part) {
                record.push((part, text_of(v, &format!("{at}.{part}"))?));
            }
        }
        b.fact(
            Category::Services,
            format!("service:{name}"),
            Value::record(record),
        );
    }
    Ok(())
}

/// The service manager Ansible detected.
fn service_manager(facts: &Facts, b: &mut SnapshotBuilder) -> Mapped {
    scalar(
        facts,
        b,
        "service_mgr",
        Category::Services,
        "manager",
        Value::string,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_starts_are_recognised_and_other_lines_are_not() {
        assert_eq!(
            block_start("web-1 | SUCCESS => {"),
            Some(("web-1", "SUCCESS", 15))
        );
        assert_eq!(
            block_start("web-2 | UNREACHABLE!: Task failed"),
            Some(("web-2", "UNREACHABLE!", 20))
        );
        assert_eq!(block_start("[ERROR]: Task failed: boom"), None);
        assert_eq!(block_start("a b | SUCCESS => {"), None);
        assert_eq!(block_start("web-1 | MAYBE => {"), None);
    }

    #[test]
    fn cache_file_names_give_the_host() {
        assert_eq!(cache_host_name("s1_web-1"), "web-1");
        assert_eq!(cache_host_name("s12_db_primary"), "db_primary");
        assert_eq!(cache_host_name("web-1"), "web-1");
        assert_eq!(cache_host_name("sx_web"), "sx_web");
        assert_eq!(cache_host_name("s1_"), "s1_");
    }

    #[test]
    fn inputs_that_are_not_facts_are_refused_with_the_file_name() {
        let err = parse("[1, 2]", "x.json", "in/x.json").unwrap_err();
        assert_eq!(
            err,
            "in/x.json: no Ansible facts found (expected the output of `ansible HOSTS -m setup`, a --tree file or a fact cache file)"
        );
        let err = parse("{\"ansible_facts\": 3}", "x", "x").unwrap_err();
        assert_eq!(
            err,
            "x: field ansible_facts: expected an object, found a number"
        );
        let err = parse("{\n\"a\": }", "x", "x").unwrap_err();
        assert!(
            err.starts_with("x: line 2, column 6: not valid JSON"),
            "{err}"
        );
        let (hosts, problems) =
            parse("web-1 | SUCCESS => {\"changed\": false}\n", "x", "x").unwrap();
        assert!(hosts.is_empty());
        assert_eq!(
            problems,
            ["x: host web-1: its result holds no ansible_facts (was it the setup module?)"]
        );
    }
}
