//! The schema category: PostgreSQL schemas and applied migrations, read on the hosts.
//!
//! Each `[[databases]]` entry becomes one probe in the host's script: one `psql`
//! ([`script`]) runs the catalog queries ([`sql`]), and a pure parser ([`parse`]) turns
//! its rows into facts keyed per object (see [`crate::model::SchemaKind`]). The probe
//! runs on the hosts the entry names, locally or over SSH like every other probe.

pub mod parse;
pub mod script;
pub mod sql;

use super::inventory::{HostJob, LOCAL, Target};
use super::probe::Probe;
use crate::config::DatabaseConfig;
use crate::config::databases::check_all;
use crate::model::Category;

/// The `psql` run when an entry names none.
pub const DEFAULT_PSQL: &str = "psql";

/// One database's probe and the hosts it runs on.
#[derive(Debug, Clone)]
pub struct DatabaseProbe {
    /// The database's logical name.
    pub name: String,
    /// What its fact keys carry after the colon: `""` for the main database (the first
    /// one listed), `"<name>/"` for the others.
    pub qualifier: String,
    environments: Vec<String>,
    hosts: Vec<String>,
    /// The probe (`schema:<name>`).
    pub probe: Probe,
}

impl DatabaseProbe {
    /// Whether the probe runs on `job`'s host: its environment is listed (or none
    /// are), and its host is listed by entry or name (or none are).
    pub fn applies_to(&self, job: &HostJob) -> bool {
        let env_ok = self.environments.is_empty() || self.environments.contains(&job.environment);
        let host_ok = self.hosts.is_empty()
            || self.hosts.iter().any(|h| {
                *h == job.host
                    || match &job.target {
                        Target::Ssh(entry) | Target::SshWith { entry, .. } => h == entry,
                        Target::Local => h == LOCAL,
                    }
            });
        env_ok && host_ok
    }
}

/// The probes of `databases`, checked. The first entry's name is the main database,
/// whose keys carry no qualifier.
///
/// Fails with a one-line message naming the entry and field.
pub fn plan(databases: &[DatabaseConfig]) -> Result<Vec<DatabaseProbe>, String> {
    check_all(databases, None)?;
    let main = databases.first().map(|d| d.name.as_str());
    databases
        .iter()
        .map(|db| {
            let connection = db.connection()?;
            let qualifier = if Some(db.name.as_str()) == main {
                String::new()
            } else {
                format!("{}/", db.name)
            };
            let psql = db.psql.as_deref().unwrap_or(DEFAULT_PSQL);
            let queries = sql::catalog_queries(&db.schemas, db.migrations);
            let probe = Probe::keyed(
                format!("schema:{}", db.name),
                Category::Schema,
                &[psql],
                script::probe_command(&connection, psql, &queries),
                parse::parse,
                qualifier.clone(),
            );
            Ok(DatabaseProbe {
                name: db.name.clone(),
                qualifier,
                environments: db.environments.clone(),
                hosts: db.hosts.clone(),
                probe,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(env: &str, host: &str, target: Target) -> HostJob {
        HostJob {
            environment: env.into(),
            host: host.into(),
            target,
        }
    }

    fn entry(text: &str) -> DatabaseConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn the_first_database_is_main_and_the_others_are_qualified() {
        let probes = plan(&[
            entry("name = 'shop'\nurl_env = 'DATABASE_URL'\nenvironments = ['prod']"),
            entry("name = 'analytics'\nservice = 'analytics'"),
            entry("name = 'shop'\ndbname = 'shop'\nenvironments = ['dev']"),
        ])
        .unwrap();
        let names: Vec<(&str, &str)> = probes
            .iter()
            .map(|p| (p.probe.name.as_str(), p.qualifier.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("schema:shop", ""),
                ("schema:analytics", "analytics/"),
                ("schema:shop", "")
            ]
        );
        assert_eq!(probes[0].probe.category, Category::Schema);
        assert_eq!(probes[0].probe.requires, ["psql"]);
        assert!(probes[0].probe.command.contains("u=${DATABASE_URL-}"));
    }

    #[test]
    fn probes_run_on_the_listed_environments_and_hosts() {
        let probes = plan(&[entry(
            "name = 'shop'\nservice = 'app'\nenvironments = ['prod']\nhosts = ['deploy@db-1:22', 'local']",
        )])
        .unwrap();
        let p = &probes[0];
        assert!(p.applies_to(&job(
            "prod",
            "db-1:22",
            Target::Ssh("deploy@db-1:22".into())
        )));
        assert!(p.applies_to(&job("prod", "local", Target::Local)));
        assert!(!p.applies_to(&job("prod", "web-1", Target::Ssh("web-1".into()))));
        assert!(!p.applies_to(&job("staging", "local", Target::Local)));
        let everywhere = &plan(&[entry("name = 'shop'\nservice = 'app'")]).unwrap()[0];
        assert!(everywhere.applies_to(&job("any", "h", Target::Ssh("h".into()))));
    }

    #[test]
    fn a_bad_entry_stops_the_plan() {
        assert!(plan(&[entry("name = 'shop'")]).is_err());
    }
}
