//! Deterministic stand-ins for what the demo cannot hold: secret fingerprints, serial
//! numbers, and the jitter of volatile measurements.
//!
//! The demo holds no secret anywhere: each fingerprint, shaped like the collector's
//! `hmac-sha256:<hex>`, is derived from a label such as `prod/STRIPE_API_KEY`, so equal labels
//! give equal fingerprints and different labels different ones, which is all a comparison
//! needs.

use crate::model::Value;

/// The redacted value standing for the secret named `label`.
pub(super) fn fingerprint(label: &str) -> Value {
    Value::Redacted(format!("hmac-sha256:{}", hex_id(label)))
}

/// A short tag for the secret named `label`, as shown in redacted file contents.
pub(super) fn file_tag(label: &str) -> String {
    let hex = hex_id(label);
    format!("<redacted:{}>", &hex[..12])
}

/// A stable 64-bit hash of `label` (FNV-1a).
pub(super) fn hash64(label: &str) -> u64 {
    label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// 64 stable hex digits for `label` (a SplitMix64 stream seeded by [`hash64`]), for
/// fingerprints, serial numbers and other opaque identifiers.
pub(super) fn hex_id(label: &str) -> String {
    let mut state = hash64(label);
    let mut out = String::with_capacity(64);
    for _ in 0..4 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct_per_label() {
        assert_eq!(fingerprint("prod/A"), fingerprint("prod/A"));
        assert_ne!(fingerprint("prod/A"), fingerprint("staging/A"));
        let Value::Redacted(text) = fingerprint("prod/A") else {
            panic!("not redacted");
        };
        let hex = text.strip_prefix("hmac-sha256:").unwrap();
        assert_eq!(hex.len(), 64);
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn file_tags_are_a_prefix_of_the_fingerprint() {
        let Value::Redacted(text) = fingerprint("dev/X") else {
            panic!("not redacted");
        };
        let tag = file_tag("dev/X");
        assert!(text.contains(&tag["<redacted:".len()..tag.len() - 1]));
    }
}
