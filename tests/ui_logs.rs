//! The Logs page over the fixture backend (model-level fixture lines written into the tail's
//! buffer; the tail engine itself is tested against moto in `log_tail_moto` and
//! `logs_loss`): a service's two tasks merged, filtering, highlights, pause/resume and the
//! "N new lines" jump.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::log_tail::SharedTail;
use ecsdeck::model::{Request, WorkerCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;

fn open_logs(backend: &FixtureBackend) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness(backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    harness.get_by_label("Logs").click();
    harness.run();
    harness.get_by_label("UTC").click();
    harness.run();
    harness
}

fn the_tail(backend: &FixtureBackend) -> SharedTail {
    backend
        .sent
        .borrow()
        .iter()
        .find_map(|c| match c {
            WorkerCommand::Start {
                request: Request::Tail { tail, .. },
                ..
            } => Some(tail.clone()),
            _ => None,
        })
        .expect("a tail was started")
}

fn type_into(harness: &mut Harness<'_, App>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run();
    harness.get_by_label(field).type_text(text);
    // The filter runs on its own thread: give it a moment, then draw again.
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.run();
    }
}

/// Lets scroll animations (following, `scroll_to_me`) finish: they repaint for ~80 frames.
fn settle(harness: &mut Harness<'_, App>) {
    harness.run_steps(100);
}

fn rows_containing(harness: &Harness<'_, App>, text: &str) -> usize {
    harness.query_all_by_label_contains(text).count()
}

#[test]
fn a_service_tail_shows_both_tasks_merged_with_levels_and_status() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    assert!(
        harness
            .query_by_label_contains("Polling every 1 s")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("newest line 1.2 s behind")
            .is_some()
    );
    // Both tasks' tags, a stack trace folded into its event.
    assert!(rows_containing(&harness, "checkout-api 0a1b2c3d app") > 0);
    assert!(rows_containing(&harness, "checkout-api 9f8e7d6c app") > 0);
    assert!(rows_containing(&harness, "[+2 lines]") > 0);
    type_into(&mut harness, "Highlight", "declined, cart");
    harness.snapshot("logs_service");
}

#[test]
fn a_filter_keeps_matching_lines_and_a_bad_regex_keeps_the_old_filter() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    type_into(&mut harness, "Filter", "declined");
    assert_eq!(
        rows_containing(&harness, "payment declined"),
        5,
        "lines 3, 11, …, 35"
    );
    assert_eq!(rows_containing(&harness, "shipped"), 0);
    // An invalid regex: the error shows and "declined" stays in force.
    harness.get_by_label(".*").click();
    harness.run();
    type_into(&mut harness, "Filter", "(");
    assert!(
        harness
            .query_by_label_contains("Filter not applied")
            .is_some()
    );
    assert_eq!(rows_containing(&harness, "payment declined"), 5);
}

#[test]
fn highlights_pause_resume_and_new_lines() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    type_into(&mut harness, "Highlight", "order, cart");
    // Each term in its own colour, as the rows are drawn.
    let spans = harness
        .state()
        .view()
        .logs
        .highlighter()
        .spans("cart 8 for order 8");
    let colours: Vec<usize> = spans.iter().map(|(_, colour)| *colour).collect();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert_ne!(colours[0], colours[1]);
    harness.get_by_label("Pause").click();
    settle(&mut harness);
    let tail = the_tail(&backend);
    support::log_fixtures::fill(&tail, 40, 8);
    settle(&mut harness);
    assert_eq!(
        rows_containing(&harness, "order 47 shipped"),
        0,
        "paused: no new line"
    );
    harness.get_by_label("Resume").click();
    settle(&mut harness);
    assert_eq!(
        rows_containing(&harness, "order 47 shipped"),
        1,
        "resumed at the newest"
    );
    // Scrolled up, new lines are counted and one click jumps to them.
    for _ in 0..3 {
        let row = harness
            .query_all_by_label_contains("checkout-api 0a1b2c3d app")
            .next();
        row.expect("a row of the first task").scroll_up();
        settle(&mut harness);
    }
    support::log_fixtures::fill(&tail, 48, 3);
    settle(&mut harness);
    assert_eq!(
        rows_containing(&harness, r#""cart":50"#),
        0,
        "scrolled up: not followed"
    );
    harness.get_by_label("Show 3 new lines").click();
    settle(&mut harness);
    assert_eq!(
        rows_containing(&harness, r#""cart":50"#),
        1,
        "back at the newest line"
    );
    assert!(harness.query_by_label_contains("new lines").is_none());
}
