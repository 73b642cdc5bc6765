//! Schema: the shop database as the PostgreSQL schema probe describes it: settings,
//! extensions, tables, columns, indexes, constraints, sequences, an enum, the applied
//! Django migrations and row estimates, with the same keys and values (see
//! `docs/schema.md`).
//!
//! Every environment's database has applied a prefix of [`MIGRATIONS`]; the last two
//! add columns, so a database's columns follow from how far it got.

use crate::model::{Category, SchemaKind, Snapshot, Value};

use super::facts::Facts;
use super::hosts::Per;
use super::profile::Profile;

/// The Django app whose migrations build the shop's schema.
const APP: &str = "shop";

/// The application's migrations, in the order they are applied.
pub(super) const MIGRATIONS: [&str; 24] = [
    "0001_initial",
    "0002_users_email_unique",
    "0003_products",
    "0004_orders",
    "0005_order_items",
    "0006_payments",
    "0007_customers_address",
    "0008_products_sku_unique",
    "0009_orders_status",
    "0010_inventory",
    "0011_users_last_login",
    "0012_audit_log",
    "0013_sessions",
    "0014_products_search_trgm",
    "0015_orders_shipping_fields",
    "0016_payments_provider_ref",
    "0017_coupons",
    "0018_orders_coupon",
    "0019_inventory_reserved",
    "0020_users_mfa",
    "0021_audit_log_brin",
    "0022_orders_status_created_idx",
    "0023_payments_refunded_at",
    "0024_users_locale",
];

/// A column: name, SQL type, nullable, default (empty for none).
type Column = (&'static str, &'static str, bool, &'static str);

/// Columns of every table after the first 22 migrations.
const TABLES: &[(&str, &[Column])] = &[
    (
        "users",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.users_id_seq'::regclass)",
            ),
            ("email", "character varying(255)", false, ""),
            ("password_hash", "text", false, ""),
            (
                "full_name",
                "character varying(200)",
                false,
                "''::character varying",
            ),
            ("is_active", "boolean", false, "true"),
            ("mfa_enabled", "boolean", false, "false"),
            ("last_login_at", "timestamp with time zone", true, ""),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "customers",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.customers_id_seq'::regclass)",
            ),
            ("user_id", "bigint", false, ""),
            ("phone", "character varying(32)", true, ""),
            ("address_line1", "text", false, ""),
            ("address_line2", "text", true, ""),
            ("city", "character varying(100)", false, ""),
            ("postal_code", "character varying(16)", false, ""),
            ("country", "character(2)", false, ""),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "products",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.products_id_seq'::regclass)",
            ),
            ("sku", "character varying(64)", false, ""),
            ("name", "character varying(200)", false, ""),
            ("description", "text", false, "''::text"),
            ("price_cents", "integer", false, ""),
            ("currency", "character(3)", false, "'EUR'::bpchar"),
            ("active", "boolean", false, "true"),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "orders",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.orders_id_seq'::regclass)",
            ),
            ("customer_id", "bigint", false, ""),
            (
                "status",
                "public.order_status",
                false,
                "'pending'::public.order_status",
            ),
            ("total_cents", "integer", false, ""),
            ("currency", "character(3)", false, "'EUR'::bpchar"),
            ("coupon_id", "bigint", true, ""),
            ("shipping_method", "character varying(32)", true, ""),
            ("shipped_at", "timestamp with time zone", true, ""),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "order_items",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.order_items_id_seq'::regclass)",
            ),
            ("order_id", "bigint", false, ""),
            ("product_id", "bigint", false, ""),
            ("quantity", "integer", false, "1"),
            ("unit_price_cents", "integer", false, ""),
        ],
    ),
    (
        "payments",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.payments_id_seq'::regclass)",
            ),
            ("order_id", "bigint", false, ""),
            (
                "provider",
                "character varying(32)",
                false,
                "'stripe'::character varying",
            ),
            ("provider_ref", "character varying(128)", false, ""),
            ("amount_cents", "integer", false, ""),
            ("status", "character varying(20)", false, ""),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "inventory",
        &[
            ("product_id", "bigint", false, ""),
            ("warehouse", "character varying(16)", false, ""),
            ("on_hand", "integer", false, "0"),
            ("reserved", "integer", false, "0"),
            ("updated_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "coupons",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.coupons_id_seq'::regclass)",
            ),
            ("code", "character varying(32)", false, ""),
            ("percent_off", "smallint", false, ""),
            ("valid_until", "timestamp with time zone", true, ""),
        ],
    ),
    (
        "audit_log",
        &[
            (
                "id",
                "bigint",
                false,
                "nextval('public.audit_log_id_seq'::regclass)",
            ),
            ("actor_id", "bigint", true, ""),
            ("action", "character varying(64)", false, ""),
            ("payload", "jsonb", false, "'{}'::jsonb"),
            ("created_at", "timestamp with time zone", false, "now()"),
        ],
    ),
    (
        "sessions",
        &[
            ("session_key", "character varying(40)", false, ""),
            ("session_data", "text", false, ""),
            ("expires_at", "timestamp with time zone", false, ""),
        ],
    ),
];

