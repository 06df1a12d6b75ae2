//! From the sources read for an incident to its timeline: every source's items as events on
//! their lanes, each stopped task diagnosed and the stops grouped into rows, the error rate
//! filled minute by minute. Pure and run off the UI thread (in the worker, or by the CLI).

use super::crash_loops::{LoopRule, StoppedTask, group_stops};
use super::diagnosis::{TaskFacts, diagnose};
use super::facts::{memory_peak, with_service};
use super::sources::{AlarmChange, IncidentSources, Registration, ScalingActivity, StageNow};
use super::timeline::{
    ErrorRate, EventTarget, EventTone, Lane, StopEntry, StopRow, Timeline, TimelineEvent,
};
use crate::model::ecs::{Service, ServiceEvent, short_id};
use crate::model::metrics::markers::{ChartMarker, MarkerKind, deployment_markers};
use crate::model::task_defs::revisions::family_revision;
use crate::model::time_format::epoch_secs;
use std::collections::HashMap;

/// How far before its stop a task's memory peak is looked for when its start is not known.
const PEAK_LOOKBACK_SECS: i64 = 600;

/// Builds the timeline of `sources`.
pub fn build_timeline(sources: IncidentSources) -> Timeline {
    let (start, end) = (sources.start_secs, sources.end_secs);
    let mut timeline = Timeline {
        start_secs: start,
        end_secs: end,
        services: sources.services.iter().map(|s| s.name.clone()).collect(),
        ..Timeline::default()
    };
    let mut events = Vec::new();
    for service in &sources.services {
        let history = sources
            .histories
            .get(&service.arn)
            .map_or(&[][..], Vec::as_slice);
        let markers = deployment_markers(service, history, start, end);
        events.extend(
            markers
                .iter()
                .map(|m| deployment_event(m, service, history, &sources.changes)),
        );
        timeline.markers.extend(markers);
        events.extend(
            service
                .events
                .iter()
                .filter_map(|e| service_event(e, &service.name)),
        );
    }
    timeline.markers.sort_by_key(|m| (m.at_secs, m.kind));
    timeline.stops = stop_rows(&sources);
    events.extend(timeline.stops.iter().enumerate().map(stop_event));
    events.extend(sources.scaling.iter().filter_map(scaling_event));
    events.extend(sources.alarms.iter().filter_map(alarm_event));
    events.extend(sources.registrations.iter().filter_map(registration_event));
    events.extend(sources.stages.iter().filter_map(stage_event));
    events.extend(seen_stage_events(&sources));
    events.retain(|e| e.at_secs <= end && e.until_secs.unwrap_or(e.at_secs) >= start);
    events.sort_by_key(|e| (e.at_secs, e.lane));
    timeline.events = events;
    timeline.error_rate = error_rate(&sources, start, end);
    timeline.charts = sources.charts;
    timeline.changes = sources.changes;
    timeline.problems = sources.problems;
    timeline
}

fn deployment_event(
    marker: &ChartMarker,
    service: &Service,
    history: &[crate::model::ecs::rollout::ServiceDeploymentSummary],
    changes: &std::collections::BTreeMap<(String, String), String>,
) -> TimelineEvent {
    let tone = match marker.kind {
        MarkerKind::Started => EventTone::Info,
        MarkerKind::Completed => EventTone::Good,
        MarkerKind::Failed => EventTone::Bad,
        MarkerKind::RolledBack => EventTone::Warn,
    };
    let entry = marker
        .deployment
        .as_ref()
        .and_then(|arn| history.iter().find(|h| h.arn == *arn));
    let mut detail = Vec::new();
    if let Some((old, new)) = marker.diff_pair() {
        detail.push(format!(
            "{} → {}",
            family_revision(&old),
            family_revision(&new)
        ));
        if let Some(summary) = changes.get(&(old, new)) {
            detail.push(format!("changed: {summary}"));
        }
    }
    if let Some(entry) = entry {
        detail.push(format!("status {}", entry.status));
        if let Some(reason) = &entry.reason {
            detail.push(reason.clone());
        }
    }
    let until = entry
        .filter(|_| marker.kind == MarkerKind::Started)
        .and_then(|e| e.finished_at)
        .map(epoch_secs);
    TimelineEvent {
        at_secs: marker.at_secs,
        until_secs: until,
        lane: super::timeline::Lane::Deployments,
        tone,
        service: Some(service.name.clone()),
        title: format!("{}: {}", service.name, marker.label()),
        detail,
        target: EventTarget::Deployment(marker.clone()),
    }
}

