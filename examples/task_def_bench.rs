//! Task-definition figures: parse + validate + lint of a 100-container definition, one form
//! edit (update + re-check), frame time of the editor on a 50-container draft (all containers
//! collapsed, then one expanded, then the JSON view), the semantic diff of two 100-container
//! definitions with 50 environment variables each, and the comparison screen's frame time.
//! Run: `cargo run --release --example task_def_bench`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark: a failed expectation is a bug

#[path = "support/frame_input.rs"]
mod frame_input;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::task_defs::draft::Draft;
use ecsdeck::model::task_defs::editor::Editor;
use ecsdeck::model::task_defs::task_def::TaskDefDocument;
use ecsdeck::model::task_defs::task_def_lint::lint;
use ecsdeck::model::task_defs::task_def_validate::validate;
use ecsdeck::model::task_defs::td_diff::diff;
use ecsdeck::model::task_defs::td_diff_rows::side_by_side;
use ecsdeck::model::task_defs::td_normalise::normalise;
use ecsdeck::model::{
    Action, DiffSide, Event, Request, ResourceKey, Response, Route, WorkerCommand,
};
use ecsdeck::worker::Backend;
use frame_input::frame_input;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const FRAMES: usize = 600;
const WARMUP_FRAMES: usize = 60;

/// A sidecar-heavy definition: each container with ports, env, secrets, health check, logs.
fn definition(containers: usize) -> String {
    definition_with(containers, 12, 0)
}

/// `containers` containers with `env` variables each; `variant` changes a few of them.
fn definition_with(containers: usize, env: usize, variant: usize) -> String {
    let list: Vec<Value> = (0..containers)
        .map(|i| {
            let env: Vec<Value> = (0..env)
                .map(|j| {
                    // Every seventh variable of every third container differs between variants.
                    let value = if variant > 0 && i % 3 == 0 && j % 7 == 0 {
                        format!("changed-{i}-{j}")
                    } else {
                        format!("value-{i}-{j}")
                    };
                    json!({"name": format!("SETTING_{j}"), "value": value})
                })
                .collect();
            json!({
                "name": format!("c{i}"),
                "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/app-{i}:1.{i}.{variant}"),
                "essential": i == 0,
                "cpu": 64,
                "memory": 256,
                "memoryReservation": 128,
                "portMappings": [{"containerPort": 8000 + i, "protocol": "tcp", "name": format!("p{i}")}],
                "environment": env,
                "secrets": [{"name": "DB_URL", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                                "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": format!("c{i}")}},
                "user": "1000",
                "readonlyRootFilesystem": true
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "family": "bench",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["EC2"],
        "cpu": "8192",
        "memory": "32768",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": list
    }))
    .unwrap()
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{label}: median {:.3} ms, p99 {:.3} ms over {} runs",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.len()
    );
}

fn model_figures() {
    let text = definition(100);
    let times = (0..500)
        .map(|_| {
            let start = Instant::now();
            let doc = TaskDefDocument::parse(&text).unwrap();
            let findings = (validate(&doc), lint(&doc));
            let elapsed = start.elapsed();
            std::hint::black_box(findings);
            elapsed
        })
        .collect();
    report(
        &format!(
            "parse + validate + lint, 100 containers ({} KB)",
            text.len() / 1024
        ),
        times,
    );
    let mut editor = Editor::open(Draft {
        id: "bench".into(),
        text,
        ..Draft::default()
    });
    let times = (0..500)
        .map(|i| {
            let start = Instant::now();
            editor.edit(|doc| {
                doc.set_container_text(50, "image", Some(&format!("repo/app:{i}")));
            });
            start.elapsed()
        })
        .collect();
    report(
        "one form edit (document + JSON text + checks), 100 containers",
        times,
    );
}

struct Idle;

impl Backend for Idle {
    fn send(&self, _command: WorkerCommand) {}
    fn try_recv(&self) -> Option<Event> {
        None
    }
}

