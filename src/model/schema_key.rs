//! Keys of database schema facts: how they are built and read back.
//!
//! Every schema fact names one object, so a diff shows exactly what changed:
//!
//! ```text
//! table:public.users                     column:public.users.email
//! index:public.users.users_email_key     constraint:public.orders.orders_user_fk
//! trigger:public.users.users_touch       rows:public.users
//! view:public.order_totals               sequence:public.invoice_number_seq
//! enum:public.order_status               function:public.add_tax(integer, numeric)
//! schema:public                          extension:pgcrypto
//! setting:TimeZone                       migrations:rails
//! ```
//!
//! Identifiers are written as PostgreSQL would need them: bare when they are lowercase
//! words, double-quoted otherwise (`table:public."Order Lines"`). When a workspace
//! describes several databases, the facts of all but the main one carry the database's
//! name after the colon: `table:analytics/public.events`.

use std::borrow::Cow;

/// What kind of object a schema fact describes: the part of its key before `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaKind {
    /// A server or database setting (`setting:TimeZone`).
    Setting,
    /// An installed extension and its version (`extension:pgcrypto`).
    Extension,
    /// A schema (`schema:public`).
    Schema,
    /// A table (`table:public.users`).
    Table,
    /// A column of a table (`column:public.users.email`).
    Column,
    /// An index of a table (`index:public.users.users_email_key`).
    Index,
    /// A constraint of a table (`constraint:public.orders.orders_user_fk`).
    Constraint,
    /// A trigger of a table (`trigger:public.users.users_touch`).
    Trigger,
    /// A table's estimated row count, informational (`rows:public.users`).
    Rows,
    /// A view or materialized view (`view:public.order_totals`).
    View,
    /// A sequence (`sequence:public.invoice_number_seq`).
    Sequence,
    /// A function or procedure, by argument types (`function:public.f(integer)`).
    Function,
    /// An enum type and its labels (`enum:public.order_status`).
    Enum,
    /// The applied migrations of one tool (`migrations:rails`).
    Migrations,
}

impl SchemaKind {
    /// Every kind.
    pub const ALL: [SchemaKind; 14] = [
        SchemaKind::Setting,
        SchemaKind::Extension,
        SchemaKind::Schema,
        SchemaKind::Table,
        SchemaKind::Column,
        SchemaKind::Index,
        SchemaKind::Constraint,
        SchemaKind::Trigger,
        SchemaKind::Rows,
        SchemaKind::View,
        SchemaKind::Sequence,
        SchemaKind::Function,
        SchemaKind::Enum,
        SchemaKind::Migrations,
    ];

    /// The key prefix, without its colon (`table`).
    pub fn prefix(self) -> &'static str {
        match self {
            SchemaKind::Setting => "setting",
            SchemaKind::Extension => "extension",
            SchemaKind::Schema => "schema",
            SchemaKind::Table => "table",
            SchemaKind::Column => "column",
            SchemaKind::Index => "index",
            SchemaKind::Constraint => "constraint",
            SchemaKind::Trigger => "trigger",
            SchemaKind::Rows => "rows",
            SchemaKind::View => "view",
            SchemaKind::Sequence => "sequence",
            SchemaKind::Function => "function",
            SchemaKind::Enum => "enum",
            SchemaKind::Migrations => "migrations",
        }
    }

    /// The kind whose prefix is `prefix`.
    pub fn from_prefix(prefix: &str) -> Option<SchemaKind> {
        SchemaKind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }

    /// How many dotted identifiers follow the qualifier: 3 for `column`, 2 for `table`,
    /// 1 for `schema`; `None` where the rest is a plain name (settings, extensions,
    /// migrations) or carries an argument list (functions).
    fn depth(self) -> Option<usize> {
        match self {
            SchemaKind::Schema => Some(1),
            SchemaKind::Table
            | SchemaKind::Rows
            | SchemaKind::View
            | SchemaKind::Sequence
            | SchemaKind::Enum => Some(2),
            SchemaKind::Column
            | SchemaKind::Index
            | SchemaKind::Constraint
            | SchemaKind::Trigger => Some(3),
            SchemaKind::Setting
            | SchemaKind::Extension
            | SchemaKind::Function
            | SchemaKind::Migrations => None,
        }
    }

    /// Builds a key: the prefix, the qualifier (`""` or `"<database>/"`), then the
    /// identifiers, quoted where needed and joined with dots.
    pub fn key(self, qualifier: &str, identifiers: &[&str]) -> String {
        let mut key = format!("{}:{qualifier}", self.prefix());
        for (i, name) in identifiers.iter().enumerate() {
            if i > 0 {
                key.push('.');
            }
            key.push_str(&quote_ident(name));
        }
        key
    }
}

