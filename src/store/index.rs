//! Indexing the snapshot folder: metadata of every file, without keeping facts in memory.
//!
//! Each file is parsed once with a reader that counts facts and probe errors instead of
//! building them, while still checking the format identifier and version the way
//! [`Snapshot::from_json`](crate::model::Snapshot::from_json) does.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::history::{History, Location, SnapshotMeta};
use super::index_cache::{CacheWriter, CachedOutcome, IndexCache, Stamp, debug_note, read_cache};
use super::paths::display_path;
use super::snapshot_file::{Compression, plain_path, read_snapshot_bytes};
use crate::model::{Category, ProbeError, SnapshotError, Source, Value, check_header};

/// Indexes every snapshot file (`*.json`, `*.json.zst`, `*.json.gz`) under `dir` (at
/// any depth), reading each one. Hidden files and folders are skipped, and so are
/// symbolic links to folders. Files that cannot be read become one-line problems naming
/// the file relative to `root`.
pub fn index_snapshots(root: Option<&Path>, dir: &Path) -> History {
    let mut problems = Vec::new();
    let folders = walk(root, dir, false, &mut problems);
    let files: Vec<&Found> = folders.iter().flat_map(|f| &f.files).collect();
    let outcomes = read_all(files.iter().map(|f| f.path.as_path()).collect());
    let mut history = History {
        entries: Vec::with_capacity(files.len()),
        problems,
    };
    for (file, outcome) in files.iter().zip(outcomes) {
        add(&mut history, root, &file.path, outcome);
    }
    history.sort();
    history
}

/// What indexing did with the index cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Files read (new, changed, or not in the cache).
    pub read: usize,
    /// Files whose cached entry was still true.
    pub reused: usize,
    /// Cached entries of files no longer there.
    pub dropped: usize,
    /// Why the stored cache was not used, when it was not.
    pub rebuilt: Option<String>,
    /// Whether the cache was written: `None` when nothing changed, else the outcome.
    pub written: Option<Result<(), String>>,
}

/// [`index_snapshots`] through the index cache at `cache_file`: only files that are new
/// or changed since the cache was written are read, and the cache is brought up to
/// date. The cache never changes the result, and any trouble with it only costs time.
pub fn index_snapshots_cached(root: &Path, dir: &Path, cache_file: &Path) -> (History, IndexStats) {
    let started = std::time::Instant::now();
    let mut problems = Vec::new();
    let folders = walk(Some(root), dir, true, &mut problems);
    let listed = started.elapsed();
    let bytes = read_cache(cache_file);
    let cache = IndexCache::parse(&bytes);
    let loaded = started.elapsed();
    let mut stats = IndexStats {
        rebuilt: cache.rebuilt.clone(),
        ..IndexStats::default()
    };

    // Each file's cached outcome when its stamp still matches.
    let mut matched = 0;
    let mut outcomes: Vec<Vec<Option<CachedOutcome>>> = Vec::with_capacity(folders.len());
    for folder in &folders {
        // Both lists are sorted by name: one pass matches them.
        let mut cached = folder
            .relative
            .as_deref()
            .and_then(|r| cache.folder(r))
            .unwrap_or_default()
            .iter()
            .peekable();
        outcomes.push(
            folder
                .files
                .iter()
                .map(|file| {
                    let name = file.name.as_deref()?;
                    while cached.next_if(|c| c.name.as_ref() < name).is_some() {}
                    let entry = cached.next_if(|c| c.name.as_ref() == name)?;
                    matched += 1;
                    (Some(entry.stamp) == file.stamp).then(|| entry.outcome.clone())
                })
                .collect(),
        );
    }
    stats.dropped = cache.total() - matched;
    let missing: Vec<(usize, usize)> = outcomes
        .iter()
        .enumerate()
        .flat_map(|(f, files)| {
            files
                .iter()
                .enumerate()
                .filter(|(_, o)| o.is_none())
                .map(move |(i, _)| (f, i))
        })
        .collect();
    let total: usize = folders.iter().map(|f| f.files.len()).sum();
    stats.read = missing.len();
    stats.reused = total - missing.len();
    let read = read_all(
        missing
            .iter()
            .map(|(f, i)| folders[*f].files[*i].path.as_path())
            .collect(),
    );
    for ((f, i), outcome) in missing.into_iter().zip(read) {
        outcomes[f][i] = Some(outcome);
    }

    let mut history = History {
        entries: Vec::with_capacity(total),
        problems,
    };
    let stale = stats.rebuilt.is_some() || stats.read > 0 || stats.dropped > 0;
    let mut writer = stale.then(CacheWriter::new);
    for (folder, outcomes) in folders.iter().zip(outcomes) {
        for (file, outcome) in folder.files.iter().zip(outcomes) {
            let Some(outcome) = outcome else { continue };
            if let (Some(writer), Some(relative), Some(name), Some(stamp)) =
                (&mut writer, &folder.relative, &file.name, file.stamp)
            {
                writer.add(relative, name, stamp, outcome.clone());
            }
            add(&mut history, Some(root), &file.path, outcome);
        }
    }
    history.sort();
    if let Some(writer) = writer {
        let written = writer.write(cache_file);
        if let Err(why) = &written {
            debug_note(&format!("{}: not written: {why}", cache_file.display()));
        }
        stats.written = Some(written);
    }
    if let Some(why) = &stats.rebuilt {
        debug_note(&format!("{}: rebuilt: {why}", cache_file.display()));
    }
    debug_note(&format!(
        "{total} files: {} reused, {} read, {} dropped; listed in {} ms, cache loaded at {} ms, \
         done at {} ms",
        stats.reused,
        stats.read,
        stats.dropped,
        listed.as_millis(),
        loaded.as_millis(),
        started.elapsed().as_millis()
    ));
    (history, stats)
}

