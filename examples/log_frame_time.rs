//! Frame CPU time (layout + tessellation, headless) of the Logs page following a tail that
//! receives 5,000 lines/s with 1,000,000 lines already buffered: unfiltered, with a
//! client-side filter and highlights, and scrolled up (paused following, "N new lines").
//! Run: `cargo run --release --example log_frame_time`.
//!
//! A writer thread commits 50 lines every 10 ms into the shared buffer, as the tail engine
//! does; frames are paced at 60 per second so the writer's share of the lock is realistic.

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::logs::tail::{SharedTail, TailMode, TailSource, TailStatus, TailTarget};
use ecsdeck::model::{AwsError, Event, Request, Response, Route, WorkerCommand};
use ecsdeck::worker::Backend;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const BUFFERED: usize = 1_000_000;
const LINES_PER_SEC: u64 = 5_000;
const BATCH: u64 = 50;
const WARMUP_FRAMES: usize = 60;
const FRAMES: usize = 1_000;
const FRAME_EVERY: Duration = Duration::from_micros(16_667);

struct Synthetic {
    inbox: RefCell<VecDeque<Event>>,
    tail: Rc<RefCell<Option<SharedTail>>>,
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
        let response = match request {
            Request::Tail { tail, .. } => {
                *self.tail.borrow_mut() = Some(tail);
                Response::TailStatus(Box::new(TailStatus {
                    mode: TailMode::LiveTail,
                    streams: 6,
                    ..TailStatus::default()
                }))
            }
            Request::ListProfiles => Response::Profiles(Ok(vec![])),
            other => other.failed(AwsError::internal("bench", "not used")),
        };
        self.inbox.borrow_mut().push_back(Event {
            id,
            generation,
            response,
        });
    }

    fn try_recv(&self) -> Option<Event> {
        self.inbox.borrow_mut().pop_front()
    }
}

/// Line `i`: mixed levels, JSON and plain text, mostly ~150 bytes, one in ten a 1.5 KB JSON
/// record (request and response bodies), as a busy API writes.
fn line(i: u64) -> String {
    match i % 10 {
        9 => format!(
            r#"{{"level":"info","msg":"request completed","order":{i},"request":{{"headers":{{"user-agent":"Mozilla/5.0 (X11; Linux x86_64)","accept":"application/json","x-request-id":"{i:032x}"}},"body":"{}"}},"response":{{"status":200,"body":"{}"}}}}"#,
            "item=".repeat(120),
            "ok;".repeat(150)
        ),
        0 => format!(
            r#"{{"level":"error","msg":"payment failed: timeout calling payments-gateway","order":{i},"latency_ms":3012,"trace_id":"{i:016x}"}}"#
        ),
        1 | 2 => format!(
            "WARN slow call to inventory for order {i}: 1.8 s (p99 budget 500 ms), retrying with backoff"
        ),
        3 => format!(
            r#"{{"level":"debug","msg":"cache lookup","key":"cart:{i:08x}","hit":true,"service":"checkout-api"}}"#
        ),
        _ => format!(
            "INFO GET /api/v1/orders/{i} 200 in {} ms user={} trace={i:016x} bytes={}",
            i % 250,
            i % 9_973,
            i * 7 % 48_000
        ),
    }
}

