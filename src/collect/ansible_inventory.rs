//! Ansible inventories (INI and YAML) as a source of hosts.
//!
//! Groups, `children`, group and host variables, and host ranges (`web-[01:50]`) are
//! read as Ansible reads them; a host's group variables apply from the outermost group
//! in, then its own. Of the variables, `ansible_host`, `ansible_port`, `ansible_user`
//! (and their `ansible_ssh_*` spellings), `ansible_ssh_private_key_file`,
//! `ansible_connection=local`, and `-J`/`ProxyJump`/`ProxyCommand` in
//! `ansible_ssh_common_args` or `ansible_ssh_extra_args` decide how a host is reached.
//! Errors name the inventory file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::inventory::{EntryOptions, expand_ranges};

/// A host found in an inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryHost {
    /// The inventory's name for the host.
    pub name: String,
    /// How to reach it: `local`, or `[user@]host[:port]`.
    pub entry: String,
    /// Jump hosts, proxy command and identity file from its variables.
    pub options: EntryOptions,
}

/// A variable's value and the line it was set on.
type Vars = BTreeMap<String, (String, usize)>;

#[derive(Debug, Default)]
struct Group {
    hosts: Vec<String>,
    children: Vec<String>,
    vars: Vars,
}

#[derive(Debug, Default)]
struct Inventory {
    groups: BTreeMap<String, Group>,
    host_vars: BTreeMap<String, Vars>,
    /// Hosts in the order first seen.
    order: Vec<String>,
}

impl Inventory {
    fn add_host(&mut self, group: &str, host: &str, vars: Vars) {
        let g = self.groups.entry(group.to_string()).or_default();
        if !g.hosts.iter().any(|h| h == host) {
            g.hosts.push(host.to_string());
        }
        if !self.order.iter().any(|h| h == host) {
            self.order.push(host.to_string());
        }
        self.host_vars
            .entry(host.to_string())
            .or_default()
            .extend(vars);
    }

    fn add_child(&mut self, parent: &str, child: &str) {
        self.groups.entry(child.to_string()).or_default();
        let g = self.groups.entry(parent.to_string()).or_default();
        if !g.children.iter().any(|c| c == child) {
            g.children.push(child.to_string());
        }
    }
}

/// The hosts of `group` (default `all`) in the inventory at `path`; errors name the
/// file as `shown` (the path as the user wrote it).
pub fn load(path: &Path, shown: &Path, group: Option<&str>) -> Result<Vec<InventoryHost>, String> {
    let shown = shown.display();
    let text = crate::input::read_to_string(path, crate::input::DATA_LIMIT)
        .map_err(|e| format!("cannot read the inventory {shown}: {e}"))?;
    let yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    ) || text.trim_start().starts_with("---");
    let inventory = if yaml {
        parse_yaml(&text).map_err(|(line, e)| format!("{shown}:{line}: {e}"))?
    } else {
        parse_ini(&text).map_err(|(line, e)| format!("{shown}:{line}: {e}"))?
    };
    resolve(&inventory, group.unwrap_or("all")).map_err(|(line, e)| match line {
        Some(line) => format!("{shown}:{line}: {e}"),
        None => format!("{shown}: {e}"),
    })
}

