//! The change policy at the bottom: every operation the crate sends that is not a read is
//! behind the gate (read from the sources), and against the emulator a refused change sends
//! nothing (counted at a proxy in front of moto) and changes nothing (described after).

use crate::support;

use ecsdeck::aws::change_gate::{ChangeGate, MUTATING_OPERATIONS, SharedRules, is_read_operation};
use ecsdeck::aws::config::connect_metered;
use ecsdeck::aws::throttle_meter::ThrottleMeter;
use ecsdeck::model::changes::policy::ChangeRules;
use ecsdeck::model::changes::service_change::{RunTaskSpec, ServiceSnapshot, ServiceUpdate};
use ecsdeck::model::{Connection, ErrorKind};
use std::path::Path;
use support::Emulator;
use support::emulator::{TEST_KEY_ID, TEST_SECRET};
use support::fault_proxy::FaultProxy;
use support::seed::seed;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/aws") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `"Name"` strings in CamelCase right after `from_sdk(`, `OPERATION: &str =`,
/// `logs_client(` or `check(`: the operations the AWS layer names when it calls them.
fn operations_named(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in [
        "from_sdk(\"",
        "OPERATION: &str = \"",
        "logs_client(\"",
        "check(\"",
    ] {
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            if let Some(end) = rest.find('"') {
                let name = &rest[..end];
                if name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    found.push(name.to_owned());
                }
            }
        }
    }
    found
}

/// The body of each `fn` in `text`, split at the next `fn` (good enough for this layer's
/// flat impl blocks).
fn functions(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = text.match_indices("fn ").map(|(i, _)| i).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| &text[start..starts.get(n + 1).copied().unwrap_or(text.len())])
        .collect()
}

#[test]
fn every_operation_that_is_not_a_read_is_registered_and_asks_the_gate() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/aws"),
        &mut files,
    );
    let mut mutating_seen = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        if file.ends_with("change_gate.rs") {
            continue;
        }
        for body in functions(&text) {
            for op in operations_named(body) {
                if is_read_operation(&op) {
                    continue;
                }
                assert!(
                    MUTATING_OPERATIONS.contains(&op.as_str()),
                    "{} calls {op}, which is not a read and not in MUTATING_OPERATIONS",
                    file.display()
                );
                assert!(
                    body.contains("self.gate.check("),
                    "{}: the function calling {op} does not ask the gate first",
                    file.display()
                );
                mutating_seen.insert(op);
            }
        }
    }
    let registered: std::collections::BTreeSet<String> = MUTATING_OPERATIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        mutating_seen, registered,
        "every registered change is one the crate calls (and the scan finds them)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_sends_nothing_and_changes_nothing() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let connection = Connection {
        profile: Some("prod-admin".into()),
        endpoint_url: Some(proxy.endpoint.clone()),
        ..emulator.connection()
    };
    let key = format!("aws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n");
    emulator.write_profile_files(
        "[default]\nregion = us-east-1\n[profile prod-admin]\nregion = us-east-1\n",
        &format!("[default]\n{key}[prod-admin]\n{key}"),
    );
    let rules = SharedRules::new(ChangeRules {
        patterns: vec!["*prod*".into()],
        ..ChangeRules::default()
    });
    let ecs = connect_metered(
        &connection,
        &emulator.profile_source(),
        ThrottleMeter::default(),
        rules.clone(),
    )
    .await;
    let service = ecs
        .describe_service(&seeded.prod, "api")
        .await
        .expect("api");
    let update = ServiceUpdate {
        desired: Some(service.desired + 3),
        ..ServiceUpdate::default()
    };
    let task = seeded.api_tasks[0].clone();
    let input: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"family":"web","containerDefinitions":[{"name":"web","image":"nginx","memory":64}]}"#,
    )
    .expect("input");
    let errors = [
        ecs.update_service(&seeded.prod, "api", &update, &ServiceSnapshot::of(&service))
            .await
            .expect_err("UpdateService"),
        ecs.stop_task(&seeded.prod, &task, "test")
            .await
            .expect_err("StopTask"),
        ecs.run_task(&RunTaskSpec::like(&service))
            .await
            .expect_err("RunTask"),
        ecs.roll_back_deployment(
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/api/x",
        )
        .await
        .expect_err("StopServiceDeployment"),
        ecs.continue_deployment(
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/api/x",
            "hook-1",
            false,
        )
        .await
        .expect_err("ContinueServiceDeployment"),
        ecs.register_task_definition(&input)
            .await
            .expect_err("RegisterTaskDefinition"),
        ecs.deregister_task_definition(&service.task_definition)
            .await
            .expect_err("DeregisterTaskDefinition"),
        ecs.set_scaling_bounds(&seeded.prod, "api", 1, 2)
            .await
            .expect_err("RegisterScalableTarget"),
        ecs.execute_command(
            &ecsdeck::model::exec::ExecTarget {
                cluster: seeded.prod.clone(),
                task: task.clone(),
                container: "web".into(),
            },
            "/bin/sh",
        )
        .await
        .expect_err("ExecuteCommand"),
        ecs.start_port_forward(
            "ecs:prod_x_y",
            ecsdeck::model::exec::PORT_FORWARD_DOCUMENT,
            &serde_json::json!({"portNumber": ["80"], "localPortNumber": ["8080"]}),
        )
        .await
        .expect_err("StartSession"),
    ];
    assert_eq!(errors.len(), MUTATING_OPERATIONS.len());
    for (error, op) in errors.iter().zip(MUTATING_OPERATIONS) {
        assert_eq!(error.kind, ErrorKind::ReadOnly, "{op}: {error}");
        assert_eq!(error.operation, *op);
        assert!(
            error
                .message
                .contains("profile prod-admin matches read-only pattern *prod*"),
            "{error}"
        );
        assert_eq!(proxy.counts.of(op), 0, "{op} reached the endpoint");
    }
    let after = ecs
        .describe_service(&seeded.prod, "api")
        .await
        .expect("api");
    assert_eq!(after.desired, service.desired);
    assert_eq!(after.task_definition, service.task_definition);

    // The same clients allow it as soon as the shared rules do.
    let mut open = rules.get();
    open.read_write = true;
    rules.set(open);
    let changed = ecs
        .update_service(&seeded.prod, "api", &update, &ServiceSnapshot::of(&service))
        .await
        .expect("allowed now");
    assert_eq!(changed.desired, service.desired + 3);
    assert_eq!(proxy.counts.of("UpdateService"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_crate_never_registered_is_refused_by_the_interceptor() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let gate = ChangeGate::new(
        SharedRules::new(ChangeRules {
            saved_read_only: true,
            ..ChangeRules::default()
        }),
        None,
    );
    let config = emulator
        .ecs_client_at(&proxy.endpoint)
        .config()
        .to_builder();
    let client = aws_sdk_ecs::Client::from_conf(config.interceptor(gate).build());
    let error = client
        .create_cluster()
        .cluster_name("sneaky")
        .send()
        .await
        .expect_err("refused");
    let text = format!(
        "{}",
        aws_smithy_types::error::display::DisplayErrorContext(&error)
    );
    assert!(text.contains("read-only"), "{text}");
    assert_eq!(proxy.counts.of("CreateCluster"), 0);
    // Reads still go through.
    let clusters = client.list_clusters().send().await.expect("a read");
    assert!(
        clusters
            .cluster_arns()
            .iter()
            .all(|a| !a.ends_with("/sneaky"))
    );
}
