//! A service's controls through egui_kittest: the live rollout (fixture: checkout-api rolling
//! out revision 10 with one task stopped by OOM), scaling with and without confirmation, bad
//! counts, read-only mode, and stopping a task.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test code: a failed expectation is a test failure

mod support;

use ecsdeck::App;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{self, FixtureBackend};
use support::fixtures;

fn harness(backend: &FixtureBackend) -> Harness<'static, App> {
    let backend = backend.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut app = App::with_backend(fixture_backend::settings(), Box::new(backend));
            app.set_clock(fixtures::now());
            app
        });
    harness.run();
    harness
}

fn open_checkout(harness: &mut Harness<'_, App>) {
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
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
    harness.get_by_label_contains("Raise the container's memory limit");
    harness.snapshot("service_rollout");
}

#[test]
fn a_small_scale_applies_at_once_and_zero_asks_first() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_checkout(&mut harness);
    type_count(&mut harness, "5");
    harness.run();
    let updates = backend.updates.borrow().clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].update.desired, Some(5));
    assert_eq!(
        updates[0].expected.desired, 3,
        "the state it was previewed against"
    );
    harness.get_by_label("Change sent; desired count is now 5.");

    type_count(&mut harness, "0");
    harness.get_by_label("Scale checkout-api from 5 to 0?");
    harness.get_by_label_contains("stops all 5 running tasks");
    assert_eq!(
        backend.updates.borrow().len(),
        1,
        "nothing sent before confirming"
    );
    harness.get_by_label("Scale to 0").click();
    harness.run();
    harness.run();
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
    harness.run();
    let stopped = backend.stopped.borrow().clone();
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0].1, "stuck on a lock");
    harness.get_by_label("Stop requested; the task list shows it stopping.");
}
