//! Fault scenarios end to end: the real App and worker against moto behind the fault proxy
//! (tests/support/fault_proxy.rs), driven through egui_kittest.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::{Request, ResourceKey};
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use support::Emulator;
use support::fault_proxy::{Fault, FaultProxy, Rule};
use support::harness::wait_for;
use support::seed::seed;

/// CPU time the calling thread has used: UI-thread work, whatever else the machine runs.
fn thread_cpu_time() -> Duration {
    #[cfg(unix)]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to fill.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }
    #[cfg(not(unix))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

fn app_through(
    proxy: &FaultProxy,
    emulator: &Emulator,
    auto_refresh: bool,
    hook: ecsdeck::worker::RequestHook,
) -> Harness<'static, App> {
    let worker = Worker::spawn_with_hook(Arc::new(|| {}), emulator.profile_source(), hook).unwrap();
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: Some(proxy.endpoint.clone()),
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            auto_refresh,
            refresh_interval_secs: 5,
            read_only_profiles: Vec::new(),
            ..Default::default()
        },
        ..Settings::default()
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)))
}

/// Steps until `done`, returning the most UI-thread CPU time one frame took.
fn slowest_frame_until(
    harness: &mut Harness<'_, App>,
    what: &str,
    done: impl Fn(&Harness<'_, App>) -> bool,
) -> Duration {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut slowest = Duration::ZERO;
    while !done(harness) {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} never happened"
        );
        let before = thread_cpu_time();
        harness.step();
        slowest = slowest.max(thread_cpu_time() - before);
        std::thread::sleep(Duration::from_millis(10));
    }
    slowest
}

const DESCRIBES: [&str; 4] = [
    "DescribeClusters",
    "DescribeServices",
    "DescribeTasks",
    "DescribeContainerInstances",
];

