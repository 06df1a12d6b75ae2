//! What "Export incident…" writes besides the report: the log lines around each marked
//! event (every deployment mark, and each crash loop's start), one file per mark.

use super::range_logs::RangeLogs;
use super::timeline::Timeline;
use crate::model::time_format::rfc3339_ms;
use serde::{Deserialize, Serialize};

/// Seconds of logs before a mark.
pub const BEFORE_SECS: i64 = 120;
/// Seconds of logs after a mark.
pub const AFTER_SECS: i64 = 300;
/// Most marks whose logs one export reads.
pub const MAX_MARKS: usize = 12;

/// The logs to write around one mark.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExportRange {
    /// What the mark is (`deploy web:43`), also the file's name.
    pub label: String,
    /// When it happened, epoch seconds.
    pub at_secs: i64,
    /// Start of the lines, epoch ms.
    pub start_ms: i64,
    /// End of the lines, epoch ms.
    pub end_ms: i64,
}

impl ExportRange {
    /// `20261206-101300-deploy-web-43.log`: sortable, and safe on every file system.
    pub fn file_name(&self) -> String {
        let when = rfc3339_ms(self.at_secs * 1_000);
        let stamp: String = when
            .chars()
            .take(19)
            .filter(|c| c.is_ascii_digit() || *c == 'T')
            .map(|c| if c == 'T' { '-' } else { c })
            .collect();
        let label: String = self
            .label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let label = label
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!("{stamp}-{label}.log")
    }
}

/// The marks of `timeline` whose logs an export writes: every deployment mark, then the
/// start of each crash loop, oldest first, at most [`MAX_MARKS`].
pub fn export_ranges(timeline: &Timeline) -> Vec<ExportRange> {
    let range = |label: String, at: i64| ExportRange {
        label,
        at_secs: at,
        start_ms: (at - BEFORE_SECS) * 1_000,
        end_ms: (at + AFTER_SECS) * 1_000,
    };
    let mut ranges: Vec<ExportRange> = timeline
        .markers
        .iter()
        .map(|m| range(m.label(), m.at_secs))
        .chain(
            timeline
                .stops
                .iter()
                .filter(|r| r.group.crash_loop)
                .map(|r| {
                    range(
                        format!("crash loop {}", r.diagnosis.kind.label()),
                        crate::model::time_format::epoch_secs(r.group.first),
                    )
                }),
        )
        .collect();
    ranges.sort_by_key(|r| r.at_secs);
    ranges.dedup_by(|a, b| a.label == b.label && a.at_secs == b.at_secs);
    ranges.truncate(MAX_MARKS);
    ranges
}

/// The text of one log file: a header, then `time source text` per line.
pub fn log_file_text(range: &ExportRange, logs: &RangeLogs) -> String {
    let mut out = format!(
        "# {} at {}: every task's lines from {} to {}\n",
        range.label,
        rfc3339_ms(range.at_secs * 1_000),
        rfc3339_ms(range.start_ms),
        rfc3339_ms(range.end_ms)
    );
    if logs.truncated {
        out.push_str("# more lines matched: these are the first\n");
    }
    for note in &logs.notes {
        out.push_str(&format!("# {note}\n"));
    }
    for line in &logs.lines {
        out.push_str(&format!(
            "{} {} {}\n",
            rfc3339_ms(line.at_ms),
            line.source,
            line.text
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::range_logs::RangeLine;
    use crate::model::metrics::markers::{ChartMarker, MarkerKind};

    #[test]
    fn every_mark_gets_a_safe_sortable_file_of_the_lines_around_it() {
        let timeline = Timeline {
            markers: vec![
                ChartMarker {
                    at_secs: 1_780_000_000,
                    kind: MarkerKind::RolledBack,
                    revision: "arn:aws:ecs:us-east-1:1:task-definition/web:41".into(),
                    previous: None,
                    deployment: None,
                },
                ChartMarker {
                    at_secs: 1_779_999_000,
                    kind: MarkerKind::Started,
                    revision: "arn:aws:ecs:us-east-1:1:task-definition/web:42".into(),
                    previous: None,
                    deployment: None,
                },
            ],
            ..Timeline::default()
        };
        let ranges = export_ranges(&timeline);
        assert_eq!(ranges.len(), 2);
        assert_eq!(ranges[0].label, "deploy web:42", "oldest first");
        assert_eq!(ranges[0].end_ms - ranges[0].start_ms, 420_000);
        let name = ranges[1].file_name();
        assert_eq!(name, "20260528-202640-rollback-web-41.log");
        let logs = RangeLogs {
            lines: vec![RangeLine {
                at_ms: 1_780_000_000_500,
                source: "web/app/0a1b2c3d".into(),
                severity: ecsdeck_core::log_severity::Severity::Error,
                text: "ERROR boom".into(),
            }],
            truncated: true,
            ..RangeLogs::default()
        };
        let text = log_file_text(&ranges[1], &logs);
        assert!(text.starts_with("# rollback web:41 at 2026-05-28T20:26:40.000Z"));
        assert!(text.contains("# more lines matched"));
        assert!(text.ends_with("2026-05-28T20:26:40.500Z web/app/0a1b2c3d ERROR boom\n"));
    }
}