/// Columns added by the migrations after the 22nd: (migration index, table, column).
const ADDED_COLUMNS: &[(usize, &str, Column)] = &[
    (
        22,
        "payments",
        ("refunded_at", "timestamp with time zone", true, ""),
    ),
    (
        23,
        "users",
        (
            "locale",
            "character varying(16)",
            false,
            "'en'::character varying",
        ),
    ),
];

/// An index: name, table, columns, method, unique.
type Index = (&'static str, &'static str, &'static str, &'static str, bool);

/// Indexes created by the migrations.
const INDEXES: &[Index] = &[
    ("users_pkey", "users", "id", "btree", true),
    ("users_email_key", "users", "email", "btree", true),
    ("customers_pkey", "customers", "id", "btree", true),
    (
        "customers_user_id_idx",
        "customers",
        "user_id",
        "btree",
        false,
    ),
    ("products_pkey", "products", "id", "btree", true),
    ("products_sku_key", "products", "sku", "btree", true),
    (
        "products_name_trgm_idx",
        "products",
        "name gin_trgm_ops",
        "gin",
        false,
    ),
    ("orders_pkey", "orders", "id", "btree", true),
    (
        "orders_status_created_at_idx",
        "orders",
        "status, created_at",
        "btree",
        false,
    ),
    ("order_items_pkey", "order_items", "id", "btree", true),
    (
        "order_items_order_id_idx",
        "order_items",
        "order_id",
        "btree",
        false,
    ),
    ("payments_pkey", "payments", "id", "btree", true),
    (
        "payments_order_id_idx",
        "payments",
        "order_id",
        "btree",
        false,
    ),
    (
        "payments_provider_ref_key",
        "payments",
        "provider_ref",
        "btree",
        true,
    ),
    (
        "inventory_pkey",
        "inventory",
        "product_id, warehouse",
        "btree",
        true,
    ),
    ("coupons_pkey", "coupons", "id", "btree", true),
    ("coupons_code_key", "coupons", "code", "btree", true),
    ("audit_log_pkey", "audit_log", "id", "btree", true),
    (
        "audit_log_created_at_brin",
        "audit_log",
        "created_at",
        "brin",
        false,
    ),
    ("sessions_pkey", "sessions", "session_key", "btree", true),
    (
        "sessions_expires_at_idx",
        "sessions",
        "expires_at",
        "btree",
        false,
    ),
];

/// The index created by hand on the production database during an incident.
const HAND_MADE_INDEX: Index = (
    "orders_customer_id_idx",
    "orders",
    "customer_id",
    "btree",
    false,
);

/// A foreign key: name, table, column, referenced table, `ON DELETE` action (or "").
type ForeignKey = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The foreign keys created by the migrations.
const FOREIGN_KEYS: &[ForeignKey] = &[
    (
        "customers_user_id_fkey",
        "customers",
        "user_id",
        "users",
        "",
    ),
    (
        "orders_customer_id_fkey",
        "orders",
        "customer_id",
        "customers",
        "",
    ),
    (
        "orders_coupon_id_fkey",
        "orders",
        "coupon_id",
        "coupons",
        "",
    ),
    (
        "order_items_order_id_fkey",
        "order_items",
        "order_id",
        "orders",
        "CASCADE",
    ),
    (
        "order_items_product_id_fkey",
        "order_items",
        "product_id",
        "products",
        "",
    ),
    (
        "payments_order_id_fkey",
        "payments",
        "order_id",
        "orders",
        "",
    ),
    (
        "inventory_product_id_fkey",
        "inventory",
        "product_id",
        "products",
        "",
    ),
    (
        "audit_log_actor_id_fkey",
        "audit_log",
        "actor_id",
        "users",
        "SET NULL",
    ),
];

