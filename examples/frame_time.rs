//! Frame CPU time (layout + tessellation, headless) with 5,000 services in the list and
//! 50,000 tasks loaded, without and with CPU/memory sparklines, and of a metrics page with 7
//! days at 1-minute resolution (10,080 points a series, 2 charts × 4 series).
//! Run: `cargo run --release --example frame_time`.
//!
//! Each measured frame moves the pointer and scrolls, so rows, hover and layout change.

#[path = "support/frame_input.rs"]
mod frame_input;
#[path = "support/frame_stats.rs"]
mod frame_stats;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::ecs::{Cluster, Service, Task};
use ecsdeck::model::metrics::charts::{MetricsData, MetricsKey, chart_plan, plan_queries};
use ecsdeck::model::metrics::{QueryResult, Window};
use ecsdeck::model::{AwsError, Event, Request, ResourceKey, Response, WorkerCommand};
use ecsdeck::worker::Backend;
use frame_input::{WINDOW, frame_input};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Instant;

const SERVICES: usize = 5_000;
const TASKS: usize = 50_000;
use frame_stats::{FRAMES, WARMUP_FRAMES};
const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

struct Synthetic {
    inbox: RefCell<VecDeque<Event>>,
    /// Sparklines answer with data (true) or fail (false: the cells show a dash).
    sparklines: Rc<Cell<bool>>,
}

const NOW_SECS: i64 = 1_800_000_000;

/// A week of per-minute points: a daily wave with noise and a few gaps.
fn week_result(seed: u64) -> QueryResult {
    let start = NOW_SECS - 7 * 86_400;
    let timestamps: Vec<i64> = (0..10_080)
        .map(|i| start + i * 60)
        .filter(|t| (t / 60) % 997 != 0)
        .collect();
    let values = timestamps
        .iter()
        .map(|t| {
            let day = (*t % 86_400) as f64 / 86_400.0 * std::f64::consts::TAU;
            let noise = ((*t as u64).wrapping_mul(6364136223846793005 ^ seed) >> 40) as f64
                / (1u64 << 24) as f64;
            40.0 + 15.0 * day.sin() + 10.0 * noise
        })
        .collect();
    QueryResult {
        timestamps,
        values,
        complete: true,
    }
}

/// What the worker builds for a metrics key: 2 charts × 4 series of a week at 1 minute.
fn week_of_metrics(key: &MetricsKey) -> MetricsData {
    let window = Window {
        start_secs: NOW_SECS - 7 * 86_400,
        end_secs: NOW_SECS,
        period_secs: 60,
    };
    let plan = chart_plan(key, &[]);
    let results: Vec<QueryResult> = (0..plan_queries(&plan).len())
        .map(|i| week_result(i as u64))
        .collect();
    MetricsData::assemble(window, plan, &results)
}

fn services() -> Vec<Service> {
    (0..SERVICES)
        .map(|i| Service {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:service/prod/service-{i:05}"),
            name: format!("service-{i:05}"),
            cluster_arn: CLUSTER.into(),
            status: "ACTIVE".into(),
            launch_type: Some("FARGATE".into()),
            desired: 3,
            running: 3,
            task_definition: format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/service-{i:05}:{}",
                i % 40 + 1
            ),
            ..Service::default()
        })
        .collect()
}

