//! Timestamps: RFC 3339 in JSON output, and short relative ages for the UI.

use std::time::{Duration, SystemTime};

/// Serde helpers for `Option<SystemTime>` as RFC 3339 strings.
pub mod opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::SystemTime;

    /// Writes `Some(t)` as an RFC 3339 string, `None` as null.
    pub fn serialize<S: Serializer>(value: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => s.serialize_str(&super::rfc3339(*t)),
            None => s.serialize_none(),
        }
    }

    /// Reads what `serialize` wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SystemTime>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| humantime::parse_rfc3339(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// `2026-11-22T06:23:50Z`.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// `2026-11-22 06:23:50` (UTC), for tables.
pub fn short_utc(t: SystemTime) -> String {
    rfc3339(t)
        .replacen('T', " ", 1)
        .trim_end_matches('Z')
        .to_owned()
}

/// How long ago `then` was, in one unit: `5s`, `3m`, `2h`, `4d`.
pub fn age(then: SystemTime, now: SystemTime) -> String {
    let secs = now.duration_since(then).unwrap_or(Duration::ZERO).as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        _ => format!("{}d", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40Z");
        assert_eq!(short_utc(t), "2026-11-18 11:06:40");
        assert_eq!(age(t, t + Duration::from_secs(59)), "59s");
        assert_eq!(age(t, t + Duration::from_secs(3_599)), "59m");
        assert_eq!(age(t, t + Duration::from_secs(7_200)), "2h");
        assert_eq!(age(t + Duration::from_secs(5), t), "0s");
    }
}