/// A schema fact's key, read back into its parts. Every part borrows from the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaKey<'a> {
    /// The kind of object.
    pub kind: SchemaKind,
    /// The database's name, for facts of a database other than the main one.
    pub database: Option<&'a str>,
    /// The schema, as written in the key (quoted when it needs quotes).
    pub schema: Option<&'a str>,
    /// The schema with the database qualifier in front (`analytics/public`), for
    /// grouping facts of several databases apart.
    pub qualified_schema: Option<&'a str>,
    /// The table, view, sequence, enum or function (with its argument types) the
    /// fact belongs to.
    pub object: Option<&'a str>,
    /// The column, index, constraint or trigger within the table.
    pub item: Option<&'a str>,
    /// Everything after the qualifier: the setting, extension or tool name, or the
    /// dotted path.
    pub name: &'a str,
}

/// Reads a schema fact's key; `None` when it is not one (unknown prefix, or a path
/// with the wrong number of identifiers).
pub fn parse_schema_key(key: &str) -> Option<SchemaKey<'_>> {
    let (prefix, rest) = key.split_once(':')?;
    let kind = SchemaKind::from_prefix(prefix)?;
    let (database, name) = split_qualifier(rest);
    let mut parsed = SchemaKey {
        kind,
        database,
        schema: None,
        qualified_schema: None,
        object: None,
        item: None,
        name,
    };
    let qualified = |schema: &str| -> &str {
        // `rest` is `<database>/<name>`; the qualified schema is its leading slice.
        let len = rest.len() - name.len() + schema.len();
        &rest[..len]
    };
    match kind.depth() {
        Some(depth) => {
            let parts = split_path(name)?;
            if parts.len() != depth {
                return None;
            }
            parsed.schema = Some(parts[0]);
            parsed.qualified_schema = Some(qualified(parts[0]));
            parsed.object = parts.get(1).copied();
            parsed.item = parts.get(2).copied();
        }
        None if kind == SchemaKind::Function => {
            let open = find_unquoted(name, '(')?;
            let parts = split_path(&name[..open])?;
            let [schema, _] = parts.as_slice() else {
                return None;
            };
            parsed.schema = Some(schema);
            parsed.qualified_schema = Some(qualified(schema));
            parsed.object = Some(&name[schema.len() + 1..]);
        }
        None => {}
    }
    Some(parsed)
}

/// The schema and object (table, view, enum, sequence or function) a schema fact
/// belongs to, for grouping: `column:public.users.email` → `("public", "users")`.
/// Facts of the whole database (settings, extensions, migrations, schemas) give
/// `None`. The schema includes the database qualifier when the key has one.
pub fn schema_group(key: &str) -> Option<(&str, &str)> {
    let parsed = parse_schema_key(key)?;
    Some((parsed.qualified_schema?, parsed.object?))
}

/// An identifier as PostgreSQL's `quote_ident` would write it (reserved words aside):
/// bare when it is a lowercase word, otherwise in double quotes with quotes doubled.
pub fn quote_ident(name: &str) -> Cow<'_, str> {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// Splits `<database>/<rest>` when the text before the first `/` is a database name
/// (letters, digits, `_`, `-`, `.`); identifiers never start that way unquoted.
fn split_qualifier(rest: &str) -> (Option<&str>, &str) {
    match rest.split_once('/') {
        Some((db, name))
            if !db.is_empty()
                && db
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) =>
        {
            (Some(db), name)
        }
        _ => (None, rest),
    }
}

