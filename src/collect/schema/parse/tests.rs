//! The parser on `psql` output captured from the test databases (see
//! `tests/fixtures/postgres`), and on damaged output.

use super::*;

const PROD: &str = include_str!("../../../../tests/fixtures/psql/shop_prod.out");
const STAGING: &str = include_str!("../../../../tests/fixtures/psql/shop_staging.out");

fn facts(output: &str, qualifier: &str) -> BTreeMap<String, Value> {
    parse(output, qualifier).unwrap().into_iter().collect()
}

fn record(v: &Value) -> &BTreeMap<String, String> {
    match v {
        Value::Record(fields) => fields,
        other => panic!("expected a record, got {other:?}"),
    }
}

#[test]
fn settings_and_extensions_become_scalars_and_versions() {
    let f = facts(PROD, "");
    assert_eq!(f["setting:server_version"], Value::version("15.18"));
    assert_eq!(f["setting:TimeZone"], Value::string("Etc/UTC"));
    assert_eq!(f["setting:search_path"], Value::string("\"$user\", public"));
    assert_eq!(
        f["setting:standard_conforming_strings"],
        Value::string("on")
    );
    assert_eq!(f["extension:hstore"], Value::version("1.8"));
    assert_eq!(f["extension:plpgsql"], Value::version("1.0"));
    assert_eq!(
        record(&f["schema:billing"])["comment"],
        "Payments and invoicing"
    );
}

#[test]
fn tables_columns_and_row_estimates_are_keyed_per_object() {
    let f = facts(PROD, "");
    let users = record(&f["table:public.users"]);
    assert_eq!(users["kind"], "table");
    assert_eq!(users["comment"], "Registered accounts");
    assert_eq!(users["row_security"], "off");
    assert!(!users.contains_key("partition_key"));
    assert_eq!(f["rows:public.users"], Value::Scalar(Scalar::from(42i64)));

    let locale = record(&f["column:public.users.locale"]);
    assert_eq!(locale["type"], "text");
    assert_eq!(locale["nullable"], "false");
    assert_eq!(locale["default"], "'en'::text");
    assert_eq!(locale["collation"], "C");
    assert_eq!(locale["position"], "4");
    assert_eq!(locale["comment"], "UI language");

    let amount = record(&f["column:billing.payments.amount_cents"]);
    assert_eq!(amount["type"], "bigint");
    let updated = record(&f["column:public.users.updated_at"]);
    assert_eq!(updated["nullable"], "true");
    assert!(!updated.contains_key("default"));
    let id = record(&f["column:public.orders.id"]);
    assert_eq!(id["identity"], "always");
    let tax = record(&f["column:public.orders.total_with_tax"]);
    assert_eq!(tax["generated"], "((total_cents * 12) / 10)");
    assert!(!tax.contains_key("default"));
}

#[test]
fn indexes_constraints_views_and_triggers_keep_their_definitions() {
    let f = facts(PROD, "");
    let pending = record(&f["index:public.orders.orders_pending_idx"]);
    assert_eq!(pending["unique"], "false");
    assert_eq!(
        pending["predicate"],
        "(status = 'pending'::public.order_status)"
    );
    assert!(pending["definition"].starts_with("CREATE INDEX orders_pending_idx ON public.orders"));
    let email = record(&f["index:public.users.users_email_key"]);
    assert_eq!(
        (email["unique"].as_str(), email["primary"].as_str()),
        ("true", "false")
    );

    let fk = record(&f["constraint:public.orders.orders_user_fk"]);
    assert_eq!(fk["type"], "foreign key");
    assert_eq!(
        fk["definition"],
        "FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE"
    );
    assert_eq!(fk["deferrable"], "no");
    assert_eq!(
        record(&f["constraint:public.orders.orders_total_positive"])["type"],
        "check"
    );

    let view = record(&f["view:public.order_totals"]);
    assert_eq!(view["kind"], "view");
    assert!(view["definition"].starts_with("SELECT u.id AS user_id, count(o.id) AS orders,"));
    assert!(!view["definition"].contains('\n'));

    let trigger = record(&f["trigger:public.users.users_touch"]);
    assert_eq!(trigger["enabled"], "enabled");
    assert!(trigger["definition"].contains("EXECUTE FUNCTION public.touch_updated_at()"));
}

