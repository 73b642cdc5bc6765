//! The annotations file, `annotations.toml`: reading, writing, merging and undo.
//!
//! One `[[annotation]]` table per record, sorted by category, key and environments,
//! fields in a fixed order, so the file reviews and merges well in git and re-saving an
//! unchanged file gives the same bytes. Every change is saved at once, atomically. When
//! the file changed on disk since it was read (a teammate's change pulled in), the save
//! merges the two versions record by record instead of overwriting: see
//! [`AnnotationStore::put`] and `docs/annotations.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};
use color_eyre::eyre::{Result, eyre};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::Workspace;
use super::atomic::write_atomic;
use super::paths::display_path;
use super::save_lock;
use crate::config::check_environment_name;
use crate::model::{Annotation, AnnotationId, AnnotationKind, Category, FactKey, excerpt};

/// The annotations file's name at a workspace's root.
pub const ANNOTATIONS_FILE: &str = "annotations.toml";

/// The comment the file starts with.
const HEADER: &str = "\
# driftscope annotations: each [[annotation]] records a decision about one difference
# between environments (justify or remediate). Written by driftscope in a fixed order;
# see docs/annotations.md before editing by hand.
";

/// Why the demo cannot take annotations.
const READ_ONLY: &str = "the demo workspace is read-only: annotations are saved in a \
     workspace's annotations.toml; run `driftscope init` to create a workspace";

/// The annotations of a workspace, as loaded, with the undo history of this session.
#[derive(Debug, Clone)]
pub struct AnnotationStore {
    /// The file behind the records; `None` for the embedded demo (read-only).
    file: Option<FileState>,
    /// The records, sorted by identity, one per identity.
    records: Vec<Annotation>,
    /// Changes made through this store, newest last, each one save's worth (one record,
    /// or a whole batch): every identity with its record before.
    undo: Vec<Vec<(AnnotationId, Option<Annotation>)>>,
}

/// What is known of the file on disk.
#[derive(Debug, Clone)]
struct FileState {
    path: PathBuf,
    /// The name used in messages (relative to the workspace).
    shown: String,
    /// The records as last read from or written to the file: the common ancestor when
    /// merging a change made on disk meanwhile.
    base: Vec<Annotation>,
    /// SHA-256 of the file's bytes as last read or written; `None` when it did not exist.
    digest: Option<String>,
}

/// What a save did besides writing this session's change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// True when the file had changed on disk since it was read, so the save merged.
    pub merged: bool,
    /// Records added, changed or removed on disk meanwhile and taken over from there.
    pub from_disk: usize,
    /// Records changed both here and on disk, each with how it was settled.
    pub conflicts: Vec<String>,
}

impl SaveReport {
    /// One line per thing worth telling the user; empty when the save was a plain write.
    pub fn messages(&self, shown: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if self.merged {
            lines.push(format!(
                "{shown} had changed on disk; merged: {} record{} taken from the file",
                self.from_disk,
                if self.from_disk == 1 { "" } else { "s" }
            ));
        }
        lines.extend(self.conflicts.iter().cloned());
        lines
    }
}

impl AnnotationStore {
    /// Reads the annotations file at `path` (no file means no annotations). `shown` is
    /// the name used in messages. Errors name the file and line.
    pub fn open(path: &Path, shown: &str) -> Result<AnnotationStore> {
        let (records, digest) = match read_file(path, shown)? {
            Some((records, digest)) => (records, Some(digest)),
            None => (Vec::new(), None),
        };
        Ok(AnnotationStore {
            file: Some(FileState {
                path: path.to_path_buf(),
                shown: shown.to_string(),
                base: records.clone(),
                digest,
            }),
            records,
            undo: Vec::new(),
        })
    }

    /// A read-only store holding `records` (the embedded demo's annotations).
    pub fn embedded(mut records: Vec<Annotation>) -> AnnotationStore {
        records.sort_by_key(Annotation::id);
        records.dedup_by_key(|a| a.id());
        AnnotationStore {
            file: None,
            records,
            undo: Vec::new(),
        }
    }

