//! A service's controls through egui_kittest: the live rollout (fixture: checkout-api rolling
//! out revision 10 with one task stopped by OOM), scaling (every change through the one
//! confirmation, a large one with a warning), bad counts, read-only mode, and stopping a task.

use crate::support;

use ecsdeck::App;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{self, FixtureBackend};
use support::harness::confirm_change;

fn harness(backend: &FixtureBackend) -> Harness<'static, App> {
    support::harness::app_harness(backend, None)
}

fn open_checkout(harness: &mut Harness<'_, App>) {
    support::harness::open_service(harness, "prod", "checkout-api");
}

fn type_count(harness: &mut Harness<'_, App>, count: &str) {
    harness.get_by_label("Desired tasks").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Desired tasks").type_text(count);
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
}

#[test]
fn the_service_page_shows_the_rollout_and_why_its_tasks_stop() {
    let backend = FixtureBackend::new();
    // Seven tasks: the stopped one runs revision 10, the one rolling out.
    backend.tasks_per_scope.set(7);
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    harness.get_by_label(
        "Rolling out checkout-api:10: 1 of 3 new tasks running, 2 old tasks still running.",
    );
    harness.get_by_label("Out of memory × 1");
    harness.get_by_label(
        "PRIMARY checkout-api:10 · desired 3 · running 1 · pending 2 · failed 0 · IN_PROGRESS",
    );
    harness.get_by_label_contains("Raise the container's memory limit");
    // At a glance, above everything else: CPU and memory of the last hour, the deployment
    // now, the latest service events.
    harness.get_by_label("Last hour");
    assert!(
        harness.query_all_by_label_contains("%").count() >= 2,
        "CPU and memory values"
    );
    harness.get_by_label("IN_PROGRESS → checkout-api:10");
    harness.get_by_label("1 of 3 running, 2 pending");
    harness.get_by_label("Latest events");
    harness.get_by_label("(service checkout-api) has reached a steady state.");
    // The stopped task first, with why it stopped, above the running ones.
    let stopped = harness
        .get_by_label_contains("Task failed ELB health checks")
        .rect()
        .top();
    let running = harness
        .query_all_by_label_contains("RUNNING")
        .map(|n| n.rect().top())
        .fold(f32::MAX, f32::min);
    assert!(
        stopped < running,
        "stopped at {stopped}, first running at {running}"
    );
    support::harness::snapshot_themes(&mut harness, "service_rollout");
}

#[test]
fn a_scale_is_confirmed_and_zero_is_confirmed_with_a_warning() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    type_count(&mut harness, "5");
    assert!(
        backend.updates.borrow().is_empty(),
        "nothing before confirming"
    );
    confirm_change(&mut harness);
    let updates = backend.updates.borrow().clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].update.desired, Some(5));
    assert_eq!(
        updates[0].expected.desired, 3,
        "the state it was previewed against"
    );
    harness.get_by_label("Done: desired count 3 → 5.");

    type_count(&mut harness, "0");
    harness.get_by_label("Scale checkout-api from 5 to 0 tasks?");
    harness.get_by_label_contains("stops all 5 running tasks");
    assert_eq!(
        backend.updates.borrow().len(),
        1,
        "nothing sent before confirming"
    );
    confirm_change(&mut harness);
    assert_eq!(backend.updates.borrow()[1].update.desired, Some(0));
}

#[test]
fn bad_counts_are_explained_and_read_only_mode_blocks_scaling() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    type_count(&mut harness, "-2");
    harness.get_by_label("A desired count cannot be negative");
    type_count(&mut harness, "many");
    harness.get_by_label_contains("is not a whole number of tasks");
    type_count(&mut harness, "9000");
    harness.get_by_label_contains("at most 5000 tasks");
    assert!(backend.updates.borrow().is_empty());

    harness.get_by_label("Read-only").click();
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
    assert!(backend.updates.borrow().is_empty());
}

#[test]
fn a_task_is_stopped_with_a_reason_after_confirming() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    // The stopped task comes first on a service's page: the second row is running.
    harness.key_press(Key::ArrowDown);
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Stop task…").click();
    harness.run();
    harness.get_by_label_contains("Its service starts a replacement");
    harness.get_by_label("Reason").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Reason").type_text("stuck on a lock");
    harness.run();
    assert!(backend.stopped.borrow().is_empty());
    harness.get_by_label("Stop task").click();
    harness.run();
    assert!(backend.stopped.borrow().is_empty(), "not before confirming");
    confirm_change(&mut harness);
    let stopped = backend.stopped.borrow().clone();
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0].1, "stuck on a lock");
    harness.get_by_label("Stop requested; the task list shows it stopping.");
}

