//! `[[databases]]`: the PostgreSQL databases whose schema is collected, and how each
//! is reached from the hosts that run its probe.
//!
//! A connection is named, never stored: a `pg_service.conf` service, an environment
//! variable or a file on the host that holds the URL, or a plain database name reached
//! with libpq's defaults. A URL or password written in `driftscope.toml` is refused.

use serde::Deserialize;

/// `[[databases]]`: one database to describe.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// The database's logical name, the same in every environment (`shop`).
    pub name: String,
    /// Environments whose hosts run the probe; empty means every environment.
    #[serde(default)]
    pub environments: Vec<String>,
    /// Hosts that run the probe, as written in `[environments]` or by host name;
    /// empty means every host of those environments.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// A service of the host's `pg_service.conf` (passwords then come from `~/.pgpass`).
    #[serde(default)]
    pub service: Option<String>,
    /// An environment variable of the probe's shell on the host holding the URL.
    #[serde(default)]
    pub url_env: Option<String>,
    /// A file on the host whose first line is the URL.
    #[serde(default)]
    pub url_file: Option<String>,
    /// A database name, reached with libpq's defaults (local socket, `PG*` variables).
    #[serde(default)]
    pub dbname: Option<String>,
    /// Only these schemas are described (and searched for migration tables); empty
    /// means every schema but PostgreSQL's own.
    #[serde(default)]
    pub schemas: Vec<String>,
    /// Whether migration tables are read: `auto` (default) or `off`.
    #[serde(default)]
    pub migrations: MigrationsMode,
    /// The `psql` to run on the host: a command name or an absolute path.
    #[serde(default)]
    pub psql: Option<String>,
    /// Refused: a URL here would store its password in the workspace.
    #[serde(default)]
    pub url: Option<String>,
    /// Refused: passwords belong in `~/.pgpass` or the URL's source on the host.
    #[serde(default)]
    pub password: Option<String>,
}

/// Whether the migration tables of the common tools are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MigrationsMode {
    /// Read every known tool's table that exists.
    #[default]
    Auto,
    /// Read none.
    Off,
}

/// How the probe connects, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// `PGSERVICE=<name>`.
    Service(String),
    /// The URL held by this environment variable on the host.
    UrlEnv(String),
    /// The URL in the first line of this file on the host.
    UrlFile(String),
    /// This database name, with libpq's defaults for everything else.
    Dbname(String),
}

impl DatabaseConfig {
    /// The connection, after checking that exactly one is given and that it is sound.
    ///
    /// Fails with a one-line message naming the database and the field.
    pub fn connection(&self) -> Result<Connection, String> {
        let who = format!("[[databases]] '{}'", self.name);
        if self.url.is_some() || self.password.is_some() {
            let field = if self.url.is_some() {
                "url"
            } else {
                "password"
            };
            return Err(format!(
                "{who}: '{field}' is not accepted, so that no password is stored in the \
                 workspace; use url_env, url_file or service (with ~/.pgpass) on the host"
            ));
        }
        let given: Vec<Connection> = [
            self.service.clone().map(Connection::Service),
            self.url_env.clone().map(Connection::UrlEnv),
            self.url_file.clone().map(Connection::UrlFile),
            self.dbname.clone().map(Connection::Dbname),
        ]
        .into_iter()
        .flatten()
        .collect();
        let [connection] = given.as_slice() else {
            return Err(format!(
                "{who}: give exactly one of service, url_env, url_file or dbname"
            ));
        };
        match connection {
            Connection::Service(name) if !is_word(name) => Err(format!(
                "{who}: service '{name}' may hold only letters, digits, '_', '-' and '.'"
            )),
            Connection::UrlEnv(var) if !is_env_name(var) => Err(format!(
                "{who}: url_env '{var}' is not an environment variable name"
            )),
            Connection::UrlFile(path) if !path.starts_with('/') || has_control(path) => {
                Err(format!("{who}: url_file '{path}' is not an absolute path"))
            }
            Connection::Dbname(name) if name.is_empty() || has_control(name) => Err(format!(
                "{who}: dbname may not be empty or hold control characters"
            )),
            Connection::Dbname(name) if name.contains("://") || name.contains('=') => Err(format!(
                "{who}: dbname must be a plain database name; for a URL use url_env or url_file"
            )),
            other => Ok(other.clone()),
        }
    }

    /// Checks every field; fails with a one-line message naming the database and field.
    pub fn check(&self) -> Result<(), String> {
        if self.name.is_empty() || !is_word(&self.name) {
            return Err(format!(
                "[[databases]]: name '{}' must be letters, digits, '_', '-' or '.'",
                self.name
            ));
        }
        let who = format!("[[databases]] '{}'", self.name);
        self.connection()?;
        for env in &self.environments {
            crate::config::check_environment_name(env).map_err(|e| format!("{who}: {e}"))?;
        }
        if let Some(host) = self.hosts.iter().find(|h| h.is_empty() || has_control(h)) {
            return Err(format!("{who}: bad host {host:?}"));
        }
        for schema in &self.schemas {
            if schema.is_empty() || has_control(schema) || schema.contains('\\') {
                return Err(format!(
                    "{who}: schema {schema:?} may not be empty or hold control characters or '\\'"
                ));
            }
        }
        if let Some(psql) = &self.psql {
            if psql.is_empty()
                || has_control(psql)
                || (psql.contains('/') && !psql.starts_with('/'))
            {
                return Err(format!(
                    "{who}: psql '{psql}' must be a command name or an absolute path"
                ));
            }
        }
        Ok(())
    }

