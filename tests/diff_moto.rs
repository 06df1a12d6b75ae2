//! The semantic diff against the emulator (moto over HTTP): three revisions registered with
//! known changes, compared through the SDK layer, the CLI and the app's comparison screen
//! driven by the real worker.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::aws;
use ecsdeck::model::task_defs::task_def::TaskDefDocument;
use ecsdeck::model::task_defs::td_diff::diff;
use ecsdeck::model::{Action, DiffSide, Route};
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::Emulator;

/// Revision 1, then 2 (image bump, one more variable), then 3 (memory, a rotated secret, a
/// sidecar) of family `diffme`.
async fn register_three(emulator: &Emulator) {
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let path = format!(
        "{}/tests/fixtures/task-definitions/01-fargate-web-app.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc = TaskDefDocument::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut input = Value::Object(doc.register_input());
    input["family"] = json!("diffme");
    let web = |input: &mut Value| input["containerDefinitions"][0].clone();
    let register = |input: Value| {
        let ecs = ecs.clone();
        async move {
            ecs.register_task_definition(input.as_object().unwrap())
                .await
                .unwrap()
        }
    };
    register(input.clone()).await;
    let mut c = web(&mut input);
    c["image"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-web:1.5.0");
    c["environment"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "CACHE_TTL", "value": "300"}));
    input["containerDefinitions"][0] = c;
    register(input.clone()).await;
    input["memory"] = json!("2048");
    input["containerDefinitions"][0]["secrets"][0]["valueFrom"] =
        json!("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/storefront/db-url-NEW");
    input["containerDefinitions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "xray", "image": "amazon/aws-xray-daemon:3.3.7", "essential": false}));
    register(input).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_compared_through_the_sdk_and_the_cli() {
    let emulator = Emulator::start();
    register_three(&emulator).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let one = ecs.task_definition("diffme:1").await.unwrap();
    let two = ecs.task_definition("diffme:2").await.unwrap();
    let three = ecs.task_definition("diffme:3").await.unwrap();
    assert_eq!(
        diff(&one, &two).summary(),
        "image web: 1.4.2 → 1.5.0; +1 env"
    );
    assert_eq!(
        diff(&two, &three).summary(),
        "+container xray; ~1 secret; memory 1024 → 2048"
    );
    // moto fills in container defaults (cpu 0, empty lists…) the input did not have: no noise.
    assert!(diff(&one, &one).is_empty());

    let out = Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .args(["diff", "diffme:1", "diffme:3", "--output", "json"])
        .args([
            "--endpoint-url",
            &emulator.endpoint,
            "--region",
            "us-east-1",
        ])
        .envs(emulator.cli_env())
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["summary"],
        "image web: 1.4.2 → 1.5.0; +container xray; +1 env; ~1 secret; memory 1024 → 2048"
    );
}

#[test]
fn the_comparison_screen_loads_both_revisions_through_the_worker() {
    let emulator = Emulator::start();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(register_three(&emulator));
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).unwrap();
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
    harness.step();
    harness.state_mut().apply(Action::Navigate(Route::Compare {
        old: DiffSide::Revision("diffme:2".into()),
        new: DiffSide::Revision("diffme:3".into()),
    }));
    let deadline = Instant::now() + Duration::from_secs(30);
    while harness.state().view().compare.computed.is_none() {
        assert!(Instant::now() < deadline, "the comparison never loaded");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let computed = harness.state().view().compare.computed.as_ref().unwrap();
    assert_eq!(
        computed.diff.summary(),
        "+container xray; ~1 secret; memory 1024 → 2048"
    );
    let sections: Vec<&str> = computed
        .layout
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(sections, ["Task", "Container web", "Container xray"]);
}
