//! Side references from the command line, parsed once into [`SideRef`]s for the
//! store's comparison pipeline ([`crate::store::compare`]).

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use crate::model::Category;
use crate::store::{CompareRequest, SideRef};

/// A comparison request from references as typed (`ENV`, `ENV@TIME`, `ENV/HOST[@TIME]`
/// or a snapshot file), relative times counted back from `now`.
pub fn request(
    references: &[String],
    category: Option<Category>,
    include_equal: bool,
    now: DateTime<Utc>,
) -> Result<CompareRequest> {
    Ok(CompareRequest {
        sides: parse_sides(references, now)?,
        category,
        include_equal,
    })
}

/// Parses each reference; the first that does not read fails the call, as do fewer
/// than two references.
pub fn parse_sides(references: &[String], now: DateTime<Utc>) -> Result<Vec<SideRef>> {
    if references.len() < 2 {
        return Err(eyre!("a comparison needs at least two snapshot references"));
    }
    references
        .iter()
        .map(|reference| SideRef::parse(reference, now))
        .collect()
}