/// The first `wanted` outside double quotes.
fn find_unquoted(text: &str, wanted: char) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == wanted && !quoted {
            return Some(i);
        }
    }
    None
}

/// Splits a dotted path of identifiers, honouring double quotes; `None` on an
/// unclosed quote or an empty identifier.
fn split_path(path: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in path.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => {
                parts.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return None;
    }
    parts.push(&path[start..]);
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_x1$"), "_x1$");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("order lines"), "\"order lines\"");
        assert_eq!(quote_ident("a.b"), "\"a.b\"");
        assert_eq!(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote_ident("1st"), "\"1st\"");
        assert_eq!(quote_ident(""), "\"\"");
    }

    #[test]
    fn keys_are_built_with_quotes_and_qualifiers() {
        assert_eq!(
            SchemaKind::Column.key("", &["public", "users", "email"]),
            "column:public.users.email"
        );
        assert_eq!(
            SchemaKind::Table.key("analytics/", &["public", "Order.Lines"]),
            "table:analytics/public.\"Order.Lines\""
        );
    }

    #[test]
    fn groups_are_schema_and_table() {
        for (key, group) in [
            ("table:public.users", ("public", "users")),
            ("column:public.users.email", ("public", "users")),
            ("index:public.users.users_email_key", ("public", "users")),
            (
                "constraint:public.orders.orders_customer_fk",
                ("public", "orders"),
            ),
            ("trigger:billing.payments.touch", ("billing", "payments")),
            ("rows:public.users", ("public", "users")),
            ("view:public.order_totals", ("public", "order_totals")),
            ("enum:public.order_status", ("public", "order_status")),
            ("sequence:public.seq", ("public", "seq")),
            (
                "function:public.add_tax(integer, numeric)",
                ("public", "add_tax(integer, numeric)"),
            ),
            (
                "column:public.\"Order.Lines\".\"Qty\"",
                ("public", "\"Order.Lines\""),
            ),
            (
                "column:analytics/public.events.at",
                ("analytics/public", "events"),
            ),
            ("function:\"we(ird\".f(text)", ("\"we(ird\"", "f(text)")),
            (
                "function:app-2/public.f(public.citext)",
                ("app-2/public", "f(public.citext)"),
            ),
        ] {
            assert_eq!(schema_group(key), Some(group), "{key}");
        }
    }

    #[test]
    fn database_wide_and_foreign_keys_have_no_group() {
        for key in [
            "extension:pgcrypto",
            "migrations:rails",
            "migrations:billing.golang-migrate",
            "setting:TimeZone",
            "schema:public",
            "runtime.python",
            "file:/etc/hosts",
            "column:public.users",
            "table:public.\"unclosed",
            "table:public..x",
        ] {
            assert_eq!(schema_group(key), None, "{key}");
        }
    }

    #[test]
    fn parsed_keys_give_every_part() {
        let k = parse_schema_key("index:shop/public.users.users_email_key").unwrap();
        assert_eq!(k.kind, SchemaKind::Index);
        assert_eq!(k.database, Some("shop"));
        assert_eq!(k.schema, Some("public"));
        assert_eq!(k.qualified_schema, Some("shop/public"));
        assert_eq!(k.object, Some("users"));
        assert_eq!(k.item, Some("users_email_key"));
        let k = parse_schema_key("extension:pgcrypto").unwrap();
        assert_eq!(
            (k.kind, k.database, k.name),
            (SchemaKind::Extension, None, "pgcrypto")
        );
        let k = parse_schema_key("schema:public").unwrap();
        assert_eq!((k.schema, k.object), (Some("public"), None));
        // A quoted identifier holding a slash is not a qualifier.
        let k = parse_schema_key("table:\"a/b\".t").unwrap();
        assert_eq!((k.database, k.schema), (None, Some("\"a/b\"")));
    }

    #[test]
    fn every_prefix_round_trips() {
        for kind in SchemaKind::ALL {
            assert_eq!(SchemaKind::from_prefix(kind.prefix()), Some(kind));
        }
        assert_eq!(SchemaKind::from_prefix("file"), None);
    }
}