    /// Every annotation, sorted by identity.
    pub fn records(&self) -> &[Annotation] {
        &self.records
    }

    /// The annotation with this identity, if any.
    pub fn find(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.position(id).ok().map(|i| &self.records[i])
    }

    /// True for the embedded demo's annotations, which cannot be changed.
    pub fn is_read_only(&self) -> bool {
        self.file.is_none()
    }

    /// Fails, saying why and what to do, when the store cannot take changes (the demo).
    pub fn check_writable(&self) -> Result<()> {
        match self.file {
            Some(_) => Ok(()),
            None => Err(eyre!("{READ_ONLY}")),
        }
    }

    /// The file's path; `None` for the embedded demo.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// The file's name for messages (`annotations.toml`, or `demo annotations`).
    pub fn shown(&self) -> &str {
        self.file
            .as_ref()
            .map_or("demo annotations", |f| f.shown.as_str())
    }

    /// Adds `annotation`, replacing any with the same identity, and saves. Undoable.
    ///
    /// Fails, changing nothing, for the demo, an invalid annotation, or a file that
    /// cannot be written (or that changed on disk into something unreadable).
    pub fn put(&mut self, annotation: Annotation) -> Result<SaveReport> {
        annotation
            .validate()
            .map_err(|e| eyre!("annotation for {}: {e}", annotation.id()))?;
        for env in &annotation.environments {
            check_environment_name(env).map_err(|e| eyre!("annotation: {e}"))?;
        }
        self.change(annotation.id(), Some(annotation), true)
    }

    /// Adds every annotation (replacing any with the same identity) in one atomic save,
    /// undone together by one [`AnnotationStore::undo`]. Fails, changing nothing, when
    /// any is invalid or the file cannot be written.
    pub fn put_many(&mut self, annotations: Vec<Annotation>) -> Result<SaveReport> {
        for annotation in &annotations {
            annotation
                .validate()
                .map_err(|e| eyre!("annotation for {}: {e}", annotation.id()))?;
            for env in &annotation.environments {
                check_environment_name(env).map_err(|e| eyre!("annotation: {e}"))?;
            }
        }
        let changes = annotations.into_iter().map(|a| (a.id(), Some(a))).collect();
        self.change_batch(changes, true)
    }

    /// Removes every annotation with one of `ids` in one atomic save, undone together.
    /// Fails, changing nothing, when one of them does not exist.
    pub fn remove_many(&mut self, ids: &[AnnotationId]) -> Result<SaveReport> {
        if let Some(missing) = ids.iter().find(|id| self.find(id).is_none()) {
            return Err(eyre!("there is no annotation for {missing}"));
        }
        let changes = ids.iter().map(|id| (id.clone(), None)).collect();
        self.change_batch(changes, true)
    }

    /// Removes the annotation with identity `id` and saves. Undoable. Fails when there
    /// is none.
    pub fn remove(&mut self, id: &AnnotationId) -> Result<SaveReport> {
        if self.find(id).is_none() {
            return Err(eyre!("there is no annotation for {id}"));
        }
        self.change(id.clone(), None, true)
    }

    /// True when this session made a change [`AnnotationStore::undo`] can take back.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// The identity the next undo restores (the first of a batch), for hints such as
    /// `u undo config/x on prod`.
    pub fn next_undo(&self) -> Option<&AnnotationId> {
        self.undo
            .last()
            .and_then(|batch| batch.first())
            .map(|(id, _)| id)
    }

    /// Takes back the newest change of this session (restoring the record it replaced or
    /// removed, or removing the one it added) and saves. `Ok(None)` when there is nothing
    /// to undo; on failure the change stays undoable.
    pub fn undo(&mut self) -> Result<Option<SaveReport>> {
        let Some(batch) = self.undo.pop() else {
            return Ok(None);
        };
        match self.change_batch(batch.clone(), false) {
            Ok(report) => Ok(Some(report)),
            Err(err) => {
                self.undo.push(batch);
                Err(err)
            }
        }
    }

