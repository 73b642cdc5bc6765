//! A certificate near expiry on one side raises its drift to critical: real
//! certificates made by `openssl`, collected by the `cert_files` probe on this machine,
//! compared by the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use std::path::Path;
use std::process::{Command, Stdio};

use cli_support::run as driftscope;
use driftscope::collect::catalogue::builtin_names;

/// A self-signed certificate valid for `days`, written to `path`; `false` without
/// `openssl`.
fn certificate(path: &Path, days: u32) -> bool {
    let key = path.with_extension("key");
    Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=app.example.com",
        ])
        .arg("-days")
        .arg(days.to_string())
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The severity `diff staging prod` gives the certificate's drift.
fn certificate_severity(dir: &Path, key: &str) -> String {
    let out = driftscope(dir, &["diff", "staging", "prod", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let fact = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("{key} does not drift: {}", out.stdout));
    fact["severity"].as_str().unwrap().to_string()
}

#[test]
fn a_certificate_expiring_within_the_window_on_one_side_is_critical() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("app.pem");
    if !certificate(&cert, 10) {
        assert!(
            std::env::var("DRIFTSCOPE_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "DRIFTSCOPE_REQUIRE_SERVICES=1 but openssl cannot make a certificate"
        );
        eprintln!("skipped: openssl cannot make a certificate");
        return;
    }
    let skip: Vec<String> = builtin_names().iter().map(|n| format!("{n:?}")).collect();
    let config = |window: &str| {
        format!(
            "[environments.staging]\nhosts = [\"local\"]\n[environments.prod]\nhosts = [\"local\"]\n\
             [collect]\nskip = [{}]\ncert_files = [{:?}]\n{window}",
            skip.join(", "),
            cert.display().to_string()
        )
    };
    std::fs::write(dir.path().join("driftscope.toml"), config("")).unwrap();
    // Prod still has the old certificate, 10 days from expiry; staging was renewed.
    let run = driftscope(dir.path(), &["snapshot", "prod", "--local"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(certificate(&cert, 365));
    let run = driftscope(dir.path(), &["snapshot", "staging", "--local"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let key = format!("cert:{}", cert.display());
    assert_eq!(certificate_severity(dir.path(), &key), "critical");
    // With a 5-day window, 10 days is not near: a network change, high.
    std::fs::write(
        dir.path().join("driftscope.toml"),
        config("[certificates]\nnear_expiry = \"5days\"\n"),
    )
    .unwrap();
    assert_eq!(certificate_severity(dir.path(), &key), "high");
}
