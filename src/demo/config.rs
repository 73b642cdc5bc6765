//! Configuration: config files, the application's environment, sysctl keys, locale.

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::fake;
use super::files;
use super::hosts::Per;
use super::profile::Profile;

/// The value of one application environment variable.
pub(super) enum EnvValue {
    /// A value kept as is.
    Plain(String),
    /// A secret, known only by the label its fingerprint is derived from.
    Secret(String),
}

/// The application's environment (`/srv/shop/.env`), in file order.
pub(super) fn env_vars(p: &Profile) -> Vec<(&'static str, EnvValue)> {
    let env = p.host.env;
    let plain = |s: &str| EnvValue::Plain(s.to_string());
    let app_env = Per {
        dev: "development",
        staging: "staging",
        prod: "production",
    }
    .get(env);
    let (db_host, cache_host) = Per {
        dev: ("localhost", "localhost"),
        staging: ("db.staging.internal", "cache.staging.internal"),
        prod: ("db.prod.internal", "cache.prod.internal"),
    }
    .get(env);
    let allowed_hosts = Per {
        dev: "dev.shop.example.com,localhost",
        staging: "staging.shop.example.com",
        prod: "shop.example.com,www.shop.example.com",
    }
    .get(env);
    // Dev and staging share Stripe's test-mode keys; prod has live keys.
    let stripe = |name: &str| {
        EnvValue::Secret(
            Per {
                dev: format!("test/{name}"),
                staging: format!("test/{name}"),
                prod: format!("prod/{name}"),
            }
            .get(env),
        )
    };
    let mut vars = vec![
        ("APP_ENV", plain(app_env)),
        (
            "DJANGO_SETTINGS_MODULE",
            EnvValue::Plain(format!("shop.settings.{app_env}")),
        ),
        ("LOG_LEVEL", plain(p.log_level)),
        (
            "WEB_CONCURRENCY",
            EnvValue::Plain(p.gunicorn_workers.to_string()),
        ),
        ("ALLOWED_HOSTS", plain(allowed_hosts)),
        (
            "CSRF_TRUSTED_ORIGINS",
            EnvValue::Plain(format!("https://{}", p.domain())),
        ),
        (
            "DATABASE_URL",
            EnvValue::Plain(format!("postgresql://shop@{db_host}:5432/shop")),
        ),
        (
            "DATABASE_PASSWORD",
            EnvValue::Secret(p.secret_label("DATABASE_PASSWORD")),
        ),
        (
            "DATABASE_POOL_SIZE",
            plain(
                Per {
                    dev: "2",
                    staging: "5",
                    prod: "20",
                }
                .get(env),
            ),
        ),
        (
            "DATABASE_SSLMODE",
            plain(
                Per {
                    dev: "disable",
                    staging: "require",
                    prod: "verify-full",
                }
                .get(env),
            ),
        ),
        (
            "REDIS_URL",
            EnvValue::Plain(format!("redis://{cache_host}:6379/0")),
        ),
        (
            "CELERY_BROKER_URL",
            EnvValue::Plain(format!("redis://{cache_host}:6379/1")),
        ),
        ("SECRET_KEY", EnvValue::Secret(p.secret_label("SECRET_KEY"))),
        ("STRIPE_API_KEY", stripe("STRIPE_API_KEY")),
        ("STRIPE_WEBHOOK_SECRET", stripe("STRIPE_WEBHOOK_SECRET")),
        // One Sentry project for all environments, told apart by SENTRY_ENVIRONMENT.
        (
            "SENTRY_DSN",
            EnvValue::Secret("shared/SENTRY_DSN".to_string()),
        ),
        ("SENTRY_ENVIRONMENT", plain(app_env)),
        (
            "SENTRY_TRACES_SAMPLE_RATE",
            plain(
                Per {
                    dev: "1.0",
                    staging: "0.5",
                    prod: "0.05",
                }
                .get(env),
            ),
        ),
        (
            "EMAIL_BACKEND",
            plain(
                Per {
                    dev: "console",
                    staging: "smtp",
                    prod: "smtp",
                }
                .get(env),
            ),
        ),
        ("SMTP_HOST", plain("email-smtp.eu-west-1.amazonaws.com")),
        (
            "MEDIA_BUCKET",
            EnvValue::Plain(format!("shop-media-{}", env.name())),
        ),
        ("AWS_REGION", plain("eu-west-1")),
        (
            "FEATURE_NEW_CHECKOUT",
            plain(if p.new_checkout { "true" } else { "false" }),
        ),
    ];
    if let Some(limit) = p.payments_retry_limit {
        vars.push(("PAYMENTS_RETRY_LIMIT", EnvValue::Plain(limit.to_string())));
    }
    vars.push(("TZ", plain("UTC")));
    vars.push(("PYTHONUNBUFFERED", plain("1")));
    vars
}