fn input(frame: usize, click: Option<egui::Pos2>) -> egui::RawInput {
    let mut input = frame_input(frame, 300.0, frame_input::WINDOW);
    if let Some(pos) = click {
        input.events.clear();
        input.events.push(egui::Event::PointerMoved(pos));
        for pressed in [true, false] {
            input.events.push(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
    }
    input
}

fn measure(ctx: &egui::Context, app: &mut App, label: &str) {
    let times = (0..WARMUP_FRAMES + FRAMES)
        .filter_map(|frame| {
            let start = Instant::now();
            let output = ctx.run_ui(input(frame, None), |ui| app.frame_ui(ui));
            let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
            let elapsed = start.elapsed();
            std::hint::black_box(primitives);
            (frame >= WARMUP_FRAMES).then_some(elapsed)
        })
        .collect();
    report(label, times);
}

/// Where the widget whose accessible label starts with `prefix` is, from AccessKit's tree.
fn find(output: &egui::FullOutput, prefix: &str) -> Option<egui::Pos2> {
    let update = output.platform_output.accesskit_update.as_ref()?;
    update.nodes.iter().find_map(|(_, node)| {
        let label = node.label()?;
        let bounds = node.bounds()?;
        label.starts_with(prefix).then(|| {
            egui::pos2(
                ((bounds.x0 + bounds.x1) / 2.0) as f32,
                ((bounds.y0 + bounds.y1) / 2.0) as f32,
            )
        })
    })
}

fn ui_figures() {
    let mut app = App::with_backend(Settings::default(), Box::new(Idle));
    let ctx = egui::Context::default();
    ctx.enable_accesskit();
    let _ = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    app.open_draft(Draft {
        id: "bench".into(),
        text: definition(50),
        ..Draft::default()
    });
    let _ = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    measure(&ctx, &mut app, "editor form, 50 containers collapsed");

    // Scroll back to the top, then open the first container.
    for _ in 0..20 {
        let mut scroll = input(0, None);
        scroll
            .events
            .retain(|e| matches!(e, egui::Event::PointerMoved(_)));
        scroll.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 4000.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        let _ = ctx.run_ui(scroll, |ui| app.frame_ui(ui));
    }
    let output = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    let header = find(&output, "c0 — ").expect("first container header");
    let _ = ctx.run_ui(input(0, Some(header)), |ui| app.frame_ui(ui));
    let output = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    assert!(
        find(&output, "Duplicate").is_some(),
        "container c0 did not open"
    );
    measure(&ctx, &mut app, "editor form, 50 containers, one expanded");

    let json = find(&output, "JSON").expect("JSON tab");
    let _ = ctx.run_ui(input(0, Some(json)), |ui| app.frame_ui(ui));
    measure(&ctx, &mut app, "editor JSON view, 50 containers");
}

fn diff_figures() {
    let old = TaskDefDocument::parse(&definition_with(100, 50, 0)).unwrap();
    let new = TaskDefDocument::parse(&definition_with(100, 50, 1)).unwrap();
    let mut changes = 0;
    let times = (0..300)
        .map(|_| {
            let start = Instant::now();
            let d = diff(&old, &new);
            let elapsed = start.elapsed();
            changes = d.changes.len();
            std::hint::black_box(d);
            elapsed
        })
        .collect();
    report(
        &format!("semantic diff, 2 × 100 containers × 50 env ({changes} changes)"),
        times,
    );
    let times = (0..300)
        .map(|_| {
            let start = Instant::now();
            let tree = normalise(&old);
            let elapsed = start.elapsed();
            std::hint::black_box(tree);
            elapsed
        })
        .collect();
    report("of which normalising one side", times);
    let times = (0..100)
        .map(|_| {
            let start = Instant::now();
            let layout = side_by_side(&normalise(&old), &normalise(&new));
            let elapsed = start.elapsed();
            std::hint::black_box(layout);
            elapsed
        })
        .collect();
    report("side-by-side rows for the same pair (once per pair)", times);
}

/// Answers every DescribeTaskDefinition with one of two large definitions.
struct TwoRevisions {
    inbox: std::cell::RefCell<std::collections::VecDeque<Event>>,
}

impl Backend for TwoRevisions {
    fn send(&self, command: WorkerCommand) {
        if let WorkerCommand::Start {
            id,
            generation,
            request: Request::Load(ResourceKey::TaskDefinition(arn)),
            ..
        } = command
        {
            let variant = usize::from(arn.ends_with(":2"));
            let mut doc = TaskDefDocument::parse(&definition_with(100, 50, variant)).unwrap();
            doc.set_text("taskDefinitionArn", Some(&arn));
            self.inbox.borrow_mut().push_back(Event {
                id,
                generation,
                response: Response::TaskDefinition(Ok(doc)),
            });
        }
    }
    fn try_recv(&self) -> Option<Event> {
        self.inbox.borrow_mut().pop_front()
    }
}

fn compare_figures() {
    let backend = TwoRevisions {
        inbox: Default::default(),
    };
    let mut app = App::with_backend(Settings::default(), Box::new(backend));
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/bench";
    app.apply(Action::Navigate(Route::Compare {
        old: DiffSide::Revision(format!("{arn}:1")),
        new: DiffSide::Revision(format!("{arn}:2")),
    }));
    for _ in 0..3 {
        let _ = ctx.run_ui(input(0, None), |ui| app.frame_ui(ui));
    }
    measure(
        &ctx,
        &mut app,
        "comparison side by side, 2 × 100 containers × 50 env",
    );
}

fn main() {
    model_figures();
    ui_figures();
    diff_figures();
    compare_figures();
}
