//! The fixed set of fact categories.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A group of related facts. The declaration order is the display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// OS, kernel, runtimes, libraries, packages and server versions.
    Versions,
    /// Configuration files, environment variables, sysctl keys, locale, limits.
    Config,
    /// Database schema: tables, columns, indexes, migrations.
    Schema,
    /// Resolver, hosts file, listening sockets, routes, firewall, certificates.
    Network,
    /// CPU, memory, disks, mounts.
    Infra,
    /// Service units and their state.
    Services,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 6] = [
        Category::Versions,
        Category::Config,
        Category::Schema,
        Category::Network,
        Category::Infra,
        Category::Services,
    ];

    /// The lowercase name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Versions => "versions",
            Category::Config => "config",
            Category::Schema => "schema",
            Category::Network => "network",
            Category::Infra => "infra",
            Category::Services => "services",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a category name that is not one of [`Category::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory(pub String);

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        write!(
            f,
            "unknown category '{}' (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownCategory {}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_from_str() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        }
        assert!("bogus".parse::<Category>().is_err());
    }
}
