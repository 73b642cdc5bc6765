//! The text of the demo's configuration files, rendered from a host's profile.

use super::config::EnvValue;
use super::fake;
use super::hosts::{Env, Per};
use super::profile::Profile;

/// `/etc/nginx/nginx.conf`.
pub(super) fn nginx_conf(p: &Profile) -> String {
    let error_level = Per {
        dev: "info",
        staging: "warn",
        prod: "warn",
    }
    .get(p.host.env);
    format!(
        r#"# Managed by Ansible (role: nginx). Local edits are overwritten.
user www-data;
worker_processes {workers};
worker_rlimit_nofile 65535;
pid /run/nginx.pid;
include /etc/nginx/modules-enabled/*.conf;

events {{
    worker_connections {connections};
    multi_accept on;
}}

http {{
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    types_hash_max_size 2048;
    server_tokens off;

    keepalive_timeout 65;
    client_max_body_size {body};
    client_body_timeout 30s;

    include /etc/nginx/mime.types;
    default_type application/octet-stream;

    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_timeout 1d;

    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" rt=$request_time';
    access_log /var/log/nginx/access.log main;
    error_log /var/log/nginx/error.log {error_level};

    gzip on;
    gzip_comp_level 5;
    gzip_min_length 256;
    gzip_types text/plain text/css application/json application/javascript image/svg+xml;

    upstream shop_app {{
        server 127.0.0.1:8000 fail_timeout=0;
        keepalive 32;
    }}

    include /etc/nginx/conf.d/*.conf;
    include /etc/nginx/sites-enabled/*;
}}
"#,
        workers = p.nginx_workers,
        connections = p.nginx_connections,
        body = p.client_max_body_size,
    )
}

/// `/etc/nginx/sites-enabled/shop.conf`.
pub(super) fn nginx_site(p: &Profile) -> String {
    let domain = p.domain();
    let names = match p.host.env {
        Env::Prod => format!("{domain} www.{domain}"),
        Env::Dev | Env::Staging => domain.to_string(),
    };
    let basic_auth = match p.host.env {
        Env::Staging => {
            "\n    # Keep search engines and customers out of staging.\n    auth_basic \"Staging\";\n    auth_basic_user_file /etc/nginx/htpasswd;\n"
        }
        Env::Dev | Env::Prod => "",
    };
    let read_timeout = Per {
        dev: "300s",
        staging: "60s",
        prod: "60s",
    }
    .get(p.host.env);
    format!(
        r#"# Managed by Ansible (role: shop-web).
server {{
    listen 80;
    listen [::]:80;
    server_name {names};
    return 301 https://$host$request_uri;
}}

server {{
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name {names};

    ssl_certificate /etc/ssl/shop/fullchain.pem;
    ssl_certificate_key /etc/ssl/shop/privkey.pem;
    ssl_session_cache shared:SSL:10m;
    add_header Strict-Transport-Security "max-age=63072000" always;
{basic_auth}
    location /static/ {{
        alias /srv/shop/current/static/;
        expires 30d;
        access_log off;
    }}

    location = /healthz {{
        proxy_pass http://shop_app;
        access_log off;
    }}

    location / {{
        proxy_pass http://shop_app;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout {read_timeout};
    }}
}}
"#
    )
}

/// `/srv/shop/.env`, with secrets replaced by a tag of their fingerprint.
pub(super) fn dotenv(vars: &[(&str, EnvValue)]) -> String {
    let mut out = String::from(
        "# Rendered by Ansible from the vault. Do not edit by hand.\n\
         # Secret values are redacted by the collector.\n",
    );
    for (name, value) in vars {
        let shown = match value {
            EnvValue::Plain(text) => text.clone(),
            EnvValue::Secret(label) => fake::file_tag(label),
        };
        out.push_str(&format!("{name}={shown}\n"));
    }
    out
}

/// `/etc/shop/gunicorn.conf.py`.
pub(super) fn gunicorn_conf(p: &Profile) -> String {
    // Gunicorn spells it "warning".
    let log_level = match p.log_level {
        "warn" => "warning",
        other => other,
    };
    let reload = if p.host.env == Env::Dev {
        "True"
    } else {
        "False"
    };
    format!(
        r#"# Gunicorn settings for the shop web app. Managed by Ansible.
import os

bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", {workers}))
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
preload_app = True
reload = {reload}
forwarded_allow_ips = "127.0.0.1"

accesslog = "-"
errorlog = "-"
loglevel = "{log_level}"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def post_fork(server, worker):
    server.log.info("worker %s booted", worker.pid)


def worker_abort(worker):
    worker.log.warning("worker %s aborted (timeout?)", worker.pid)
"#,
        workers = p.gunicorn_workers,
    )
}

/// `/etc/ssh/sshd_config`.
pub(super) fn sshd_config(p: &Profile) -> String {
    let (tcp_forwarding, log_level) = Per {
        dev: ("yes", "INFO"),
        staging: ("no", "INFO"),
        prod: ("no", "VERBOSE"),
    }
    .get(p.host.env);
    format!(
        r#"# Managed by Ansible (role: hardening).
Include /etc/ssh/sshd_config.d/*.conf

Port 22
AddressFamily inet
ListenAddress 0.0.0.0

HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_rsa_key

PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
AuthorizedKeysFile .ssh/authorized_keys

AllowGroups deploy ops
MaxAuthTries 3
LoginGraceTime 30
ClientAliveInterval 300
ClientAliveCountMax 2

X11Forwarding no
AllowTcpForwarding {tcp_forwarding}
AllowAgentForwarding no
PrintMotd no
AcceptEnv LANG LC_*
LogLevel {log_level}

Subsystem sftp /usr/lib/openssh/sftp-server
"#
    )
}

/// `/etc/systemd/system/shop-web.service`.
pub(super) fn shop_web_unit(p: &Profile) -> String {
    format!(
        r#"# Managed by Ansible (role: shop-web).
[Unit]
Description=Shop web application (gunicorn)
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
User=shop
Group=shop
WorkingDirectory=/srv/shop/current
EnvironmentFile=/srv/shop/.env
ExecStart=/srv/shop/venv/bin/gunicorn --config /etc/shop/gunicorn.conf.py shop.wsgi:application
ExecReload=/bin/kill -s HUP $MAINPID
Restart=on-failure
RestartSec=5
LimitNOFILE={nofile}
KillMode=mixed
TimeoutStopSec=35
PrivateTmp=true
NoNewPrivileges=true
ProtectSystem=full

[Install]
WantedBy=multi-user.target
"#,
        nofile = p.nofile,
    )
}

/// `/etc/sysctl.d/99-shop.conf`, from the same keys as the `sysctl.*` facts.
pub(super) fn sysctl_conf(sysctls: &[(&str, u64)]) -> String {
    let mut out = String::from("# Kernel tuning for the shop web tier. Managed by Ansible.\n");
    for (key, value) in sysctls {
        out.push_str(&format!("{key} = {value}\n"));
    }
    out
}

/// The non-default settings of the environment's database server, in `postgresql.conf` form.
pub(super) fn postgresql_settings(p: &Profile) -> String {
    let env = p.host.env;
    let server = Per {
        dev: "localhost",
        staging: "db.staging.internal",
        prod: "db.prod.internal",
    }
    .get(env);
    let (max_connections, shared_buffers, cache_size, work_mem, maintenance) = Per {
        dev: (100, "1GB", "3GB", "16MB", "256MB"),
        staging: (100, "1GB", "3GB", "8MB", "256MB"),
        prod: (400, "16GB", "48GB", "32MB", "2GB"),
    }
    .get(env);
    let slow_query = Per {
        dev: "0",
        staging: "250ms",
        prod: "500ms",
    }
    .get(env);
    let version = p.postgres;
    let major = p.postgres_major();
    format!(
        r#"# Non-default settings of {server} (pg_settings), PostgreSQL {version}.
data_directory = '/var/lib/postgresql/{major}/main'
listen_addresses = '*'
port = 5432
max_connections = {max_connections}
superuser_reserved_connections = 3
shared_buffers = {shared_buffers}
effective_cache_size = {cache_size}
work_mem = {work_mem}
maintenance_work_mem = {maintenance}
huge_pages = try
wal_level = replica
wal_compression = on
max_wal_size = 4GB
min_wal_size = 1GB
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_io_concurrency = 200
default_statistics_target = 100
autovacuum_max_workers = 4
autovacuum_vacuum_scale_factor = 0.05
log_min_duration_statement = {slow_query}
log_line_prefix = '%m [%p] %q%u@%d '
log_lock_waits = on
log_temp_files = 0
shared_preload_libraries = 'pg_stat_statements'
ssl = on
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = scram-sha-256
timezone = 'Etc/UTC'
"#
    )
}