#[test]
fn throttled_browsing_of_500_services_stays_responsive_bounded_and_converges() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seeded = runtime.block_on(seed(&emulator, 500));
    let services_total: usize = 500 + 1; // svc-000…svc-499 and api
    let proxy = FaultProxy::start(
        emulator.port,
        DESCRIBES.iter().map(|op| Rule::throttle(op, 0.3)).collect(),
    );
    // Service-list loads the app starts, counted at the worker.
    let loads = Arc::new(AtomicU64::new(0));
    let counter = loads.clone();
    let hook: ecsdeck::worker::RequestHook = Arc::new(move |request| {
        if matches!(request, Request::Load(ResourceKey::Services(_))) {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let mut harness = app_through(&proxy, &emulator, false, hook);
    let mut slowest = slowest_frame_until(&mut harness, "the cluster list", |h| {
        h.state().model().store.clusters.value().is_some()
            || h.state().model().store.clusters.error().is_some()
    });
    // A cluster list that ran out of attempts is shown as failed: refresh.
    while harness.state().model().store.clusters.value().is_none() {
        harness.key_press(egui::Key::F5);
        slowest = slowest.max(slowest_frame_until(&mut harness, "the cluster list", |h| {
            h.state().model().store.clusters.value().is_some()
        }));
    }
    support::harness::open_service_list(&mut harness, "prod");
    // Throttled: the indicator says so while the list loads (slowly: the SDK's adaptive
    // rate limiter paces the calls).
    slowest = slowest.max(slowest_frame_until(
        &mut harness,
        "the throttling indicator",
        |h| h.query_by_label_contains("AWS throttling: ").is_some(),
    ));
    proxy.set_rules(Vec::new());
    let prod = seeded.prod.clone();
    let settled = move |h: &Harness<'_, App>| {
        let services = h.state().model().services_of(&prod);
        !services.is_pending() && (services.value().is_some() || services.error().is_some())
    };
    slowest = slowest.max(slowest_frame_until(&mut harness, "the services", &settled));
    if harness
        .state()
        .model()
        .services_of(&seeded.prod)
        .error()
        .is_some()
    {
        harness.key_press(egui::Key::F5);
        slowest = slowest.max(slowest_frame_until(&mut harness, "the services", &settled));
    }
    assert_eq!(
        harness
            .state()
            .model()
            .services_of(&seeded.prod)
            .value()
            .map(Vec::len),
        Some(services_total)
    );
    // Each load describes 501 services in batches of 10, each batch at most MAX_ATTEMPTS times.
    let batches = services_total.div_ceil(10) as u64;
    let max_attempts = u64::from(ecsdeck::aws::config::MAX_ATTEMPTS);
    let calls = proxy.counts.of("DescribeServices");
    let loads = loads.load(Ordering::SeqCst);
    assert!(
        calls <= loads * batches * max_attempts,
        "{calls} DescribeServices calls for {loads} load(s) of {batches} batches"
    );
    assert!(
        proxy.counts.faulted.load(Ordering::SeqCst) > 0,
        "calls were throttled"
    );

    // The truth moves on while throttled; once the faults stop a refresh shows it.
    runtime.block_on(async {
        emulator
            .ecs_client()
            .update_service()
            .cluster("prod")
            .service("svc-007")
            .desired_count(3)
            .send()
            .await
            .unwrap();
    });
    proxy.set_rules(Vec::new());
    harness.key_press(egui::Key::F5);
    let prod = seeded.prod.clone();
    slowest = slowest.max(slowest_frame_until(&mut harness, "the truth", |h| {
        h.state()
            .model()
            .services_of(&prod)
            .value()
            .and_then(|s| s.iter().find(|s| s.name == "svc-007"))
            .is_some_and(|s| s.desired == 3)
    }));
    assert_eq!(
        harness
            .state()
            .model()
            .services_of(&seeded.prod)
            .value()
            .map(Vec::len),
        Some(services_total)
    );
    assert!(
        harness
            .state()
            .model()
            .services_of(&seeded.prod)
            .error()
            .is_none()
    );
    assert!(
        slowest < Duration::from_millis(50),
        "a frame took {slowest:?} of UI-thread CPU time"
    );
    eprintln!("throttled browsing: slowest frame {slowest:?} of UI-thread CPU time");
}

#[test]
fn a_dead_endpoint_shows_offline_keeps_the_data_and_recovers_by_itself() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(seed(&emulator, 2));
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let mut harness = app_through(&proxy, &emulator, true, Arc::new(|_| {}));
    wait_for(&mut harness, "the cluster list", |h| {
        h.query_by_label("staging").is_some()
    });

    proxy.set_down(true);
    harness.key_press(egui::Key::F5);
    wait_for(&mut harness, "the offline state", |h| {
        h.state().model().offline.is_some()
    });
    harness.get_by_label_contains("Offline since ");
    harness.get_by_label("staging"); // the last data stays

    proxy.set_down(false);
    // No key pressed: auto-refresh finds the endpoint again.
    wait_for(&mut harness, "recovery", |h| {
        h.state().model().offline.is_none()
    });
    assert!(harness.query_by_label_contains("Offline since ").is_none());
    assert!(harness.state().model().store.clusters.error().is_none());
}

/// Moto's desired count of `prod/api`.
fn desired_in_moto(emulator: &Emulator, runtime: &tokio::runtime::Runtime) -> i32 {
    runtime.block_on(async {
        let out = emulator
            .ecs_client()
            .describe_services()
            .cluster("prod")
            .services("api")
            .send()
            .await
            .unwrap();
        out.services()[0].desired_count()
    })
}

fn scale_to(harness: &mut Harness<'_, App>, count: &str) {
    harness.get_by_label("Desired tasks").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Desired tasks").type_text(count);
    harness.step();
    harness.get_by_label("Apply").click();
    // A dialog's first frame only sizes it: step until it is there.
    support::harness::wait_for(harness, "the confirmation", |h| {
        h.query_by_label("Confirm change").is_some()
    });
    harness.get_by_label("Confirm change").click();
    harness.step();
}