fn parse_ini(text: &str) -> Result<Inventory, (usize, String)> {
    let mut inv = Inventory::default();
    enum Section {
        Hosts(String),
        Children(String),
        Vars(String),
    }
    let mut section = Section::Hosts("ungrouped".into());
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header
                .strip_suffix(']')
                .ok_or((line_no, format!("'{line}' is not a [group] header")))?;
            section = match header.split_once(':') {
                None => Section::Hosts(header.to_string()),
                Some((g, "children")) => Section::Children(g.to_string()),
                Some((g, "vars")) => Section::Vars(g.to_string()),
                Some((_, other)) => {
                    return Err((
                        line_no,
                        format!("unknown section kind ':{other}' (expected :children or :vars)"),
                    ));
                }
            };
            let (Section::Hosts(g) | Section::Children(g) | Section::Vars(g)) = &section;
            if g.is_empty() {
                return Err((line_no, "a group needs a name".into()));
            }
            inv.groups.entry(g.clone()).or_default();
            continue;
        }
        match &section {
            Section::Hosts(group) => {
                let words = split_words(line).map_err(|e| (line_no, e))?;
                let Some((host, rest)) = words.split_first() else {
                    continue;
                };
                let mut vars = Vars::new();
                for word in rest {
                    let (k, v) = word.split_once('=').ok_or((
                        line_no,
                        format!("'{word}' after host '{host}' is not a key=value variable"),
                    ))?;
                    vars.insert(k.to_string(), (v.to_string(), line_no));
                }
                let group = group.clone();
                for name in expand_ranges(host).map_err(|e| (line_no, e))? {
                    inv.add_host(&group, &name, vars.clone());
                }
            }
            Section::Children(parent) => {
                let parent = parent.clone();
                inv.add_child(&parent, line);
            }
            Section::Vars(group) => {
                let (k, v) = line
                    .split_once('=')
                    .ok_or((line_no, format!("'{line}' is not a key=value variable")))?;
                let v = split_words(v.trim()).map_err(|e| (line_no, e))?.join(" ");
                let group = group.clone();
                inv.groups
                    .entry(group)
                    .or_default()
                    .vars
                    .insert(k.trim().to_string(), (v, line_no));
            }
        }
    }
    Ok(inv)
}

fn line_of(node: &MarkedYaml) -> usize {
    node.span.start.line()
}

fn scalar_text(node: &MarkedYaml) -> Option<String> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

fn is_null(node: &MarkedYaml) -> bool {
    matches!(node.data, YamlData::Value(Scalar::Null))
}

fn parse_yaml(text: &str) -> Result<Inventory, (usize, String)> {
    let docs = MarkedYaml::load_from_str(text)
        .map_err(|e| (e.marker().line(), format!("not valid YAML: {}", e.info())))?;
    let mut inv = Inventory::default();
    let Some(root) = docs.first() else {
        return Ok(inv);
    };
    let YamlData::Mapping(groups) = &root.data else {
        return Err((
            line_of(root),
            "the inventory must be a mapping of groups".into(),
        ));
    };
    for (name, body) in groups {
        let name = scalar_text(name).ok_or((line_of(name), "a group name must be text".into()))?;
        yaml_group(&mut inv, &name, body)?;
    }
    Ok(inv)
}

