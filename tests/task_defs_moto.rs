//! Task definitions against the emulator (moto over HTTP, real SDK): register a corpus
//! document exactly as written, read it back field by field, list families and revisions,
//! deregister.

use crate::support;

use ecsdeck::aws;
use ecsdeck::model::ErrorKind;
use ecsdeck::model::task_defs::editor::Editor;
use ecsdeck::model::task_defs::task_def::{ScalarKind, TaskDefDocument};
use serde_json::{Map, Value};
use support::Emulator;

fn corpus(name: &str) -> TaskDefDocument {
    let path = format!(
        "{}/tests/fixtures/task-definitions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    TaskDefDocument::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every field of `sent` is in `got` with the same value (`got` may add defaults).
fn assert_contains(sent: &Value, got: &Value, path: &str) {
    match (sent, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let other = b
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} missing in {got}"));
                assert_contains(value, other, &format!("{path}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: list length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_contains(x, y, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(sent, got, "{path}"),
    }
}

/// The task-level fields moto's RegisterTaskDefinition keeps; it drops the rest.
const MOTO_KEEPS: &[&str] = &[
    "family",
    "containerDefinitions",
    "volumes",
    "networkMode",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "taskRoleArn",
    "executionRoleArn",
    "proxyConfiguration",
    "runtimePlatform",
    "ipcMode",
    "pidMode",
    "ephemeralStorage",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_read_back_list_and_deregister() {
    let emulator = Emulator::start();
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;

    for name in [
        "01-fargate-web-app.json",
        "21-register-fargate-tags-future-field.json",
    ] {
        let doc = corpus(name);
        let input = doc.register_input();
        let created = ecs.register_task_definition(&input).await.expect(name);
        let arn = created.text("taskDefinitionArn").expect("arn");
        let read = ecs.task_definition(&arn).await.expect("describe");
        assert_eq!(read.text("status").as_deref(), Some("ACTIVE"));
        for key in MOTO_KEEPS {
            if let Some(sent) = input.get(*key) {
                let got = read
                    .as_map()
                    .get(*key)
                    .unwrap_or_else(|| panic!("{name}: {key}"));
                assert_contains(sent, got, &format!("{name}:{key}"));
            }
        }
        if let Some(tags) = input.get("tags") {
            // describe-task-definition returns tags beside the definition; the document folds them in.
            assert_eq!(read.as_map().get("tags"), Some(tags), "{name}: tags");
        }
    }

    // A second revision of the same family, then the first one deregistered.
    let doc = corpus("01-fargate-web-app.json");
    let family = doc.family().unwrap().to_owned();
    let second = ecs
        .register_task_definition(&doc.register_input())
        .await
        .unwrap();
    assert_eq!(second.as_map()["revision"], 2);
    let first_arn = second
        .text("taskDefinitionArn")
        .unwrap()
        .replace(&format!("{family}:2"), &format!("{family}:1"));
    let gone = ecs.deregister_task_definition(&first_arn).await.unwrap();
    assert_eq!(gone.text("status").as_deref(), Some("INACTIVE"));

    let families = ecs.families().await.unwrap();
    assert!(
        families.iter().any(|f| f.name == family && f.active),
        "{families:?}"
    );
    let revisions = ecs.revisions(&family).await.unwrap();
    let listed: Vec<(u32, &str)> = revisions
        .iter()
        .map(|r| (r.revision, r.status.as_str()))
        .collect();
    assert_eq!(listed, [(2, "ACTIVE"), (1, "INACTIVE")]);
    assert!(revisions.iter().all(|r| r.described));
    // The emulator fills in what ECS always sets and moto omits.
    assert!(revisions.iter().all(|r| r.registered_at.is_some()));
    assert!(
        revisions[0]
            .registered_by
            .as_deref()
            .is_some_and(|by| by.starts_with("arn:aws:sts::")),
        "{:?}",
        revisions[0].registered_by
    );
    assert!(revisions[0].images.iter().any(|(name, _)| !name.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_made_through_the_form_model_are_registered_and_read_back() {
    let emulator = Emulator::start();
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let first = ecs
        .register_task_definition(&corpus("02-ec2-bridge-dynamic-ports.json").register_input())
        .await
        .unwrap();
    let base = ecs
        .task_definition(&first.text("taskDefinitionArn").unwrap())
        .await
        .unwrap();

    // The same calls the form makes.
    let mut editor = Editor::from_revision("d".into(), &base, "test".into());
    editor.edit(|doc| {
        doc.set_container_text(0, "image", Some("registry.example.com/orders:2.0.0"));
        doc.set_environment_var(0, "LOG_LEVEL", Some("debug"));
        doc.set_text_at(
            "/containerDefinitions/0/memoryReservation",
            "384",
            ScalarKind::Int,
        );
        doc.set_text_at("/containerDefinitions/0/stopTimeout", "45", ScalarKind::Int);
    });
    let input: Map<String, Value> =
        serde_json::from_str(&editor.register_input().unwrap()).unwrap();
    let created = ecs.register_task_definition(&input).await.unwrap();
    let read = ecs
        .task_definition(&created.text("taskDefinitionArn").unwrap())
        .await
        .unwrap();
    for key in MOTO_KEEPS {
        if let Some(sent) = input.get(*key) {
            assert_contains(sent, &read.as_map()[*key], key);
        }
    }
    let web = &read.containers()[0];
    assert_eq!(web["image"], "registry.example.com/orders:2.0.0");
    assert_eq!(web["memoryReservation"], 384);
    assert_eq!(web["stopTimeout"], 45);
    assert!(
        read.environment(0)
            .contains(&("LOG_LEVEL".into(), "debug".into()))
    );
    assert_eq!(read.as_map()["revision"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_revision_and_a_rejected_register_carry_the_aws_error() {
    let emulator = Emulator::start();
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let error = ecs
        .task_definition("deleted-meanwhile:3")
        .await
        .unwrap_err();
    assert_eq!(error.operation, "DescribeTaskDefinition");
    assert!(!error.message.is_empty(), "{error:?}");
    assert!(error.request_id.is_some(), "{error:?}");

    // Fargate with pidMode host is refused by the service; the body sent is the user's JSON.
    let mut input = corpus("01-fargate-web-app.json").register_input();
    input.insert("pidMode".into(), Value::from("host"));
    let error = ecs.register_task_definition(&input).await.unwrap_err();
    assert_eq!(error.operation, "RegisterTaskDefinition");
    assert_eq!(error.kind, ErrorKind::Service);
    assert!(error.message.contains("pidMode"), "{error:?}");
}