/// How a service event reads: failures and unhealthy targets are bad, rollbacks a warning,
/// a steady state good.
pub fn event_tone(message: &str) -> EventTone {
    let lower = message.to_lowercase();
    if lower.contains("rolling back") || lower.contains("rolled back") {
        EventTone::Warn
    } else if ["unhealthy", "failed", "circuit breaker", "unable", "error"]
        .iter()
        .any(|w| lower.contains(w))
    {
        EventTone::Bad
    } else if lower.contains("steady state") {
        EventTone::Good
    } else {
        EventTone::Info
    }
}

fn service_event(event: &ServiceEvent, service: &str) -> Option<TimelineEvent> {
    Some(TimelineEvent {
        at_secs: epoch_secs(event.created_at?),
        until_secs: None,
        lane: Lane::Events,
        tone: event_tone(&event.message),
        service: Some(service.to_owned()),
        title: event.message.clone(),
        detail: Vec::new(),
        target: EventTarget::Detail,
    })
}

/// The facts of one stopped task: its revision's, its service's grace period, and the memory
/// peak while it ran.
fn facts_for(sources: &IncidentSources, task: &crate::model::ecs::Task) -> TaskFacts {
    let base = sources
        .facts
        .get(&task.task_definition)
        .cloned()
        .unwrap_or_default();
    let service = task
        .service_name()
        .and_then(|name| sources.services.iter().find(|s| s.name == name));
    let mut facts = with_service(base, service, &sources.health_check_paths);
    if let (Some(charts), Some(stopped)) = (&sources.charts, task.stopped_at) {
        let to = epoch_secs(stopped);
        let from = task.started_at.map_or(to - PEAK_LOOKBACK_SECS, epoch_secs);
        facts.memory_peak_percent = memory_peak(charts, from, to);
    }
    facts
}

fn stop_rows(sources: &IncidentSources) -> Vec<StopRow> {
    let mut entries: HashMap<&str, StopEntry> = HashMap::new();
    let mut stops = Vec::new();
    for source in &sources.stopped {
        let task = &source.task;
        let Some(stopped_at) = task.stopped_at else {
            continue;
        };
        let diagnosis = diagnose(task, &facts_for(sources, task));
        stops.push(StoppedTask {
            task_arn: task.arn.clone(),
            service: task.service_name().map(str::to_owned),
            stopped_at,
            kind: diagnosis.kind,
            container: diagnosis.container.clone(),
        });
        entries.insert(
            task.arn.as_str(),
            StopEntry {
                arn: task.arn.clone(),
                stopped_at,
                recorded: source.recorded,
                diagnosis,
            },
        );
    }
    group_stops(&stops, LoopRule::default())
        .into_iter()
        .filter_map(|group| {
            let tasks: Vec<StopEntry> = group
                .task_arns
                .iter()
                .filter_map(|arn| entries.get(arn.as_str()).cloned())
                .collect();
            let diagnosis = tasks.last()?.diagnosis.clone();
            Some(StopRow {
                group,
                diagnosis,
                tasks,
            })
        })
        .collect()
}

fn stop_event((index, row): (usize, &StopRow)) -> TimelineEvent {
    let first = epoch_secs(row.group.first);
    let last = epoch_secs(row.group.last);
    let mut detail = vec![row.diagnosis.title.clone()];
    if row.recorded() > 0 {
        detail.push(format!(
            "{} of them recorded by ECS Deck (ECS no longer lists them)",
            row.recorded()
        ));
    }
    TimelineEvent {
        at_secs: first,
        until_secs: (last > first).then_some(last),
        lane: Lane::Stops,
        tone: if row.diagnosis.kind.is_failure() {
            EventTone::Bad
        } else {
            EventTone::Info
        },
        service: row.group.service.clone(),
        title: match &row.group.service {
            Some(service) => format!("{service}: {}", row.label()),
            None => row.label(),
        },
        detail,
        target: EventTarget::Stops(index),
    }
}

