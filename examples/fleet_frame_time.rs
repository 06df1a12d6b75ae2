//! The fleet screen's frame CPU time (layout + tessellation, headless) with a fleet of
//! 3 profiles × 17 regions holding 5,000 services, some needing attention, every part
//! streamed in as the worker would send it; then with a search for an image typed, and the
//! time `reduce` takes to rank the rows when a part arrives.
//! Run: `cargo run --release --example fleet_frame_time`.

#[path = "support/frame_input.rs"]
mod frame_input;
#[path = "support/frame_stats.rs"]
mod frame_stats;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::fleet::load::{FleetLoad, FleetPart};
use ecsdeck::model::fleet::{FleetAlarm, FleetCluster, FleetDef, FleetMember, FleetService};
use ecsdeck::model::{Action, AwsError, Connection, Event, Request, Response, WorkerCommand};
use ecsdeck::worker::Backend;
use frame_input::WINDOW;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::{Instant, SystemTime};

const PROFILES: [&str; 3] = ["prod", "staging", "dev"];
const REGIONS: [&str; 17] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
];
const SERVICES: usize = 5_000;
const CLUSTERS_PER_PAIR: usize = 4;

/// The parts of pair `index` (of 51): 98 or 99 services in 4 clusters, every 37th down, every
/// 53rd rolling back, every 61st in alarm.
fn parts_of(index: usize, pair: &Connection) -> Vec<FleetPart> {
    let account = format!("{:012}", 100_000_000_000 + index / REGIONS.len());
    let region = &pair.region;
    let clusters: Vec<FleetCluster> = (0..CLUSTERS_PER_PAIR)
        .map(|c| FleetCluster {
            arn: format!("arn:aws:ecs:{region}:{account}:cluster/cluster-{c}"),
            name: format!("cluster-{c}"),
            status: "ACTIVE".into(),
            container_instances: 3,
            ..FleetCluster::default()
        })
        .collect();
    let pairs = PROFILES.len() * REGIONS.len();
    let count = SERVICES / pairs + usize::from(index < SERVICES % pairs);
    let mut parts = vec![FleetPart::Clusters(clusters.clone())];
    let mut images = BTreeMap::new();
    let mut alarms = Vec::new();
    for (c, cluster) in clusters.iter().enumerate() {
        let services: Vec<FleetService> = (0..count)
            .filter(|i| i % CLUSTERS_PER_PAIR == c)
            .map(|i| {
                let n = index * 1_000 + i;
                let name = format!("service-{n:05}");
                let task_definition = format!(
                    "arn:aws:ecs:{region}:{account}:task-definition/{name}:{}",
                    n % 40 + 1
                );
                images.insert(
                    task_definition.clone(),
                    vec![format!(
                        "{account}.dkr.ecr.{region}.amazonaws.com/team/{}:2.{}.0",
                        ["api", "web", "worker", "billing"][n % 4],
                        n % 9
                    )],
                );
                if n.is_multiple_of(61) {
                    alarms.push(FleetAlarm {
                        name: format!("{name}-5xx"),
                        cluster: Some(cluster.name.clone()),
                        service: Some(name.clone()),
                        reason: "Threshold crossed".into(),
                    });
                }
                FleetService {
                    arn: format!(
                        "arn:aws:ecs:{region}:{account}:service/{}/{name}",
                        cluster.name
                    ),
                    name,
                    cluster_arn: cluster.arn.clone(),
                    status: "ACTIVE".into(),
                    launch_type: Some("FARGATE".into()),
                    desired: 3,
                    running: if n.is_multiple_of(37) { 0 } else { 3 },
                    task_definition,
                    deployments: 1 + u32::from(n.is_multiple_of(53)),
                    rollout_state: Some(
                        if n.is_multiple_of(53) {
                            "IN_PROGRESS"
                        } else {
                            "COMPLETED"
                        }
                        .into(),
                    ),
                    rollout_reason: (n.is_multiple_of(53))
                        .then(|| "ECS deployment circuit breaker: rolling back".into()),
                    updated_at: Some(SystemTime::UNIX_EPOCH),
                    ..FleetService::default()
                }
            })
            .collect();
        parts.push(FleetPart::Services(services));
    }
    parts.push(FleetPart::Alarms(alarms));
    parts.push(FleetPart::Images(images));
    parts.push(FleetPart::Done { calls: 0 });
    parts
}

/// Answers a fleet load with every pair's parts (in pair order), anything else with an error;
/// hands out as many events a frame as `allowance` says (parts streaming in, or all at once).
struct Synthetic {
    inbox: RefCell<VecDeque<Event>>,
    allowance: Rc<Cell<usize>>,
}

