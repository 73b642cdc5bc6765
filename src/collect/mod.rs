//! Collection: turning hosts into snapshots.
//!
//! Agentless: every probe of a host is compiled into one POSIX `sh` script
//! ([`script`]), run in one round trip on this machine or over SSH ([`transport`]), and
//! its framed output ([`frames`]) parsed locally by pure parsers ([`parsers`]). Secrets
//! are replaced by keyed fingerprints ([`redact`]) before a snapshot exists. Hosts are
//! collected concurrently with progress messages ([`run`]).

pub mod ansible_inventory;
pub mod catalogue;
pub mod frames;
pub mod import;
pub mod interpret;
pub mod inventory;
pub mod key;
pub mod package_name;
pub mod parsers;
pub mod probe;
pub mod redact;
pub mod run;
pub mod schema;
pub mod script;
pub mod ssh_config;
pub mod sudo;
pub mod transport;
pub mod version_scheme;
pub mod via_ansible;

pub use inventory::{
    EntryOptions, HostJob, Plan, Selection, Target, plan, plan_at, plan_hosts, plan_hosts_at,
};
pub use key::{WorkspaceKey, load_or_create};
pub use run::{CollectOptions, Collected, Collector, Progress, start};
