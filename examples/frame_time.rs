//! Frame CPU time (layout + tessellation, headless) with 5,000 services in the list and
//! 50,000 tasks loaded. Run: `cargo run --release --example frame_time`.
//!
//! Each measured frame moves the pointer and scrolls, so rows, hover and layout change.

#[path = "support/frame_input.rs"]
mod frame_input;

use ecsdeck::App;
use ecsdeck::model::ecs::{Cluster, Service, Task};
use ecsdeck::model::{AwsError, Event, Request, ResourceKey, Response, WorkerCommand};
use ecsdeck::settings::Settings;
use ecsdeck::worker::Backend;
use frame_input::frame_input;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const SERVICES: usize = 5_000;
const TASKS: usize = 50_000;
const WARMUP_FRAMES: usize = 50;
const FRAMES: usize = 1_000;
const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

struct Synthetic {
    inbox: RefCell<VecDeque<Event>>,
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
                Request::Load(ResourceKey::Tasks(_)) => Response::Tasks(Ok(tasks())),
                Request::Load(ResourceKey::Instances(_)) => Response::Instances(Ok(vec![])),
                Request::Load(ResourceKey::Families) => Response::Families(Ok(vec![])),
                Request::Load(ResourceKey::Revisions(_)) => Response::Revisions(Ok(vec![])),
                Request::Load(ResourceKey::TaskDefinition(_)) => {
                    Response::TaskDefinition(Err(AwsError::internal("bench", "not used")))
                }
                Request::Load(ResourceKey::Scaling(..)) => Response::Scaling(Ok(None)),
                Request::Load(ResourceKey::Deployments(..)) => {
                    Response::ServiceDeployments(Ok(vec![]))
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn measure(ctx: &egui::Context, app: &mut App, label: &str) {
    let mut times = Vec::with_capacity(FRAMES);
    for frame in 0..WARMUP_FRAMES + FRAMES {
        let input = frame_input(frame, 400.0);
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        std::hint::black_box(primitives);
        if frame >= WARMUP_FRAMES {
            times.push(elapsed);
        }
    }
    times.sort();
    println!(
        "{label}: median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {FRAMES} frames",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn main() {
    let backend = Synthetic {
        inbox: RefCell::new(VecDeque::new()),
    };
    let settings = Settings {
        profile: Some("bench".into()),
        region: "us-east-1".into(),
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
        .tasks
        .values()
        .filter_map(|t| t.value())
        .map(Vec::len)
        .sum();
    assert_eq!((services, tasks), (SERVICES, TASKS), "data not loaded");
    measure(
        &ctx,
        &mut app,
        &format!("services list ({SERVICES} services, {TASKS} tasks loaded)"),
    );
    app.apply(ecsdeck::model::Action::Navigate(
        ecsdeck::model::Route::Cluster {
            cluster: CLUSTER.into(),
            tab: ecsdeck::model::ClusterTab::Tasks,
        },
    ));
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    measure(&ctx, &mut app, &format!("tasks list ({TASKS} tasks)"));
}