fn tasks() -> Vec<Task> {
    (0..TASKS)
        .map(|i| Task {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:task/prod/{i:032x}"),
            cluster_arn: CLUSTER.into(),
            group: Some(format!("service:service-{:05}", i % SERVICES)),
            last_status: "RUNNING".into(),
            desired_status: "RUNNING".into(),
            task_definition: format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/service-{:05}:3",
                i % SERVICES
            ),
            availability_zone: Some("us-east-1a".into()),
            ..Task::default()
        })
        .collect()
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
            let response = match request {
                Request::ListProfiles => Response::Profiles(Ok(vec![])),
                Request::Load(ResourceKey::Clusters) => Response::Clusters(Ok(vec![Cluster {
                    arn: CLUSTER.into(),
                    name: "prod".into(),
                    ..Cluster::default()
                }])),
                Request::Load(ResourceKey::Services(_)) => Response::Services(Ok(services())),
                Request::Load(ResourceKey::ServiceArns(_)) => {
                    Response::ServiceArns(Ok(services().into_iter().map(|s| s.arn).collect()))
                }
                Request::Load(ResourceKey::Tasks(_)) => Response::Tasks(Ok(tasks())),
                Request::Load(ResourceKey::Instances(_)) => Response::Instances(Ok(vec![])),
                Request::Load(ResourceKey::Families) => Response::Families(Ok(vec![])),
                Request::Load(ResourceKey::FamilyOverview) => {
                    Response::FamilyOverview(Ok(Box::default()))
                }
                Request::Load(ResourceKey::Revisions(_)) => Response::Revisions(Ok(vec![])),
                Request::Load(ResourceKey::TaskDefinition(_)) => {
                    Response::TaskDefinition(Err(AwsError::internal("bench", "not used")))
                }
                Request::Load(ResourceKey::Scaling(..)) => Response::Scaling(Ok(None)),
                Request::Load(ResourceKey::Deployments(..)) => {
                    Response::ServiceDeployments(Ok(vec![]))
                }
                Request::Load(ResourceKey::Metrics(key)) => {
                    Response::Metrics(Ok(Box::new(week_of_metrics(&key))))
                }
                Request::Sparklines { cluster, services } if self.sparklines.get() => {
                    let window = ecsdeck::model::metrics::sparklines::spark_window(NOW_SECS);
                    let results: Vec<QueryResult> = (0..services.len() * 2)
                        .map(|i| {
                            let timestamps: Vec<i64> =
                                (window.start_secs..window.end_secs).step_by(60).collect();
                            let values = timestamps
                                .iter()
                                .map(|t| 30.0 + ((*t / 60 + i as i64) % 17) as f64 * 3.0)
                                .collect();
                            QueryResult {
                                timestamps,
                                values,
                                complete: true,
                            }
                        })
                        .collect();
                    let sparks = ecsdeck::model::metrics::sparklines::assemble(
                        window, &services, &results, 3,
                    );
                    let _ = cluster;
                    Response::Sparklines(Ok(Box::new(sparks)))
                }
                Request::Sparklines { .. } | Request::Load(ResourceKey::Sparklines(_)) => {
                    Response::Sparklines(Err(AwsError::internal("bench", "sparklines off")))
                }
                Request::Incident { .. } => {
                    Response::Incident(Err(AwsError::internal("bench", "not used")))
                }
                Request::ExportIncidentLogs { .. } => {
                    Response::ExportLogs(Err(AwsError::internal("bench", "not used")))
                }
                Request::Load(ResourceKey::Incident(_)) => {
                    Response::Incident(Err(AwsError::internal("bench", "not used")))
                }
                Request::Load(ResourceKey::RangeLogs(_)) => {
                    Response::RangeLogs(Err(AwsError::internal("bench", "not used")))
                }
                Request::OpenExec { terminal, .. } => {
                    fill_terminal(&terminal);
                    Response::SessionOpened(Ok("bench".into()))
                }
                other @ (Request::ExecPreflight { .. }
                | Request::OpenExecWindow { .. }
                | Request::Load(ResourceKey::ExecPreflight(_))
                | Request::StartForward { .. }) => {
                    other.failed(AwsError::internal("bench", "not used"))
                }
                // The Logs page has its own benchmark (log_frame_time).
                Request::Tail { .. } => Response::TailStatus(Box::default()),
                Request::TailHistory { .. } => {
                    Response::TailHistory(Err(AwsError::internal("bench", "not used")))
                }
                Request::Register { .. }
                | Request::Deregister { .. }
                | Request::UpdateService(_)
                | Request::SetScalingBounds { .. }
                | Request::RunTask(_)
                | Request::RollBackDeployment { .. }
                | Request::StopTask { .. } => {
                    Response::Registered(Err(AwsError::internal("bench", "not used")))
                }
                request @ (Request::ContinueDeployment { .. }
                | Request::RegisterAndDeploy { .. }
                | Request::LoadFleet { .. }
                | Request::Load(
                    ResourceKey::DeploymentDetail(_)
                    | ResourceKey::ServiceRevisions(_)
                    | ResourceKey::Alarms
                    | ResourceKey::ImageTags(_),
                )) => request.failed(AwsError::internal("bench", "not used")),
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

/// A window tall enough for about 500 rows of the services list.
const TALL: egui::Vec2 = egui::vec2(1280.0, 10_300.0);

/// 400 lines of 200 characters, each in another of the 256 colours, some bold or inverse: a
/// screen as busy as a terminal gets (`ls --color` of a large directory, a coloured log).
fn fill_terminal(terminal: &ecsdeck::model::exec::terminal::SharedTerminal) {
    let mut text = String::new();
    for row in 0..400_u32 {
        for col in 0..200_u32 {
            let colour = (row * 7 + col) % 256;
            let attr = match col % 23 {
                0 => "1;",
                11 => "7;",
                _ => "",
            };
            let c = char::from(b'!' + ((row + col) % 90) as u8);
            text.push_str(&format!("\x1b[{attr}38;5;{colour}m{c}"));
        }
        text.push_str("\x1b[0m\r\n");
    }
    terminal.process(text.as_bytes());
}

/// A terminal tab over a full screen of coloured text.
fn measure_terminal(ctx: &egui::Context, app: &mut App) {
    app.apply(ecsdeck::model::Action::OpenExec {
        spec: Box::new(ecsdeck::model::exec::ExecSpec {
            target: ecsdeck::model::exec::ExecTarget {
                cluster: CLUSTER.into(),
                task: format!("{CLUSTER}/task/0a1b2c3d"),
                container: "app".into(),
            },
            service: None,
            command: "/bin/sh".into(),
        }),
        reconnect: None,
    });
    app.apply(ecsdeck::model::Action::ConfirmChange);
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    assert_eq!(
        app.model().route,
        ecsdeck::model::Route::Sessions,
        "the terminal tab is open"
    );
    measure(
        ctx,
        app,
        "terminal tab, full screen of 256-colour text (1280×800: ~47 rows × 160 columns)",
    );
}

fn measure(ctx: &egui::Context, app: &mut App, label: &str) {
    measure_in(ctx, app, label, WINDOW);
}

fn measure_in(ctx: &egui::Context, app: &mut App, label: &str, size: egui::Vec2) {
    frame_stats::measure_app(ctx, app, label, size, 400.0);
}

/// 500 rows of CPU and memory sparklines alone, against the same rows of empty cells: what
/// sparklines add to a frame with 500 services on screen.
fn measure_sparklines() {
    let spark = |seed: usize| {
        ecsdeck::model::metrics::sparklines::Spark::new(
            (0..60)
                .map(|i| {
                    if (i + seed).is_multiple_of(23) {
                        f32::NAN
                    } else {
                        30.0 + ((i * 7 + seed) % 40) as f32
                    }
                })
                .collect(),
        )
    };
    let sparks: Vec<(
        ecsdeck::model::metrics::sparklines::Spark,
        ecsdeck::model::metrics::sparklines::Spark,
    )> = (0..500).map(|i| (spark(i), spark(i + 3))).collect();
    let size = ecsdeck::ui::metrics::sparkline::cell_size();
    // For callgrind: SPARKLINE_FRAMES=N SPARKLINE_ONLY=with|without runs one side only; the
    // difference of two frame counts gives instructions per frame.
    let frames: usize = std::env::var("SPARKLINE_FRAMES")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or(WARMUP_FRAMES + FRAMES);
    let run = |with: bool| {
        let ctx = egui::Context::default();
        let mut times = Vec::with_capacity(FRAMES);
        for frame in 0..frames {
            let input = frame_input(frame, 400.0, TALL);
            let start = Instant::now();
            let output = ctx.run_ui(input, |ui| {
                let batch = ecsdeck::ui::metrics::sparkline::SparkBatch::new(ui.ctx());
                for (cpu, memory) in &sparks {
                    ui.horizontal(|ui| {
                        if with {
                            ecsdeck::ui::metrics::sparkline::sparkline_ui(
                                ui,
                                Some(cpu),
                                "CPU",
                                &batch,
                            );
                            ecsdeck::ui::metrics::sparkline::sparkline_ui(
                                ui,
                                Some(memory),
                                "Memory",
                                &batch,
                            );
                        } else {
                            ui.allocate_space(size);
                            ui.allocate_space(size);
                        }
                    });
                }
                batch.paint();
            });
            let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
            let elapsed = start.elapsed();
            std::hint::black_box(primitives);
            if frame >= WARMUP_FRAMES {
                times.push(elapsed);
            }
        }
        times.sort();
        times.get(times.len() / 2).copied().unwrap_or_default()
    };
    if let Ok(only) = std::env::var("SPARKLINE_ONLY") {
        run(only == "with");
        std::process::exit(0);
    }
    let (without, with) = (run(false), run(true));
    println!(
        "500 rows of sparklines (1,000 lines + values): median {:.3} ms with, {:.3} ms without: {:.3} ms added",
        with.as_secs_f64() * 1e3,
        without.as_secs_f64() * 1e3,
        (with.as_secs_f64() - without.as_secs_f64()) * 1e3
    );
}

fn main() {
    measure_sparklines();
    // `-- sparklines`: only that figure (for a profiler).
    if std::env::args().any(|a| a == "sparklines") {
        return;
    }
    let started = Instant::now();
    let key = MetricsKey {
        scope: ecsdeck::model::metrics::charts::MetricsScope::Cluster {
            cluster: CLUSTER.into(),
        },
        range: ecsdeck::model::metrics::MetricRange::Last(7 * 86_400),
        period_secs: 60,
        insights: false,
        reservation: true,
    };
    let built = week_of_metrics(&key);
    println!(
        "metrics data change (worker thread): align + levels of detail for 8 series × 10,080 points in {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    std::hint::black_box(built);
    let backend = Synthetic {
        inbox: RefCell::new(VecDeque::new()),
        sparklines: Rc::new(Cell::new(false)),
    };
    let sparklines_on = Rc::clone(&backend.sparklines);
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
        // Reloads would time the synthetic backend (it answers inline), not the UI.
        ..Settings::default()
    };
    let mut app = App::with_backend(settings, Box::new(backend));
    let ctx = egui::Context::default();
    // Load everything, then open the cluster's services (5,000 rows) with 50,000 tasks in memory.
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    app.apply(ecsdeck::model::Action::Navigate(
        ecsdeck::model::Route::Cluster {
            cluster: CLUSTER.into(),
            tab: ecsdeck::model::ClusterTab::Tasks,
        },
    ));
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    app.apply(ecsdeck::model::Action::Navigate(
        ecsdeck::model::Route::Cluster {
            cluster: CLUSTER.into(),
            tab: ecsdeck::model::ClusterTab::Services,
        },
    ));
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    let services = app.model().services_of(CLUSTER).value().map_or(0, Vec::len);
    let tasks: usize = app
        .model()
        .store
        .tasks
        .values()
        .filter_map(|t| t.value())
        .map(Vec::len)
        .sum();
    assert_eq!((services, tasks), (SERVICES, TASKS), "data not loaded");
    measure(
        &ctx,
        &mut app,
        &format!("services list ({SERVICES} services, {TASKS} tasks loaded), no sparklines"),
    );
    measure_in(
        &ctx,
        &mut app,
        "services list, ~500 rows on screen, no sparklines",
        TALL,
    );
    sparklines_on.set(true);
    app.apply(ecsdeck::model::Action::Refresh);
    for _ in 0..3 {
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    }
    let sparks = app
        .model()
        .sparklines_of(CLUSTER)
        .value()
        .map_or(0, |s| s.by_service.len());
    assert_eq!(sparks, SERVICES, "sparklines not loaded");
    measure(
        &ctx,
        &mut app,
        &format!("services list ({SERVICES} services) with CPU and memory sparklines"),
    );
    measure_in(
        &ctx,
        &mut app,
        "services list, ~500 rows on screen, with sparklines",
        TALL,
    );
    app.apply(ecsdeck::model::Action::Navigate(
        ecsdeck::model::Route::Metrics(key),
    ));
    for _ in 0..3 {
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    }
    assert!(
        app.model()
            .store
            .metrics
            .values()
            .any(|m| m.value().is_some()),
        "metrics not loaded"
    );
    // Minimum is off by default: the page as it opens draws 3 of each chart's 4 series.
    measure(
        &ctx,
        &mut app,
        "metrics page as it opens (7 days × 1 minute: 2 charts × 3 series shown × 10,080 points)",
    );
    app.view_mut().metrics.show_minimum = true;
    measure(
        &ctx,
        &mut app,
        "metrics page with Minimum on (2 charts × 4 series shown × 10,080 points)",
    );
    app.apply(ecsdeck::model::Action::Navigate(
        ecsdeck::model::Route::Cluster {
            cluster: CLUSTER.into(),
            tab: ecsdeck::model::ClusterTab::Tasks,
        },
    ));
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    measure(&ctx, &mut app, &format!("tasks list ({TASKS} tasks)"));
    measure_terminal(&ctx, &mut app);
}
