//! The shell snippet of the schema probe: connect as configured, run the catalog
//! queries with one `psql`, and keep the connection's secrets out of sight.
//!
//! - A URL is read on the host (from a variable or a file) and never written into the
//!   script. Its password is moved into `PGPASSWORD` (percent-decoded) so it is not on
//!   `psql`'s command line for other users of the host to see.
//! - `psql`'s error output is cleaned of the URL, with and without its password,
//!   before it leaves the host; the collector redacts URL passwords again on its side.

use std::fmt::Write as _;

use crate::collect::probe::shell_quote;
use crate::config::Connection;

/// The line ending the here-document that feeds the queries to `psql`.
pub const HEREDOC_END: &str = "DRIFTSCOPE_SQL_END";

/// awk: prints the URL in `DS_URL` without its password (`part=url`), or the password
/// alone, percent-decoded (`part=password`). URLs without a password print unchanged
/// (or nothing).
const SPLIT_URL: &str = r#"function decode(s,   out, i, c, hi, lo, hex) {
  hex = "0123456789abcdef"; out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "%" && i + 2 <= length(s)) {
      hi = index(hex, tolower(substr(s, i + 1, 1))) - 1
      lo = index(hex, tolower(substr(s, i + 2, 1))) - 1
      if (hi >= 0 && lo >= 0) { out = out sprintf("%c", hi * 16 + lo); i += 2; continue }
    }
    out = out c
  }
  return out
}
BEGIN {
  u = ENVIRON["DS_URL"]; s = index(u, "://")
  rest = substr(u, s + 3); n = match(rest, /[\/?#]/)
  if (n > 0) { auth = substr(rest, 1, n - 1); tail = substr(rest, n) } else { auth = rest; tail = "" }
  at = 0
  for (k = length(auth); k > 0; k--) if (substr(auth, k, 1) == "@") { at = k; break }
  c = at > 0 ? index(substr(auth, 1, at - 1), ":") : 0
  if (c == 0) { if (part == "url") print u; exit }
  if (part == "url") print substr(u, 1, s + 2) substr(auth, 1, c - 1) substr(auth, at) tail
  else print decode(substr(auth, c + 1, at - c - 1))
}"#;

/// awk: copies its input, replacing every occurrence of `DS_A` and `DS_B`.
const SCRUB: &str = r#"function hide(line, s,   i, out) {
  if (s == "") return line
  out = ""
  while ((i = index(line, s)) > 0) { out = out substr(line, 1, i - 1) "<database url>"; line = substr(line, i + length(s)) }
  return out line
}
{ print hide(hide($0, ENVIRON["DS_A"]), ENVIRON["DS_B"]) }"#;

/// The probe's shell snippet: connect with `connection`, run `sql` through `psql`.
pub fn probe_command(connection: &Connection, psql: &str, sql: &str) -> String {
    let mut sh = String::with_capacity(sql.len() + 2048);
    sh.push_str(
        "PGAPPNAME=driftscope; export PGAPPNAME\n\
         PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}; export PGCONNECT_TIMEOUT\n\
         u=; c=\n",
    );
    match connection {
        Connection::Service(name) => {
            let _ = writeln!(
                sh,
                "PGSERVICE={}; export PGSERVICE\nset --",
                shell_quote(name)
            );
        }
        Connection::Dbname(name) => {
            let _ = writeln!(sh, "set -- -d {}", shell_quote(name));
        }
        Connection::UrlEnv(var) => {
            // `var` is a checked variable name, so it can be written as is.
            let _ = writeln!(
                sh,
                "u=${{{var}-}}\n\
                 [ -n \"$u\" ] || {{ echo '{var} is not set for the probe on this host' >&2; exit 2; }}"
            );
        }
        Connection::UrlFile(path) => {
            let _ = writeln!(
                sh,
                "f={path}\n\
                 [ -r \"$f\" ] || {{ echo \"cannot read $f\" >&2; exit 2; }}\n\
                 u=$(sed -n '/[^[:space:]]/{{s/^[[:space:]]*//;s/[[:space:]]*$//;p;q;}}' \"$f\")\n\
                 [ -n \"$u\" ] || {{ echo \"$f holds no URL\" >&2; exit 2; }}",
                path = shell_quote(path)
            );
        }
    }
    if matches!(connection, Connection::UrlEnv(_) | Connection::UrlFile(_)) {
        let _ = writeln!(
            sh,
            "s={split}\n\
             case $u in\n\
             \x20 postgres://*|postgresql://*)\n\
             \x20   p=$(DS_URL=$u awk -v part=password \"$s\") && c=$(DS_URL=$u awk -v part=url \"$s\") || exit 2\n\
             \x20   if [ -n \"$p\" ]; then PGPASSWORD=$p; export PGPASSWORD; fi ;;\n\
             \x20 *) c=$u ;;\n\
             esac\n\
             set -- -d \"$c\"",
            split = shell_quote(SPLIT_URL)
        );
    }
    let _ = write!(
        sh,
        "if [ -n \"${{DS_DIR-}}\" ]; then e=\"$DS_DIR/psql.$$\"; else e=$(mktemp) || exit 125; fi\n\
         {psql} -X -A -t -q -v ON_ERROR_STOP=1 \"$@\" 2>\"$e\" <<'{HEREDOC_END}'\n\
         {sql}{newline}{HEREDOC_END}\n\
         st=$?\n\
         if [ -s \"$e\" ]; then DS_A=$u DS_B=$c awk {scrub} \"$e\" >&2; fi\n\
         rm -f \"$e\"\n\
         exit $st\n",
        psql = shell_quote(psql),
        newline = if sql.ends_with('\n') { "" } else { "\n" },
        scrub = shell_quote(SCRUB),
    );
    sh
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    /// A fake `psql` that reports its arguments, password and service, checks that its
    /// input is the queries, and fails echoing its arguments to stderr like a
    /// connection error would.
    fn fake_psql(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("psql");
        fs::write(
            &path,
            "#!/bin/sh\n\
             printf 'args=%s\\n' \"$*\"\n\
             printf 'password=%s\\n' \"${PGPASSWORD-}\"\n\
             printf 'service=%s\\n' \"${PGSERVICE-}\"\n\
             printf 'app=%s\\n' \"${PGAPPNAME-}\"\n\
             printf 'sql=%s\\n' \"$(cat)\"\n\
             echo \"psql: error: could not connect with $*\" >&2\n\
             exit 2\n",
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    struct Run {
        status: i32,
        stdout: String,
        stderr: String,
    }

    fn run(connection: &Connection, envs: &[(&str, &str)]) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let psql = fake_psql(dir.path());
        let command = probe_command(connection, psql.to_str().unwrap(), "SELECT 1;\n");
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .env("DS_DIR", dir.path())
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[test]
    fn a_url_password_moves_to_the_environment_and_never_shows_in_errors() {
        let url = "postgresql://app:s%40cr3t:x@db.internal:5432/shop?sslmode=require";
        let r = run(
            &Connection::UrlEnv("APP_DB_URL".into()),
            &[("APP_DB_URL", url)],
        );
        assert_eq!(r.status, 2);
        assert!(
            r.stdout
                .contains(" -d postgresql://app@db.internal:5432/shop?sslmode=require\n"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("password=s@cr3t:x\n"), "{}", r.stdout);
        assert!(r.stdout.contains("app=driftscope\n"));
        assert!(r.stdout.contains("sql=SELECT 1;\n"));
        assert!(!r.stderr.contains("s%40cr3t") && !r.stderr.contains("db.internal"));
        assert_eq!(
            r.stderr,
            "psql: error: could not connect with -X -A -t -q -v ON_ERROR_STOP=1 -d <database url>\n"
        );
    }

    #[test]
    fn a_url_file_is_read_on_the_host_first_line_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("database_url");
        fs::write(&file, "\n  postgres://app@[::1]:5433/shop  \nignored\n").unwrap();
        let r = run(&Connection::UrlFile(file.to_str().unwrap().into()), &[]);
        assert!(
            r.stdout.contains(" -d postgres://app@[::1]:5433/shop\n"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("password=\n"));
        let missing = run(&Connection::UrlFile("/nonexistent/url".into()), &[]);
        assert_eq!(missing.status, 2);
        assert_eq!(missing.stderr, "cannot read /nonexistent/url\n");
    }

    #[test]
    fn a_missing_variable_is_a_clear_failure() {
        let r = run(&Connection::UrlEnv("NO_SUCH_DS_VAR".into()), &[]);
        assert_eq!(r.status, 2);
        assert_eq!(
            r.stderr,
            "NO_SUCH_DS_VAR is not set for the probe on this host\n"
        );
        assert!(r.stdout.is_empty());
    }

    #[test]
    fn services_and_database_names_pass_through() {
        let r = run(&Connection::Service("app".into()), &[]);
        assert!(r.stdout.contains("service=app\n"), "{}", r.stdout);
        assert!(r.stdout.contains("args=-X -A -t -q -v ON_ERROR_STOP=1\n"));
        let r = run(&Connection::Dbname("shop db".into()), &[]);
        assert!(r.stdout.contains("-d shop db\n"), "{}", r.stdout);
    }

    #[test]
    fn a_key_value_connection_string_is_passed_as_is_and_hidden_in_errors() {
        let conninfo = "host=db dbname=shop password=hunter2";
        let r = run(
            &Connection::UrlEnv("APP_DB".into()),
            &[("APP_DB", conninfo)],
        );
        assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
        assert!(r.stderr.ends_with("-d <database url>\n"));
    }
}
