//! The merged log lines of every task of the timeline's services in a time range (a minute
//! of the error rate clicked, or a range dragged across a chart): bounded, sanitised, in
//! time order.

use crate::model::logs::buffer::displayable;
use crate::model::logs::poll::FetchedEvent;
use ecsdeck_core::log_severity::{Severity, detect};
use serde::{Deserialize, Serialize};

/// Most lines one range holds (the newest are cut, and the cut is said).
pub const MAX_RANGE_LINES: usize = 5_000;

/// Whose lines, over which range.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RangeLogsKey {
    /// Cluster ARN.
    pub cluster: String,
    /// Service ARNs (empty: the cluster's services on the timeline).
    pub services: Vec<String>,
    /// Start, epoch ms (inclusive).
    pub start_ms: i64,
    /// End, epoch ms (exclusive).
    pub end_ms: i64,
}

/// One line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeLine {
    /// When, epoch ms.
    pub at_ms: i64,
    /// `web/api/1f2e3d4c`: service, container and task of its stream.
    pub source: String,
    /// Its level.
    pub severity: Severity,
    /// The text, safe to show.
    pub text: String,
}

/// The lines of a range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeLogs {
    /// Oldest first.
    pub lines: Vec<RangeLine>,
    /// More lines matched than [`MAX_RANGE_LINES`]: the newest were left out.
    pub truncated: bool,
    /// The log groups read.
    pub groups: Vec<String>,
    /// Containers whose logs this range could not read, and why.
    pub notes: Vec<String>,
}

/// Merges the events of each source (`label`, events) into one bounded, time-ordered list.
pub fn merge(per_source: Vec<(String, Vec<FetchedEvent>)>) -> RangeLogs {
    let mut lines: Vec<RangeLine> = per_source
        .into_iter()
        .flat_map(|(label, events)| {
            events.into_iter().map(move |e| {
                let task = crate::model::logs::source::task_of_stream(&e.stream);
                let short_task = task.get(..8).unwrap_or(task);
                let text = displayable(&e.message).unwrap_or(e.message);
                RangeLine {
                    at_ms: e.timestamp_ms,
                    source: format!("{label}/{short_task}"),
                    severity: detect(&text),
                    text,
                }
            })
        })
        .collect();
    lines.sort_by_key(|l| l.at_ms);
    let truncated = lines.len() > MAX_RANGE_LINES;
    lines.truncate(MAX_RANGE_LINES);
    RangeLogs {
        lines,
        truncated,
        ..RangeLogs::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(stream: &str, at_ms: i64, message: &str) -> FetchedEvent {
        FetchedEvent {
            stream: stream.into(),
            event_id: None,
            timestamp_ms: at_ms,
            message: message.into(),
            ingestion_ms: None,
        }
    }

    #[test]
    fn lines_of_every_task_merge_in_time_order_and_are_made_safe() {
        let logs = merge(vec![
            (
                "web/api".into(),
                vec![
                    event("ecs/api/1f2e3d4c5b6a", 3_000, "ERROR out of memory"),
                    event("ecs/api/1f2e3d4c5b6a", 1_000, "INFO start"),
                ],
            ),
            (
                "web/envoy".into(),
                vec![event("ecs/envoy/99aa", 2_000, "evil \u{1b}[31m red")],
            ),
        ]);
        let at: Vec<i64> = logs.lines.iter().map(|l| l.at_ms).collect();
        assert_eq!(at, [1_000, 2_000, 3_000]);
        assert_eq!(logs.lines[0].source, "web/api/1f2e3d4c");
        assert_eq!(logs.lines[1].source, "web/envoy/99aa");
        assert!(!logs.lines[1].text.contains('\u{1b}'));
        assert_eq!(logs.lines[2].severity, Severity::Error);
        assert!(!logs.truncated);
    }

    #[test]
    fn a_range_keeps_at_most_its_bound() {
        let many = (0..MAX_RANGE_LINES as i64 + 10)
            .map(|i| event("ecs/api/t", i, "x"))
            .collect();
        let logs = merge(vec![("web/api".into(), many)]);
        assert_eq!(logs.lines.len(), MAX_RANGE_LINES);
        assert!(logs.truncated);
        assert_eq!(logs.lines[0].at_ms, 0, "the oldest are kept");
    }
}