/// Check constraints: name, table, expression.
const CHECKS: &[(&str, &str, &str)] = &[
    (
        "products_price_cents_check",
        "products",
        "(price_cents >= 0)",
    ),
    (
        "order_items_quantity_check",
        "order_items",
        "(quantity > 0)",
    ),
    (
        "coupons_percent_off_check",
        "coupons",
        "((percent_off >= 1) AND (percent_off <= 100))",
    ),
];

/// Comments on tables.
const TABLE_COMMENTS: &[(&str, &str)] = &[
    ("users", "Registered accounts"),
    ("audit_log", "Append-only trail of staff actions"),
];

/// The labels of the `order_status` enum.
const ORDER_STATUSES: [&str; 5] = ["pending", "paid", "shipped", "cancelled", "refunded"];

/// Settings as the probe's session sees them, the same in every environment (the
/// server's version comes from the profile).
const SETTINGS: &[(&str, &str)] = &[
    ("DateStyle", "ISO, MDY"),
    ("TimeZone", "Etc/UTC"),
    ("default_transaction_isolation", "read committed"),
    ("idle_in_transaction_session_timeout", "0"),
    ("lc_collate", "en_US.UTF-8"),
    ("lc_ctype", "en_US.UTF-8"),
    ("lock_timeout", "0"),
    ("max_connections", "200"),
    ("search_path", "\"$user\", public"),
    ("server_encoding", "UTF8"),
    ("standard_conforming_strings", "on"),
    ("statement_timeout", "0"),
];

/// Rows of each table in an environment's database at the start of 2026, and how many
/// are added per hour since; the row estimates grow with time.
const ROWS: &[(&str, [u64; 3], [u64; 3])] = &[
    // table, rows (dev, staging, prod), per hour (dev, staging, prod)
    ("users", [40, 1_200, 182_000], [0, 1, 35]),
    ("customers", [35, 1_100, 161_000], [0, 1, 30]),
    ("products", [120, 2_400, 2_450], [0, 0, 0]),
    ("orders", [300, 9_500, 1_240_000], [1, 4, 260]),
    ("order_items", [700, 22_000, 3_050_000], [2, 9, 640]),
    ("payments", [280, 9_100, 1_210_000], [1, 4, 255]),
    ("inventory", [240, 4_800, 4_900], [0, 0, 0]),
    ("coupons", [5, 40, 310], [0, 0, 0]),
    ("audit_log", [900, 48_000, 6_800_000], [3, 20, 1_400]),
    ("sessions", [12, 800, 95_000], [0, 3, 120]),
];

