//! Compiles probes into one POSIX `sh` script, run in one go on the host.
//!
//! Each probe runs in its own `sh -c` (under `timeout` when the host has it) with stdin
//! from `/dev/null` and its stdout, stderr and exit status captured to private files.
//! Probes run side by side, so a host takes about as long as its slowest probe. When all
//! have finished, the script prints a table of contents, then every capture in order,
//! then an end marker:
//!
//! ```text
//! @@<token> host <name from uname -n>
//! @@<token> time <UTC start time, YYYY-MM-DDTHH:MM:SSZ>
//! @@<token> plan <N> <digest of the probe list>
//! @@<token> frames <N>
//! <index> <exit status> <stdout bytes> <stderr bytes>     (N lines)
//! <stdout 0><stderr 0><stdout 1><stderr 1>…
//! @@<token> end
//! ```
//!
//! The token is random per compiled script, and the byte counts make the framing immune
//! to whatever the probes print. The first three lines say which host ran the script,
//! when, and with which probes ([`plan_digest`]), so output captured by another tool can
//! be imported later. Framing costs two processes (`wc`, `cat`) whatever the probe count.
//!
//! The captures live in a private temporary folder until they are printed; it is removed
//! on every way the script can end, killed included (see [`TEMP_FOLDER`]).

use std::fmt::Write as _;
use std::time::Duration;

use super::probe::{Probe, shell_quote};

