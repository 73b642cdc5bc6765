//! `driftscope compress`: compress snapshots older than a given age, in place; a dry
//! run unless told to apply. Every reader reads a compressed snapshot as the plain one.

use std::io::Write;

use chrono::{SecondsFormat, Utc};
use color_eyre::eyre::{Result, bail, eyre};

use super::storage::bytes;
use super::{Outcome, emit, warn};
use crate::store::compress::{compress_file, compressible};
use crate::store::{Location, Workspace, snapshots_of};

/// Arguments of `driftscope compress`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompressArgs {
    /// Only this environment's snapshots (every environment's when omitted).
    #[arg(value_name = "ENV")]
    pub environment: Option<String>,
    /// Only this host's snapshots.
    #[arg(long, value_name = "HOST", requires = "environment")]
    pub host: Option<String>,
    /// Compress snapshots taken longer ago than this (`30d`, `12w`, `6months`).
    #[arg(long, value_name = "AGE")]
    pub older_than: String,
    /// Compress them (without it, only show how many would be).
    #[arg(long)]
    pub apply: bool,
}

/// Plans (and with `--apply`, carries out) the compression. Returns
/// [`Outcome::Incomplete`] when some file could not be compressed.
pub fn run(
    workspace: &Workspace,
    args: &CompressArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let age = humantime::parse_duration(&args.older_than)
        .map_err(|e| eyre!("--older-than '{}': {e} (write e.g. 30d)", args.older_than))?;
    let age = chrono::TimeDelta::from_std(age)
        .map_err(|_| eyre!("--older-than '{}': too long", args.older_than))?;
    let before = Utc::now() - age;
    if let Some(env) = &args.environment {
        snapshots_of(workspace, env, args.host.as_deref())?;
    }
    if args.apply && workspace.is_read_only() {
        bail!("the demo workspace is read-only");
    }
    let chosen = compressible(
        &workspace.history,
        args.environment.as_deref(),
        args.host.as_deref(),
        before,
    );
    let since = before.to_rfc3339_opts(SecondsFormat::Secs, true);
    if chosen.is_empty() {
        emit(
            out,
            &format!("Nothing to compress: no plain snapshot taken before {since}.\n"),
        )?;
        return Ok(Outcome::Success);
    }
    if !args.apply {
        let size: u64 = chosen
            .iter()
            .map(|m| match &m.location {
                Location::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
                Location::Embedded(_) => 0,
            })
            .sum();
        emit(
            out,
            &format!(
                "Dry run: {} snapshots taken before {since} would be compressed ({} now). \
                 Run again with --apply to compress them.\n",
                chosen.len(),
                bytes(size)
            ),
        )?;
        return Ok(Outcome::Success);
    }
    let (mut done, mut plain, mut packed, mut failed) = (0, 0, 0, 0);
    for meta in chosen {
        let Location::File(path) = &meta.location else {
            continue;
        };
        match compress_file(path) {
            Ok(result) => {
                done += 1;
                plain += result.plain_bytes;
                packed += result.compressed_bytes;
            }
            Err(why) => {
                failed += 1;
                let shown = workspace
                    .root
                    .as_deref()
                    .and_then(|root| path.strip_prefix(root).ok())
                    .unwrap_or(path);
                warn(err, &format!("{}: {why}", shown.display()));
            }
        }
    }
    emit(
        out,
        &format!(
            "Compressed {done} snapshots: {} → {}.\n",
            bytes(plain),
            bytes(packed)
        ),
    )?;
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}