    /// Reads the file again, taking in changes made on disk. The undo history is kept.
    pub fn reload(&mut self) -> Result<()> {
        let Some(file) = &mut self.file else {
            return Ok(());
        };
        let (records, digest) = match read_file(&file.path, &file.shown)? {
            Some((records, digest)) => (records, Some(digest)),
            None => (Vec::new(), None),
        };
        file.base = records.clone();
        file.digest = digest;
        self.records = records;
        Ok(())
    }

    fn position(&self, id: &AnnotationId) -> std::result::Result<usize, usize> {
        self.records.binary_search_by(|a| a.id().cmp(id))
    }

    /// Sets the record of `id` to `after` (removing it for `None`), saves, and on
    /// success remembers the change for undo when `undoable`.
    fn change(
        &mut self,
        id: AnnotationId,
        after: Option<Annotation>,
        undoable: bool,
    ) -> Result<SaveReport> {
        self.change_batch(vec![(id, after)], undoable)
    }

    /// Sets the record of every identity to its `after` (removing it for `None`) and
    /// saves once; on success remembers the whole batch as one undo step when
    /// `undoable`. Undo entries are kept in reverse, so restoring them in order undoes a
    /// batch that touched one identity twice correctly.
    fn change_batch(
        &mut self,
        changes: Vec<(AnnotationId, Option<Annotation>)>,
        undoable: bool,
    ) -> Result<SaveReport> {
        let Some(file) = &self.file else {
            return Err(eyre!("{READ_ONLY}"));
        };
        let mut ours = self.records.clone();
        let mut befores = Vec::with_capacity(changes.len());
        for (id, after) in changes {
            let before = match ours.binary_search_by(|a| a.id().cmp(&id)) {
                Ok(i) => match &after {
                    Some(record) => Some(std::mem::replace(&mut ours[i], record.clone())),
                    None => Some(ours.remove(i)),
                },
                Err(i) => {
                    if let Some(record) = &after {
                        ours.insert(i, record.clone());
                    }
                    None
                }
            };
            befores.push((id, before));
        }
        befores.reverse();
        let (saved, digest, report) = save(file, &ours)?;
        if let Some(file) = &mut self.file {
            file.base = saved.clone();
            file.digest = digest;
        }
        self.records = saved;
        if undoable {
            self.undo.push(befores);
        }
        Ok(report)
    }
}

/// Writes `ours` to the file, merging first when the file changed since it was read.
/// Returns the records now on disk, the file's new digest, and what the merge did.
///
/// The whole re-read → merge → write runs under the folder's save lock, so concurrent
/// saves from other processes take turns and none is lost.
fn save(
    file: &FileState,
    ours: &[Annotation],
) -> Result<(Vec<Annotation>, Option<String>, SaveReport)> {
    let _lock = save_lock::lock_for_save(&file.path, &file.shown)?;
    let on_disk = match crate::input::read(&file.path, crate::input::SETTINGS_LIMIT) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(eyre!("{}: cannot read: {e}", file.shown)),
    };
    let disk_digest = on_disk.as_deref().map(digest);
    let (merged, report) = if disk_digest == file.digest {
        (ours.to_vec(), SaveReport::default())
    } else {
        let theirs = match &on_disk {
            Some(bytes) => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    eyre!(
                        "{}: changed on disk and is not UTF-8 text; nothing was saved",
                        file.shown
                    )
                })?;
                parse_annotations(text, &file.shown).map_err(|e| {
                    eyre!("{e} (the file changed on disk since it was read; nothing was saved)")
                })?
            }
            None => Vec::new(),
        };
        merge(&file.base, ours, &theirs, &file.shown)
    };
    let text = render_annotations(&merged);
    let new_digest = digest(text.as_bytes());
    let unchanged = on_disk.is_none() && merged.is_empty()
        || disk_digest.as_deref() == Some(new_digest.as_str());
    if unchanged {
        return Ok((merged, disk_digest, report));
    }
    write_atomic(&file.path, text.as_bytes(), true)?;
    Ok((merged, Some(new_digest), report))
}