/// Kernel parameters set by `/etc/sysctl.d/99-shop.conf`, in file order.
pub(super) fn sysctls(p: &Profile) -> Vec<(&'static str, u64)> {
    let env = p.host.env;
    vec![
        ("fs.file-max", 2_097_152),
        (
            "fs.inotify.max_user_watches",
            Per {
                dev: 524_288,
                staging: 65_536,
                prod: 65_536,
            }
            .get(env),
        ),
        ("kernel.kptr_restrict", 1),
        ("kernel.panic", 10),
        ("kernel.randomize_va_space", 2),
        ("net.core.netdev_max_backlog", 16_384),
        ("net.core.somaxconn", 4096),
        ("net.ipv4.conf.all.rp_filter", 2),
        ("net.ipv4.ip_forward", 0),
        ("net.ipv4.tcp_fin_timeout", 15),
        ("net.ipv4.tcp_keepalive_time", 600),
        ("net.ipv4.tcp_max_syn_backlog", 8192),
        ("net.ipv4.tcp_tw_reuse", 1),
        ("vm.max_map_count", 262_144),
        ("vm.overcommit_memory", 1),
        ("vm.swappiness", u64::from(p.swappiness)),
    ]
}

/// Adds the config facts of `p` to `snap`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let vars = env_vars(p);
    let sysctls = sysctls(p);
    let mut f = Facts::new(snap, Category::Config);

    f.text("file:/etc/nginx/nginx.conf", files::nginx_conf(p));
    f.text(
        "file:/etc/nginx/sites-enabled/shop.conf",
        files::nginx_site(p),
    );
    f.text("file:/srv/shop/.env", files::dotenv(&vars));
    f.text("file:/etc/shop/gunicorn.conf.py", files::gunicorn_conf(p));
    f.text("file:/etc/ssh/sshd_config", files::sshd_config(p));
    f.text(
        "file:/etc/systemd/system/shop-web.service",
        files::shop_web_unit(p),
    );
    f.text(
        "file:/etc/sysctl.d/99-shop.conf",
        files::sysctl_conf(&sysctls),
    );
    f.text("db:postgresql.conf", files::postgresql_settings(p));

    for (name, value) in vars {
        match value {
            EnvValue::Plain(text) => f.scalar(format!("env.{name}"), text),
            EnvValue::Secret(label) => f.value(format!("env.{name}"), fake::fingerprint(&label)),
        }
    }
    let mut path = vec![
        "/srv/shop/venv/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ];
    if p.host.env == super::hosts::Env::Dev {
        path.insert(0, "/home/dev/.local/bin");
    }
    f.list("env.PATH", path);

    for (key, value) in sysctls {
        f.scalar(format!("sysctl.{key}"), value);
    }
    f.scalar("sysctl.net.ipv4.ip_local_port_range", "32768 60999");

    f.scalar("locale.LANG", "C.UTF-8");
    f.scalar("timezone", "Etc/UTC");
    f.scalar("limits.shop-web.nofile", u64::from(p.nofile));
}
