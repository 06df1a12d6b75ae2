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

/// `t` in whole seconds since the Unix epoch (negative before it).
pub fn epoch_secs(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// `t` in milliseconds since the Unix epoch (negative before it).
pub fn epoch_ms(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// Epoch milliseconds as `2026-11-22T06:23:50.123Z`.
pub fn rfc3339_ms(ms: i64) -> String {
    let t = if ms >= 0 {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64)
    } else {
        SystemTime::UNIX_EPOCH - std::time::Duration::from_millis(ms.unsigned_abs())
    };
    humantime::format_rfc3339_millis(t).to_string()
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

/// A chart time (epoch seconds, UTC) for an axis spanning `span_secs`: `06:23` within a day,
/// `11-22 06:23` within a week, `11-22` beyond; a span of 0 gives the full `2026-11-22 06:23:00`
/// for hover labels.
pub fn chart_time_label(secs: f64, span_secs: f64) -> String {
    if !secs.is_finite() {
        return String::new();
    }
    let whole = secs.round();
    let t = if whole >= 0.0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(whole as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs((-whole) as u64)
    };
    let full = short_utc(t); // 2026-11-22 06:23:50
    match span_secs {
        s if s <= 0.0 => format!("{full} UTC"),
        s if s <= 86_400.0 => full.get(11..16).unwrap_or(&full).to_owned(),
        s if s <= 7.0 * 86_400.0 => full.get(5..16).unwrap_or(&full).to_owned(),
        _ => full.get(5..10).unwrap_or(&full).to_owned(),
    }
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

/// The time zone a screen shows times in (UTC until the screen is told otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownZone(pub jiff::tz::TimeZone);

impl Default for ShownZone {
    fn default() -> Self {
        Self(jiff::tz::TimeZone::UTC)
    }
}

/// Epoch ms as `10:04:05.123` in `zone` (log lines).
pub fn clock_ms(ms: i64, zone: &jiff::tz::TimeZone) -> String {
    zoned(ms, zone).map_or_else(
        || "--:--:--.---".into(),
        |z| z.strftime("%H:%M:%S%.3f").to_string(),
    )
}

/// Epoch ms as `2026-12-01 10:04:05.123 +01:00` in `zone`.
pub fn full_ms(ms: i64, zone: &jiff::tz::TimeZone) -> String {
    zoned(ms, zone).map_or_else(
        || ms.to_string(),
        |z| z.strftime("%Y-%m-%d %H:%M:%S%.3f %:z").to_string(),
    )
}

fn zoned(ms: i64, zone: &jiff::tz::TimeZone) -> Option<jiff::Zoned> {
    let t = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(t.to_zoned(zone.clone()))
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
        assert_eq!(
            chart_time_label(1_795_000_000.0, 0.0),
            "2026-11-18 11:06:40 UTC"
        );
        assert_eq!(chart_time_label(1_795_000_000.0, 3_600.0), "11:06");
        assert_eq!(
            chart_time_label(1_795_000_000.0, 3.0 * 86_400.0),
            "11-18 11:06"
        );
        assert_eq!(chart_time_label(1_795_000_000.0, 30.0 * 86_400.0), "11-18");
        assert_eq!(chart_time_label(f64::NAN, 60.0), "");
        assert_eq!(age(t, t + Duration::from_secs(3_599)), "59m");
        assert_eq!(age(t, t + Duration::from_secs(7_200)), "2h");
        assert_eq!(age(t + Duration::from_secs(5), t), "0s");
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(clock_ms(1_795_000_000_123, &utc), "11:06:40.123");
        assert_eq!(
            full_ms(1_795_000_000_123, &utc),
            "2026-11-18 11:06:40.123 +00:00"
        );
        let tokyo = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
        assert_eq!(clock_ms(1_795_000_000_123, &tokyo), "20:06:40.123");
    }
}
