//! The catalog queries the schema probe sends through `psql`.
//!
//! Every row is one JSON array whose first element names what it describes
//! (`["column", "public", "users", "email", …]`), so values holding newlines or
//! separators cannot break the framing, and the parser reads each line with a JSON
//! reader. The first row announces the format, the last one (`["end"]`) proves the
//! output is complete.
//!
//! Settings are read first, as the session finds them; then everything else inside one
//! read-only transaction (one consistent view of the catalogs, fine on a standby) with
//! `search_path` emptied, so every name PostgreSQL prints is schema-qualified the same
//! way whatever the role's own path. Objects that belong to an extension are left out:
//! the extension's version stands for them. Needs PostgreSQL 12 or later.

use std::fmt::Write as _;

use crate::config::MigrationsMode;

/// The format version announced by the first row; the parser refuses others.
pub const FORMAT_VERSION: u64 = 1;

/// Settings that change how the database behaves for an application. All are visible
/// to any role, so the probe's privileges do not change which facts exist.
pub const SETTINGS: &[&str] = &[
    "server_version",
    "server_encoding",
    "lc_collate",
    "lc_ctype",
    "TimeZone",
    "DateStyle",
    "IntervalStyle",
    "standard_conforming_strings",
    "search_path",
    "default_transaction_isolation",
    "default_text_search_config",
    "bytea_output",
    "extra_float_digits",
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "max_connections",
];

/// A tool whose migration table the probe reads.
struct MigrationTool {
    /// The tool's name, used in fact keys (`migrations:rails`).
    tool: &'static str,
    /// The table's name.
    table: &'static str,
    /// Columns the table must have to be this tool's.
    columns: &'static [&'static str],
    /// The SQL expression giving one applied migration per row.
    applied: &'static str,
    /// A clause leaving out rows that do not count (rolled back), or empty.
    filter: &'static str,
}

/// The migration tables of the common tools, most specific first (golang-migrate's
/// `schema_migrations` has a `dirty` column; Rails's has not).
const MIGRATION_TOOLS: &[MigrationTool] = &[
    MigrationTool {
        tool: "golang-migrate",
        table: "schema_migrations",
        columns: &["version", "dirty"],
        applied: "version::text || CASE WHEN dirty THEN ' (dirty)' ELSE '' END",
        filter: "",
    },
    MigrationTool {
        tool: "rails",
        table: "schema_migrations",
        columns: &["version"],
        applied: "version::text",
        filter: "",
    },
    MigrationTool {
        tool: "django",
        table: "django_migrations",
        columns: &["app", "name"],
        applied: "app || '.' || name",
        filter: "",
    },
    MigrationTool {
        tool: "alembic",
        table: "alembic_version",
        columns: &["version_num"],
        applied: "version_num::text",
        filter: "",
    },
    MigrationTool {
        tool: "flyway",
        table: "flyway_schema_history",
        columns: &["version", "description", "success"],
        applied: "coalesce(version, 'R ' || description) || CASE WHEN success THEN '' ELSE ' (failed)' END",
        filter: "",
    },
    MigrationTool {
        tool: "liquibase",
        table: "databasechangelog",
        columns: &["id", "author", "filename"],
        applied: "filename || '::' || id || '::' || author",
        filter: "",
    },
    MigrationTool {
        tool: "prisma",
        table: "_prisma_migrations",
        columns: &["migration_name", "finished_at", "rolled_back_at"],
        applied: "migration_name || CASE WHEN finished_at IS NULL THEN ' (failed)' ELSE '' END",
        filter: "WHERE rolled_back_at IS NULL",
    },
];

/// The names of the tools whose migration tables are read.
pub fn migration_tools() -> impl Iterator<Item = &'static str> {
    MIGRATION_TOOLS.iter().map(|t| t.tool)
}

