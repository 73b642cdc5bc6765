//! Reading the timeouts of `[collect]`: a humantime duration (`"5s"`, `"2m"`, `"1500ms"`)
//! within sane bounds, so a huge value is a configuration error naming the key instead
//! of an overflow when a deadline is computed from it.

use std::time::Duration;

use serde::{Deserialize, Deserializer, de};

/// The longest timeout accepted: one day.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// Reads the timeout `text` of the setting `key` (named in messages): a humantime
/// duration more than zero and at most [`MAX_TIMEOUT`].
pub fn parse_timeout(key: &str, text: &str) -> Result<Duration, String> {
    let shown = crate::model::excerpt(text, 40);
    let value = humantime::parse_duration(text).map_err(|e| {
        format!("{key} = \"{shown}\": {e} (write e.g. \"30s\", \"2m\", \"1500ms\")")
    })?;
    if value.is_zero() {
        return Err(format!("{key} must be more than 0 (e.g. \"30s\")"));
    }
    if value > MAX_TIMEOUT {
        return Err(format!(
            "{key} = \"{shown}\" is too long: a timeout may be at most \"24h\""
        ));
    }
    Ok(value)
}

fn timeout<'de, D: Deserializer<'de>>(key: &str, d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    parse_timeout(key, &text).map_err(de::Error::custom)
}

/// `[collect] connect_timeout`.
pub fn connect_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    timeout("connect_timeout", d)
}

/// `[collect] host_timeout`.
pub fn host_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    timeout("host_timeout", d)
}

/// `[collect] probe_timeout`.
pub fn probe_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    timeout("probe_timeout", d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(deserialize_with = "host_timeout")]
        host_timeout: Duration,
    }

    fn parse(value: &str) -> Result<Duration, String> {
        toml::from_str::<Doc>(&format!("host_timeout = \"{value}\""))
            .map(|d| d.host_timeout)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn ordinary_durations_are_read() {
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("24h"), Ok(MAX_TIMEOUT));
    }

    #[test]
    fn huge_zero_and_malformed_durations_name_the_key() {
        let err = parse("18446744073709551615s").unwrap_err();
        assert!(
            err.contains("host_timeout") && err.contains("too long"),
            "{err}"
        );
        let err = parse("0s").unwrap_err();
        assert!(err.contains("host_timeout must be more than 0"), "{err}");
        let err = parse("soon").unwrap_err();
        assert!(err.contains("host_timeout = \"soon\""), "{err}");
        let err = parse(&"9".repeat(10_000)).unwrap_err();
        assert!(err.len() < 300, "{err}");
    }
}