/// The script's private folder for probe output, which holds clear text until the
/// output is redacted on this side, and its cleanup on every exit path:
///
/// - the folder is named `driftscope.<shell pid>.<random>` in `$TMPDIR` (or `/tmp`);
/// - the shell removes it when it exits, also on HUP, INT, TERM and PIPE (a reader that
///   went away);
/// - a watcher started with `setsid` before the folder exists (outside the shell's process
///   group, so a timeout's group kill spares it, and not a job of the shell, so the
///   script's `wait` does not wait for it) removes the shell's folders within a second
///   once the shell is gone, even when it was killed outright (SIGKILL);
/// - every run first removes the folders of earlier runs whose shell is no longer alive,
///   should both of the above have been prevented (no `setsid`, a reboot mid-run).
const TEMP_FOLDER: &str = "\
R=${TMPDIR:-/tmp}
for o in \"$R\"/driftscope.*.*; do
  [ -d \"$o\" ] && [ -O \"$o\" ] || continue
  p=${o##*/driftscope.}; p=${p%%.*}
  case $p in ''|*[!0-9]*) continue ;; esac
  kill -0 \"$p\" 2>/dev/null || rm -rf \"$o\"
done
if command -v setsid >/dev/null 2>&1; then
  ( setsid sh -c 'while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; rm -rf \"$2\"/driftscope.\"$1\".*' driftscope-cleanup $$ \"$R\" </dev/null >/dev/null 2>&1 & )
fi
D=$(mktemp -d \"$R/driftscope.$$.XXXXXXXX\" 2>/dev/null) || D=\"$R/driftscope.$$.0\"
[ -d \"$D\" ] || mkdir -m 700 \"$D\" || { echo 'driftscope: cannot create a temporary folder' >&2; exit 125; }
DS_DIR=$D; export DS_DIR
trap 'cd /; rm -rf \"$D\"' EXIT
trap 'exit 129' HUP INT TERM PIPE
";

/// A compiled script and the token its frames carry.
#[derive(Debug, Clone)]
pub struct Script {
    /// The script text, fed to `sh -s` on the host.
    pub text: String,
    /// The per-run boundary token.
    pub token: String,
}

/// The exit status a probe reports when a tool it needs is missing.
pub const UNAVAILABLE_STATUS: i32 = 127;
/// The exit status `timeout` reports when it stopped a probe.
pub const TIMED_OUT_STATUS: i32 = 124;

/// A fresh random token: 16 random bytes in hex, or a time-based one if the system
/// has no randomness to give.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    format!("DS{}", hex::encode(bytes))
}

/// A short digest of a probe list (names, categories, requirements and commands, in
/// order): output framed for one list must not be read with another.
pub fn plan_digest(probes: &[Probe]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for probe in probes {
        for part in [probe.name.as_str(), probe.category.as_str()] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        for tool in &probe.requires {
            hasher.update(tool.as_bytes());
            hasher.update([1]);
        }
        hasher.update(probe.command.as_bytes());
        hasher.update([2]);
    }
    hex::encode(&hasher.finalize()[..8])
}

/// Compiles `probes` into one script whose probes may each run `probe_timeout`.
pub fn compile(probes: &[Probe], probe_timeout: Duration) -> Script {
    let token = new_token();
    let secs = probe_timeout.as_secs().max(1);
    let mut text = String::with_capacity(4096 + probes.len() * 256);
    let cleanup = TEMP_FOLDER;
    let _ = write!(
        text,
        "# driftscope probe script\n\
         LC_ALL=C; export LC_ALL\n\
         PATH=\"$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"; export PATH\n\
         umask 077\n\
         T={token}\n\
         S=$(date -u +%Y-%m-%dT%H:%M:%SZ 2>/dev/null)\n\
         H=$(uname -n 2>/dev/null || hostname 2>/dev/null)\n\
{cleanup}\
         W=\n\
         if command -v timeout >/dev/null 2>&1; then W=\"timeout {secs}\"; fi\n\
"
    );
    let mut files = String::new();
    for (index, probe) in probes.iter().enumerate() {
        let mut body = String::new();
        for tool in &probe.requires {
            let _ = writeln!(
                body,
                "command -v {q} >/dev/null 2>&1 || {{ echo 'not installed: {name}' >&2; exit {UNAVAILABLE_STATUS}; }}",
                q = shell_quote(tool),
                name = tool.replace('\'', ""),
            );
        }
        body.push_str(&probe.command);
        let _ = write!(
            text,
            "# {index}: {name}\n\
             ( $W sh -c {body} >\"$D/{index}.o\" 2>\"$D/{index}.e\" </dev/null; echo $? >\"$D/{index}.s\" ) &\n",
            name = probe.name.replace('\n', " "),
            body = shell_quote(&body),
        );
        let _ = write!(files, " {index}.o {index}.e");
    }
    let _ = write!(
        text,
        "wait\n\
         cd \"$D\" || exit 125\n\
         printf '@@%s host %s\\n' \"$T\" \"$H\"\n\
         printf '@@%s time %s\\n' \"$T\" \"$S\"\n\
         printf '@@%s plan %s %s\\n' \"$T\" {count} {digest}\n\
         printf '@@%s frames %s\\n' \"$T\" {count}\n",
        count = probes.len(),
        digest = plan_digest(probes),
    );
    if !probes.is_empty() {
        let _ = write!(
            text,
            "wc -c{files} </dev/null >sizes\n\
             i=0\n\
             while read size name; do\n\
             \x20 case $name in\n\
             \x20   *.o) o=$size ;;\n\
             \x20   *.e) s=125; [ -r \"$i.s\" ] && read s <\"$i.s\"; printf '%s %s %s %s\\n' \"$i\" \"$s\" \"$o\" \"$size\"; i=$((i + 1)) ;;\n\
             \x20 esac\n\
             done <sizes\n\
             cat{files} </dev/null\n"
        );
    }
    text.push_str("printf '\\n@@%s end\\n' \"$T\"\n");
    Script { text, token }
}

/// Runs `script` with `sh -s` here, as a host runs it, and returns what it printed.
#[cfg(test)]
pub(crate) fn run_here(script: &Script) -> Vec<u8> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("sh")
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.text.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().stdout
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::frames;
    use crate::model::Category;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn probe(name: &str, requires: &[&str], command: &str) -> Probe {
        Probe::plain(name, Category::Config, requires, command, |_| Ok(vec![]))
    }

    #[test]
    fn tokens_are_random() {
        assert_ne!(new_token(), new_token());
    }

    #[test]
    fn script_frames_status_stdout_and_stderr_of_each_probe() {
        let probes = [
            probe("ok", &[], "printf 'a\\nb'"),
            probe("fails", &[], "echo oops >&2; exit 3"),
            probe("missing", &["no-such-tool-xyz"], "no-such-tool-xyz"),
            probe("quotes", &[], "echo \"it's $((1+1))\"; cat"),
        ];
        let script = compile(&probes, Duration::from_secs(5));
        let out = frames::parse(&run_here(&script), &script.token).unwrap();
        assert!(out.complete);
        assert_eq!(out.frames.len(), 4);
        assert_eq!(
            (out.frames[0].status, out.frames[0].stdout.as_str()),
            (0, "a\nb")
        );
        assert_eq!(
            (out.frames[1].status, out.frames[1].stderr.as_str()),
            (3, "oops\n")
        );
        assert_eq!(out.frames[2].status, UNAVAILABLE_STATUS);
        assert!(
            out.frames[2]
                .stderr
                .contains("not installed: no-such-tool-xyz")
        );
        // stdin is /dev/null, so `cat` cannot eat the rest of the script.
        assert_eq!(out.frames[3].stdout, "it's 2\n");
    }

    #[test]
    fn an_empty_script_completes_without_reading_its_own_input() {
        let script = compile(&[], Duration::from_secs(5));
        let out = frames::parse(&run_here(&script), &script.token).unwrap();
        assert!(out.complete);
        assert!(out.frames.is_empty());
    }

    #[test]
    fn a_slow_probe_is_stopped_by_the_probe_timeout() {
        if Command::new("sh")
            .args(["-c", "command -v timeout"])
            .output()
            .map(|o| !o.status.success())
            .unwrap_or(true)
        {
            eprintln!("skipped: no `timeout` command on this machine");
            return;
        }
        let probes = [
            probe("slow", &[], "sleep 10"),
            probe("next", &[], "echo fine"),
        ];
        let script = compile(&probes, Duration::from_secs(1));
        let started = std::time::Instant::now();
        let out = frames::parse(&run_here(&script), &script.token).unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(out.frames[0].status, TIMED_OUT_STATUS);
        assert_eq!(out.frames[1].stdout, "fine\n");
    }

    /// Runs `script` with `sh -s` in its own process group, temporary files in `tmp`.
    fn spawn_in(script: &Script, tmp: &std::path::Path) -> std::process::Child {
        let mut command = Command::new("sh");
        command
            .arg("-s")
            .env("TMPDIR", tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(script.text.as_bytes()).unwrap();
        drop(stdin);
        child
    }

    fn folders(tmp: &std::path::Path) -> Vec<String> {
        std::fs::read_dir(tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    fn wait_until_empty(tmp: &std::path::Path) -> Vec<String> {
        for _ in 0..100 {
            if folders(tmp).is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        folders(tmp)
    }

    #[test]
    fn the_output_folder_is_removed_when_the_script_ends() {
        let tmp = tempfile::tempdir().unwrap();
        let script = compile(&[probe("p", &[], "echo secret")], Duration::from_secs(5));
        let status = spawn_in(&script, tmp.path()).wait().unwrap();
        assert!(status.success());
        assert_eq!(wait_until_empty(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn the_output_folder_goes_even_when_the_whole_group_is_killed() {
        if Command::new("sh")
            .args(["-c", "command -v setsid"])
            .output()
            .map(|o| !o.status.success())
            .unwrap_or(true)
        {
            eprintln!("skipped: no `setsid` on this machine (the next run clears the folder)");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let script = compile(&[probe("slow", &[], "sleep 30")], Duration::from_secs(60));
        let mut child = spawn_in(&script, tmp.path());
        // Wait for the folder to exist, then kill the group as a host timeout does.
        for _ in 0..100 {
            if !folders(tmp.path()).is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(folders(tmp.path()).len(), 1);
        // A host timeout comes while the probes run, not in the instant the script starts
        // (a kill that early is what the next run's sweep is for).
        std::thread::sleep(Duration::from_millis(300));
        let group = format!("-{}", child.id());
        Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .unwrap();
        child.wait().unwrap();
        assert_eq!(wait_until_empty(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn folders_of_dead_runs_are_cleared_by_the_next_run_and_live_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let mut gone = Command::new("true").spawn().unwrap();
        let dead_pid = gone.id();
        gone.wait().unwrap();
        let dead = tmp.path().join(format!("driftscope.{dead_pid}.Ab12Cd34"));
        let live = tmp
            .path()
            .join(format!("driftscope.{}.Zz99Yy88", std::process::id()));
        let other = tmp.path().join("unrelated.1.x");
        for dir in [&dead, &live, &other] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("0.o"), "clear text").unwrap();
        }
        let script = compile(&[probe("p", &[], "true")], Duration::from_secs(5));
        assert!(spawn_in(&script, tmp.path()).wait().unwrap().success());
        std::thread::sleep(Duration::from_millis(100));
        assert!(!dead.exists(), "a dead run's folder was left");
        assert!(live.exists(), "a live run's folder was removed");
        assert!(other.exists(), "a folder that is not ours was removed");
    }
}