    /// Whether this entry could run on the same host as `other`: both cover a common
    /// environment and a common host (an empty list covers everything).
    pub fn overlaps(&self, other: &DatabaseConfig) -> bool {
        let meet = |a: &[String], b: &[String]| {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        };
        meet(&self.environments, &other.environments) && meet(&self.hosts, &other.hosts)
    }
}

/// Checks a list of databases against each other and, when given, against the
/// workspace's environment names.
pub fn check_all(
    databases: &[DatabaseConfig],
    environments: Option<&[&str]>,
) -> Result<(), String> {
    for (i, db) in databases.iter().enumerate() {
        db.check()?;
        if let Some(known) = environments {
            if let Some(env) = db
                .environments
                .iter()
                .find(|e| !known.contains(&e.as_str()))
            {
                return Err(format!(
                    "[[databases]] '{}': unknown environment '{env}'",
                    db.name
                ));
            }
        }
        if let Some(twin) = databases[..i]
            .iter()
            .find(|other| other.name == db.name && other.overlaps(db))
        {
            return Err(format!(
                "[[databases]] '{}' is listed twice for the same hosts; give each entry \
                 its own environments or hosts (first: {}, then: {})",
                db.name,
                scope(twin),
                scope(db)
            ));
        }
    }
    Ok(())
}

/// `environments [..], hosts [..]` for messages.
fn scope(db: &DatabaseConfig) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            "all".to_string()
        } else {
            items.join(", ")
        }
    };
    format!(
        "environments {}, hosts {}",
        list(&db.environments),
        list(&db.hosts)
    )
}

/// Letters, digits, `_`, `-` and `.`.
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A POSIX environment variable name.
fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(toml_text: &str) -> DatabaseConfig {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn each_connection_kind_parses() {
        assert_eq!(
            db("name = 'shop'\nservice = 'app'").connection(),
            Ok(Connection::Service("app".into()))
        );
        assert_eq!(
            db("name = 'shop'\nurl_env = 'DATABASE_URL'").connection(),
            Ok(Connection::UrlEnv("DATABASE_URL".into()))
        );
        assert_eq!(
            db("name = 'shop'\nurl_file = '/etc/app/database_url'").connection(),
            Ok(Connection::UrlFile("/etc/app/database_url".into()))
        );
        assert_eq!(
            db("name = 'shop'\ndbname = 'shop'").connection(),
            Ok(Connection::Dbname("shop".into()))
        );
        let full = db(
            "name = 'shop'\nservice = 'app'\nschemas = ['public']\nmigrations = 'off'\n\
                       environments = ['prod']\nhosts = ['db-1']\npsql = '/usr/bin/psql'",
        );
        assert!(full.check().is_ok());
        assert_eq!(full.migrations, MigrationsMode::Off);
    }

    #[test]
    fn a_stored_url_or_password_is_refused_without_echoing_it() {
        for text in [
            "name = 'shop'\nurl = 'postgres://app:hunter2@db/shop'",
            "name = 'shop'\nservice = 'app'\npassword = 'hunter2'",
        ] {
            let err = db(text).check().unwrap_err();
            assert!(err.contains("not accepted"), "{err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn bad_entries_are_named() {
        for (text, needle) in [
            ("name = 'shop'", "exactly one"),
            ("name = 'shop'\nservice = 'a'\ndbname = 'b'", "exactly one"),
            ("name = 'shop'\nurl_env = 'DATABASE-URL'", "url_env"),
            ("name = 'shop'\nurl_file = 'relative'", "url_file"),
            ("name = 'shop'\nservice = 'a b'", "service"),
            (
                "name = 'shop'\ndbname = 'postgres://db/shop'",
                "plain database name",
            ),
            ("name = 'a b'\nservice = 'a'", "name 'a b'"),
            (
                "name = 'shop'\nservice = 'a'\nschemas = ['x\\\\y']",
                "schema",
            ),
            ("name = 'shop'\nservice = 'a'\npsql = 'bin/psql'", "psql"),
            (
                "name = 'shop'\nservice = 'a'\nenvironments = ['a/b']",
                "may not contain",
            ),
        ] {
            let err = db(text).check().unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
        assert!(toml::from_str::<DatabaseConfig>("name = 'x'\nmigrations = 'maybe'").is_err());
    }

    #[test]
    fn the_workspace_configuration_checks_its_databases() {
        let text = "[environments.staging]\nhosts = ['local']\n\n\
                    [[databases]]\nname = 'shop'\nservice = 'app'\nenvironments = ['stagign']\n";
        let err = crate::config::Config::parse(text, "driftscope.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "driftscope.toml: [[databases]] 'shop': unknown environment 'stagign'"
        );
        let ok = text.replace("stagign", "staging");
        let config = crate::config::Config::parse(&ok, "driftscope.toml").unwrap();
        assert_eq!(config.databases[0].service.as_deref(), Some("app"));
    }

    #[test]
    fn the_same_database_may_not_cover_one_host_twice() {
        let prod = db("name = 'shop'\nservice = 'a'\nenvironments = ['prod']");
        let staging = db("name = 'shop'\nservice = 'b'\nenvironments = ['staging']");
        let everywhere = db("name = 'shop'\nservice = 'c'");
        let other = db("name = 'analytics'\nservice = 'd'");
        assert!(check_all(&[prod.clone(), staging.clone(), other.clone()], None).is_ok());
        let err = check_all(&[prod, everywhere], None).unwrap_err();
        assert!(err.contains("listed twice"), "{err}");
        let err = check_all(&[staging], Some(&["prod"])).unwrap_err();
        assert!(err.contains("unknown environment 'staging'"), "{err}");
    }
}
