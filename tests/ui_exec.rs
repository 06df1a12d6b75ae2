//! ECS Exec and port forwarding in the UI, over model-level fixtures (the fixture backend:
//! no AWS, no plugin; the sessions' screens and counters are filled by the fixtures). The
//! same flows against the emulator, with the real worker and a plugin on a real PTY, are in
//! `exec_emulator.rs`.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::exec::ExecTarget;
use ecsdeck::model::{Action, Route, TaskScope};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use support::fixture_backend::FixtureBackend;
use support::fixtures::{cluster_arn, service_arn, tasks};

fn running_task() -> String {
    let scope = TaskScope::service(&cluster_arn("prod"), "checkout-api");
    tasks(&scope, 8)
        .into_iter()
        .find(|t| t.last_status == "RUNNING")
        .expect("a running task")
        .arn
}

fn task_page(harness: &mut Harness<'_, App>) {
    harness.state_mut().apply(Action::Navigate(Route::Task {
        cluster: cluster_arn("prod"),
        service: Some(service_arn("prod", "checkout-api")),
        task: running_task(),
    }));
    harness.run();
}

fn exec_page(harness: &mut Harness<'_, App>) {
    harness.state_mut().apply(Action::Navigate(Route::Exec {
        target: ExecTarget {
            cluster: cluster_arn("prod"),
            task: running_task(),
            container: "app".into(),
        },
        service: Some(service_arn("prod", "checkout-api")),
    }));
    harness.run();
}

/// Types `text` into the field labelled `label`.
fn type_into(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    let role = egui::accesskit::Role::TextInput;
    harness.get_by_role_and_label(role, label).focus();
    harness.run();
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run();
}

fn route(harness: &Harness<'_, App>) -> Route {
    harness.state().model().route.clone()
}

#[test]
fn the_preflight_names_each_missing_piece_with_its_fix() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    task_page(&mut harness);
    harness
        .query_all_by_label("Exec…")
        .next()
        .expect("Exec… per container")
        .click();
    harness.run();
    assert!(
        matches!(route(&harness), Route::Exec { .. }),
        "{:?}",
        route(&harness)
    );
    harness.get_by_label("Exec into app");
    for failed in [
        "Exec enabled on the task",
        "ExecuteCommandAgent running",
        "session-manager-plugin installed",
    ] {
        harness.get_by_label(failed);
    }
    assert_eq!(harness.query_all_by_label("✖").count(), 3);
    harness.get_by_label_contains("Fix: Enable exec on this service: UpdateService");
    harness.get_by_label_contains("Fix: Install AWS's Session Manager plugin");
    harness.get_by_label("AWS's install page");
    harness.get_by_label_contains("not simulated (iam:SimulatePrincipalPolicy failed");
    harness.get_by_label_contains("KMS key alias/ecs-exec");
    harness.get_by_label("Not ready: 3 to fix first.");
    assert!(
        harness
            .get_by_label("Open shell")
            .accesskit_node()
            .is_disabled(),
        "no shell before the preflight passes"
    );
    support::harness::snapshot_themes(&mut harness, "exec_preflight");

    // The offered fix is a change like any other: previewed, confirmed, then sent.
    harness.get_by_label("Enable exec on this service…").click();
    harness.run();
    harness.get_by_label("ECS Exec (new tasks)");
    let proposal = harness
        .state()
        .model()
        .proposal
        .clone()
        .expect("a confirmation");
    assert!(
        proposal
            .cli
            .is_some_and(|c| c.contains("--enable-execute-command --force-new-deployment"))
    );
    harness.get_by_label("Confirm change").click();
    harness.run();
    let updates = backend.updates.borrow();
    let update = &updates.last().expect("UpdateService sent").update;
    assert_eq!(update.enable_execute_command, Some(true));
    assert!(
        update.force_new_deployment,
        "the running tasks are replaced"
    );
}