/// Three-way merge by identity of `ours` and `theirs`, both descended from `base`.
///
/// A record changed on one side only takes that side's version (a removal included).
/// A record changed on both sides in different ways keeps the newer by time (ours on a
/// tie); a removal against a change keeps the change. Every such conflict is reported.
fn merge(
    base: &[Annotation],
    ours: &[Annotation],
    theirs: &[Annotation],
    shown: &str,
) -> (Vec<Annotation>, SaveReport) {
    let index = |records: &[Annotation]| -> BTreeMap<AnnotationId, Annotation> {
        records.iter().map(|a| (a.id(), a.clone())).collect()
    };
    let (base, ours, theirs) = (index(base), index(ours), index(theirs));
    let ids: BTreeSet<&AnnotationId> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut report = SaveReport {
        merged: true,
        ..SaveReport::default()
    };
    let mut merged = Vec::new();
    for id in ids {
        let (b, o, t) = (base.get(id), ours.get(id), theirs.get(id));
        let kept = if o == t || t == b {
            o
        } else if o == b {
            report.from_disk += 1;
            t
        } else {
            let (kept, note) = settle(o, t, shown);
            report.conflicts.push(format!("{id}: {note}"));
            kept
        };
        merged.extend(kept.cloned());
    }
    (merged, report)
}

/// Chooses between two different changes of one record and says what was done.
fn settle<'a>(
    ours: Option<&'a Annotation>,
    theirs: Option<&'a Annotation>,
    shown: &str,
) -> (Option<&'a Annotation>, String) {
    let describe = |a: &Annotation| {
        format!(
            "{} by {} at {}: \"{}\"",
            a.kind,
            a.author,
            format_time(a.time),
            a.reason
        )
    };
    match (ours, theirs) {
        (Some(o), Some(t)) if t.time > o.time => (
            theirs,
            format!(
                "changed here and in {shown}; kept the newer from the file ({}), not this one ({})",
                describe(t),
                describe(o)
            ),
        ),
        (Some(o), Some(t)) => (
            ours,
            format!(
                "changed here and in {shown}; kept the newer from here ({}), not the file's ({})",
                describe(o),
                describe(t)
            ),
        ),
        (None, Some(t)) => (
            theirs,
            format!(
                "removed here but changed in {shown}; kept the file's ({})",
                describe(t)
            ),
        ),
        (Some(o), None) => (
            ours,
            format!(
                "changed here but removed in {shown}; kept this one ({})",
                describe(o)
            ),
        ),
        (None, None) => (None, "removed on both sides".to_string()),
    }
}

/// Reads and parses the file; `None` when it does not exist.
fn read_file(path: &Path, shown: &str) -> Result<Option<(Vec<Annotation>, String)>> {
    let bytes = match crate::input::read(path, crate::input::SETTINGS_LIMIT) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(eyre!("{shown}: cannot read: {e}")),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        eyre!("{shown}:{line}: not UTF-8 text")
    })?;
    let records = parse_annotations(text, shown)?;
    Ok(Some((records, digest(&bytes))))
}

fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The file as written: a `[[annotation]]` table per record.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    annotation: Vec<Spanned<RawRecord>>,
}

/// One record as written, every field kept with its place for error messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    category: Spanned<String>,
    key: Spanned<String>,
    environments: Spanned<Vec<String>>,
    kind: Spanned<String>,
    reason: Spanned<String>,
    #[serde(default)]
    ticket: Option<Spanned<String>>,
    #[serde(default)]
    expires: Option<Spanned<String>>,
    author: Spanned<String>,
    time: Spanned<String>,
    fingerprint: Spanned<String>,
    #[serde(default)]
    batch: Option<Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<String, String>,
}

