//! The incident cockpit over 24 hours of a busy service: the time to build its timeline (off
//! the UI thread, in the worker) from 600 service events, 1,000 stopped tasks, 60 deployments,
//! 200 scaling activities, 100 alarm changes and 1,440 error-rate minutes with 24 h of
//! per-minute CPU and memory; then the cockpit's frame CPU time (layout + tessellation,
//! headless) with that timeline on screen and why tasks stopped beside it (the crash-loop
//! rows open with their diagnoses).
//! Run: `cargo run --release --example incident_frame_time`.

#[path = "support/frame_input.rs"]
mod frame_input;
#[path = "support/frame_stats.rs"]
mod frame_stats;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::ecs::rollout::ServiceDeploymentSummary;
use ecsdeck::model::ecs::{Container, Deployment, Service, ServiceEvent, Task};
use ecsdeck::model::incident::build::build_timeline;
use ecsdeck::model::incident::diagnosis::TaskFacts;
use ecsdeck::model::incident::sources::{
    AlarmChange, ErrorCountSource, ErrorCounts, IncidentSources, ScalingActivity, StoppedSource,
};
use ecsdeck::model::incident::timeline::IncidentKey;
use ecsdeck::model::metrics::charts::{ChartData, MetricsData, SeriesData, Unit};
use ecsdeck::model::metrics::lod::Lod;
use ecsdeck::model::metrics::{MetricRange, Window};
use ecsdeck::model::{Action, AwsError, Event, Request, Response, Route, WorkerCommand};
use ecsdeck::worker::Backend;
use frame_input::WINDOW;
use frame_stats::{measure_app, percentile};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant, UNIX_EPOCH};

const NOW_SECS: i64 = 1_800_000_000;
const DAY_SECS: i64 = 86_400;
const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:123456789012:service/prod/checkout-api";

fn at(secs: i64) -> Option<std::time::SystemTime> {
    Some(UNIX_EPOCH + Duration::from_secs(secs as u64))
}

fn revision(n: i64) -> String {
    format!("arn:aws:ecs:us-east-1:123456789012:task-definition/checkout-api:{n}")
}

fn series(label: &str, start: i64, values: Vec<Option<f64>>) -> SeriesData {
    SeriesData {
        label: label.into(),
        on_demand: false,
        lod: Lod::build(start, 60, &values),
        values,
    }
}

fn charts(start: i64) -> MetricsData {
    let wave = |base: f64, i: usize| Some(base + 20.0 * ((i as f64) / 90.0).sin().abs());
    let chart = |title: &str, base: f64| ChartData {
        title: title.into(),
        unit: Unit::Percent,
        series: vec![
            series(
                "Average",
                start,
                (0..1_440).map(|i| wave(base, i)).collect(),
            ),
            series(
                "Maximum",
                start,
                (0..1_440).map(|i| wave(base + 15.0, i)).collect(),
            ),
        ],
    };
    MetricsData {
        window: Window {
            start_secs: start,
            end_secs: start + DAY_SECS,
            period_secs: 60,
        },
        charts: vec![
            chart("CPU utilization", 30.0),
            chart("Memory utilization", 45.0),
        ],
        partial: false,
        calls: 1,
        notes: Vec::new(),
    }
}

fn stopped(n: i64, start: i64) -> StoppedSource {
    let stopped_at = start + n * 80;
    let oom = n % 3 != 2;
    StoppedSource {
        task: Task {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:task/prod/{n:032x}"),
            cluster_arn: CLUSTER.into(),
            group: Some("service:checkout-api".into()),
            last_status: "STOPPED".into(),
            task_definition: revision(40 + n % 7),
            started_at: at(stopped_at - 60),
            stopped_at: at(stopped_at),
            stop_code: Some("EssentialContainerExited".into()),
            stopped_reason: Some("Essential container in task exited".into()),
            containers: vec![Container {
                name: "app".into(),
                exit_code: Some(if oom { 137 } else { 1 }),
                reason: oom
                    .then(|| "OutOfMemoryError: Container killed due to memory usage".into()),
                ..Container::default()
            }],
            ..Task::default()
        },
        recorded: n % 5 == 0,
    }
}