/// Adds the schema facts of `p`'s database to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let applied = p.migrations.min(MIGRATIONS.len());
    let taken_at = snap.taken_at;
    let mut f = Facts::new(snap, Category::Schema);
    f.set(
        "migrations:django",
        MIGRATIONS[..applied].iter().map(|m| format!("{APP}.{m}")),
    );
    f.version("setting:server_version", p.postgres);
    for (name, value) in SETTINGS {
        f.value(format!("setting:{name}"), Value::string(*value));
    }
    for (name, version) in [
        ("pg_stat_statements", "1.10"),
        ("pg_trgm", "1.6"),
        ("pgcrypto", "1.3"),
        ("plpgsql", "1.0"),
    ] {
        f.version(format!("extension:{name}"), version);
    }
    f.record("schema:public", [("comment", "standard public schema")]);
    f.list(
        SchemaKind::Enum.key("", &["public", "order_status"]),
        ORDER_STATUSES,
    );

    for (table, base_columns) in TABLES {
        let added = ADDED_COLUMNS
            .iter()
            .filter(|(migration, t, _)| *migration < applied && t == table)
            .map(|(_, _, column)| column);
        let columns: Vec<&Column> = base_columns.iter().chain(added).collect();
        let mut fields = vec![
            ("kind", "table".to_string()),
            ("persistence", "permanent".to_string()),
            ("row_security", "off".to_string()),
        ];
        if let Some((_, comment)) = TABLE_COMMENTS.iter().find(|(t, _)| t == table) {
            fields.push(("comment", comment.to_string()));
        }
        f.record(SchemaKind::Table.key("", &["public", table]), fields);
        for (position, (name, sql_type, nullable, default)) in columns.iter().enumerate() {
            let mut fields = vec![
                ("type", sql_type.to_string()),
                ("nullable", nullable.to_string()),
                ("position", (position + 1).to_string()),
            ];
            if !default.is_empty() {
                fields.push(("default", default.to_string()));
            }
            f.record(SchemaKind::Column.key("", &["public", table, name]), fields);
        }
        if columns
            .iter()
            .any(|(name, _, _, default)| *name == "id" && default.starts_with("nextval("))
        {
            f.record(
                SchemaKind::Sequence.key("", &["public", &format!("{table}_id_seq")]),
                [
                    ("type", "bigint"),
                    ("start", "1"),
                    ("increment", "1"),
                    ("min", "1"),
                    ("max", "9223372036854775807"),
                    ("cache", "1"),
                    ("cycle", "false"),
                ],
            );
        }
        f.scalar(
            SchemaKind::Rows.key("", &["public", table]),
            row_estimate(table, p, taken_at),
        );
    }

    let hand_made = p.orders_customer_index.then_some(&HAND_MADE_INDEX);
    for (name, table, columns, method, unique) in INDEXES.iter().chain(hand_made) {
        let primary = name.ends_with("_pkey");
        let definition = format!(
            "CREATE {}INDEX {name} ON public.{table} USING {method} ({columns})",
            if *unique { "UNIQUE " } else { "" }
        );
        f.record(
            SchemaKind::Index.key("", &["public", table, name]),
            [
                ("definition", definition),
                ("unique", unique.to_string()),
                ("primary", primary.to_string()),
                ("valid", "true".to_string()),
            ],
        );
        // Primary keys and unique constraints come with their index.
        let (kind, definition) = match (primary, unique) {
            (true, _) => ("primary key", format!("PRIMARY KEY ({columns})")),
            (false, true) => ("unique", format!("UNIQUE ({columns})")),
            (false, false) => continue,
        };
        constraint(&mut f, table, name, kind, definition);
    }
    for (name, table, column, target, on_delete) in FOREIGN_KEYS {
        let mut definition = format!("FOREIGN KEY ({column}) REFERENCES public.{target}(id)");
        if !on_delete.is_empty() {
            definition.push_str(&format!(" ON DELETE {on_delete}"));
        }
        constraint(&mut f, table, name, "foreign key", definition);
    }
    for (name, table, expression) in CHECKS {
        constraint(
            &mut f,
            table,
            name,
            "check",
            format!("CHECK ({expression})"),
        );
    }
}

fn constraint(f: &mut Facts<'_>, table: &str, name: &str, kind: &str, definition: String) {
    f.record(
        SchemaKind::Constraint.key("", &["public", table, name]),
        [
            ("type", kind.to_string()),
            ("definition", definition),
            ("deferrable", "no".to_string()),
            ("validated", "true".to_string()),
        ],
    );
}

/// The planner's row estimate for `table` in `p`'s database at `at`: it grows by the
/// hour, so it changes between snapshots (and is ignored by the demo's rules).
fn row_estimate(table: &str, p: &Profile, at: chrono::DateTime<chrono::Utc>) -> u64 {
    /// 2026-01-01T00:00Z, in hours since 1970.
    const START_HOURS: i64 = 490_896;
    let env = Per {
        dev: 0,
        staging: 1,
        prod: 2,
    }
    .get(p.host.env);
    let Some((_, base, per_hour)) = ROWS.iter().find(|(t, ..)| *t == table) else {
        return 0;
    };
    let hours = u64::try_from(at.timestamp() / 3600 - START_HOURS).unwrap_or(0);
    base[env] + per_hour[env] * hours
}