/// A folder's snapshot files found by [`walk`], sorted by name.
struct FoundFolder {
    /// The folder relative to the snapshot folder, `/`-separated; `None` when it is not
    /// UTF-8 (its files are then never cached).
    relative: Option<String>,
    files: Vec<Found>,
}

/// A snapshot file found by [`walk`], with its stamp when asked for (and readable).
struct Found {
    path: PathBuf,
    /// Its name, when UTF-8.
    name: Option<String>,
    stamp: Option<Stamp>,
}

/// A snapshot file as listed: its entry, its type, its name and whether the name is
/// UTF-8 (when not, `name` is approximate and the file is never cached).
type Listed = (fs::DirEntry, fs::FileType, String, bool);

/// Every snapshot file under `dir`, folder by folder: hidden names and symbolic links
/// to folders skipped, and a compressed file skipped when its plain file is beside it
/// (a compression that was interrupted before it removed the plain file). Folders that
/// cannot be listed become problems. With `stamps`, each file is stat'ed (on every
/// core: with 100,000 files this is most of the time a warm open takes).
fn walk(
    root: Option<&Path>,
    dir: &Path,
    stamps: bool,
    problems: &mut Vec<String>,
) -> Vec<FoundFolder> {
    let mut listed: Vec<(PathBuf, Vec<Listed>)> = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let listing = match fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(e) => {
                let shown = display_path(root, &folder);
                problems.push(format!("{shown}: cannot list: {e}"));
                continue;
            }
        };
        let mut files = Vec::new();
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let shown = display_path(root, &folder);
                    problems.push(format!("{shown}: cannot list: {e}"));
                    continue;
                }
            };
            let (name, lossless) = match entry.file_name().into_string() {
                Ok(name) => (name, true),
                Err(raw) => (raw.to_string_lossy().into_owned(), false),
            };
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(entry.path());
            } else if Compression::of_name(&name).is_some() {
                files.push((entry, kind, name, lossless));
            }
        }
        files.sort_by(|a, b| a.2.cmp(&b.2));
        let all_plain = files
            .iter()
            .all(|(_, _, name, _)| Compression::of_name(name) == Some(Compression::Plain));
        if all_plain {
            listed.push((folder, files));
            continue;
        }
        let plain: HashSet<&str> = files
            .iter()
            .filter(|(_, _, name, _)| Compression::of_name(name) == Some(Compression::Plain))
            .map(|(_, _, name, _)| name.as_str())
            .collect();
        let compressed_twin: Vec<bool> = files
            .iter()
            .map(|(_, _, name, _)| {
                Compression::of_name(name) != Some(Compression::Plain)
                    && plain_path(Path::new(name))
                        .to_str()
                        .is_some_and(|twin| plain.contains(twin))
            })
            .collect();
        let files = files
            .into_iter()
            .zip(compressed_twin)
            .filter(|(_, twin)| !twin)
            .map(|(file, _)| file)
            .collect();
        listed.push((folder, files));
    }
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    // Folders are stat'ed on every core, each folder's files on one.
    par_map_owned(listed, |(folder, files)| {
        let relative = folder
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(str::to_string);
        let files = files
            .into_iter()
            .filter_map(|(entry, kind, name, lossless)| {
                let path = entry.path();
                let stamp = if stamps {
                    let meta = if kind.is_symlink() {
                        fs::metadata(&path)
                    } else {
                        entry.metadata()
                    };
                    match meta {
                        Ok(meta) if meta.is_dir() => return None,
                        Ok(meta) => Some(Stamp::of(&meta)),
                        Err(_) => None,
                    }
                } else {
                    if kind.is_symlink() && path.is_dir() {
                        return None;
                    }
                    None
                };
                Some(Found {
                    path,
                    name: lossless.then_some(name),
                    stamp,
                })
            })
            .collect();
        FoundFolder { relative, files }
    })
}