#[test]
fn a_scale_whose_answer_is_lost_is_checked_against_the_service_not_resent() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(seed(&emulator, 0));
    let before = desired_in_moto(&emulator, &runtime);
    // The call reaches moto and takes effect; its answer never comes back.
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::fault("UpdateService", 1.0, Fault::LoseResponse)],
    );
    let mut harness = app_through(&proxy, &emulator, false, Arc::new(|_| {}));
    support::harness::open_service_page(&mut harness, "prod", "api");
    let target = before + 1;
    scale_to(&mut harness, &target.to_string());
    wait_for(&mut harness, "the checked outcome", |h| {
        h.state().model().outcome.is_some()
    });
    let outcome = harness.state().model().outcome.clone().unwrap();
    assert!(outcome.result.is_ok(), "{outcome:?}");
    assert!(
        outcome.summary.contains("took effect"),
        "{}",
        outcome.summary
    );
    harness.get_by_label_contains("the service as re-read shows it took effect");
    assert_eq!(desired_in_moto(&emulator, &runtime), target);
    assert_eq!(
        proxy.counts.of("UpdateService"),
        1,
        "sent once, never blindly again"
    );

    // A call lost before it reaches moto: the re-read shows nothing changed, and says so.
    proxy.set_rules(vec![Rule::fault("UpdateService", 1.0, Fault::Reset)]);
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::DismissOutcome);
    scale_to(&mut harness, &(target + 1).to_string());
    wait_for(&mut harness, "the second outcome", |h| {
        h.state().model().outcome.is_some()
    });
    let outcome = harness.state().model().outcome.clone().unwrap();
    let error = outcome.result.expect_err("not applied");
    assert!(
        error.message.contains("did not take effect"),
        "{}",
        error.message
    );
    harness.get_by_label_contains("did not take effect");
    assert_eq!(desired_in_moto(&emulator, &runtime), target);
    assert_eq!(proxy.counts.of("UpdateService"), 2);
}

#[test]
fn a_log_tail_in_the_app_loses_and_repeats_nothing_while_throttled() {
    const STREAMS: usize = 5;
    const PER_STREAM: usize = 2_000;
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let svc = runtime.block_on(support::log_seed::log_service(
        &emulator, "loss", "loadgen", STREAMS, true,
    ));
    let proxy = FaultProxy::start(emulator.port, vec![Rule::throttle("FilterLogEvents", 0.3)]);
    let mut harness = app_through(&proxy, &emulator, false, Arc::new(|_| {}));
    support::harness::open_service_page(&mut harness, "loss", "loadgen");
    harness.get_by_label("Logs").click();
    wait_for(&mut harness, "the tail", |h| {
        h.state()
            .model()
            .log_tail
            .as_ref()
            .is_some_and(|t| t.status.received == 0 || t.status.error.is_none())
    });

    // 10,000 numbered events over the streams, written at once through moto directly.
    let logs = emulator.logs_client();
    let started = std::time::Instant::now();
    runtime.block_on(async {
        for round in 0..PER_STREAM / 100 {
            let ts = support::log_seed::now_ms();
            let puts = svc.streams.iter().enumerate().map(|(s, stream)| {
                let events = (0..100)
                    .map(move |i| (ts + i as i64 / 10, format!("s{s} n{:05}", round * 100 + i)));
                support::log_seed::put(&logs, &svc.group, stream, events)
            });
            futures::future::join_all(puts).await;
        }
    });
    let rate = (STREAMS * PER_STREAM) as f64 / started.elapsed().as_secs_f64();
    let lines_in_buffer = |h: &Harness<'_, App>| {
        let tail = h.state().model().log_tail.as_ref().expect("a tail");
        let data = tail.data.read();
        data.buffer
            .iter_from(data.buffer.first_index())
            .filter(|(_, _, text)| text.starts_with('s'))
            .map(|(_, _, text)| text.to_owned())
            .collect::<Vec<String>>()
    };
    wait_for(&mut harness, "every event in the view", |h| {
        lines_in_buffer(h).len() >= STREAMS * PER_STREAM
    });
    // A few more polls: nothing arrives twice later.
    for _ in 0..60 {
        harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    let lines = lines_in_buffer(&harness);
    let unique: std::collections::HashSet<&String> = lines.iter().collect();
    assert_eq!(lines.len(), STREAMS * PER_STREAM, "no duplicates");
    assert_eq!(unique.len(), STREAMS * PER_STREAM, "no loss");
    assert!(
        proxy.counts.faulted.load(Ordering::SeqCst) > 0,
        "polls were throttled"
    );
    harness.get_by_label_contains("AWS throttling: ");
    eprintln!("log tail under throttling: writer {rate:.0} events/s, every line once");
}
