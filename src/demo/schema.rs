//! Schema: the shop database's tables, columns, indexes, extensions and migrations.
//!
//! Every environment's database has applied a prefix of [`MIGRATIONS`]; the last two
//! add columns, so a database's columns follow from how far it got.

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::profile::Profile;

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
            ("id", "bigint", false, "nextval('users_id_seq'::regclass)"),
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
                "nextval('customers_id_seq'::regclass)",
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
                "nextval('products_id_seq'::regclass)",
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
            ("id", "bigint", false, "nextval('orders_id_seq'::regclass)"),
            ("customer_id", "bigint", false, ""),
            (
                "status",
                "character varying(20)",
                false,
                "'pending'::character varying",
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
                "nextval('order_items_id_seq'::regclass)",
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
                "nextval('payments_id_seq'::regclass)",
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
            ("id", "bigint", false, "nextval('coupons_id_seq'::regclass)"),
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
                "nextval('audit_log_id_seq'::regclass)",
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

/// Adds the schema facts of `p`'s database to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let applied = p.migrations.min(MIGRATIONS.len());
    let mut f = Facts::new(snap, Category::Schema);
    f.set("migrations", MIGRATIONS[..applied].iter().copied());
    f.record(
        "database:shop",
        [
            ("encoding", "UTF8"),
            ("collate", "en_US.UTF-8"),
            ("ctype", "en_US.UTF-8"),
            ("owner", "shop"),
        ],
    );
    for (name, version) in [
        ("pg_stat_statements", "1.10"),
        ("pg_trgm", "1.6"),
        ("pgcrypto", "1.3"),
        ("plpgsql", "1.0"),
    ] {
        f.version(format!("extension:{name}"), version);
    }

    for (table, base_columns) in TABLES {
        let added = ADDED_COLUMNS
            .iter()
            .filter(|(migration, t, _)| *migration < applied && t == table)
            .map(|(_, _, column)| column);
        let columns: Vec<&Column> = base_columns.iter().chain(added).collect();
        let primary_key = INDEXES
            .iter()
            .find(|(name, t, ..)| t == table && name.ends_with("_pkey"))
            .map_or("", |(_, _, cols, ..)| cols);
        f.record(
            format!("table:public.{table}"),
            [
                ("owner", "shop".to_string()),
                ("columns", columns.len().to_string()),
                ("primary_key", primary_key.to_string()),
                ("tablespace", "pg_default".to_string()),
            ],
        );
        for (position, (name, sql_type, nullable, default)) in columns.iter().enumerate() {
            let mut fields = vec![
                ("type", sql_type.to_string()),
                ("nullable", nullable.to_string()),
                ("position", (position + 1).to_string()),
            ];
            if !default.is_empty() {
                fields.push(("default", default.to_string()));
            }
            f.record(format!("column:public.{table}.{name}"), fields);
        }
    }

    let hand_made = p.orders_customer_index.then_some(&HAND_MADE_INDEX);
    for (name, table, columns, method, unique) in INDEXES.iter().chain(hand_made) {
        f.record(
            format!("index:public.{table}.{name}"),
            [
                ("columns", columns.to_string()),
                ("method", method.to_string()),
                ("unique", unique.to_string()),
            ],
        );
    }
}
