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

/// Error lines per minute in a loaded tail, and from when the tail holds every line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TailCounts {
    /// Minute start (epoch seconds) → lines of level ERROR or worse.
    pub per_minute: BTreeMap<i64, u32>,
    /// The tail holds every line from here (epoch seconds).
    pub covered_from_secs: i64,
}

/// Counts the error lines of `data` per minute (off the UI thread: a full buffer is a
/// million lines).
pub fn count_tail(data: &crate::model::logs::tail::TailData) -> TailCounts {
    use ecsdeck_core::log_severity::Severity;
    let mut per_minute = BTreeMap::new();
    let errors = data
        .buffer
        .iter_from(data.buffer.first_index())
        .filter(|(_, meta, _)| meta.severity >= Severity::Error)
        .map(|(_, meta, _)| meta.timestamp_ms);
    count_minutes(&mut per_minute, errors);
    TailCounts {
        per_minute,
        covered_from_secs: data.covered_from_ms.div_euclid(1_000),
    }
}

/// Whether the tail of `spec` holds exactly the lines the timeline of `key` counts: the same
/// services, and no server-side filter.
pub fn tail_matches(
    spec: &crate::model::logs::tail::TailSpec,
    key: &super::timeline::IncidentKey,
) -> bool {
    use crate::model::logs::tail::TailTarget;
    let TailTarget::Services { cluster, services } = &spec.target else {
        return false;
    };
    let mut a = services.clone();
    let mut b = key.services.clone();
    a.sort();
    b.sort();
    spec.filter_pattern.is_none() && *cluster == key.cluster && !b.is_empty() && a == b
}

/// The first whole minute the tail covers.
pub fn tail_first_minute(tail: &TailCounts) -> i64 {
    (tail.covered_from_secs + 59).div_euclid(60) * 60
}

/// Puts the tail's counts in `counts` from its first whole minute on.
pub fn merge_tail(counts: &mut super::sources::ErrorCounts, tail: &TailCounts) {
    let from = tail_first_minute(tail);
    counts.per_minute.retain(|minute, _| *minute < from);
    counts
        .per_minute
        .extend(tail.per_minute.range(from..).map(|(m, n)| (*m, *n)));
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
    fn the_tail_counts_from_its_first_whole_minute_and_queries_count_before() {
        let mut counts = crate::model::incident::sources::ErrorCounts {
            per_minute: [(0, 5), (60, 7), (120, 9)].into(),
            ..Default::default()
        };
        let tail = TailCounts {
            per_minute: [(60, 1), (120, 2), (180, 3)].into(),
            covered_from_secs: 75,
        };
        assert_eq!(tail_first_minute(&tail), 120);
        merge_tail(&mut counts, &tail);
        assert_eq!(
            counts.per_minute.into_iter().collect::<Vec<_>>(),
            [(0, 5), (60, 7), (120, 2), (180, 3)],
            "minute 60 is only partly in the tail: the query's count stays"
        );
    }

    #[test]
    fn only_a_tail_of_the_same_services_without_a_filter_counts() {
        use crate::model::incident::timeline::IncidentKey;
        use crate::model::logs::tail::{TailSpec, TailTarget};
        let key = IncidentKey::service("c", "s", 3_600);
        let spec = |services: Vec<&str>, filter: Option<&str>| TailSpec {
            target: TailTarget::Services {
                cluster: "c".into(),
                services: services.into_iter().map(str::to_owned).collect(),
            },
            since_ms: 0,
            filter_pattern: filter.map(str::to_owned),
            live: true,
            follow: true,
        };
        assert!(tail_matches(&spec(vec!["s"], None), &key));
        assert!(!tail_matches(&spec(vec!["s", "t"], None), &key));
        assert!(!tail_matches(&spec(vec!["s"], Some("ERROR")), &key));
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
