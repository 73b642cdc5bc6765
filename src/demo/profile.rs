//! A host's profile: the knobs in which the demo's hosts differ, gathered in one table.
//!
//! [`Profile::base`] is each host's state a week before `now`; `history` applies the week's
//! changes on top. The category modules turn a profile into facts. Values that merely
//! follow an environment's scale (memory, pool sizes, domains) sit next to their use as a
//! [`Per`]; the knobs here are the ones drift stories are made of, and the ones that change
//! over time.

use chrono::{DateTime, TimeDelta, Utc};

use super::fake;
use super::hosts::{Env, Host, Per};

/// Everything that sets one host apart from the others at one time.
#[derive(Debug, Clone)]
pub(super) struct Profile {
    /// The host described.
    pub host: Host,

    /// Debian point release, e.g. `12.5`.
    pub debian: &'static str,
    /// The `base-files` package version matching [`Profile::debian`].
    pub base_files: &'static str,
    /// The running kernel (`uname -r`).
    pub kernel: &'static str,
    /// The installed `linux-image-amd64` package.
    pub kernel_package: &'static str,
    /// The application's Python runtime.
    pub python: &'static str,
    /// The Node.js runtime that builds the front end.
    pub node: &'static str,
    /// OpenSSL, upstream version.
    pub openssl: &'static str,
    /// The `openssl` and `libssl3` package version.
    pub openssl_package: &'static str,
    /// The `curl` and `libcurl4` package version.
    pub curl_package: &'static str,
    /// PostgreSQL server version of the environment's database.
    pub postgres: &'static str,
    /// The deployed release of the shop application.
    pub release: &'static str,

    /// The application's `LOG_LEVEL`.
    pub log_level: &'static str,
    /// Gunicorn worker processes (`WEB_CONCURRENCY`).
    pub gunicorn_workers: u32,
    /// nginx `worker_processes`.
    pub nginx_workers: u32,
    /// nginx `worker_connections`.
    pub nginx_connections: u32,
    /// nginx `client_max_body_size`.
    pub client_max_body_size: &'static str,
    /// `PAYMENTS_RETRY_LIMIT`, set by a production hotfix.
    pub payments_retry_limit: Option<u32>,
    /// `FEATURE_NEW_CHECKOUT`.
    pub new_checkout: bool,
    /// `vm.swappiness`.
    pub swappiness: u32,
    /// Open-file limit of the application's units.
    pub nofile: u32,

    /// How many of `schema::MIGRATIONS` the environment's database has applied.
    pub migrations: usize,
    /// Whether `orders_customer_id_idx` exists (it was created by hand in prod).
    pub orders_customer_index: bool,

    /// `/etc/resolv.conf` nameservers, in order.
    pub nameservers: [&'static str; 2],
    /// The network SSH is allowed from.
    pub ssh_from: &'static str,
    /// The site's TLS certificate.
    pub cert: Cert,

    /// When the host last booted.
    pub booted_at: DateTime<Utc>,
    /// Whether `unattended-upgrades` is enabled.
    pub unattended_upgrades: bool,
    /// Whether the last `certbot` renewal attempt failed.
    pub certbot_failing: bool,
}

/// The site's TLS certificate.
#[derive(Debug, Clone)]
pub(super) struct Cert {
    /// Issuer distinguished name.
    pub issuer: &'static str,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// Serial number, hex.
    pub serial: String,
}

impl Cert {
    /// A 90-day Let's Encrypt certificate issued at `issued` by intermediate `issuer`.
    pub(super) fn lets_encrypt(issuer: &'static str, issued: DateTime<Utc>) -> Cert {
        // Let's Encrypt backdates `not_before` by an hour.
        let not_before = issued - TimeDelta::hours(1);
        Cert {
            issuer,
            not_before,
            not_after: not_before + TimeDelta::days(90) - TimeDelta::seconds(1),
            serial: fake::hex_id(&format!("cert/{}", not_before.timestamp()))[..36].to_string(),
        }
    }

