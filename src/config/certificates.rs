//! `[certificates]`: when a certificate counts as near expiry in comparisons.

use serde::Deserialize;

/// `[certificates]`: when a certificate counts as near expiry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CertificatesConfig {
    /// How long before its `not_after` a certificate is near expiry, as a humantime
    /// duration (`"30days"`, `"6weeks"`); default 30 days.
    pub near_expiry: Option<String>,
}

impl CertificatesConfig {
    /// The window, or the default when unset; the error names the key and the fix.
    pub fn window(&self) -> Result<Option<chrono::Duration>, String> {
        let Some(text) = &self.near_expiry else {
            return Ok(None);
        };
        let parsed = humantime::parse_duration(text).map_err(|e| {
            format!(
                "[certificates] near_expiry: '{text}' is not a duration ({e}); write e.g. \"30days\" or \"6weeks\""
            )
        })?;
        chrono::Duration::from_std(parsed)
            .ok()
            .filter(|d| *d <= chrono::Duration::days(3650))
            .map(Some)
            .ok_or_else(|| format!("[certificates] near_expiry: '{text}' is longer than ten years"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_reads_humantime_and_bad_values_are_named() {
        let window = |text: &str| {
            CertificatesConfig {
                near_expiry: Some(text.into()),
            }
            .window()
        };
        assert_eq!(window("6weeks"), Ok(Some(chrono::Duration::days(42))));
        assert_eq!(CertificatesConfig::default().window(), Ok(None));
        assert!(window("soon").unwrap_err().contains("near_expiry: 'soon'"));
        assert!(window("400years").unwrap_err().contains("ten years"));
    }
}