/// Parses the text of an annotations file. Records come out sorted by identity.
///
/// Errors are one line, `FILE:LINE: what is wrong`: TOML syntax, a missing or unknown
/// field, an unknown category or kind, a bad date, time, environment or fingerprint, an
/// empty reason, or two records with one identity.
pub fn parse_annotations(text: &str, shown: &str) -> Result<Vec<Annotation>> {
    if let Some(line) = conflict_marker_line(text) {
        return Err(eyre!(
            "{shown}:{line}: an unresolved git merge conflict (a `<<<<<<<` line); keep the \
             annotations wanted from each side, delete the `<<<<<<<`, `=======` and `>>>>>>>` \
             lines, then run again"
        ));
    }
    let at = |offset: usize| line_of(text, offset);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| at(s.start));
        let message = e.message().trim().replace('\n', "; ");
        if line > 0 {
            eyre!("{shown}:{line}: {message}")
        } else {
            eyre!("{shown}: {message}")
        }
    })?;
    // Byte offsets of each identity's record; lines are counted only for a message.
    let mut seen: BTreeMap<AnnotationId, usize> = BTreeMap::new();
    let mut records = Vec::with_capacity(raw.annotation.len());
    for entry in raw.annotation {
        let record_start = entry.span().start;
        let record = entry.into_inner();
        let annotation = convert(record)
            .map_err(|(offset, message)| eyre!("{shown}:{}: {message}", at(offset)))?;
        let id = annotation.id();
        if let Some(first) = seen.insert(id.clone(), record_start) {
            return Err(eyre!(
                "{shown}:{}: a second annotation for {id} (the first is at line {}); keep one",
                at(record_start),
                at(first)
            ));
        }
        records.push(annotation);
    }
    records.sort_by_key(Annotation::id);
    Ok(records)
}

/// Checks and converts one raw record; errors carry the byte offset of the culprit.
fn convert(raw: RawRecord) -> std::result::Result<Annotation, (usize, String)> {
    let place = |s: &Spanned<String>| s.span().start;
    let category: Category = raw
        .category
        .get_ref()
        .parse()
        .map_err(|e: crate::model::UnknownCategory| (place(&raw.category), e.to_string()))?;
    if raw.key.get_ref().is_empty() {
        return Err((place(&raw.key), "key may not be empty".to_string()));
    }
    let kind: AnnotationKind = raw
        .kind
        .get_ref()
        .parse()
        .map_err(|e| (place(&raw.kind), e))?;
    let env_place = raw.environments.span().start;
    let mut environments = BTreeSet::new();
    for env in raw.environments.get_ref() {
        check_environment_name(env).map_err(|e| (env_place, format!("environments: {e}")))?;
        if !environments.insert(env.clone()) {
            return Err((env_place, format!("environments lists '{env}' twice")));
        }
    }
    let expires = match &raw.expires {
        Some(text) => Some(
            NaiveDate::parse_from_str(text.get_ref(), "%Y-%m-%d").map_err(|_| {
                (
                    place(text),
                    format!(
                        "expires '{}' is not a date (YYYY-MM-DD)",
                        excerpt(text.get_ref(), 40)
                    ),
                )
            })?,
        ),
        None => None,
    };
    let time = DateTime::parse_from_rfc3339(raw.time.get_ref())
        .map_err(|_| {
            (
                place(&raw.time),
                format!(
                    "time '{}' is not an RFC 3339 time such as 2026-11-20T09:30:00Z",
                    excerpt(raw.time.get_ref(), 40)
                ),
            )
        })?
        .with_timezone(&Utc)
        .trunc_subsecs(0);
    let annotation = Annotation {
        key: FactKey::new(category, raw.key.get_ref().clone()),
        environments,
        kind,
        reason: raw.reason.get_ref().clone(),
        ticket: raw.ticket.as_ref().map(|t| t.get_ref().clone()),
        expires,
        author: raw.author.get_ref().clone(),
        time,
        fingerprint: raw.fingerprint.get_ref().clone(),
        values: raw.values.clone(),
        batch: raw.batch.as_ref().map(|b| b.get_ref().clone()),
    };
    annotation.validate().map_err(|message| {
        let offset = if message.contains("reason") {
            place(&raw.reason)
        } else if message.contains("author") {
            place(&raw.author)
        } else if message.contains("ticket") {
            raw.ticket.as_ref().map_or(0, place)
        } else if message.contains("fingerprint") {
            place(&raw.fingerprint)
        } else if message.contains("batch") {
            raw.batch.as_ref().map_or(0, place)
        } else {
            env_place
        };
        (offset, message)
    })?;
    Ok(annotation)
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The 1-based line of the first git conflict marker in `text`, if any.
fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            ["<<<<<<< ", ">>>>>>> ", "||||||| "]
                .iter()
                .any(|marker| line.starts_with(marker))
                || line == "<<<<<<<"
                || line == "======="
        })
        .map(|i| i + 1)
}

