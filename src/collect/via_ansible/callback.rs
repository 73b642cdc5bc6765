//! The events Ansible reports while it runs the playbook: a small stdout callback
//! plugin (written next to the playbook) prints one JSON line per host event, and
//! [`parse_line`] reads them. Pure, apart from the plugin's text.

use serde::Deserialize;

/// The plugin's name, as `ANSIBLE_STDOUT_CALLBACK` names it.
pub const PLUGIN_NAME: &str = "driftscope_events";

/// The plugin's Python source, written as `<PLUGIN_NAME>.py`.
pub const PLUGIN_SOURCE: &str = include_str!("driftscope_events.py");

/// What happened to one host in one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The task started on the host.
    Start,
    /// The task succeeded.
    Ok,
    /// The task failed.
    Failed,
    /// Ansible could not reach the host.
    Unreachable,
    /// The task was skipped.
    Skipped,
}

/// One host event, as the plugin prints it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Event {
    /// What happened.
    pub event: EventKind,
    /// The inventory name of the host.
    pub host: String,
    /// The task's name.
    pub task: String,
    /// Ansible's reason, for a failed or unreachable host.
    #[serde(default)]
    pub reason: String,
}

/// The event on `line`, or `None` when the line is not one (a warning Ansible printed,
/// a blank line).
pub fn parse_line(line: &str) -> Option<Event> {
    let line = line.trim();
    if !line.starts_with('{') {
        return None;
    }
    serde_json::from_str(line).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lines_are_read_and_other_lines_ignored() {
        let event = parse_line(
            r#"{"event": "unreachable", "host": "web-1", "task": "t", "reason": "Connection refused"}"#,
        )
        .unwrap();
        assert_eq!(event.event, EventKind::Unreachable);
        assert_eq!(event.host, "web-1");
        assert_eq!(event.reason, "Connection refused");
        let start = parse_line(r#"{"event": "start", "host": "h", "task": "t"}"#).unwrap();
        assert_eq!((start.event, start.reason.as_str()), (EventKind::Start, ""));
        assert_eq!(parse_line("[WARNING]: something"), None);
        assert_eq!(parse_line(r#"{"event": "exploded"}"#), None);
    }

    #[test]
    fn the_plugin_is_named_as_the_environment_variable_says() {
        assert!(PLUGIN_SOURCE.contains(&format!("CALLBACK_NAME = \"{PLUGIN_NAME}\"")));
        assert!(PLUGIN_SOURCE.contains("CALLBACK_TYPE = \"stdout\""));
    }
}
