//! The postmortem report of a timeline: the range, the services, the timeline as a table,
//! each stopped-task cause with its count, and the deployments with what they changed — as
//! Markdown, plain text, or JSON (serde), the same for the export and `ecsdeck incident`.

use super::timeline::{EventTone, Timeline};
use crate::model::ecs::short_id;
use crate::model::incident::sources::ErrorCountSource;
use crate::model::time_format::{epoch_secs, rfc3339};
use serde::Serialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One row of the timeline table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportEvent {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// When it ended, for spans.
    pub until: Option<String>,
    /// Its lane.
    pub lane: String,
    /// `info`, `good`, `warn`, `bad`.
    pub tone: &'static str,
    /// The service, if one.
    pub service: Option<String>,
    /// One line.
    pub title: String,
    /// More lines.
    pub detail: Vec<String>,
}

/// One cause of stopped tasks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportCause {
    /// The cause (`Out of memory`).
    pub cause: String,
    /// The service.
    pub service: Option<String>,
    /// The container it concerns.
    pub container: Option<String>,
    /// Tasks.
    pub count: usize,
    /// A crash loop.
    pub crash_loop: bool,
    /// First stop.
    pub first: String,
    /// Last stop.
    pub last: String,
    /// The diagnosis in one line.
    pub diagnosis: String,
    /// What ECS said.
    pub evidence: Vec<String>,
    /// The fix.
    pub fix: String,
    /// Tasks only the recorder still has.
    pub recorded: usize,
}

/// One deployment mark.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportDeployment {
    /// When.
    pub at: String,
    /// `deploy`, `done`, `failed`, `rollback`.
    pub kind: &'static str,
    /// The revision.
    pub revision: String,
    /// The revision before, when known.
    pub previous: Option<String>,
    /// What changed between them (the diff in one line), when both could be read.
    pub changed: Option<String>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// `checkout-api`, `web, api`, `cluster prod`.
    pub scope: String,
    /// Cluster.
    pub cluster: String,
    /// Services shown.
    pub services: Vec<String>,
    /// Start of the range.
    pub start: String,
    /// End of the range.
    pub end: String,
    /// Stopped tasks in all.
    pub stopped_tasks: usize,
    /// Error lines counted in the range.
    pub error_lines: u64,
    /// The minute with the most error lines, and how many.
    pub peak_errors: Option<(String, u32)>,
    /// How errors were counted.
    pub errors_counted_with: String,
    /// Every event, oldest first.
    pub timeline: Vec<ReportEvent>,
    /// Why tasks stopped, failures first.
    pub stop_causes: Vec<ReportCause>,
    /// The deployments.
    pub deployments: Vec<ReportDeployment>,
    /// Sources that could not be read.
    pub problems: Vec<String>,
}

fn at(secs: i64) -> String {
    rfc3339(UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64))
}

fn when(t: SystemTime) -> String {
    at(epoch_secs(t))
}

fn tone_name(tone: EventTone) -> &'static str {
    match tone {
        EventTone::Info => "info",
        EventTone::Good => "good",
        EventTone::Warn => "warn",
        EventTone::Bad => "bad",
    }
}

/// The report of `timeline` (of `scope` in `cluster`).
pub fn report(scope: &str, cluster: &str, timeline: &Timeline) -> Report {
    let counts = &timeline.error_rate.counts;
    let mut causes: Vec<ReportCause> = timeline
        .stops
        .iter()
        .map(|row| ReportCause {
            cause: row.diagnosis.kind.label(),
            service: row.group.service.clone(),
            container: row.group.container.clone(),
            count: row.group.count(),
            crash_loop: row.group.crash_loop,
            first: when(row.group.first),
            last: when(row.group.last),
            diagnosis: row.diagnosis.title.clone(),
            evidence: row.diagnosis.evidence.clone(),
            fix: row.diagnosis.fix.clone(),
            recorded: row.recorded(),
        })
        .collect();
    causes.sort_by_key(|c| (c.fix.is_empty(), std::cmp::Reverse(c.count)));
    Report {
        scope: scope.to_owned(),
        cluster: short_id(cluster).to_owned(),
        services: timeline.services.clone(),
        start: at(timeline.start_secs),
        end: at(timeline.end_secs),
        stopped_tasks: timeline.stops.iter().map(|r| r.group.count()).sum(),
        error_lines: timeline
            .error_rate
            .total_between(timeline.start_secs - 60, timeline.end_secs + 60),
        peak_errors: timeline.error_rate.peak().map(|(t, n)| (at(t), n)),
        errors_counted_with: match &counts.source {
            ErrorCountSource::Insights => "CloudWatch Logs Insights".to_owned(),
            ErrorCountSource::FilterLogEvents(p) => format!("FilterLogEvents, pattern {p}"),
            ErrorCountSource::Tail => "the loaded log tail".to_owned(),
            ErrorCountSource::None => "not counted".to_owned(),
        },
        timeline: timeline
            .events
            .iter()
            .map(|e| ReportEvent {
                at: at(e.at_secs),
                until: e.until_secs.map(at),
                lane: e.lane.label().to_owned(),
                tone: tone_name(e.tone),
                service: e.service.clone(),
                title: e.title.clone(),
                detail: e.detail.clone(),
            })
            .collect(),
        stop_causes: causes,
        deployments: timeline
            .markers
            .iter()
            .map(|m| ReportDeployment {
                at: at(m.at_secs),
                kind: m.kind.label(),
                revision: short_id(&m.revision).to_owned(),
                previous: m.diff_pair().map(|(old, _)| short_id(&old).to_owned()),
                changed: m
                    .diff_pair()
                    .and_then(|pair| timeline.changes.get(&pair).cloned()),
            })
            .collect(),
        problems: timeline
            .problems
            .iter()
            .map(|p| format!("{}: {} — {}", p.source, p.error.code, p.error.message))
            .collect(),
    }
}

