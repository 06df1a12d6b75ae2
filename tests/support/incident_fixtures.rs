//! Model-level fixtures of an incident for the UI tests: a bad deploy of a service at the
//! frozen "now" minus an hour — its rollback, a crash loop out of memory, an alarm, a
//! scaling activity, a registration, an error spike and CPU/memory — and the merged logs of
//! any range.

use super::fixtures::now;
use ecsdeck::model::ecs::rollout::ServiceDeploymentSummary;
use ecsdeck::model::ecs::{Container, Service, ServiceEvent, Task};
use ecsdeck::model::incident::diagnosis::TaskFacts;
use ecsdeck::model::incident::range_logs::{RangeLogs, RangeLogsKey, merge};
use ecsdeck::model::incident::sources::{
    AlarmChange, ErrorCountSource, ErrorCounts, IncidentSources, Registration, ScalingActivity,
    StoppedSource,
};
use ecsdeck::model::incident::timeline::IncidentKey;
use ecsdeck::model::logs::poll::FetchedEvent;
use ecsdeck::model::metrics::Window;
use ecsdeck::model::metrics::charts::{ChartData, MetricsData, SeriesData, Unit};
use ecsdeck::model::metrics::lod::Lod;
use ecsdeck::model::time_format::epoch_secs;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Minutes before "now" the bad deploy started.
pub const DEPLOY_MINUTES_AGO: i64 = 60;

fn minute(m: i64) -> SystemTime {
    let start = epoch_secs(now()) - DEPLOY_MINUTES_AGO * 60;
    UNIX_EPOCH + Duration::from_secs((start - start % 60 + m * 60) as u64)
}

fn revision(service: &str, n: u32) -> String {
    format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{service}:{n}")
}

fn oom(cluster: &str, service: &str, n: i64) -> Task {
    Task {
        arn: format!("arn:aws:ecs:us-east-1:123456789012:task/x/{n:04}aaaabbbbccccdddd"),
        cluster_arn: cluster.into(),
        group: Some(format!("service:{service}")),
        last_status: "STOPPED".into(),
        task_definition: revision(service, 43),
        started_at: Some(minute(2 + n)),
        stopped_at: Some(minute(3 + n)),
        stop_code: Some("EssentialContainerExited".into()),
        stopped_reason: Some("Essential container in task exited".into()),
        containers: vec![Container {
            name: "app".into(),
            exit_code: Some(137),
            reason: Some("OutOfMemoryError: Container killed due to memory usage".into()),
            ..Container::default()
        }],
        ..Task::default()
    }
}

fn charts(start: i64, end: i64) -> MetricsData {
    let window = Window {
        start_secs: start - start % 60,
        end_secs: end - end % 60,
        period_secs: 60,
    };
    let points = window.points();
    let spike = |base: f64, top: f64| -> Vec<Option<f64>> {
        (0..points)
            .map(|i| {
                let at = window.start_secs + i as i64 * 60;
                let m = (at - epoch_secs(minute(0))) / 60;
                Some(if (2..12).contains(&m) {
                    top
                } else {
                    base + (i % 5) as f64
                })
            })
            .collect()
    };
    let chart = |title: &str, base: f64, top: f64| {
        let average = spike(base, top * 0.8);
        let maximum = spike(base + 8.0, top);
        ChartData {
            title: title.into(),
            unit: Unit::Percent,
            series: vec![
                SeriesData {
                    label: "Average".into(),
                    on_demand: false,
                    lod: Lod::build(window.start_secs, 60, &average),
                    values: average,
                },
                SeriesData {
                    label: "Maximum".into(),
                    on_demand: false,
                    lod: Lod::build(window.start_secs, 60, &maximum),
                    values: maximum,
                },
            ],
        }
    };
    MetricsData {
        window,
        charts: vec![
            chart("CPU utilization", 22.0, 93.0),
            chart("Memory utilization", 41.0, 99.8),
        ],
        partial: false,
        calls: 1,
        notes: Vec::new(),
    }
}