    /// A local development certificate made with mkcert.
    fn mkcert(issued: DateTime<Utc>) -> Cert {
        Cert {
            issuer: "O=mkcert development CA, OU=dev@dev-1, CN=mkcert dev@dev-1",
            not_before: issued,
            not_after: issued + TimeDelta::days(825),
            serial: fake::hex_id("cert/mkcert")[..32].to_string(),
        }
    }
}

/// Let's Encrypt's first RSA intermediate of 2024.
pub(super) const LE_R10: &str = "C=US, O=Let's Encrypt, CN=R10";
/// Let's Encrypt's second RSA intermediate of 2024.
pub(super) const LE_R11: &str = "C=US, O=Let's Encrypt, CN=R11";

impl Profile {
    /// `host` as it was a week before `now`, before `history`'s changes.
    pub(super) fn base(host: Host, now: DateTime<Utc>) -> Profile {
        let env = host.env;
        let mut p = Profile {
            host,
            debian: "12.5",
            base_files: "12.4+deb12u5",
            kernel: "6.1.0-21-amd64",
            kernel_package: "6.1.90-1",
            python: Per {
                dev: "3.12.3",
                staging: "3.11.9",
                prod: "3.12.3",
            }
            .get(env),
            node: "18.20.2",
            openssl: Per {
                dev: "3.0.13",
                staging: "3.0.11",
                prod: "3.0.11",
            }
            .get(env),
            openssl_package: Per {
                dev: "3.0.13-1~deb12u1",
                staging: "3.0.11-1~deb12u2",
                prod: "3.0.11-1~deb12u2",
            }
            .get(env),
            curl_package: Per {
                dev: "7.88.1-10+deb12u5",
                staging: "7.88.1-10+deb12u4",
                prod: "7.88.1-10+deb12u4",
            }
            .get(env),
            postgres: Per {
                dev: "16.3",
                staging: "15.7",
                prod: "16.3",
            }
            .get(env),
            release: Per {
                dev: "4.19.0-dev",
                staging: "4.19.0-rc.1",
                prod: "4.18.1",
            }
            .get(env),

            log_level: Per {
                dev: "debug",
                staging: "info",
                prod: "warn",
            }
            .get(env),
            gunicorn_workers: Per {
                dev: 2,
                staging: 2,
                prod: 8,
            }
            .get(env),
            nginx_workers: Per {
                dev: 1,
                staging: 2,
                prod: 8,
            }
            .get(env),
            nginx_connections: Per {
                dev: 512,
                staging: 1024,
                prod: 4096,
            }
            .get(env),
            client_max_body_size: "10m",
            payments_retry_limit: None,
            new_checkout: env != Env::Prod,
            swappiness: Per {
                dev: 60,
                staging: 10,
                prod: 10,
            }
            .get(env),
            nofile: Per {
                dev: 1024,
                staging: 65536,
                prod: 65536,
            }
            .get(env),

            migrations: Per {
                dev: 23,
                staging: 22,
                prod: 22,
            }
            .get(env),
            orders_customer_index: env == Env::Prod,

            nameservers: Per {
                dev: ["10.0.0.53", "169.254.169.253"],
                staging: ["10.0.0.53", "8.8.8.8"],
                prod: ["10.0.0.53", "169.254.169.253"],
            }
            .get(env),
            ssh_from: Per {
                dev: "10.0.0.0/8",
                staging: "10.0.0.0/8",
                prod: "10.0.8.0/24",
            }
            .get(env),
            cert: match env {
                Env::Dev => Cert::mkcert(now - TimeDelta::days(212)),
                // Renewed during the week (see `history`).
                Env::Staging => Cert::lets_encrypt(LE_R10, now - TimeDelta::days(64)),
                // Renewal has been failing: it expires 9 days after `now`.
                Env::Prod => {
                    let expires = now + TimeDelta::days(9) + TimeDelta::seconds(11_525);
                    Cert::lets_encrypt(LE_R10, expires - TimeDelta::days(90))
                }
            },

            booted_at: now
                - TimeDelta::days(
                    Per {
                        dev: 9,
                        staging: 16,
                        prod: 23,
                    }
                    .get(env),
                )
                - TimeDelta::seconds(4_871 * host.ordinal() as i64),
            unattended_upgrades: true,
            certbot_failing: env == Env::Prod,
        };
        if host.name == "prod-web-3" {
            // Rebuilt from an old image with unattended-upgrades off, never rebooted since.
            p.debian = "12.4";
            p.base_files = "12.4+deb12u4";
            p.kernel = "6.1.0-18-amd64";
            p.kernel_package = "6.1.76-1";
            p.booted_at = now - TimeDelta::days(81) - TimeDelta::seconds(15_228);
            p.unattended_upgrades = false;
        }
        p
    }

    /// The domain the environment serves.
    pub(super) fn domain(&self) -> &'static str {
        Per {
            dev: "dev.shop.example.com",
            staging: "staging.shop.example.com",
            prod: "shop.example.com",
        }
        .get(self.host.env)
    }

    /// The PostgreSQL major version, e.g. `16`.
    pub(super) fn postgres_major(&self) -> &'static str {
        self.postgres.split('.').next().unwrap_or(self.postgres)
    }

    /// Whether the release belongs to the next train (4.19), with its newer lockfile.
    pub(super) fn next_train(&self) -> bool {
        self.release.starts_with("4.19")
    }

    /// The label under which the environment's secret `name` is fingerprinted.
    pub(super) fn secret_label(&self, name: &str) -> String {
        format!("{}/{name}", self.host.env.name())
    }
}
