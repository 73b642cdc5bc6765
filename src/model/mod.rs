//! The plain data types of driftscope: snapshots, facts, values, categories and
//! annotations.
//!
//! Nothing here performs I/O. Every other module speaks in these types: `collect`
//! produces [`Snapshot`]s, `store` keeps them on disk, `diff` compares them.

mod annotation;
mod category;
mod fact_map;
mod sanitize;
mod schema_key;
mod snapshot;
pub(crate) use snapshot::{check_header, malformed};
mod value;

pub use annotation::{
    Annotation, AnnotationId, AnnotationKind, FINGERPRINT_PREFIX, is_fingerprint,
    join_environments, parse_expiry,
};
pub use category::{Category, UnknownCategory};
pub use sanitize::{excerpt, sanitize};
pub use schema_key::{SchemaKey, SchemaKind, parse_schema_key, quote_ident, schema_group};
pub use snapshot::{
    FORMAT_ID, FORMAT_VERSION, FactKey, FactMap, OLDEST_FORMAT_VERSION, ProbeError, Snapshot,
    SnapshotError, Source, is_readable_version,
};
pub use value::{Scalar, Value};