/// The sources of `key`'s timeline (its first service, or `web`).
pub fn sources(key: &IncidentKey) -> IncidentSources {
    let (start, end) = key.range.window(epoch_secs(now()));
    let service_arn = key.services.first().cloned().unwrap_or_default();
    let name = ecsdeck::model::ecs::short_id(&service_arn).to_owned();
    let event = |m, id: &str, message: String| ServiceEvent {
        id: id.into(),
        created_at: Some(minute(m)),
        message,
    };
    let service = Service {
        arn: service_arn.clone(),
        name: name.clone(),
        cluster_arn: key.cluster.clone(),
        task_definition: revision(&name, 42),
        health_check_grace_period_secs: Some(60),
        events: vec![
            event(
                16,
                "i4",
                format!("(service {name}) has reached a steady state."),
            ),
            event(
                12,
                "i3",
                format!(
                    "(service {name}) deployment ecs-svc/9 deployment failed: tasks failed to start. Rolling back to taskDefinition {name}:42"
                ),
            ),
            event(
                4,
                "i2",
                format!("(service {name}) has started 2 tasks: (task 0002aaaa) (task 0003aaaa)."),
            ),
            event(
                0,
                "i1",
                format!("(service {name}) has started 2 tasks: (task 0000aaaa) (task 0001aaaa)."),
            ),
        ],
        ..Service::default()
    };
    let history = vec![ServiceDeploymentSummary {
        arn: format!("arn:aws:ecs:us-east-1:123456789012:service-deployment/x/{name}/bad"),
        status: "ROLLBACK_SUCCESSFUL".into(),
        target_revision: Some(revision(&name, 43)),
        started_at: Some(minute(0)),
        finished_at: Some(minute(14)),
        reason: Some(
            "Service deployment rolled back because the circuit breaker threshold was exceeded."
                .into(),
        ),
    }];
    IncidentSources {
        start_secs: start,
        end_secs: end,
        histories: [(service_arn.clone(), history)].into(),
        stopped: (0..6)
            .map(|n| StoppedSource {
                task: oom(&key.cluster, &name, n),
                recorded: n < 2,
            })
            .collect(),
        facts: [(
            revision(&name, 43),
            TaskFacts {
                memory_limits_mib: vec![("app".into(), 512)],
                essential: vec!["app".into()],
                ..TaskFacts::default()
            },
        )]
        .into(),
        scaling: vec![ScalingActivity {
            service: name.clone(),
            started_at: Some(minute(5)),
            ended_at: Some(minute(6)),
            description: "Setting desired count to 3.".into(),
            cause: format!("monitor alarm {name}-5xx in state ALARM triggered policy {name}-cpu"),
            status: "Successful".into(),
            status_message: None,
        }],
        alarms: vec![
            AlarmChange {
                alarm: format!("{name}-5xx"),
                at: Some(minute(4)),
                from: Some("OK".into()),
                to: Some("ALARM".into()),
                summary: "Alarm updated from OK to ALARM".into(),
            },
            AlarmChange {
                alarm: format!("{name}-5xx"),
                at: Some(minute(17)),
                from: Some("ALARM".into()),
                to: Some("OK".into()),
                summary: "Alarm updated from ALARM to OK".into(),
            },
        ],
        registrations: vec![Registration {
            arn: revision(&name, 43),
            at: Some(minute(-1)),
            by: Some("arn:aws:iam::123456789012:role/deployer".into()),
        }],
        errors: ErrorCounts {
            per_minute: (2..13)
                .map(|m| (epoch_secs(minute(m)), 10 + (m as u32 * 7) % 25))
                .collect(),
            source: ErrorCountSource::Insights,
            groups: vec![format!("/ecs/{name}")],
            note: None,
        },
        charts: Some(charts(start, end)),
        stages: Vec::new(),
        changes: [(
            (revision(&name, 42), revision(&name, 43)),
            "image app: 1.4.2 → 1.4.3".to_owned(),
        )]
        .into(),
        services: vec![service],
        health_check_paths: Default::default(),
        stages_seen: Vec::new(),
        problems: Vec::new(),
    }
}

/// The merged logs of `range`: two tasks logging, errors among them.
pub fn range_logs(range: &RangeLogsKey) -> RangeLogs {
    let lines = |task: &str, offset_ms: i64| -> Vec<FetchedEvent> {
        (0..20)
            .map(|i| FetchedEvent {
                stream: format!("ecs/app/{task}"),
                event_id: None,
                timestamp_ms: range.start_ms + offset_ms + i * 2_500,
                message: if i % 4 == 3 {
                    format!("ERROR Request processing failed: java.lang.OutOfMemoryError: Java heap space ({i})")
                } else {
                    format!("INFO GET /orders/{i} 200 12ms")
                },
                ingestion_ms: None,
            })
            .collect()
    };
    let mut logs = merge(vec![
        ("web/app".into(), lines("0002aaaabbbbccccdddd", 0)),
        ("web/app".into(), lines("0003aaaabbbbccccdddd", 1_200)),
    ]);
    logs.groups = vec!["/ecs/web".into()];
    logs
}