fn open_deploy(harness: &mut Harness<'_, App>) {
    open_checkout(harness);
    harness.get_by_label("Deploy…").click();
    harness.run();
    harness.run();
}

#[test]
fn deploy_previews_the_change_then_updates_the_service() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_deploy(&mut harness);
    harness.get_by_label("Deploy checkout-api:142 to checkout-api");
    harness.get_by_label("image web: 1.4.0 → 1.4.2; +1 env; −1 env; memory 1024 → 2048");
    harness.get_by_label_contains("~ containers[web].image:");
    support::harness::snapshot_themes(&mut harness, "deploy_preview");
    // Environment values stay masked until asked for.
    assert!(harness.query_all_by_label_contains("••••••").count() >= 2);
    harness.get_by_label("Show environment values").click();
    harness.run();
    assert_eq!(harness.query_all_by_label_contains("••••••").count(), 0);
    harness.get_by_label("Deploy checkout-api:142").click();
    harness.run();
    harness.get_by_label("Deploy checkout-api:142 to checkout-api?");
    confirm_change(&mut harness);
    let updates = backend.updates.borrow().clone();
    assert_eq!(updates.len(), 1);
    let target = updates[0].update.task_definition.clone().unwrap();
    assert!(target.ends_with("checkout-api:142"), "{target}");
    assert!(matches!(
        harness.state().model().route,
        ecsdeck::model::Route::Service { .. }
    ));
    // Back on the service page, the rollout view is there.
    harness.get_by_label_contains("Rolling out checkout-api");
}

#[test]
fn a_deploy_is_refused_when_the_service_changed_since_the_preview() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_deploy(&mut harness);
    // Someone else scales the service while the preview is on screen.
    let service = backend.sent.borrow().iter().find_map(|c| match c {
        ecsdeck::model::WorkerCommand::Start {
            request: ecsdeck::model::Request::Load(ecsdeck::model::ResourceKey::Services(cluster)),
            ..
        } => Some(cluster.clone()),
        _ => None,
    });
    let cluster = service.unwrap();
    let arn = support::fixtures::services(&cluster, 24)
        .into_iter()
        .find(|s| s.name == "checkout-api")
        .unwrap()
        .arn;
    backend
        .updates
        .borrow_mut()
        .push(ecsdeck::model::changes::service_change::ServiceChange {
            cluster,
            service: arn,
            update: ecsdeck::model::changes::service_change::ServiceUpdate {
                desired: Some(9),
                ..Default::default()
            },
            expected: ecsdeck::model::changes::service_change::ServiceSnapshot {
                task_definition: String::new(),
                desired: 0,
                primary: None,
            },
        });
    harness.get_by_label("Deploy checkout-api:142").click();
    harness.run();
    confirm_change(&mut harness);
    harness.get_by_label_contains("The service changed since this preview");
    harness.get_by_label_contains("its desired count is 9 (was 3)");
    assert_eq!(
        backend.updates.borrow().len(),
        1,
        "nothing more was changed"
    );
}

#[test]
fn roll_back_targets_the_revision_the_rollout_replaces_and_read_only_hides_it() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    harness.get_by_label("Roll back…").click();
    harness.run();
    harness.run();
    let ecsdeck::model::Route::Deploy { target, .. } = harness.state().model().route.clone() else {
        panic!("not on the deploy page");
    };
    assert!(target.ends_with("checkout-api:9"), "{target}");
    harness.get_by_label_contains("Roll back checkout-api:9 to checkout-api");
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Read-only").click();
    harness.run();
    harness.get_by_label("Deploy…").click();
    harness.run();
    assert!(matches!(
        harness.state().model().route,
        ecsdeck::model::Route::Service { .. }
    ));
}