impl Backend for Synthetic {
    fn send(&self, command: WorkerCommand) {
        let WorkerCommand::Start {
            id,
            generation,
            request,
            ..
        } = command
        else {
            return;
        };
        let mut inbox = self.inbox.borrow_mut();
        let Request::LoadFleet { pairs, .. } = &request else {
            inbox.push_back(Event {
                id,
                generation,
                response: request.failed(AwsError::internal("bench", "not used")),
            });
            return;
        };
        for (index, pair) in pairs.iter().enumerate() {
            for part in parts_of(index, pair) {
                inbox.push_back(Event {
                    id,
                    generation,
                    response: Response::FleetPart {
                        pair: index,
                        part: Box::new(part),
                    },
                });
            }
        }
    }

    fn try_recv(&self) -> Option<Event> {
        let left = self.allowance.get();
        if left == 0 {
            return None;
        }
        let event = self.inbox.borrow_mut().pop_front()?;
        self.allowance.set(left - 1);
        Some(event)
    }
}

fn fleet() -> FleetDef {
    FleetDef {
        name: "everything".into(),
        regions: REGIONS.iter().map(|r| (*r).to_owned()).collect(),
        members: PROFILES
            .iter()
            .map(|p| FleetMember {
                profile: Some((*p).to_owned()),
                regions: Vec::new(),
            })
            .collect(),
    }
}

/// How long ranking takes as the last part of a 5,000-service fleet arrives (it runs in
/// `reduce`, on the UI thread, at most once a frame while parts come in).
fn measure_ranking() {
    let def = fleet();
    let pairs = def.pairs(None);
    let mut load = FleetLoad::new(
        ecsdeck::model::RequestId(1),
        def.name.clone(),
        pairs.clone(),
        SystemTime::now(),
    );
    let mut parts: Vec<(usize, FleetPart)> = pairs
        .iter()
        .enumerate()
        .flat_map(|(i, p)| parts_of(i, p).into_iter().map(move |part| (i, part)))
        .collect();
    let Some((last_pair, last)) = parts.pop() else {
        return;
    };
    for (pair, part) in parts {
        load.apply(pair, part, SystemTime::now());
    }
    load.rank();
    let mut times = Vec::new();
    for _ in 0..50 {
        let mut copy = load.clone();
        let started = Instant::now();
        copy.apply(last_pair, last.clone(), SystemTime::now());
        copy.rank();
        times.push(started.elapsed());
        std::hint::black_box(copy);
    }
    times.sort();
    println!(
        "fleet ranking in a frame where a part arrived ({} services, reduce): median {:.3} ms, max {:.3} ms",
        load.rows.len(),
        frame_stats::percentile(&times, 0.5).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

/// The fleet loaded again with one part arriving each frame, frames 16 ms apart as at 60 Hz:
/// the rows are ranked and rebuilt every RANK_INTERVAL, and drawn every frame.
fn measure_streaming(ctx: &egui::Context, app: &mut App, allowance: &Cell<usize>) {
    allowance.set(0);
    app.apply(Action::ReloadFleet);
    let parts = PROFILES.len() * REGIONS.len() * 8;
    let mut times = Vec::with_capacity(parts);
    for frame in 0..parts {
        allowance.set(1);
        let input = frame_input::frame_input(frame, 400.0, WINDOW);
        let started = Instant::now();
        let output = ctx.run_ui(input, |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed());
        std::hint::black_box(primitives);
        std::thread::sleep(std::time::Duration::from_millis(16));
    }
    allowance.set(usize::MAX);
    times.sort();
    println!(
        "fleet screen while its {parts} parts stream in, one a frame: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        frame_stats::percentile(&times, 0.5).as_secs_f64() * 1e3,
        frame_stats::percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn main() {
    measure_ranking();
    let settings = Settings {
        connection: Connection {
            profile: Some("prod".into()),
            region: "us-east-1".into(),
            ..Default::default()
        },
        fleets: vec![fleet()],
        ..Settings::default()
    };
    let allowance = Rc::new(Cell::new(usize::MAX));
    let backend = Synthetic {
        inbox: RefCell::new(VecDeque::new()),
        allowance: Rc::clone(&allowance),
    };
    let mut app = App::with_backend(settings, Box::new(backend));
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    app.apply(Action::OpenFleet(Some("everything".into())));
    let started = Instant::now();
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
    println!(
        "fleet load applied (51 pairs, {SERVICES} services, 8 parts a pair) and first frame: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    frame_stats::measure_app(
        &ctx,
        &mut app,
        "fleet screen, 5,000 services ranked",
        WINDOW,
        400.0,
    );
    measure_streaming(&ctx, &mut app, &allowance);
    app.set_fleet_search("api:2.1.0");
    frame_stats::measure_app(
        &ctx,
        &mut app,
        "fleet screen, searching api:2.1.0",
        WINDOW,
        400.0,
    );
}
