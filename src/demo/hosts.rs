//! The demo's environments and hosts, and [`Per`] for values chosen by environment.

/// One of the demo's three environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Env {
    Dev,
    Staging,
    Prod,
}

impl Env {
    /// The environment's name, as in the configuration.
    pub(super) fn name(self) -> &'static str {
        match self {
            Env::Dev => "dev",
            Env::Staging => "staging",
            Env::Prod => "prod",
        }
    }
}

/// One value per environment, named so a table of differences reads as one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Per<T> {
    pub dev: T,
    pub staging: T,
    pub prod: T,
}

impl<T> Per<T> {
    /// The value for `env`.
    pub(super) fn get(self, env: Env) -> T {
        match env {
            Env::Dev => self.dev,
            Env::Staging => self.staging,
            Env::Prod => self.prod,
        }
    }
}

/// A demo host: its environment and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Host {
    pub env: Env,
    pub name: &'static str,
}

/// Every demo host. `CONFIG_TOML` lists them as `deploy@<name>.internal`.
pub(super) const HOSTS: [Host; 6] = [
    Host {
        env: Env::Dev,
        name: "dev-1",
    },
    Host {
        env: Env::Staging,
        name: "stg-web-1",
    },
    Host {
        env: Env::Staging,
        name: "stg-web-2",
    },
    Host {
        env: Env::Prod,
        name: "prod-web-1",
    },
    Host {
        env: Env::Prod,
        name: "prod-web-2",
    },
    Host {
        env: Env::Prod,
        name: "prod-web-3",
    },
];

impl Host {
    /// The host's position in [`HOSTS`], used to stagger collection times.
    pub(super) fn ordinal(&self) -> usize {
        HOSTS.iter().position(|h| h == self).unwrap_or(0)
    }
}