/// The file's text for `records`: the header comment, then one table per record in
/// identity order, fields in a fixed order, empty optional fields left out. The same
/// records always give the same bytes.
pub fn render_annotations(records: &[Annotation]) -> String {
    let mut sorted: Vec<&Annotation> = records.iter().collect();
    sorted.sort_by_key(|a| a.id());
    let mut out = String::from(HEADER);
    for a in sorted {
        out.push_str("\n[[annotation]]\n");
        field(&mut out, "category", &toml_string(a.key.category.as_str()));
        field(&mut out, "key", &toml_string(&a.key.key));
        let envs: Vec<String> = a.environments.iter().map(|e| toml_string(e)).collect();
        field(&mut out, "environments", &format!("[{}]", envs.join(", ")));
        field(&mut out, "kind", &toml_string(a.kind.as_str()));
        field(&mut out, "reason", &toml_string(&a.reason));
        if let Some(ticket) = &a.ticket {
            field(&mut out, "ticket", &toml_string(ticket));
        }
        if let Some(expires) = a.expires {
            field(&mut out, "expires", &toml_string(&expires.to_string()));
        }
        field(&mut out, "author", &toml_string(&a.author));
        field(&mut out, "time", &toml_string(&format_time(a.time)));
        field(&mut out, "fingerprint", &toml_string(&a.fingerprint));
        if let Some(batch) = &a.batch {
            field(&mut out, "batch", &toml_string(batch));
        }
        if !a.values.is_empty() {
            let pairs: Vec<String> = a
                .values
                .iter()
                .map(|(env, words)| format!("{} = {}", toml_string(env), toml_string(words)))
                .collect();
            field(&mut out, "values", &format!("{{ {} }}", pairs.join(", ")));
        }
    }
    out
}

fn field(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}

/// A TOML basic string: quoted, with `"`, `\` and control characters escaped, so every
/// value stays on one line.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `2026-11-20T09:30:00Z`.
fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Who is making annotations: git's `user.name` as seen from `dir` (the workspace), else
/// the `USER` or `USERNAME` environment variable, else `unknown`.
pub fn author_name(dir: Option<&Path>) -> String {
    let mut git = std::process::Command::new("git");
    git.args(["config", "user.name"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(dir) = dir {
        git.current_dir(dir);
    }
    let from_git = git
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty());
    from_git
        .or_else(|| {
            ["USER", "USERNAME"].iter().find_map(|var| {
                std::env::var(var)
                    .ok()
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            })
        })
        .unwrap_or_else(|| "unknown".to_string())
}

impl Workspace {
    /// Where the workspace keeps its annotations; `None` for the embedded demo.
    pub fn annotations_path(&self) -> Option<PathBuf> {
        self.root.as_ref().map(|root| root.join(ANNOTATIONS_FILE))
    }

    /// The workspace's annotations: read from `annotations.toml` (none when it does not
    /// exist), or the demo's built-in ones, read-only.
    pub fn annotations(&self) -> Result<AnnotationStore> {
        match self.annotations_path() {
            Some(path) => {
                let shown = display_path(self.root.as_deref(), &path);
                AnnotationStore::open(&path, &shown)
            }
            None => Ok(AnnotationStore::embedded(
                self.embedded_annotations.as_ref().clone(),
            )),
        }
    }

    /// The name new annotations are signed with (see [`author_name`]).
    pub fn author(&self) -> String {
        author_name(self.root.as_deref())
    }
}
