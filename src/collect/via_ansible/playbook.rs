//! The playbook that runs the probe script through Ansible. Pure.
//!
//! One play over the inventory group: in one task, make a private temporary folder on the
//! host and run the host's probe script (given on standard input) with `sh`, writing its
//! output to a file there; fetch that file byte for byte (`fetch` with `flat`) into
//! `<output>/<inventory name>/output` on the controller; always remove the folder. The scripts travel inside the
//! playbook as `!unsafe` strings, so Ansible never templates them, and the playbook
//! stands alone: it can be run later from AWX, Tower or cron.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The name of the task that runs the script.
pub const RUN_TASK: &str = "driftscope: run the probe script";
/// The shell command that runs the script (given on standard input) in a private
/// folder, writing its output to a file there, and prints the folder's path first.
const RUN_COMMAND: &str = "umask 077 && d=$(mktemp -d \"${TMPDIR:-/tmp}/driftscope-ansible.XXXXXXXX\") && printf '%s\\n' \"$d\" && sh -s > \"$d/output\"";
/// The name of the task whose success means a host's output is on the controller.
pub const FETCH_TASK: &str = "driftscope: fetch the output";
/// The name of the cleanup task, whose failure does not lose the host's output.
pub const CLEANUP_TASK: &str = "driftscope: remove the temporary folder";
/// The file each host's output is fetched to, inside its own folder.
pub const OUTPUT_FILE: &str = "output";
/// The folder the output goes to when the run names none (`-e driftscope_output=DIR`).
pub const DEFAULT_OUTPUT: &str = "driftscope-output";

/// What the playbook runs where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookPlan {
    /// The inventory group (or Ansible host pattern) the play runs on.
    pub hosts: String,
    /// The distinct probe scripts; the first is for any host not in `script_of`.
    pub scripts: Vec<String>,
    /// Hosts (inventory names) that run another script than the first, by its index.
    pub script_of: BTreeMap<String, usize>,
    /// The longest the script may run on one host.
    pub host_timeout: Duration,
}

/// The playbook's YAML, with `header` lines first as comments.
pub fn render(plan: &PlaybookPlan, header: &[String]) -> String {
    let mut text = String::new();
    for line in header {
        if line.is_empty() {
            text.push_str("#\n");
        } else {
            let _ = writeln!(text, "# {}", line.replace('\n', " "));
        }
    }
    let _ = write!(
        text,
        "- name: driftscope probe script\n\
         \x20 hosts: {hosts}\n\
         \x20 gather_facts: false\n\
         \x20 strategy: free\n\
         \x20 vars:\n\
         \x20   driftscope_scripts:\n",
        hosts = quote(&plan.hosts),
    );
    for script in &plan.scripts {
        let _ = writeln!(text, "      - !unsafe {}", quote(script));
    }
    if plan.script_of.is_empty() {
        text.push_str("    driftscope_script_of: {}\n");
    } else {
        text.push_str("    driftscope_script_of:\n");
        for (host, index) in &plan.script_of {
            let _ = writeln!(text, "      {}: {index}", quote(host));
        }
    }
    let _ = write!(
        text,
        "  tasks:\n\
         \x20   - name: \"driftscope: collect\"\n\
         \x20     block:\n\
         \x20       - name: \"{RUN_TASK}\"\n\
         \x20         ansible.builtin.shell: {run}\n\
         \x20         args:\n\
         \x20           stdin: \"{{{{ driftscope_scripts[driftscope_script_of[inventory_hostname] | default(0)] }}}}\"\n\
         \x20           stdin_add_newline: false\n\
         \x20         timeout: {timeout}\n\
         \x20         register: driftscope_run\n\
         \x20       - name: \"{FETCH_TASK}\"\n\
         \x20         ansible.builtin.fetch:\n\
         \x20           src: \"{{{{ driftscope_run.stdout_lines[0] }}}}/{OUTPUT_FILE}\"\n\
         \x20           dest: \"{{{{ driftscope_output | default(playbook_dir + '/{DEFAULT_OUTPUT}') }}}}/{{{{ inventory_hostname }}}}/{OUTPUT_FILE}\"\n\
         \x20           flat: true\n\
         \x20     always:\n\
         \x20       - name: \"{CLEANUP_TASK}\"\n\
         \x20         ansible.builtin.file:\n\
         \x20           path: \"{{{{ driftscope_run.stdout_lines[0] }}}}\"\n\
         \x20           state: absent\n\
         \x20         when: driftscope_run.stdout_lines | default([]) | length > 0\n",
        run = quote(RUN_COMMAND),
        timeout = plan.host_timeout.as_secs().max(1),
    );
    text
}

/// `text` as a YAML double-quoted scalar that holds any string: quotes, backslashes and
/// every character YAML does not allow raw are escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Whether YAML allows `c` raw in a stream (its printable set, minus the byte order
/// mark and the line and paragraph separators a reader might fold).
fn printable(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_yaml_would_read_otherwise() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\\te\"");
        assert_eq!(quote("\u{1b}[1m\u{7f}"), "\"\\x1b[1m\\x7f\"");
        assert_eq!(quote("é\u{2028}"), "\"é\\u2028\"");
        assert_eq!(quote("{{ x }} {# y"), "\"{{ x }} {# y\"");
    }

    #[test]
    fn the_playbook_carries_each_script_untemplated_and_maps_hosts_to_them() {
        let plan = PlaybookPlan {
            hosts: "web".into(),
            scripts: vec!["echo ${#A} {{ b }}\n".into(), "echo two\n".into()],
            script_of: BTreeMap::from([("db-1".to_string(), 1)]),
            host_timeout: Duration::from_secs(90),
        };
        let text = render(&plan, &["made by driftscope".into(), String::new()]);
        assert!(text.starts_with("# made by driftscope\n#\n- name: driftscope probe script\n"));
        assert!(text.contains("  hosts: \"web\"\n"));
        assert!(text.contains("      - !unsafe \"echo ${#A} {{ b }}\\n\"\n"));
        assert!(text.contains("      - !unsafe \"echo two\\n\"\n"));
        assert!(text.contains("      \"db-1\": 1\n"));
        assert!(text.contains("timeout: 90\n"));
        assert!(text.contains(&format!("- name: \"{FETCH_TASK}\"")));
        assert!(text.contains("flat: true"));
    }
}