#[test]
fn a_shell_and_a_forward_open_after_confirming_and_show_in_the_sessions_tab() {
    let backend = FixtureBackend::new();
    backend.exec_ready.set(true);
    let mut harness = support::harness::app_harness(&backend, None);
    exec_page(&mut harness);
    harness.get_by_label("Ready: a session can start.");
    assert_eq!(harness.query_all_by_label("✔").count(), 6);
    harness.get_by_label("Open shell").click();
    harness.run();
    // The confirmation names where it goes and what the AWS CLI would run.
    harness.get_by_label("Open `/bin/sh` in prod › checkout-api › 0a1b2c3d › app?");
    harness.get_by_label("Copy as AWS CLI");
    let proposal = harness
        .state()
        .model()
        .proposal
        .clone()
        .expect("a confirmation");
    assert_eq!(
        proposal.destination.label(),
        "profile platform · region us-east-1 · endpoint AWS (default endpoint) · account 123456789012"
    );
    assert!(
        proposal
            .cli
            .is_some_and(|c| c.starts_with("aws ecs execute-command --profile 'platform'"))
    );
    assert!(
        backend.opened.borrow().is_empty(),
        "nothing before confirming"
    );
    harness.get_by_label("Confirm change").click();
    harness.run();
    assert_eq!(route(&harness), Route::Sessions);
    assert_eq!(
        *backend.opened.borrow(),
        ["prod › checkout-api › 0a1b2c3d › app"]
    );
    harness.get_by_label("Sessions (1 live)");
    harness.get_by_label_contains("Terminal prod › checkout-api › 0a1b2c3d › app");
    harness.get_by_label_contains("production");
    support::harness::snapshot_themes(&mut harness, "exec_terminal");

    // A forward to a database through the same task, typed into the form.
    exec_page(&mut harness);
    type_into(&mut harness, "Remote port", "5432");
    type_into(&mut harness, "Host", "db.internal");
    type_into(&mut harness, "Local port", "15432");
    harness.get_by_label("Start forwarding").click();
    harness.run();
    let proposal = harness
        .state()
        .model()
        .proposal
        .clone()
        .expect("a confirmation");
    let cli = proposal.cli.expect("the equivalent command");
    assert!(cli.contains("aws ssm start-session"), "{cli}");
    assert!(
        cli.contains("--document-name AWS-StartPortForwardingSessionToRemoteHost"),
        "{cli}"
    );
    assert!(cli.contains(r#""host":["db.internal"]"#), "{cli}");
    harness.get_by_label("Confirm change").click();
    harness.run();
    harness.get_by_label("Sessions (2 live)");
    harness.get_by_label("127.0.0.1:15432");
    harness.get_by_label("db.internal:5432");
    harness.get_by_label("1.5 KiB / 47.0 KiB");
    harness.get_by_label("1 open · 1 in all");
}

#[test]
fn read_only_refuses_exec_and_says_how_to_lift_it() {
    let backend = FixtureBackend::new();
    backend.exec_ready.set(true);
    let mut harness = support::harness::app_harness(&backend, None);
    harness.state_mut().apply(Action::SetReadOnly(true));
    exec_page(&mut harness);
    assert!(
        harness
            .get_by_label("Open shell")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        harness
            .get_by_label("Start forwarding")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label_contains("read-only mode is on in the saved settings");
    harness.get_by_label_contains("Turn read-only off in the status bar");
    // Asked anyway (a shortcut, a stale button): refused with the rule, nothing sent.
    harness.state_mut().apply(Action::OpenExec {
        spec: Box::new(ecsdeck::model::exec::ExecSpec {
            target: ExecTarget {
                cluster: cluster_arn("prod"),
                task: running_task(),
                container: "app".into(),
            },
            service: None,
            command: "/bin/sh".into(),
        }),
        reconnect: None,
    });
    harness.run();
    harness.get_by_label_contains("ExecuteCommand failed: ReadOnly");
    assert!(backend.opened.borrow().is_empty());
    assert!(harness.state().model().sessions.list.is_empty());
}
