//! Counting error lines per minute: the Logs Insights query and its answer, the
//! FilterLogEvents fallback, and lines already loaded in a tail.

use std::collections::BTreeMap;

/// The Logs Insights query: lines that look like errors, counted per minute.
pub const INSIGHTS_QUERY: &str = "fields @timestamp | filter @message like /(?i)(error|fatal|critical|panic|exception)/ | stats count(*) as errors by bin(1m)";

/// The FilterLogEvents pattern used where Insights is denied: one term, which every
/// endpoint reads the same way (AWS's `?A ?B` alternatives are not understood by all).
pub const FALLBACK_PATTERN: &str = "ERROR";

/// Most FilterLogEvents events counted for one timeline: beyond this the count is marked as
/// a lower bound rather than paging on for minutes.
pub const FALLBACK_MAX_EVENTS: usize = 200_000;

/// Reads Insights rows (`bin(1m)` = `2026-06-05 10:01:00.000`, `errors` = `12`) into
/// minute → count. Rows without both fields are skipped; None when no row had them (the
/// endpoint did not aggregate).
pub fn from_insights_rows(rows: &[Vec<(String, String)>]) -> Option<BTreeMap<i64, u32>> {
    let mut out = BTreeMap::new();
    let mut understood = false;
    for row in rows {
        let field = |name: &str| row.iter().find(|(f, _)| f == name).map(|(_, v)| v.as_str());
        let (Some(bin), Some(count)) = (field("bin(1m)"), field("errors")) else {
            continue;
        };
        let (Some(at), Ok(count)) = (insights_time_secs(bin), count.trim().parse::<f64>()) else {
            continue;
        };
        understood = true;
        *out.entry(at.div_euclid(60) * 60).or_insert(0) += count.max(0.0) as u32;
    }
    (understood || rows.is_empty()).then_some(out)
}

/// `2026-06-05 10:01:00.000` (UTC, as Insights writes times) → epoch seconds.
pub fn insights_time_secs(text: &str) -> Option<i64> {
    let iso = format!("{}Z", text.trim().replacen(' ', "T", 1));
    iso.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

/// Adds event timestamps (epoch ms) to per-minute counts.
pub fn count_minutes(
    counts: &mut BTreeMap<i64, u32>,
    timestamps_ms: impl IntoIterator<Item = i64>,
) {
    for ms in timestamps_ms {
        let minute = ms.div_euclid(60_000) * 60;
        *counts.entry(minute).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(bin: &str, errors: &str) -> Vec<(String, String)> {
        vec![
            ("bin(1m)".to_owned(), bin.to_owned()),
            ("errors".to_owned(), errors.to_owned()),
        ]
    }

    #[test]
    fn insights_rows_become_minutes() {
        let rows = [
            row("2026-06-05 10:01:00.000", "12"),
            row("2026-06-05 10:03:00.000", "3"),
        ];
        let counts = from_insights_rows(&rows).unwrap();
        let ten_oh_one = insights_time_secs("2026-06-05 10:01:00.000").unwrap();
        assert_eq!(ten_oh_one % 60, 0);
        assert_eq!(
            counts.into_iter().collect::<Vec<_>>(),
            [(ten_oh_one, 12), (ten_oh_one + 120, 3)]
        );
    }

    #[test]
    fn rows_that_are_not_counts_say_the_endpoint_did_not_aggregate() {
        let raw = [vec![
            (
                "@timestamp".to_owned(),
                "2026-06-05 10:01:02.000".to_owned(),
            ),
            ("@message".to_owned(), "ERROR boom".to_owned()),
        ]];
        assert_eq!(from_insights_rows(&raw), None);
        assert_eq!(from_insights_rows(&[]), Some(BTreeMap::new()));
        assert_eq!(insights_time_secs("not a time"), None);
    }

    #[test]
    fn timestamps_are_counted_per_minute() {
        let mut counts = BTreeMap::new();
        count_minutes(&mut counts, [60_000, 61_500, 119_999, 120_000, -1]);
        assert_eq!(
            counts.into_iter().collect::<Vec<_>>(),
            [(-60, 1), (60, 3), (120, 1)]
        );
    }
}
