//! The real worker thread against the emulator: events carry ids and generations, cancelled
//! requests never answer, and the full App browses end to end over it.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::{Connection, Event, Request, RequestId, ResourceKey, Response, WorkerCommand};
use ecsdeck::worker::{Backend, Worker};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::Emulator;
use support::seed::seed;

fn seeded_emulator() -> Emulator {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(seed(&emulator, 4));
    emulator
}

fn start(id: u64, connection: &Connection, key: ResourceKey) -> WorkerCommand {
    WorkerCommand::Start {
        id: RequestId(id),
        generation: 7,
        connection: connection.clone(),
        request: Request::Load(key),
    }
}

/// An ECS endpoint that answers every call with an empty ListClusters page after `delay`:
/// a request to it finishes unless it is cancelled first.
fn slow_endpoint(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buffer = [0u8; 8192];
                let _ = stream.read(&mut buffer);
                std::thread::sleep(delay);
                let body = r#"{"clusterArns":[]}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn events_answer_requests_and_cancelled_requests_stay_silent() {
    let emulator = seeded_emulator();
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).expect("worker");
    let moto = emulator.connection();
    worker.send(start(1, &moto, ResourceKey::Clusters));
    let event: Event = worker
        .recv_timeout(Duration::from_secs(30))
        .expect("an event");
    assert_eq!((event.id, event.generation), (RequestId(1), 7));
    let Response::Clusters(Ok(clusters)) = event.response else {
        panic!("{:?}", event.response)
    };
    assert_eq!(clusters.len(), 2);

    // Uncancelled, the slow endpoint answers after 0.8 s…
    let slow = Connection {
        endpoint_url: Some(slow_endpoint(Duration::from_millis(800))),
        ..moto.clone()
    };
    worker.send(start(2, &slow, ResourceKey::Clusters));
    let event = worker
        .recv_timeout(Duration::from_secs(10))
        .expect("the slow endpoint answers");
    assert_eq!(event.id, RequestId(2));
    assert!(matches!(event.response, Response::Clusters(Ok(ref c)) if c.is_empty()));
    // …cancelled, it never does, while other requests go on.
    worker.send(start(3, &slow, ResourceKey::Clusters));
    worker.send(WorkerCommand::Cancel(RequestId(3)));
    worker.send(start(
        4,
        &moto,
        ResourceKey::Services(clusters[0].arn.clone()),
    ));
    let event = worker
        .recv_timeout(Duration::from_secs(30))
        .expect("an event");
    assert_eq!(event.id, RequestId(4));
    assert!(matches!(event.response, Response::Services(Ok(ref s)) if s.len() == 5));
    worker.send(start(5, &slow, ResourceKey::Clusters));
    worker.send(start(6, &slow, ResourceKey::Clusters));
    worker.send(WorkerCommand::CancelAll);
    assert!(
        worker.recv_timeout(Duration::from_secs(3)).is_none(),
        "cancelled requests never answer"
    );

    worker.send(list_profiles_command());
    let event = worker
        .recv_timeout(Duration::from_secs(10))
        .expect("profiles");
    assert!(
        matches!(event.response, Response::Profiles(Ok(ref p)) if p.iter().any(|p| p.name == "default"))
    );
}

fn list_profiles_command() -> WorkerCommand {
    WorkerCommand::Start {
        id: RequestId(7),
        generation: 7,
        connection: Connection::default(),
        request: Request::ListProfiles,
    }
}

#[test]
fn the_app_browses_the_emulator_end_to_end() {
    let emulator = seeded_emulator();
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).expect("worker");
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: Some(emulator.endpoint.clone()),
        },
        ..Settings::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)));
    let wait_for = |harness: &mut Harness<'_, App>, label: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while harness.query_all_by_label(label).next().is_none() {
            assert!(Instant::now() < deadline, "{label} never appeared");
            harness.step();
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for(&mut harness, "staging");
    harness.get_by_label("prod").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.step();
    wait_for(&mut harness, "svc-000");
    harness.get_by_label("api").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.step();
    // The service's tasks table (a service's page has no group column).
    wait_for(&mut harness, "Why stopped");
    let cluster = harness
        .state()
        .model()
        .route
        .cluster()
        .unwrap_or_default()
        .to_owned();
    let scope = ecsdeck::model::TaskScope::service(&cluster, "api");
    let tasks = harness
        .state()
        .model()
        .tasks_of(&scope)
        .value()
        .map(Vec::len);
    assert_eq!(tasks, Some(2));

    // From the service to the revision it runs, then up to its family, through the real worker.
    harness.get_by_label("web:3 ›").click();
    harness.step();
    wait_for(&mut harness, "Edit as new draft");
    harness.get_by_label("JSON").click();
    harness.step();
    wait_for(&mut harness, "Task definition JSON (read-only)");
    harness.key_press(egui::Key::Escape);
    harness.step();
    let deadline = Instant::now() + Duration::from_secs(30);
    while harness
        .state()
        .model()
        .revisions_of("web")
        .value()
        .is_none()
    {
        assert!(Instant::now() < deadline, "revisions never loaded");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.step();
    assert_eq!(
        harness.state().model().route,
        ecsdeck::model::Route::Family {
            family: "web".into()
        }
    );
    let revisions: Vec<u32> = harness
        .state()
        .model()
        .revisions_of("web")
        .value()
        .map(|rows| rows.iter().map(|r| r.revision).collect())
        .unwrap_or_default();
    assert_eq!(revisions, [3, 2, 1]);
    let newest = &harness.state().model().revisions_of("web").value().unwrap()[0];
    assert!(
        newest.described && newest.registered_at.is_some(),
        "{newest:?}"
    );
    assert!(
        newest.image_tags().ends_with("1.2.0"),
        "{}",
        newest.image_tags()
    );
}