/// A Markdown table cell: pipes escaped, lines joined.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The report as Markdown.
pub fn to_markdown(report: &Report) -> String {
    let mut out = format!(
        "# Incident report: {} ({})\n\n",
        report.scope, report.cluster
    );
    out.push_str(&format!("- Range: {} – {}\n", report.start, report.end));
    out.push_str(&format!("- Services: {}\n", report.services.join(", ")));
    out.push_str(&format!("- Stopped tasks: {}\n", report.stopped_tasks));
    out.push_str(&format!(
        "- Error lines: {} (counted with {})",
        report.error_lines, report.errors_counted_with
    ));
    if let Some((minute, count)) = &report.peak_errors {
        out.push_str(&format!(", peak {count}/min at {minute}"));
    }
    out.push_str("\n\n## Deployments\n\n");
    if report.deployments.is_empty() {
        out.push_str("None in this range.\n");
    }
    for d in &report.deployments {
        out.push_str(&format!("- {} **{}** {}", d.at, d.kind, d.revision));
        if let Some(previous) = &d.previous {
            out.push_str(&format!(" (from {previous})"));
        }
        if let Some(changed) = &d.changed {
            out.push_str(&format!(": {}", cell(changed)));
        }
        out.push('\n');
    }
    out.push_str("\n## Why tasks stopped\n\n");
    if report.stop_causes.is_empty() {
        out.push_str("No task stopped in this range.\n");
    }
    for c in &report.stop_causes {
        let service = c.service.as_deref().unwrap_or("standalone");
        out.push_str(&format!(
            "### {} ×{} ({service}){}\n\n{}\n\n",
            c.cause,
            c.count,
            if c.crash_loop { ", crash loop" } else { "" },
            c.diagnosis
        ));
        out.push_str(&format!("From {} to {}.", c.first, c.last));
        if c.recorded > 0 {
            out.push_str(&format!(
                " {} recorded by ECS Deck after ECS forgot them.",
                c.recorded
            ));
        }
        out.push_str("\n\n");
        for line in &c.evidence {
            out.push_str(&format!("- {}\n", cell(line)));
        }
        if !c.fix.is_empty() {
            out.push_str(&format!("\n**Fix:** {}\n", c.fix));
        }
        out.push('\n');
    }
    out.push_str("## Timeline\n\n| Time (UTC) | Lane | Service | Event |\n|---|---|---|---|\n");
    for e in &report.timeline {
        let mut text = cell(&e.title);
        if let Some(until) = &e.until {
            text.push_str(&format!(" (until {until})"));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            e.at,
            e.lane,
            e.service.as_deref().unwrap_or(""),
            text
        ));
    }
    if !report.problems.is_empty() {
        out.push_str("\n## Not read\n\n");
        for p in &report.problems {
            out.push_str(&format!("- {}\n", cell(p)));
        }
    }
    out
}

/// The report as plain text for a terminal (the caller escapes what AWS wrote).
pub fn to_text(report: &Report) -> String {
    let mut out = format!(
        "Incident: {} in {}\n{} – {}\n",
        report.scope, report.cluster, report.start, report.end
    );
    out.push_str(&format!(
        "{} stopped tasks · {} error lines ({})\n",
        report.stopped_tasks, report.error_lines, report.errors_counted_with
    ));
    out.push_str("\nDEPLOYMENTS\n");
    for d in &report.deployments {
        let changed = d
            .changed
            .as_deref()
            .map(|c| format!("  {c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}  {:<8} {}{changed}\n",
            d.at, d.kind, d.revision
        ));
    }
    out.push_str("\nWHY TASKS STOPPED\n");
    for c in &report.stop_causes {
        out.push_str(&format!(
            "  ×{:<4} {}{}\n         {}\n",
            c.count,
            c.diagnosis,
            if c.crash_loop { " (crash loop)" } else { "" },
            c.fix
        ));
    }
    out.push_str("\nTIMELINE\n");
    for e in &report.timeline {
        out.push_str(&format!("  {}  {:<14} {}\n", e.at, e.lane, e.title));
    }
    for p in &report.problems {
        out.push_str(&format!("\nnot read: {p}"));
    }
    out
}
