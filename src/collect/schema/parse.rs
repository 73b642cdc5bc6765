//! Reads the schema probe's output (one JSON array per line, see [`super::sql`]) into
//! schema facts keyed per object. Pure.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::sql::FORMAT_VERSION;
use crate::collect::probe::Facts;
use crate::model::{Scalar, SchemaKind, Value, quote_ident};

/// The value of a migrations fact whose table the probe's role may not read.
pub const UNREADABLE: &str = "unreadable: permission denied for the probe's role";

/// Parses the probe's output. `qualifier` is `""` for the main database, or
/// `"<name>/"`, put after every key's colon.
///
/// Fails when the output is not the probe's (no format row), has a format this build
/// does not know, is cut short (no end row), or holds a malformed row.
pub fn parse(output: &str, qualifier: &str) -> Result<Facts, String> {
    let mut reader = Reader {
        q: qualifier,
        facts: Vec::new(),
        migrations: BTreeMap::new(),
        unreadable: Vec::new(),
    };
    let mut started = false;
    let mut ended = false;
    for (index, line) in output.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        let row: Vec<Json> = serde_json::from_str(line)
            .map_err(|e| format!("line {number}: not a row of the schema probe ({e})"))?;
        let Some(tag) = row.first().and_then(Json::as_str) else {
            return Err(format!("line {number}: a row without a tag"));
        };
        if !started {
            if tag != "driftscope-schema" {
                return Err(format!(
                    "line {number}: expected the schema probe's first row, found '{}'",
                    short(tag)
                ));
            }
            match row.get(1).and_then(Json::as_u64) {
                Some(FORMAT_VERSION) => started = true,
                other => {
                    return Err(format!(
                        "line {number}: unknown schema output format {}",
                        other.map_or("(none)".to_string(), |v| v.to_string())
                    ));
                }
            }
            continue;
        }
        if tag == "end" {
            ended = true;
            break;
        }
        reader
            .row(tag, &Row { cells: &row[1..] })
            .map_err(|e| format!("line {number}: {tag}: {e}"))?;
    }
    if !started {
        return Err("no output from psql".into());
    }
    if !ended {
        return Err("the output ended early (no end row)".into());
    }
    let Reader {
        mut facts,
        migrations,
        unreadable,
        ..
    } = reader;
    facts.extend(
        migrations
            .into_iter()
            .map(|(key, applied)| (key, Value::set(applied))),
    );
    facts.extend(
        unreadable
            .into_iter()
            .map(|key| (key, Value::string(UNREADABLE))),
    );
    Ok(facts)
}

/// The cells of one row after its tag.
struct Row<'a> {
    cells: &'a [Json],
}

impl Row<'_> {
    /// Cell `i` as text; `None` for SQL NULL. Numbers and booleans print as JSON does.
    fn opt(&self, i: usize) -> Result<Option<String>, String> {
        match self.cells.get(i) {
            None => Err(format!("missing column {}", i + 1)),
            Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(Json::Bool(b)) => Ok(Some(b.to_string())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("column {} is not a plain value", i + 1)),
        }
    }

    /// Cell `i` as text, which must not be NULL.
    fn text(&self, i: usize) -> Result<String, String> {
        self.opt(i)?
            .ok_or_else(|| format!("column {} is unexpectedly empty", i + 1))
    }

    /// Cell `i` as a boolean.
    fn flag(&self, i: usize) -> Result<bool, String> {
        match self.cells.get(i) {
            Some(Json::Bool(b)) => Ok(*b),
            _ => Err(format!("column {} is not true or false", i + 1)),
        }
    }

    /// Cell `i` as text, `None` for NULL or an empty string.
    fn nonempty(&self, i: usize) -> Result<Option<String>, String> {
        Ok(self.opt(i)?.filter(|s| !s.is_empty()))
    }
}

/// Accumulates facts while reading rows.
struct Reader<'q> {
    q: &'q str,
    facts: Facts,
    /// Applied migrations by fact key, gathered over many rows.
    migrations: BTreeMap<String, Vec<String>>,
    /// Keys of migration tables the probe's role may not read.
    unreadable: Vec<String>,
}