fn scaling_event(activity: &ScalingActivity) -> Option<TimelineEvent> {
    let at = epoch_secs(activity.started_at?);
    let mut detail = vec![
        format!("status {}", activity.status),
        activity.cause.clone(),
    ];
    detail.extend(activity.status_message.clone());
    Some(TimelineEvent {
        at_secs: at,
        until_secs: activity.ended_at.map(epoch_secs).filter(|e| *e > at),
        lane: Lane::Scaling,
        tone: if activity.status == "Failed" {
            EventTone::Bad
        } else {
            EventTone::Warn
        },
        service: Some(activity.service.clone()),
        title: format!("{}: {}", activity.service, activity.description),
        detail,
        target: EventTarget::Detail,
    })
}

fn alarm_event(change: &AlarmChange) -> Option<TimelineEvent> {
    let tone = match change.to.as_deref() {
        Some("ALARM") => EventTone::Bad,
        Some("OK") => EventTone::Good,
        _ => EventTone::Info,
    };
    let title = match (&change.from, &change.to) {
        (Some(from), Some(to)) => format!("{}: {from} → {to}", change.alarm),
        _ => format!("{}: {}", change.alarm, change.summary),
    };
    Some(TimelineEvent {
        at_secs: epoch_secs(change.at?),
        until_secs: None,
        lane: Lane::Alarms,
        tone,
        service: None,
        title,
        detail: vec![change.summary.clone()],
        target: EventTarget::Detail,
    })
}

fn stage_event(stage: &StageNow) -> Option<TimelineEvent> {
    Some(TimelineEvent {
        at_secs: epoch_secs(stage.since?),
        until_secs: None,
        lane: Lane::Deployments,
        tone: if stage.status.starts_with("ROLLBACK") {
            EventTone::Warn
        } else {
            EventTone::Info
        },
        service: Some(stage.service.clone()),
        title: format!("{}: now at {}", stage.service, stage.stage),
        detail: vec![
            format!("status {}", stage.status),
            format!("deployment {}", short_id(&stage.deployment)),
        ],
        target: EventTarget::Detail,
    })
}

/// The stages the app saw deployments of these services pass through, but the one each is in
/// now (that one is `stage_event`'s).
fn seen_stage_events(sources: &IncidentSources) -> Vec<TimelineEvent> {
    sources
        .stages_seen
        .iter()
        .filter(|seen| {
            !sources
                .stages
                .iter()
                .any(|now| now.deployment == seen.deployment && now.stage == seen.stage)
        })
        .filter_map(|seen| {
            let service = sources
                .services
                .iter()
                .find(|s| s.arn == seen.service_arn)?;
            let when = if seen.at_from_ecs {
                "began then (ECS's updatedAt)"
            } else {
                "first seen then; it may have begun earlier"
            };
            Some(TimelineEvent {
                at_secs: epoch_secs(seen.at),
                until_secs: None,
                lane: Lane::Deployments,
                tone: if seen.status.starts_with("ROLLBACK") {
                    EventTone::Warn
                } else {
                    EventTone::Info
                },
                service: Some(service.name.clone()),
                title: format!("{}: {}", service.name, seen.stage),
                detail: vec![
                    when.to_owned(),
                    format!("status {}", seen.status),
                    format!("deployment {}", short_id(&seen.deployment)),
                ],
                target: EventTarget::Detail,
            })
        })
        .collect()
}

fn registration_event(registration: &Registration) -> Option<TimelineEvent> {
    let mut detail = Vec::new();
    if let Some(by) = &registration.by {
        detail.push(format!("registered by {by}"));
    }
    Some(TimelineEvent {
        at_secs: epoch_secs(registration.at?),
        until_secs: None,
        lane: Lane::Registrations,
        tone: EventTone::Info,
        service: None,
        title: format!("registered {}", short_id(&registration.arn)),
        detail,
        target: EventTarget::Revision(registration.arn.clone()),
    })
}

/// Every minute of the window with its count (zero where none).
fn error_rate(sources: &IncidentSources, start: i64, end: i64) -> ErrorRate {
    let first = start.div_euclid(60) * 60;
    let minutes = (first..end)
        .step_by(60)
        .map(|at| (at, sources.errors.per_minute.get(&at).copied().unwrap_or(0)))
        .collect();
    ErrorRate {
        minutes,
        counts: sources.errors.clone(),
    }
}