/// A day of a busy service.
fn sources() -> IncidentSources {
    let start = NOW_SECS - DAY_SECS;
    let service = Service {
        arn: SERVICE.into(),
        name: "checkout-api".into(),
        cluster_arn: CLUSTER.into(),
        task_definition: revision(47),
        deployments: vec![Deployment {
            id: "ecs-svc/1".into(),
            task_definition: revision(47),
            created_at: at(NOW_SECS - 600),
            updated_at: at(NOW_SECS - 300),
            rollout_state: Some("COMPLETED".into()),
            ..Deployment::default()
        }],
        events: (0..600)
            .map(|i| ServiceEvent {
                id: format!("e{i}"),
                created_at: at(start + i * 144),
                message: match i % 4 {
                    0 => "(service checkout-api) has reached a steady state.".into(),
                    1 => "(service checkout-api) has started 2 tasks: (task a) (task b).".into(),
                    2 => {
                        "(service checkout-api) (port 8080) is unhealthy in target-group tg".into()
                    }
                    _ => "(service checkout-api) has stopped 1 running tasks: (task c).".into(),
                },
            })
            .collect(),
        ..Service::default()
    };
    let history = (0..60)
        .map(|i| ServiceDeploymentSummary {
            arn: format!(
                "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/checkout-api/{i}"
            ),
            status: if i % 4 == 0 {
                "ROLLBACK_SUCCESSFUL"
            } else {
                "SUCCESSFUL"
            }
            .into(),
            target_revision: Some(revision(i)),
            started_at: at(start + i * 1_440),
            finished_at: at(start + i * 1_440 + 600),
            reason: None,
        })
        .collect();
    IncidentSources {
        start_secs: start,
        end_secs: NOW_SECS,
        services: vec![service],
        histories: [(SERVICE.to_owned(), history)].into(),
        stopped: (0..1_000).map(|n| stopped(n, start)).collect(),
        facts: (40..47)
            .map(|n| {
                let facts = TaskFacts {
                    memory_limits_mib: vec![("app".into(), 512)],
                    ..TaskFacts::default()
                };
                (revision(n), facts)
            })
            .collect(),
        scaling: (0..200)
            .map(|i| ScalingActivity {
                service: "checkout-api".into(),
                started_at: at(start + i * 432),
                ended_at: at(start + i * 432 + 60),
                description: "Setting desired count to 4.".into(),
                cause: "monitor alarm TargetTracking-High in state ALARM triggered policy cpu"
                    .into(),
                status: "Successful".into(),
                status_message: None,
            })
            .collect(),
        alarms: (0..100)
            .map(|i| AlarmChange {
                alarm: "checkout-api-5xx".into(),
                at: at(start + i * 864),
                from: Some(if i % 2 == 0 { "OK" } else { "ALARM" }.into()),
                to: Some(if i % 2 == 0 { "ALARM" } else { "OK" }.into()),
                summary: "Alarm updated".into(),
            })
            .collect(),
        registrations: Vec::new(),
        errors: ErrorCounts {
            per_minute: (0..1_440)
                .map(|m| (start + m * 60, (m % 37) as u32))
                .collect(),
            source: ErrorCountSource::Insights,
            groups: vec!["/ecs/checkout-api".into()],
            note: None,
        },
        charts: Some(charts(start)),
        stages: Vec::new(),
        changes: Default::default(),
        health_check_paths: Default::default(),
        stages_seen: Vec::new(),
        problems: Vec::new(),
    }
}

/// Answers the cockpit's timeline with the day above; nothing else is used.
struct Synthetic {
    inbox: RefCell<VecDeque<Event>>,
}

impl Backend for Synthetic {
    fn send(&self, command: WorkerCommand) {
        if let WorkerCommand::Start {
            id,
            generation,
            request,
            ..
        } = command
        {
            let response = match &request {
                Request::Incident { .. } => {
                    Response::Incident(Ok(Box::new(build_timeline(sources()))))
                }
                other => other.failed(AwsError::internal("bench", "not used")),
            };
            self.inbox.borrow_mut().push_back(Event {
                id,
                generation,
                response,
            });
        }
    }

    fn try_recv(&self) -> Option<Event> {
        self.inbox.borrow_mut().pop_front()
    }
}

fn main() {
    let mut builds = Vec::new();
    let mut timeline = None;
    for _ in 0..20 {
        let input = sources();
        let start = Instant::now();
        timeline = Some(build_timeline(input));
        builds.push(start.elapsed());
    }
    builds.sort();
    let timeline = timeline.unwrap_or_default();
    println!(
        "timeline build (worker thread): {} events, {} stop rows, {} error minutes in median {:.2} ms (max {:.2} ms of 20)",
        timeline.events.len(),
        timeline.stops.len(),
        timeline.error_rate.minutes.len(),
        percentile(&builds, 0.5).as_secs_f64() * 1e3,
        builds.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: Some("bench".into()),
            region: "us-east-1".into(),
            ..Default::default()
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            auto_refresh: false,
            ..Default::default()
        },
        ..Settings::default()
    };
    let backend = Synthetic {
        inbox: RefCell::new(VecDeque::new()),
    };
    let mut app = App::with_backend(settings, Box::new(backend));
    app.set_clock(UNIX_EPOCH + Duration::from_secs(NOW_SECS as u64));
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    app.apply(Action::Navigate(Route::Incident(IncidentKey {
        cluster: CLUSTER.into(),
        services: vec![SERVICE.into()],
        range: MetricRange::Last(DAY_SECS as u32),
    })));
    for _ in 0..3 {
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    }
    let label = "incident cockpit, 24 h, why tasks stopped beside it";
    measure_app(&ctx, &mut app, label, WINDOW, 500.0);
}