fn yaml_group(inv: &mut Inventory, name: &str, body: &MarkedYaml) -> Result<(), (usize, String)> {
    inv.groups.entry(name.to_string()).or_default();
    if is_null(body) {
        return Ok(());
    }
    let YamlData::Mapping(fields) = &body.data else {
        return Err((
            line_of(body),
            format!("group '{name}' must be a mapping (hosts, children, vars)"),
        ));
    };
    for (key, value) in fields {
        let key_text = scalar_text(key).unwrap_or_default();
        match key_text.as_str() {
            "hosts" => {
                if is_null(value) {
                    continue;
                }
                let YamlData::Mapping(hosts) = &value.data else {
                    return Err((
                        line_of(value),
                        format!("'hosts' of group '{name}' must be a mapping of host names"),
                    ));
                };
                for (host, vars) in hosts {
                    let host_name = scalar_text(host)
                        .ok_or((line_of(host), "a host name must be text".into()))?;
                    let vars = yaml_vars(vars, &format!("host '{host_name}'"))?;
                    for expanded in expand_ranges(&host_name).map_err(|e| (line_of(host), e))? {
                        inv.add_host(name, &expanded, vars.clone());
                    }
                }
            }
            "children" => {
                if is_null(value) {
                    continue;
                }
                let YamlData::Mapping(children) = &value.data else {
                    return Err((
                        line_of(value),
                        format!("'children' of group '{name}' must be a mapping of groups"),
                    ));
                };
                for (child, child_body) in children {
                    let child_name = scalar_text(child)
                        .ok_or((line_of(child), "a group name must be text".into()))?;
                    inv.add_child(name, &child_name);
                    yaml_group(inv, &child_name, child_body)?;
                }
            }
            "vars" => {
                let vars = yaml_vars(value, &format!("group '{name}'"))?;
                inv.groups
                    .entry(name.to_string())
                    .or_default()
                    .vars
                    .extend(vars);
            }
            other => {
                return Err((
                    line_of(key),
                    format!(
                        "group '{name}' has an unknown key '{other}' (expected hosts, children or vars)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn yaml_vars(node: &MarkedYaml, owner: &str) -> Result<Vars, (usize, String)> {
    let mut vars = Vars::new();
    if is_null(node) {
        return Ok(vars);
    }
    let YamlData::Mapping(map) = &node.data else {
        return Err((
            line_of(node),
            format!("the variables of {owner} must be a mapping"),
        ));
    };
    for (k, v) in map {
        let key = scalar_text(k).ok_or((line_of(k), "a variable name must be text".into()))?;
        // Only text-like values matter here; lists and mappings are kept as nothing.
        if let Some(value) = scalar_text(v) {
            vars.insert(key, (value, line_of(v)));
        }
    }
    Ok(vars)
}

/// Every host under `group` with its merged variables, turned into entries.
fn resolve(inv: &Inventory, group: &str) -> Result<Vec<InventoryHost>, (Option<usize>, String)> {
    let depths = depths(inv);
    let members: BTreeSet<String> = if group == "all" {
        inv.order.iter().cloned().collect()
    } else {
        if !inv.groups.contains_key(group) {
            let known: Vec<&str> = inv.groups.keys().map(String::as_str).collect();
            return Err((
                None,
                format!("has no group '{group}' (it has: {})", known.join(", ")),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut hosts = BTreeSet::new();
        collect_hosts(inv, group, &mut seen, &mut hosts);
        hosts
    };
    let mut out = Vec::new();
    for host in inv.order.iter().filter(|h| members.contains(*h)) {
        // Group variables, outermost first; `all` applies to every host.
        let mut groups: Vec<(&usize, &String)> = inv
            .groups
            .iter()
            .filter(|(name, _)| name.as_str() == "all" || contains_host(inv, name, host))
            .map(|(name, _)| (depths.get(name).unwrap_or(&1), name))
            .collect();
        groups.sort();
        let mut vars = Vars::new();
        for (_, name) in groups {
            if let Some(g) = inv.groups.get(name) {
                vars.extend(g.vars.clone());
            }
        }
        if let Some(own) = inv.host_vars.get(host) {
            vars.extend(own.clone());
        }
        out.push(entry_for(host, &vars)?);
    }
    Ok(out)
}

fn collect_hosts(
    inv: &Inventory,
    group: &str,
    seen: &mut BTreeSet<String>,
    out: &mut BTreeSet<String>,
) {
    if !seen.insert(group.to_string()) {
        return;
    }
    if let Some(g) = inv.groups.get(group) {
        out.extend(g.hosts.iter().cloned());
        for child in &g.children {
            collect_hosts(inv, child, seen, out);
        }
    }
}

fn contains_host(inv: &Inventory, group: &str, host: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    collect_hosts(inv, group, &mut seen, &mut hosts);
    hosts.contains(host)
}

/// Each group's distance from the top: `all` 0, groups nobody lists as a child 1,
/// their children 2, and so on.
fn depths(inv: &Inventory) -> BTreeMap<String, usize> {
    let children: BTreeSet<&String> = inv
        .groups
        .values()
        .flat_map(|g| g.children.iter())
        .collect();
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    let mut frontier: Vec<(String, usize)> = inv
        .groups
        .keys()
        .filter(|g| !children.contains(g))
        .map(|g| (g.clone(), if g == "all" { 0 } else { 1 }))
        .collect();
    while let Some((name, d)) = frontier.pop() {
        if depth.get(&name).is_some_and(|&old| old >= d) || d > inv.groups.len() + 1 {
            continue;
        }
        depth.insert(name.clone(), d);
        if let Some(g) = inv.groups.get(&name) {
            for child in &g.children {
                frontier.push((child.clone(), d + 1));
            }
        }
    }
    depth
}

fn var<'a>(vars: &'a Vars, names: &[&str]) -> Option<&'a (String, usize)> {
    names.iter().find_map(|n| vars.get(*n))
}

fn entry_for(host: &str, vars: &Vars) -> Result<InventoryHost, (Option<usize>, String)> {
    if var(vars, &["ansible_connection"]).is_some_and(|(v, _)| v == "local") {
        return Ok(InventoryHost {
            name: host.to_string(),
            entry: super::inventory::LOCAL.to_string(),
            options: EntryOptions::default(),
        });
    }
    let address = var(vars, &["ansible_host", "ansible_ssh_host"])
        .map(|(v, _)| v.clone())
        .unwrap_or_else(|| host.to_string());
    let bracketed = if address.contains(':') {
        format!("[{address}]")
    } else {
        address
    };
    let mut entry = String::new();
    if let Some((user, _)) = var(vars, &["ansible_user", "ansible_ssh_user"]) {
        entry.push_str(user);
        entry.push('@');
    }
    entry.push_str(&bracketed);
    if let Some((port, line)) = var(vars, &["ansible_port", "ansible_ssh_port"]) {
        let n: u16 = port.parse().ok().filter(|&p| p > 0).ok_or((
            Some(*line),
            format!("host '{host}': ansible_port '{port}' is not a port"),
        ))?;
        entry.push_str(&format!(":{n}"));
    }
    let mut options = EntryOptions {
        identity_file: var(
            vars,
            &["ansible_ssh_private_key_file", "ansible_private_key_file"],
        )
        .map(|(v, _)| PathBuf::from(v)),
        ..EntryOptions::default()
    };
    for name in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
        if let Some((args, line)) = vars.get(name) {
            read_ssh_args(args, &mut options)
                .map_err(|e| (Some(*line), format!("host '{host}': {name}: {e}")))?;
        }
    }
    let line = var(vars, &["ansible_host", "ansible_ssh_host"]).map(|(_, l)| *l);
    super::inventory::parse_entry(&entry).map_err(|e| (line, format!("host '{host}': {e}")))?;
    Ok(InventoryHost {
        name: host.to_string(),
        entry,
        options,
    })
}

/// Picks `-J`, `-o ProxyJump=` and `-o ProxyCommand=` out of ssh arguments.
fn read_ssh_args(args: &str, options: &mut EntryOptions) -> Result<(), String> {
    let words = split_words(args)?;
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let mut next = || {
            i += 1;
            words
                .get(i)
                .cloned()
                .ok_or(format!("'{word}' needs a value"))
        };
        let option = if word == "-o" {
            Some(next()?)
        } else {
            word.strip_prefix("-o")
                .filter(|o| !o.is_empty())
                .map(str::to_string)
        };
        if word == "-J" {
            options.jump = Some(next()?);
        } else if let Some(jump) = word.strip_prefix("-J").filter(|j| !j.is_empty()) {
            options.jump = Some(jump.to_string());
        } else if let Some(option) = option {
            let (key, value) = option
                .split_once('=')
                .or_else(|| option.split_once(' '))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .unwrap_or_default();
            match key.as_str() {
                "proxyjump" => options.jump = Some(value),
                "proxycommand" => options.proxy_command = Some(value),
                _ => {}
            }
        }
        i += 1;
    }
    Ok(())
}

/// Splits shell-like words: whitespace separates, single and double quotes group,
/// a backslash escapes the next character outside single quotes.
fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(format!("unclosed ' in {text}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => word.extend(chars.next()),
                        Some(c) => word.push(c),
                        None => return Err(format!("unclosed \" in {text}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(
        name: &str,
        text: &str,
        group: Option<&str>,
    ) -> Result<Vec<InventoryHost>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        load(&path, Path::new(name), group)
    }

    const INI: &str = "\
lonely ansible_host=10.9.9.9

[web]
web-[01:02].prod ansible_user=deploy
web-03.prod ansible_host=10.0.0.3 ansible_port=2222

[db]
db-1 ansible_ssh_private_key_file=/keys/db ansible_ssh_common_args='-o ProxyCommand=\"ssh -W %h:%p jump\"'

[prod:children]
web
db

[prod:vars]
ansible_user=ops
ansible_ssh_common_args=-J bastion.prod
";

    #[test]
    fn ini_groups_children_vars_and_ranges() {
        let hosts = load_text("prod.ini", INI, Some("prod")).unwrap();
        let shown: Vec<(&str, &str)> = hosts
            .iter()
            .map(|h| (h.name.as_str(), h.entry.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("web-01.prod", "deploy@web-01.prod"),
                ("web-02.prod", "deploy@web-02.prod"),
                ("web-03.prod", "ops@10.0.0.3:2222"),
                ("db-1", "ops@db-1"),
            ]
        );
        assert_eq!(hosts[0].options.jump.as_deref(), Some("bastion.prod"));
        // The host's own ProxyCommand replaces the group's -J.
        assert_eq!(
            hosts[3].options.proxy_command.as_deref(),
            Some("ssh -W %h:%p jump")
        );
        assert_eq!(
            hosts[3].options.identity_file,
            Some(PathBuf::from("/keys/db"))
        );
        let all = load_text("prod.ini", INI, None).unwrap();
        assert_eq!(all[0].entry, "10.9.9.9");
        assert_eq!(all.len(), 5);
    }

    #[test]
    fn yaml_groups_children_vars_and_ranges() {
        let text = "\
all:
  vars:
    ansible_user: ops
  children:
    prod:
      vars:
        ansible_ssh_common_args: '-o ProxyJump=ops@bastion:22'
      children:
        web:
          hosts:
            web-[1:2]:
              ansible_port: 2200
        db:
          hosts:
            db-1:
              ansible_host: 10.1.0.9
              ansible_user: postgres
    local:
      hosts:
        here:
          ansible_connection: local
";
        let hosts = load_text("inv.yml", text, Some("prod")).unwrap();
        let shown: Vec<(&str, &str, Option<&str>)> = hosts
            .iter()
            .map(|h| (h.name.as_str(), h.entry.as_str(), h.options.jump.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("web-1", "ops@web-1:2200", Some("ops@bastion:22")),
                ("web-2", "ops@web-2:2200", Some("ops@bastion:22")),
                ("db-1", "postgres@10.1.0.9", Some("ops@bastion:22")),
            ]
        );
        let here = load_text("inv.yml", text, Some("local")).unwrap();
        assert_eq!(here[0].entry, "local");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = load_text("bad.ini", "[web]\nweb-1 ansible_port\n", None).unwrap_err();
        assert_eq!(
            err,
            "bad.ini:2: 'ansible_port' after host 'web-1' is not a key=value variable"
        );
        let err = load_text("bad.ini", "[web:kids]\n", None).unwrap_err();
        assert!(err.starts_with("bad.ini:1: unknown section kind"), "{err}");
        let err = load_text("port.ini", "[web]\nweb-1 ansible_port=http\n", None).unwrap_err();
        assert!(
            err.starts_with("port.ini:2: host 'web-1': ansible_port"),
            "{err}"
        );
        let err = load_text("bad.yml", "all:\n  hosts:\n    - web-1\n", None).unwrap_err();
        assert!(
            err.starts_with("bad.yml:3: 'hosts' of group 'all'"),
            "{err}"
        );
        let err = load_text("bad.yml", "all:\n  hosts: [\n", None).unwrap_err();
        assert!(err.starts_with("bad.yml:"), "{err}");
        assert!(err.contains("not valid YAML"), "{err}");
        let err = load_text("g.ini", "[web]\nweb-1\n", Some("db")).unwrap_err();
        assert!(err.contains("has no group 'db'"), "{err}");
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"-o ProxyCommand="ssh -W %h:%p \"j\"" -J 'a b'"#).unwrap(),
            ["-o", "ProxyCommand=ssh -W %h:%p \"j\"", "-J", "a b"]
        );
    }
}