#[test]
fn every_change_is_journaled_and_the_journal_is_viewable() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    let mut harness = support::harness::app_harness(&backend, Some(&drafts));
    open_checkout(&mut harness);
    type_count(&mut harness, "5");
    confirm_change(&mut harness);
    // The same change again is an entry of its own.
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::DismissOutcome);
    type_count(&mut harness, "3");
    confirm_change(&mut harness);
    type_count(&mut harness, "5");
    confirm_change(&mut harness);
    let journal = dir.path().join("journal.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !journal.exists() {
        assert!(std::time::Instant::now() < deadline, "no journal written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut text = String::new();
    while text.lines().count() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "entries missing: {text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        text = std::fs::read_to_string(&journal).unwrap();
    }
    let scales_to_5 = text
        .lines()
        .filter(|l| l.contains("\"summary\":\"desired count 3 → 5\""))
        .count();
    assert_eq!(scales_to_5, 2, "{text}");
    assert!(text.contains("\"profile\":\"platform\""), "{text}");
    assert!(text.contains("\"via\":\"app\""), "{text}");

    harness.get_by_label("☰").click();
    harness.run();
    harness.get_by_label("Action journal ").click();
    // Single frames: the page shows a spinner (which keeps repainting) until the file is read.
    harness.step();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while harness.query_all_by_label("desired count 3 → 5").count() < 2 {
        assert!(std::time::Instant::now() < deadline, "journal not shown");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    assert!(
        harness
            .query_all_by_label_contains("ok: arn:aws:ecs:")
            .count()
            >= 3
    );
}

#[test]
fn auto_scaling_bounds_are_shown_warned_about_and_editable() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    harness.get_by_label("Auto scaling: min 2 · max 10 · CPU 60%");
    harness.get_by_label("Desired tasks").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Desired tasks").type_text("12");
    harness.run();
    harness.get_by_label(
        "Auto scaling keeps this service between 2 and 10 tasks: 12 will be set back to 10.",
    );
    harness.get_by_label("max").set_value_accesskit(15.0);
    harness.run();
    harness.get_by_label("Set bounds").click();
    harness.run();
    assert_eq!(backend.bounds.get(), (2, 10), "not before confirming");
    harness.get_by_label("Set the auto scaling bounds of checkout-api?");
    confirm_change(&mut harness);
    assert_eq!(backend.bounds.get(), (2, 15));
    harness.get_by_label("Auto scaling: min 2 · max 15 · CPU 60%");
}

#[test]
fn a_one_off_task_runs_like_the_service_with_a_command() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    harness.get_by_label("Run task…").click();
    harness.run();
    harness.get_by_label("Container").focus();
    harness.get_by_label("Container").type_text("app");
    harness.get_by_label("Command").focus();
    harness.get_by_label("Command").type_text("migrate\n--yes");
    harness.run();
    harness.get_by_label("Run task").click();
    harness.run();
    confirm_change(&mut harness);
    let runs = backend.runs.borrow().clone();
    assert_eq!(runs.len(), 1);
    assert!(runs[0].task_definition.ends_with("checkout-api:10"));
    assert_eq!(
        runs[0].command,
        Some(("app".into(), vec!["migrate".into(), "--yes".into()]))
    );
    harness.get_by_label("Started task ffff0000111122223333444455556666.");
}

#[test]
fn a_deployment_in_progress_is_stopped_and_rolled_back_after_confirming() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    harness.get_by_label("Deployment history (2)").click();
    harness.run();
    harness.get_by_label("Stop and roll back…").click();
    harness.run();
    harness.get_by_label("Stop deployment d2 and roll back?");
    assert!(backend.rollbacks.borrow().is_empty());
    confirm_change(&mut harness);
    let rollbacks = backend.rollbacks.borrow().clone();
    assert_eq!(rollbacks.len(), 1);
    assert!(rollbacks[0].ends_with("/d2"));
    harness.get_by_label_contains("Rollback requested");

    // A service on an account without the API says so and keeps Roll back….
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("payments-api").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label_contains("Deployment history not available here (InvalidAction)");
    harness.get_by_label("Roll back…");
}

#[test]
fn a_throttled_refresh_during_a_rollout_keeps_the_last_state_and_says_why() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    let cluster = support::fixtures::cluster_arn("prod");
    backend.failures.borrow_mut().insert(
        ecsdeck::model::ResourceKey::Services(cluster),
        fixture_backend::service_error(
            "DescribeServices",
            "ThrottlingException",
            "Rate exceeded",
            ecsdeck::model::ErrorKind::Throttling,
        ),
    );
    harness.key_press(Key::F5);
    harness.run();
    harness.get_by_label("DescribeServices failed: ThrottlingException");
    harness.get_by_label_contains("AWS is throttling requests");
    harness.get_by_label_contains("Rolling out checkout-api:10");
    assert!(backend.updates.borrow().is_empty(), "nothing was changed");
}
