//! `driftscope log`: the history of one fact — each value it held, with the time it was
//! first and last seen and on which hosts.

use std::fmt::Write as _;
use std::io::Write;

use chrono::SecondsFormat;
use color_eyre::eyre::{Result, bail, eyre};

use super::{Outcome, emit};
use crate::model::{Category, FactKey, sanitize};
use crate::report::Palette;
use crate::report::history_values::{shorten, shown_values};
use crate::store::{HistoryEntry, Workspace, fact_history, snapshots_of};

/// Arguments of `driftscope log`.
#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// The environment.
    #[arg(value_name = "ENV")]
    pub environment: String,
    /// The fact, as CATEGORY/KEY: `versions/lib.openssl`, `config/file:/etc/hosts`.
    #[arg(value_name = "CATEGORY/KEY")]
    pub fact: String,
    /// Only this host.
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
}

/// The longest host list shown, in characters.
const HOSTS_WIDTH: usize = 40;

/// Writes the history of `args.fact` in `args.environment` to `out`.
pub fn run(
    workspace: &Workspace,
    args: &LogArgs,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let key = parse_fact_key(&args.fact)?;
    let host = args.host.as_deref();
    let entries = fact_history(workspace, &args.environment, host, &key)?;
    let searched = snapshots_of(workspace, &args.environment, host)?.len();
    let scope = match host {
        Some(host) => format!("{} in {}", sanitize(host, false), args.environment),
        None => args.environment.clone(),
    };
    if entries.iter().all(|e| e.value.is_none()) {
        bail!(
            "no snapshot of {} holds {} ({searched} snapshots searched)",
            sanitize(&scope, false),
            sanitize(&key.to_string(), false)
        );
    }
    let title = format!("History of {key} in {scope} ({searched} snapshots)");
    emit(out, &render(&sanitize(&title, false), &entries, palette))?;
    Ok(Outcome::Success)
}

/// Parses `CATEGORY/KEY`; the key may itself hold `/`.
pub fn parse_fact_key(text: &str) -> Result<FactKey> {
    let Some((category, key)) = text.split_once('/') else {
        return Err(eyre!(
            "'{}' is not CATEGORY/KEY (for example versions/lib.openssl)",
            sanitize(text, false)
        ));
    };
    let category: Category = category.parse().map_err(|e| eyre!("{e}"))?;
    if key.is_empty() {
        return Err(eyre!(
            "'{}' names no key after the category",
            sanitize(text, false)
        ));
    }
    Ok(FactKey::new(category, key))
}

/// The history table under `title`.
pub fn render(title: &str, entries: &[HistoryEntry], palette: Palette) -> String {
    let values = shown_values(entries);
    let rows: Vec<[String; 4]> = entries
        .iter()
        .zip(values)
        .map(|(entry, value)| {
            [
                entry.first_seen.to_rfc3339_opts(SecondsFormat::Secs, true),
                entry.last_seen.to_rfc3339_opts(SecondsFormat::Secs, true),
                shorten(&sanitize(&entry.hosts.join(", "), false), HOSTS_WIDTH),
                value,
            ]
        })
        .collect();
    let header = ["FIRST SEEN", "LAST SEEN", "HOSTS", "VALUE"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let [w0, w1, w2, _] = widths;
    let mut out = String::new();
    let _ = writeln!(out, "{}", palette.heading(title));
    let head = format!(
        "{:<w0$}  {:<w1$}  {:<w2$}  {}",
        header[0], header[1], header[2], header[3]
    );
    let _ = writeln!(out, "{}", palette.heading(&head));
    for row in rows {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0], row[1], row[2], row[3]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use chrono::{DateTime, TimeZone, Utc};

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap()
    }

    fn entry(d: u32, value: Option<Value>) -> HistoryEntry {
        HistoryEntry {
            first_seen: day(d),
            last_seen: day(d),
            hosts: vec!["web-1".into()],
            value,
        }
    }

    #[test]
    fn fact_keys_parse_with_slashes_in_the_key() {
        let key = parse_fact_key("config/file:/etc/hosts").unwrap();
        assert_eq!(key, FactKey::new(Category::Config, "file:/etc/hosts"));
        let err = parse_fact_key("lib.openssl").unwrap_err().to_string();
        assert!(err.contains("is not CATEGORY/KEY"), "{err}");
        let err = parse_fact_key("vers/x").unwrap_err().to_string();
        assert!(err.starts_with("unknown category 'vers'"), "{err}");
        assert!(parse_fact_key("versions/").is_err());
    }

    #[test]
    fn secrets_show_tokens_and_changes_never_fingerprints() {
        let a = Value::Redacted("hmac-sha256:aaaa1111".into());
        let b = Value::Redacted("hmac-sha256:bbbb2222".into());
        let entries = [
            entry(1, Some(a.clone())),
            entry(2, Some(b)),
            entry(3, Some(a)),
            entry(4, None),
        ];
        let out = render("t", &entries, Palette::plain());
        assert!(!out.contains("hmac") && !out.contains("aaaa"), "{out}");
        assert_eq!(
            shown_values(&entries),
            [
                "(redacted #1)",
                "(redacted #2: changed)",
                "(redacted #1: same as before)",
                "(absent)"
            ]
        );
    }

    #[test]
    fn texts_are_told_apart_and_values_are_neutralised() {
        let entries = [
            entry(1, Some(Value::Text("a\nb\n".into()))),
            entry(2, Some(Value::Text("a\n".into()))),
            entry(3, Some(Value::string("evil\u{1b}[2J"))),
        ];
        let out = render("t", &entries, Palette::plain());
        assert!(out.contains("text #1, 2 lines\n"), "{out}");
        assert!(out.contains("text #2, 1 line\n"), "{out}");
        assert!(out.contains("evil^[[2J"), "{out}");
        assert!(!out.contains('\u{1b}'));
    }

    #[test]
    fn the_demo_log_answers_when_openssl_changed() {
        let ws = crate::demo::workspace();
        let args = LogArgs {
            environment: "prod".into(),
            fact: "versions/lib.openssl".into(),
            host: None,
        };
        let mut out = Vec::new();
        run(&ws, &args, Palette::plain(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "History of versions/lib.openssl in prod (24 snapshots)"
        );
        assert!(lines[2].ends_with("prod-web-1, prod-web-2, prod-web-3  3.0.11"));
        assert!(lines[3].ends_with("prod-web-1, prod-web-2              3.0.13"));
        let missing = LogArgs {
            fact: "versions/nope".into(),
            ..args
        };
        let err = run(&ws, &missing, Palette::plain(), &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "no snapshot of prod holds versions/nope (24 snapshots searched)"
        );
    }
}