/// Reads the metadata of every file, on every core.
fn read_all(paths: Vec<&Path>) -> Vec<CachedOutcome<'static>> {
    par_map(&paths, |path| read_outcome(path))
}

/// `work` applied to every item (taken by value), in order, on as many threads as there
/// are cores.
fn par_map_owned<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 2 {
        return items.into_iter().map(&work).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        parts.push(items.by_ref().take(chunk).collect());
    }
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(work).collect::<Vec<R>>()))
            .collect();
        let mut done = Vec::new();
        for worker in workers {
            match worker.join() {
                Ok(results) => done.extend(results),
                // The work does not panic; should it, the panic goes on here rather than
                // leave out the thread's share.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        done
    })
}

/// `work` applied to every item, in order, on as many threads as there are cores.
fn par_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 256 {
        return items.iter().map(&work).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(work).collect::<Vec<R>>()))
            .collect();
        let mut done = Vec::with_capacity(items.len());
        for (worker, part) in workers.into_iter().zip(items.chunks(chunk)) {
            match worker.join() {
                Ok(results) => done.extend(results),
                // A worker that stopped leaves its items to this thread.
                Err(_) => done.extend(part.iter().map(work)),
            }
        }
        done
    })
}

fn read_outcome(path: &Path) -> CachedOutcome<'static> {
    match read_meta(path) {
        Ok(meta) => CachedOutcome::Snapshot {
            environment: meta.environment.into(),
            host: meta.host.into(),
            taken_secs: meta.taken_at.timestamp(),
            taken_nanos: meta.taken_at.timestamp_subsec_nanos(),
            facts: meta.fact_count as u64,
            errors: meta.error_count as u64,
        },
        Err(why) => CachedOutcome::Problem(why.into()),
    }
}

/// Adds one file's outcome to `history`: an entry, or a problem naming the file.
fn add(history: &mut History, root: Option<&Path>, path: &Path, outcome: CachedOutcome) {
    match outcome {
        CachedOutcome::Snapshot {
            environment,
            host,
            taken_secs,
            taken_nanos,
            facts,
            errors,
        } => match DateTime::from_timestamp(taken_secs, taken_nanos) {
            Some(taken_at) => history.entries.push(SnapshotMeta {
                environment: environment.into_owned(),
                host: host.into_owned(),
                taken_at,
                fact_count: usize::try_from(facts).unwrap_or(usize::MAX),
                error_count: usize::try_from(errors).unwrap_or(usize::MAX),
                location: Location::File(path.to_path_buf()),
            }),
            None => {
                let shown = display_path(root, path);
                history
                    .problems
                    .push(format!("{shown}: taken_at is out of range"));
            }
        },
        CachedOutcome::Problem(why) => {
            let shown = display_path(root, path);
            history.problems.push(format!("{shown}: {why}"));
        }
    }
}

/// Reads one snapshot file's metadata; the error is the reason, without the file's name.
pub fn read_meta(path: &Path) -> Result<SnapshotMeta, String> {
    let bytes = read_snapshot_bytes(path).map_err(|e| format!("cannot read: {e}"))?;
    let doc = parse_meta(&bytes).map_err(|e| e.to_string())?;
    Ok(SnapshotMeta {
        environment: doc.environment,
        host: doc.host,
        taken_at: doc.taken_at,
        fact_count: doc.facts.0,
        error_count: doc.errors.0,
        location: Location::File(PathBuf::from(path)),
    })
}

/// The number of facts and probe errors of the snapshot document `bytes`, read the way
/// the index reads it: it accepts exactly the documents a full parse accepts.
pub fn snapshot_counts(bytes: &[u8]) -> Result<(usize, usize), SnapshotError> {
    parse_meta(bytes).map(|doc| (doc.facts.0, doc.errors.0))
}

/// Parses the metadata of a snapshot document, with the same verdicts as a full parse on
/// the document's shape, format and version.
fn parse_meta(bytes: &[u8]) -> Result<MetaDoc, SnapshotError> {
    match serde_json::from_slice::<MetaDoc>(bytes) {
        Ok(doc) => {
            check_header(Some(&doc.format), Some(u64::from(doc.version)))?;
            Ok(doc)
        }
        Err(err) => {
            // As in a full parse: a foreign or newer document is named as such rather
            // than by its first unexpected field.
            if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
                let version = header.version.as_ref().and_then(serde_json::Value::as_u64);
                check_header(header.format.as_deref(), version)?;
            }
            // The document is named as a full read names it.
            Err(match crate::model::malformed(bytes, &err) {
                SnapshotError::Malformed {
                    message,
                    line,
                    column,
                } => SnapshotError::Malformed {
                    message: message.replace("struct MetaDoc", "struct Snapshot"),
                    line,
                    column,
                },
                other => other,
            })
        }
    }
}