fn fill(tail: &SharedTail, from: u64, count: u64, start_ms: i64) {
    let mut data = tail.write();
    let sources: Vec<u16> = (0..6)
        .map(|t| {
            data.source_index(&TailSource {
                group: "/ecs/checkout-api".into(),
                stream: format!("ecs/app/{t:032x}"),
                service: Some("checkout-api".into()),
                container: Some("app".into()),
            })
        })
        .collect();
    for i in from..from + count {
        let ts = start_ms + (i * 1_000 / LINES_PER_SEC) as i64;
        data.buffer.push(ts, sources[(i % 6) as usize], &line(i));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn input(scroll_up: bool) -> egui::RawInput {
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    input
        .events
        .push(egui::Event::PointerMoved(egui::pos2(600.0, 500.0)));
    if scroll_up {
        input.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 400.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
    }
    input
}

fn measure(ctx: &egui::Context, app: &mut App, label: &str, written: &AtomicU64) {
    let mut times = Vec::with_capacity(FRAMES);
    let before = written.load(Ordering::Relaxed);
    let started = Instant::now();
    for frame in 0..WARMUP_FRAMES + FRAMES {
        let due = started + FRAME_EVERY * frame as u32;
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        let start = Instant::now();
        let output = ctx.run_ui(input(false), |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        std::hint::black_box(primitives);
        if frame >= WARMUP_FRAMES {
            times.push(elapsed);
        }
    }
    let rate = (written.load(Ordering::Relaxed) - before) as f64 / started.elapsed().as_secs_f64();
    times.sort();
    println!(
        "{label}: median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {FRAMES} frames ({rate:.0} lines/s arriving)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn main() {
    let tail_slot = Rc::new(RefCell::new(None));
    let backend = Synthetic {
        inbox: RefCell::new(VecDeque::new()),
        tail: Rc::clone(&tail_slot),
    };
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
    let mut app = App::with_backend(settings, Box::new(backend));
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(input(false), |ui| app.frame_ui(ui));
    app.apply(ecsdeck::model::Action::Navigate(Route::Logs(
        TailTarget::Services {
            cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
            services: vec!["checkout-api".into()],
        },
    )));
    let _ = ctx.run_ui(input(false), |ui| app.frame_ui(ui));
    let Some(tail) = tail_slot.borrow().clone() else {
        eprintln!("the Logs page did not start a tail");
        std::process::exit(1);
    };
    let start_ms = 1_800_000_000_000;
    let filled = Instant::now();
    fill(&tail, 0, BUFFERED as u64, start_ms);
    println!(
        "buffer: {} lines, {:.0} MiB of text, filled in {:.2} s",
        tail.read().buffer.len(),
        tail.read().buffer.text_bytes() as f64 / 1_048_576.0,
        filled.elapsed().as_secs_f64()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = {
        let (tail, stop, written) = (tail.clone(), stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut next = BUFFERED as u64;
            let began = Instant::now();
            // LOG_FRAME_WRITER=off: no new lines (the cost of the page itself, for comparison).
            let writing = std::env::var("LOG_FRAME_WRITER").map_or(true, |v| v != "off");
            while writing && !stop.load(Ordering::Relaxed) {
                fill(&tail, next, BATCH, start_ms);
                next += BATCH;
                written.fetch_add(BATCH, Ordering::Relaxed);
                let due = began
                    + Duration::from_micros((next - BUFFERED as u64) * 1_000_000 / LINES_PER_SEC);
                std::thread::sleep(due.saturating_duration_since(Instant::now()));
            }
        })
    };

    measure(&ctx, &mut app, "following, 1M lines buffered", &written);
    {
        let logs = &mut app.view_mut().logs;
        logs.filter.pattern = "order".into();
        logs.highlight = "timeout, inventory, 200".into();
    }
    // The filter thread's first pass over 1M lines, before measuring its steady state.
    let filter_started = Instant::now();
    for _ in 0..120 {
        let _ = ctx.run_ui(input(false), |ui| app.frame_ui(ui));
        std::thread::sleep(FRAME_EVERY);
    }
    println!(
        "(filter warm-up {:.1} s)",
        filter_started.elapsed().as_secs_f64()
    );
    measure(
        &ctx,
        &mut app,
        "following, filter \"order\" + 3 highlight terms",
        &written,
    );
    // Scroll up: following stops, "N new lines" counts what keeps arriving.
    for _ in 0..10 {
        let _ = ctx.run_ui(input(true), |ui| app.frame_ui(ui));
    }
    measure(&ctx, &mut app, "scrolled up, counting new lines", &written);
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();
}