impl Reader<'_> {
    fn row(&mut self, tag: &str, r: &Row<'_>) -> Result<(), String> {
        match tag {
            "setting" => self.setting(r),
            "extension" => {
                let key = format!("extension:{}{}", self.q, r.text(0)?);
                self.facts.push((key, Value::version(r.text(1)?)));
                Ok(())
            }
            "schema" => {
                let key = SchemaKind::Schema.key(self.q, &[&r.text(0)?]);
                let comment = r.opt(1)?.unwrap_or_default();
                self.facts
                    .push((key, Value::record([("comment", comment)])));
                Ok(())
            }
            "table" => self.table(r),
            "column" => self.column(r),
            "index" => self.index(r),
            "constraint" => self.constraint(r),
            "view" => self.view(r),
            "sequence" => self.sequence(r),
            "function" => self.function(r),
            "trigger" => self.trigger(r),
            "enum" => self.enumeration(r),
            "migrations" | "migration" => self.migration(tag, r),
            "migrations-unreadable" => {
                let key = self.migrations_key(&r.text(0)?, &r.text(1)?);
                self.unreadable.push(key);
                Ok(())
            }
            // Rows of a later format revision are skipped, not fatal.
            _ => Ok(()),
        }
    }

    fn setting(&mut self, r: &Row<'_>) -> Result<(), String> {
        let name = r.text(0)?;
        let value = r.opt(1)?.unwrap_or_default();
        let key = format!("setting:{}{name}", self.q);
        let value = if name == "server_version" {
            // `15.4 (Debian 15.4-1.pgdg120+1)`: the version is the first word.
            Value::version(value.split_whitespace().next().unwrap_or_default())
        } else {
            Value::string(value)
        };
        self.facts.push((key, value));
        Ok(())
    }

    fn table(&mut self, r: &Row<'_>) -> Result<(), String> {
        let (schema, table) = (r.text(0)?, r.text(1)?);
        let kind = match r.text(2)?.as_str() {
            "p" => "partitioned table",
            "f" => "foreign table",
            _ => "table",
        };
        let persistence = match r.text(3)?.as_str() {
            "u" => "unlogged",
            "t" => "temporary",
            _ => "permanent",
        };
        let mut fields = vec![
            ("kind", kind.to_string()),
            ("persistence", persistence.to_string()),
            ("row_security", on_off(r.flag(4)?)),
        ];
        push_some(&mut fields, "partition_key", r.nonempty(5)?);
        push_some(&mut fields, "partition_of", r.nonempty(6)?);
        push_some(&mut fields, "partition_bound", r.nonempty(7)?);
        push_some(&mut fields, "comment", r.nonempty(8)?);
        self.facts.push((
            SchemaKind::Table.key(self.q, &[&schema, &table]),
            Value::record(fields),
        ));
        // reltuples: -1 until the table is first vacuumed or analyzed.
        let rows = match r.cells.get(9).and_then(Json::as_i64) {
            Some(n) if n >= 0 => Value::Scalar(Scalar::from(n)),
            _ => Value::string("unknown"),
        };
        self.facts
            .push((SchemaKind::Rows.key(self.q, &[&schema, &table]), rows));
        Ok(())
    }

    fn column(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Column.key(self.q, &[&r.text(0)?, &r.text(1)?, &r.text(2)?]);
        let generated = r.opt(9)?.as_deref() == Some("s");
        let mut fields = vec![
            ("type", r.text(3)?),
            ("nullable", (!r.flag(4)?).to_string()),
            ("position", r.text(7)?),
        ];
        let expression = r.nonempty(5)?;
        if generated {
            push_some(&mut fields, "generated", expression);
        } else {
            push_some(&mut fields, "default", expression);
        }
        push_some(&mut fields, "collation", r.nonempty(6)?);
        let identity = match r.opt(8)?.as_deref() {
            Some("a") => Some("always".to_string()),
            Some("d") => Some("by default".to_string()),
            _ => None,
        };
        push_some(&mut fields, "identity", identity);
        push_some(&mut fields, "comment", r.nonempty(10)?);
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn index(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Index.key(self.q, &[&r.text(0)?, &r.text(1)?, &r.text(2)?]);
        let mut fields = vec![
            ("definition", r.text(3)?),
            ("unique", r.flag(4)?.to_string()),
            ("primary", r.flag(5)?.to_string()),
            ("valid", r.flag(7)?.to_string()),
        ];
        push_some(&mut fields, "predicate", r.nonempty(6)?);
        push_some(&mut fields, "comment", r.nonempty(8)?);
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn constraint(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Constraint.key(self.q, &[&r.text(0)?, &r.text(1)?, &r.text(2)?]);
        let code = r.text(3)?;
        let kind = match code.as_str() {
            "p" => "primary key",
            "u" => "unique",
            "f" => "foreign key",
            "c" => "check",
            "x" => "exclusion",
            "t" => "constraint trigger",
            "n" => "not null",
            other => other,
        };
        let deferrable = match (r.flag(5)?, r.flag(6)?) {
            (false, _) => "no",
            (true, false) => "deferrable",
            (true, true) => "deferrable initially deferred",
        };
        let mut fields = vec![
            ("type", kind.to_string()),
            ("definition", r.text(4)?),
            ("deferrable", deferrable.to_string()),
            ("validated", r.flag(7)?.to_string()),
        ];
        push_some(&mut fields, "comment", r.nonempty(8)?);
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn view(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::View.key(self.q, &[&r.text(0)?, &r.text(1)?]);
        let kind = if r.text(2)? == "m" {
            "materialized view"
        } else {
            "view"
        };
        let definition = r.opt(3)?.unwrap_or_default();
        let mut fields = vec![
            ("kind", kind.to_string()),
            (
                "definition",
                definition.split_whitespace().collect::<Vec<_>>().join(" "),
            ),
        ];
        push_some(&mut fields, "comment", r.nonempty(4)?);
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn sequence(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Sequence.key(self.q, &[&r.text(0)?, &r.text(1)?]);
        let fields = [
            ("type", r.text(2)?),
            ("start", r.text(3)?),
            ("increment", r.text(4)?),
            ("min", r.text(5)?),
            ("max", r.text(6)?),
            ("cache", r.text(7)?),
            ("cycle", r.flag(8)?.to_string()),
        ];
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn function(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = format!(
            "function:{}{}.{}({})",
            self.q,
            quote_ident(&r.text(0)?),
            quote_ident(&r.text(1)?),
            r.opt(2)?.unwrap_or_default()
        );
        let kind = match r.text(3)?.as_str() {
            "p" => "procedure",
            "a" => "aggregate",
            "w" => "window",
            _ => "function",
        };
        let volatility = match r.text(7)?.as_str() {
            "i" => "immutable",
            "s" => "stable",
            _ => "volatile",
        };
        let mut fields = vec![
            ("kind", kind.to_string()),
            ("arguments", r.opt(4)?.unwrap_or_default()),
            ("language", r.text(6)?),
            ("volatility", volatility.to_string()),
            (
                "security",
                if r.flag(8)? { "definer" } else { "invoker" }.to_string(),
            ),
            ("strict", r.flag(9)?.to_string()),
            ("body_sha256", r.opt(10)?.unwrap_or_default()),
        ];
        push_some(&mut fields, "returns", r.nonempty(5)?);
        push_some(&mut fields, "comment", r.nonempty(11)?);
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn trigger(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Trigger.key(self.q, &[&r.text(0)?, &r.text(1)?, &r.text(2)?]);
        let enabled = match r.text(4)?.as_str() {
            "D" => "disabled",
            "R" => "replica",
            "A" => "always",
            _ => "enabled",
        };
        let fields = [("definition", r.text(3)?), ("enabled", enabled.to_string())];
        self.facts.push((key, Value::record(fields)));
        Ok(())
    }

    fn enumeration(&mut self, r: &Row<'_>) -> Result<(), String> {
        let key = SchemaKind::Enum.key(self.q, &[&r.text(0)?, &r.text(1)?]);
        let Some(Json::Array(labels)) = r.cells.get(2) else {
            return Err("column 3 is not a list of labels".into());
        };
        let labels = labels
            .iter()
            .map(|l| l.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
            .ok_or("a label is not text")?;
        self.facts.push((key, Value::List(labels)));
        Ok(())
    }

    /// `migrations:<tool>` for a table in `public`, `migrations:<schema>.<tool>` elsewhere.
    fn migrations_key(&self, tool: &str, schema: &str) -> String {
        if schema == "public" {
            format!("migrations:{}{tool}", self.q)
        } else {
            format!("migrations:{}{}.{tool}", self.q, quote_ident(schema))
        }
    }

    /// `migrations` announces a tool's table (so an empty one still gives a fact);
    /// `migration` is one applied migration.
    fn migration(&mut self, tag: &str, r: &Row<'_>) -> Result<(), String> {
        let key = self.migrations_key(&r.text(0)?, &r.text(1)?);
        let applied = self.migrations.entry(key).or_default();
        if tag == "migration" {
            applied.push(r.text(2)?);
        }
        Ok(())
    }
}

fn push_some(fields: &mut Vec<(&'static str, String)>, name: &'static str, value: Option<String>) {
    if let Some(value) = value {
        fields.push((name, value));
    }
}

fn on_off(flag: bool) -> String {
    if flag { "on" } else { "off" }.to_string()
}

/// At most 40 characters of `s`, for messages.
fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests;