/// The whole psql script for one database.
///
/// `schemas` limits the description (and the search for migration tables) to those
/// schemas; names must not hold control characters or backslashes (checked by the
/// configuration).
pub fn catalog_queries(schemas: &[String], migrations: MigrationsMode) -> String {
    let user = |ns: &str| user_schema(ns, schemas);
    let not_ext = |catalog: &str, oid: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = \
             '{catalog}'::pg_catalog.regclass AND d.objid = {oid} AND d.deptype = 'e')"
        )
    };
    let rel_not_ext = |oid: &str| not_ext("pg_catalog.pg_class", oid);
    let settings = SETTINGS
        .iter()
        .map(|s| sql_literal(s))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = String::with_capacity(12 * 1024);
    let _ = write!(
        sql,
        "SELECT pg_catalog.json_build_array('driftscope-schema', {FORMAT_VERSION}, pg_catalog.current_setting('server_version_num'));
SELECT pg_catalog.json_build_array('setting', name, setting) FROM pg_catalog.pg_settings WHERE name IN ({settings}) ORDER BY name;
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL search_path = '';
SET LOCAL statement_timeout = '60s';
SET LOCAL lock_timeout = '10s';
SELECT pg_catalog.json_build_array('extension', e.extname, e.extversion)
  FROM pg_catalog.pg_extension e ORDER BY e.extname;
SELECT pg_catalog.json_build_array('schema', n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace'))
  FROM pg_catalog.pg_namespace n
  WHERE {user_n} AND {ns_not_ext} ORDER BY n.nspname;
SELECT pg_catalog.json_build_array('table', n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
    pg_catalog.pg_get_partkeydef(c.oid),
    (SELECT pn.nspname || '.' || p.relname FROM pg_catalog.pg_inherits i
       JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
       JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
       WHERE i.inhrelid = c.oid ORDER BY i.inhseqno LIMIT 1),
    pg_catalog.pg_get_expr(c.relpartbound, c.oid),
    pg_catalog.obj_description(c.oid, 'pg_class'),
    c.reltuples::bigint)
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f') AND {user_n} AND {c_not_ext}
  ORDER BY n.nspname, c.relname;
SELECT pg_catalog.json_build_array('column', n.nspname, c.relname, a.attname,
    pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
    pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
    CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
    pg_catalog.row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
    a.attidentity, a.attgenerated,
    pg_catalog.col_description(c.oid, a.attnum))
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND {user_n} AND {c_not_ext}
  ORDER BY n.nspname, c.relname, a.attnum;
SELECT pg_catalog.json_build_array('index', n.nspname, t.relname, i.relname, pg_catalog.pg_get_indexdef(i.oid),
    x.indisunique, x.indisprimary, pg_catalog.pg_get_expr(x.indpred, x.indrelid), x.indisvalid,
    pg_catalog.obj_description(i.oid, 'pg_class'))
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  WHERE {user_n} AND {t_not_ext}
  ORDER BY n.nspname, t.relname, i.relname;
SELECT pg_catalog.json_build_array('constraint', n.nspname, t.relname, k.conname, k.contype,
    pg_catalog.pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated,
    pg_catalog.obj_description(k.oid, 'pg_constraint'))
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class t ON t.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  WHERE {user_n} AND {t_not_ext}
  ORDER BY n.nspname, t.relname, k.conname;
SELECT pg_catalog.json_build_array('view', n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid),
    pg_catalog.obj_description(c.oid, 'pg_class'))
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND {user_n} AND {c_not_ext}
  ORDER BY n.nspname, c.relname;
SELECT pg_catalog.json_build_array('sequence', n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
    s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
  FROM pg_catalog.pg_sequence s
  JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE {user_n} AND {c_not_ext}
  ORDER BY n.nspname, c.relname;
SELECT pg_catalog.json_build_array('function', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes),
    p.prokind, pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid),
    l.lanname, p.provolatile, p.prosecdef, p.proisstrict,
    pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
      CASE WHEN p.prosrc <> '' OR p.prokind = 'a' THEN p.prosrc ELSE pg_catalog.pg_get_functiondef(p.oid) END,
      'UTF8')), 'hex'),
    pg_catalog.obj_description(p.oid, 'pg_proc'))
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  WHERE {user_n} AND {p_not_ext}
  ORDER BY n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes);
SELECT pg_catalog.json_build_array('trigger', n.nspname, c.relname, g.tgname, pg_catalog.pg_get_triggerdef(g.oid), g.tgenabled)
  FROM pg_catalog.pg_trigger g
  JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT g.tgisinternal AND {user_n} AND {c_not_ext}
  ORDER BY n.nspname, c.relname, g.tgname;
SELECT pg_catalog.json_build_array('enum', n.nspname, t.typname, pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder))
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
  WHERE {user_n} AND {ty_not_ext}
  GROUP BY n.nspname, t.typname
  ORDER BY n.nspname, t.typname;