/// Just enough of a document to tell its format and version.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

/// A snapshot document with its facts and probe errors counted, not kept.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaDoc {
    format: String,
    version: u32,
    environment: String,
    host: String,
    #[serde(deserialize_with = "de_time")]
    taken_at: DateTime<Utc>,
    #[serde(rename = "source")]
    _source: Source,
    #[serde(rename = "collector")]
    _collector: String,
    #[serde(default)]
    facts: FactCount,
    #[serde(default)]
    errors: ErrorCount,
    #[serde(default, rename = "schemes")]
    _schemes: std::collections::BTreeMap<String, String>,
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let raw = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| de::Error::custom(format!("taken_at '{raw}' is not RFC 3339: {e}")))
}

/// The number of facts across all categories; category names are checked.
#[derive(Default)]
struct FactCount(usize);

impl<'de> Deserialize<'de> for FactCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CategoriesVisitor;

        impl<'de> Visitor<'de> for CategoriesVisitor {
            type Value = FactCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of categories to facts")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FactCount, A::Error> {
                let mut total = 0;
                while map.next_key::<Category>()?.is_some() {
                    total += map.next_value::<KeyCount>()?.0;
                }
                Ok(FactCount(total))
            }
        }

        d.deserialize_map(CategoriesVisitor)
    }
}

/// The number of keys of one category's map; each value is checked, then dropped, so a
/// file a full read would refuse (a value of an unknown kind, say) is refused here too and
/// reported as a problem, instead of being listed and then failing every comparison.
struct KeyCount(usize);

impl<'de> Deserialize<'de> for KeyCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;

        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = KeyCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of fact keys to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyCount, A::Error> {
                let mut count = 0;
                while map.next_entry::<IgnoredAny, Value>()?.is_some() {
                    count += 1;
                }
                Ok(KeyCount(count))
            }
        }

        d.deserialize_map(KeysVisitor)
    }
}

/// The number of probe errors; each is checked, then dropped.
#[derive(Default)]
struct ErrorCount(usize);

impl<'de> Deserialize<'de> for ErrorCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ErrorsVisitor;

        impl<'de> Visitor<'de> for ErrorsVisitor {
            type Value = ErrorCount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of probe errors")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorCount, A::Error> {
                let mut count = 0;
                while seq.next_element::<ProbeError>()?.is_some() {
                    count += 1;
                }
                Ok(ErrorCount(count))
            }
        }

        d.deserialize_seq(ErrorsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Snapshot;
    use chrono::TimeZone;

    fn sample() -> Snapshot {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let mut s = Snapshot::new("prod", "web-1", t, Source::Local);
        s.insert(
            Category::Versions,
            "runtime.python",
            Value::version("3.12.1"),
        );
        s.insert(Category::Config, "env.LOG_LEVEL", Value::string("warn"));
        s.insert(Category::Config, "workers", Value::set(["a", "b"]));
        s.errors.push(ProbeError {
            probe: "psql".into(),
            category: Some(Category::Schema),
            exit_status: Some(127),
            message: "psql: command not found".into(),
        });
        s
    }

    #[test]
    fn counts_facts_and_errors() {
        let doc = parse_meta(sample().to_json().as_bytes()).unwrap();
        assert_eq!((doc.facts.0, doc.errors.0), (3, 1));
        assert_eq!(
            (doc.environment.as_str(), doc.host.as_str()),
            ("prod", "web-1")
        );
    }

    #[test]
    fn verdicts_match_a_full_parse() {
        let good = sample().to_json();
        let cases = [
            good.replace(
                &format!("\"version\": {}", crate::model::FORMAT_VERSION),
                "\"version\": 7",
            ),
            good.replace("driftscope-snapshot", "something-else"),
            good.replace("\"host\"", "\"hostname\""),
            good.replace("\"versions\"", "\"bogus\""),
            good.replace("2026-11-20T09:30:00Z", "yesterday"),
            good.replace("\"scalar\": \"warn\"", "\"blob\": \"warn\""),
            good[..good.len() / 2].to_string(),
            r#"{"format":"driftscope-snapshot","version":2,"hosts":[]}"#.to_string(),
        ];
        for text in cases {
            assert_ne!(text, good, "each case must break the document");
            let full = Snapshot::from_json(&text).unwrap_err();
            let light = parse_meta(text.as_bytes()).err().unwrap();
            assert_eq!(light, full, "{text}");
        }
    }
}
