//! Pop-out windows through egui_kittest over the fixture backend (no network). The harness
//! has one native window, so egui draws each pop-out as a window inside it — the same screens
//! and buttons a native window shows. Charts and logs popped out side by side, their own
//! navigation kept in them, restored by a restart (a new app from the saved settings), back
//! to the main window, closed.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::{Request, Route, WorkerCommand};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

const CLOSE: &str = "🗙 Close window";
const BACK: &str = "🗖 Back to main window";

fn windows(harness: &Harness<'_, App>) -> usize {
    harness.query_all_by_label(CLOSE).count()
}

fn on_checkout_api(harness: &Harness<'_, App>) -> bool {
    matches!(&harness.state().model().route, Route::Service { service, .. }
        if service.ends_with("/checkout-api"))
}

fn tails_started(backend: &FixtureBackend) -> usize {
    let sent = backend.sent.borrow();
    sent.iter()
        .filter(|c| {
            matches!(
                c,
                WorkerCommand::Start {
                    request: Request::Tail { .. },
                    ..
                }
            )
        })
        .count()
}

/// Drags a window by its title bar to the bottom right corner, as a user clears the main screen.
fn move_aside(harness: &mut Harness<'_, App>, title_ends: &str) {
    let window = harness
        .query_all_by_label_contains(title_ends)
        .next()
        .expect("the window")
        .rect();
    let title = egui::pos2(window.center().x, window.top() + 12.0);
    harness.hover_at(title);
    harness.run_steps(2);
    harness.drag_at(title);
    harness.run_steps(2);
    for step in [0.2, 0.6, 1.0] {
        harness.hover_at(title + egui::vec2(800.0, 500.0) * step);
        harness.run_steps(2);
    }
    harness.drop_at(title + egui::vec2(800.0, 500.0));
    settle(harness);
}

/// Lets windows settle (egui sizes a new window over a couple of frames).
fn settle(harness: &mut Harness<'_, App>) {
    harness.run_steps(4);
}

#[test]
fn charts_and_logs_pop_out_side_by_side_and_come_back_after_a_restart() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");

    // Logs leave for a window of their own; the main window goes up a level.
    harness.get_by_label("Logs").click();
    harness.run();
    assert!(matches!(harness.state().model().route, Route::Logs(_)));
    harness.get_by_label("🗗 Pop out").click();
    settle(&mut harness);
    assert!(on_checkout_api(&harness));
    assert_eq!(windows(&harness), 1);
    assert!(
        harness
            .query_all_by_label_contains("checkout-api 0a1b2c3d app")
            .count()
            > 0,
        "the window shows the tail's lines"
    );
    assert_eq!(tails_started(&backend), 1, "the running tail moved with it");
    move_aside(&mut harness, "logs checkout-api — ECS Deck");

    // The charts, with the keyboard; both windows stay while the main window goes elsewhere.
    harness.get_by_label("Metrics").click();
    harness.run();
    assert!(matches!(harness.state().model().route, Route::Metrics(_)));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    settle(&mut harness);
    assert_eq!(windows(&harness), 2);
    assert!(on_checkout_api(&harness));
    harness.get_by_label("CPU utilization");
    support::harness::snapshot_themes(&mut harness, "popouts");

    // A range chosen in the chart window changes that window, not the main one.
    harness.get_by_label("24h").click();
    harness.run();
    let model = harness.state().model();
    assert!(on_checkout_api(&harness));
    assert!(model.popouts.iter().any(|p| matches!(&p.route,
        Route::Metrics(key) if key.range == MetricRange::Last(86_400))));

    // A restart opens both windows again, with a tail for the logs.
    let saved = harness.state().current_settings();
    assert_eq!(saved.popouts.len(), 2);
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness_with(&backend, None, saved);
    settle(&mut harness);
    assert_eq!(windows(&harness), 2);
    assert_eq!(tails_started(&backend), 1);
    harness.get_by_label("CPU utilization");

    // Back to the main window: the logs window closes and the main window shows the logs.
    let logs_window = harness
        .query_all_by_label_contains("logs checkout-api — ECS Deck")
        .next()
        .expect("the logs window")
        .rect();
    let logs_back = harness
        .query_all_by_label(BACK)
        .find(|b| logs_window.contains_rect(b.rect()))
        .expect("its back button");
    logs_back.click();
    settle(&mut harness);
    assert_eq!(windows(&harness), 1);
    assert!(matches!(harness.state().model().route, Route::Logs(_)));
    harness.get_by_label(CLOSE).click();
    settle(&mut harness);
    assert_eq!(windows(&harness), 0);
    assert!(harness.state().current_settings().popouts.is_empty());
}