",
        user_n = user("n"),
        ns_not_ext = not_ext("pg_catalog.pg_namespace", "n.oid"),
        c_not_ext = rel_not_ext("c.oid"),
        t_not_ext = rel_not_ext("t.oid"),
        p_not_ext = not_ext("pg_catalog.pg_proc", "p.oid"),
        ty_not_ext = not_ext("pg_catalog.pg_type", "t.oid"),
    );
    if migrations == MigrationsMode::Auto {
        sql.push_str(&migration_queries(&user("n")));
    }
    sql.push_str("COMMIT;\nSELECT pg_catalog.json_build_array('end');\n");
    sql
}

/// A query that writes one query per migration table found, run by psql's `\gexec`:
/// each emits `["migrations", tool, schema]`, then `["migration", tool, schema,
/// applied]` per applied migration — or, when the probe's role may not read the
/// table, `["migrations-unreadable", tool, schema]`.
fn migration_queries(user_n: &str) -> String {
    let mut cases = String::new();
    let mut tables: Vec<&str> = Vec::new();
    for t in MIGRATION_TOOLS {
        let columns = t
            .columns
            .iter()
            .map(|c| sql_literal(c))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(
            cases,
            "\n      WHEN c.relname = {table} AND cols @> ARRAY[{columns}]::pg_catalog.name[] \
             THEN ARRAY[{tool}, {applied}, {filter}]",
            table = sql_literal(t.table),
            tool = sql_literal(t.tool),
            applied = sql_literal(t.applied),
            filter = sql_literal(t.filter),
        );
        if !tables.contains(&t.table) {
            tables.push(t.table);
        }
    }
    let tables = tables
        .iter()
        .map(|t| sql_literal(t))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT CASE WHEN m.readable THEN pg_catalog.format('SELECT pg_catalog.json_build_array(''migrations'', %L, %L) \
UNION ALL SELECT pg_catalog.json_build_array(''migration'', %L, %L, %s) FROM %I.%I %s',
    m.tool[1], m.nspname, m.tool[1], m.nspname, m.tool[2], m.nspname, m.relname, m.tool[3])
  ELSE pg_catalog.format('SELECT pg_catalog.json_build_array(''migrations-unreadable'', %L, %L)', m.tool[1], m.nspname) END
  FROM (
    SELECT n.nspname, c.relname, CASE{cases}
      END AS tool,
      pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT pg_catalog.array_agg(a.attname) AS cols FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) ac
    WHERE c.relkind IN ('r', 'p', 'v') AND c.relname IN ({tables}) AND {user_n}
  ) m
  WHERE m.tool IS NOT NULL
  ORDER BY m.nspname, m.relname
\\gexec
"
    )
}

/// The condition that schema `<ns>.nspname` is a user schema (and one of `schemas`).
fn user_schema(ns: &str, schemas: &[String]) -> String {
    let mut cond = format!("{ns}.nspname !~ '^pg_' AND {ns}.nspname <> 'information_schema'");
    if !schemas.is_empty() {
        let list = schemas
            .iter()
            .map(|s| sql_literal(s))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(cond, " AND {ns}.nspname IN ({list})");
    }
    cond
}

/// A standard SQL string literal (quotes doubled). Callers keep backslashes out, so it
/// reads the same whatever `standard_conforming_strings` says.
fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_filter_is_quoted_into_every_query() {
        let sql = catalog_queries(&["app".into(), "it's".into()], MigrationsMode::Auto);
        assert!(sql.contains("n.nspname IN ('app', 'it''s')"));
        assert!(sql.starts_with("SELECT pg_catalog.json_build_array('driftscope-schema', 1,"));
        assert!(sql.ends_with("SELECT pg_catalog.json_build_array('end');\n"));
        assert!(sql.contains("\\gexec\n"));
    }

    #[test]
    fn migrations_off_leaves_the_migration_query_out() {
        let sql = catalog_queries(&[], MigrationsMode::Off);
        assert!(!sql.contains("gexec"));
        assert!(!sql.contains("nspname IN ("));
    }

    #[test]
    fn no_line_of_the_script_could_end_a_here_document() {
        let sql = catalog_queries(&[], MigrationsMode::Auto);
        assert!(
            sql.lines()
                .all(|l| l.trim() != super::super::script::HEREDOC_END)
        );
    }
}
