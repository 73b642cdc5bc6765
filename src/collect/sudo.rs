//! Probes that need root, run through `sudo -n` on the hosts configured for it.
//!
//! `sudo -n` never prompts: when sudo would ask for a password, the probe reports
//! itself *unavailable: needs root (sudo -n refused)* and the rest of the host is
//! collected as usual. A host logged into as root runs them directly.

pub use crate::config::{SudoRules, SudoSetting};

use super::probe::shell_quote;
use super::script::UNAVAILABLE_STATUS;

/// `command` run as root: directly when already root, through `sudo -n` when sudo
/// allows it without a password, else reported unavailable.
pub fn as_root(command: &str) -> String {
    let quoted = shell_quote(command);
    format!(
        "if [ \"$(id -u)\" = 0 ]; then exec sh -c {quoted}; \
         elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then exec sudo -n sh -c {quoted}; \
         else echo 'needs root (sudo -n refused)' >&2; exit {UNAVAILABLE_STATUS}; fi"
    )
}

/// `command` as the login user when it can read `path`, else as [`as_root`] runs it.
pub fn as_root_unless_readable(path: &str, command: &str) -> String {
    format!(
        "if [ -r {} ]; then {command}; else {}; fi",
        shell_quote(path),
        as_root(command)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_command_keeps_its_quoting() {
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if !root {
            eprintln!("skipped: not running as root");
            return;
        }
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(as_root("echo \"it's $((1 + 1))\""))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "it's 2\n");
    }
}