#[test]
fn sequences_functions_and_enums() {
    let f = facts(PROD, "");
    let seq = record(&f["sequence:billing.invoice_number_seq"]);
    assert_eq!(
        (seq["start"].as_str(), seq["type"].as_str()),
        ("1000", "bigint")
    );
    let add_tax = record(&f["function:public.add_tax(integer, numeric)"]);
    assert_eq!(
        add_tax["arguments"],
        "cents integer, rate numeric DEFAULT 0.2"
    );
    assert_eq!(add_tax["returns"], "integer");
    assert_eq!(add_tax["volatility"], "immutable");
    assert_eq!(add_tax["language"], "sql");
    assert_eq!(add_tax["body_sha256"].len(), 64);
    assert!(f.contains_key("function:public.touch_updated_at()"));
    assert_eq!(
        f["enum:public.order_status"],
        Value::List(
            ["pending", "paid", "shipped", "cancelled", "refunded"]
                .map(String::from)
                .to_vec()
        )
    );
}

#[test]
fn migrations_are_sets_per_tool_and_schema() {
    let prod = facts(PROD, "");
    let staging = facts(STAGING, "");
    assert_eq!(
        prod["migrations:rails"],
        Value::set(["20240101000000", "20240215120000", "20240301093000"])
    );
    assert_eq!(
        staging["migrations:rails"],
        Value::set(["20240101000000", "20240215120000"])
    );
    assert_eq!(
        prod["migrations:django"],
        Value::set(["auth.0001_initial", "shop.0001_initial"])
    );
    assert_eq!(prod["migrations:billing.golang-migrate"], Value::set(["3"]));
}

#[test]
fn extension_objects_are_left_out() {
    let f = facts(PROD, "");
    assert!(
        !f.keys()
            .any(|k| k.contains("citext(") || k.contains("hstore("))
    );
    assert!(
        !f.keys()
            .any(|k| k.starts_with("function:public.gen_random"))
    );
}

#[test]
fn the_two_captures_differ_exactly_where_the_fixtures_do() {
    let prod = facts(PROD, "");
    let staging = facts(STAGING, "");
    let mut differing: Vec<&str> = prod
        .keys()
        .chain(staging.keys())
        .filter(|k| prod.get(*k) != staging.get(*k))
        .map(String::as_str)
        .collect();
    differing.sort_unstable();
    differing.dedup();
    assert_eq!(
        differing,
        [
            "column:billing.payments.amount_cents",
            "column:public.users.locale",
            "enum:public.order_status",
            "extension:hstore",
            "index:public.orders.orders_status_created_at_idx",
            "migrations:rails",
            "rows:public.schema_migrations",
            "rows:public.users",
        ]
    );
}

#[test]
fn a_qualifier_goes_after_every_colon() {
    let f = facts(PROD, "analytics/");
    assert!(f.keys().all(|k| {
        let (_, rest) = k.split_once(':').unwrap();
        rest.starts_with("analytics/")
    }));
    assert!(f.contains_key("column:analytics/public.users.email"));
    assert!(f.contains_key("migrations:analytics/billing.golang-migrate"));
}

#[test]
fn odd_identifiers_are_quoted_and_unreadable_migrations_say_so() {
    let out = "[\"driftscope-schema\", 1, \"150000\"]\n\
               [\"column\", \"Sales\", \"order lines\", \"Qty\", \"integer\", false, null, null, 1, \"\", \"\", null]\n\
               [\"migrations-unreadable\", \"flyway\", \"public\"]\n\
               [\"a-later-row-kind\", 1]\n\
               [\"end\"]\n";
    let f = facts(out, "");
    assert!(f.contains_key("column:\"Sales\".\"order lines\".\"Qty\""));
    assert_eq!(f["migrations:flyway"], Value::string(UNREADABLE));
    assert_eq!(f.len(), 2);
}

#[test]
fn damaged_output_is_an_error_naming_the_line() {
    let cases = [
        ("", "no output"),
        ("[\"end\"]\n", "first row"),
        (
            "[\"driftscope-schema\", 9]\n[\"end\"]\n",
            "unknown schema output format 9",
        ),
        (
            "[\"driftscope-schema\", 1]\n[\"table\", \"public\"",
            "line 2: not a row",
        ),
        (
            "[\"driftscope-schema\", 1]\n[\"setting\", \"TimeZone\", \"UTC\"]\n",
            "ended early",
        ),
        (
            "[\"driftscope-schema\", 1]\n[\"column\", \"public\", \"t\"]\n[\"end\"]\n",
            "line 2: column: missing column 3",
        ),
        (
            "[\"driftscope-schema\", 1]\n[\"index\", \"public\", \"t\", \"i\", \"d\", \"yes\", true, null, true, null]\n[\"end\"]\n",
            "not true or false",
        ),
        ("[\"driftscope-schema\", 1]\n[1, 2]\n", "without a tag"),
    ];
    for (output, needle) in cases {
        let err = parse(output, "").unwrap_err();
        assert!(err.contains(needle), "{output:?}: {err}");
    }
}
