//! The Logs page over the fixture backend (model-level fixture lines written into the tail's
//! buffer; the tail engine itself is tested against moto in `log_tail_moto` and
//! `logs_loss`): a service's two tasks merged, filtering, highlights, pause/resume and the
//! "N new lines" jump.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::logs::tail::SharedTail;
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
    support::harness::snapshot_themes(&mut harness, "logs_service");
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

/// Waits (up to 5 s) until a label containing `text` shows.
fn wait_for_label(harness: &mut Harness<'_, App>, text: &str) {
    for _ in 0..250 {
        if harness.query_by_label_contains(text).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        // A spinner repaints while the export runs: step, don't wait for quiet.
        harness.run_steps(2);
    }
    panic!("no label containing {text:?}");
}

#[test]
fn save_shown_or_all_lines_to_a_file_and_clear() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    let dir = tempfile::tempdir().expect("dir");
    let shown = dir.path().join("declined.log");
    harness.state_mut().view_mut().logs.export_path = shown.display().to_string();
    type_into(&mut harness, "Filter", "declined");
    harness.get_by_label("Save shown").click();
    wait_for_label(&mut harness, "Saved 5 lines to");
    let text = std::fs::read_to_string(&shown).expect("saved");
    assert_eq!(text.lines().count(), 5);
    assert!(
        text.lines()
            .all(|l| l.contains(" checkout-api ") && l.contains("payment declined")),
        "{text}"
    );
    // Everything, as JSON lines (by the file's extension).
    let all = dir.path().join("all.jsonl");
    harness.state_mut().view_mut().logs.export_path = all.display().to_string();
    harness.get_by_label("Save all").click();
    wait_for_label(&mut harness, "Saved 40 lines to");
    let text = std::fs::read_to_string(&all).expect("saved");
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("json");
    assert_eq!(first["service"], "checkout-api");
    assert_eq!(first["message"], "INFO GET /cart/0 200 in 12 ms");
    // A directory that does not exist: the error shows, nothing is left behind.
    harness.state_mut().view_mut().logs.export_path =
        dir.path().join("missing/x.log").display().to_string();
    harness.get_by_label("Save all").click();
    wait_for_label(&mut harness, "cannot write");

    // Clear hides what is there; new lines show.
    harness.state_mut().view_mut().logs.filter.pattern.clear();
    harness.run();
    harness.get_by_label("Clear").click();
    settle(&mut harness);
    assert_eq!(rows_containing(&harness, "shipped"), 0, "cleared");
    support::log_fixtures::fill(&the_tail(&backend), 40, 8);
    settle(&mut harness);
    assert_eq!(rows_containing(&harness, "order 47 shipped"), 1);
    assert_eq!(rows_containing(&harness, "order 39 shipped"), 0);
}

#[test]
fn a_shift_click_selects_a_range_that_copies_as_text() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    harness.get_by_label_contains("order 39 shipped").click();
    harness.run();
    assert!(harness.query_by_label("Copy line").is_some());
    harness
        .get_by_label_contains("ERROR payment declined for order 35")
        .click_modifiers(egui::Modifiers::SHIFT);
    harness.run();
    harness.get_by_label("Copy lines 35–39").click();
    // The frame that handles the click carries the copy command.
    harness.step();
    let copied = support::harness::copied_text(&harness).expect("copied");
    let lines: Vec<&str> = copied.lines().filter(|l| !l.starts_with('\t')).collect();
    assert_eq!(lines.len(), 5, "{copied}");
    assert!(
        lines[0].contains("payment declined for order 35"),
        "{copied}"
    );
    assert!(lines[4].contains("order 39 shipped"), "{copied}");
    assert!(lines.iter().all(|l| l.contains("checkout-api")));
}

#[test]
fn scrolling_to_the_top_loads_older_lines_and_go_to_finds_a_time() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    for _ in 0..10 {
        if let Some(row) = harness
            .query_all_by_label_contains("checkout-api 0a1b2c3d app")
            .next()
        {
            row.scroll_up();
        }
        settle(&mut harness);
    }
    let loads = || {
        backend
            .sent
            .borrow()
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    WorkerCommand::Start {
                        request: Request::TailHistory { .. },
                        ..
                    }
                )
            })
            .count()
    };
    assert!(loads() >= 1, "scrolling to the top loads older lines");
    assert!(rows_containing(&harness, "older line") > 0);
    assert!(
        harness
            .query_by_label_contains("older lines loaded")
            .is_some()
    );
    // Go to a time: the line at it is selected and shown in the detail.
    let at_ms = ecsdeck::model::time_format::epoch_ms(support::fixtures::now()) - 60_000 + 30 * 250;
    let at = ecsdeck::model::time_format::rfc3339_ms(at_ms);
    harness.get_by_label("Go to").focus();
    harness.run();
    harness.get_by_label("Go to").type_text(&at);
    harness.get_by_label("Go").click();
    settle(&mut harness);
    let logs = &harness.state().view().logs;
    let selected = logs.list.selected.expect("a line selected");
    let tail = the_tail(&backend);
    let data = tail.read();
    let (meta, text) = data.buffer.get(selected).expect("in the buffer");
    assert_eq!(meta.timestamp_ms, at_ms);
    assert_eq!(text, "WARN retrying inventory call for order 30");
}

#[test]
fn another_service_is_merged_into_the_tail_and_removed_again() {
    let backend = FixtureBackend::new();
    let mut harness = open_logs(&backend);
    harness.get_by_label("Add service…").click();
    harness.run();
    harness.get_by_label("orders-worker").click();
    harness.run();
    let services = |backend: &FixtureBackend| match last_tail_target(backend) {
        ecsdeck::model::logs::tail::TailTarget::Services { services, .. } => services,
        other => panic!("a service tail, got {other:?}"),
    };
    let merged = services(&backend);
    assert_eq!(merged.len(), 2, "{merged:?}");
    assert!(merged[1].ends_with("/orders-worker"), "{merged:?}");
    assert!(
        harness
            .query_by_label_contains("Logs · checkout-api + orders-worker")
            .is_some()
    );
    // The second chip's ×.
    harness
        .query_all_by_label("×")
        .nth(1)
        .expect("a × per service")
        .click();
    harness.run();
    assert_eq!(services(&backend).len(), 1);
}

/// The spec of the last tail started.
fn last_tail_target(backend: &FixtureBackend) -> ecsdeck::model::logs::tail::TailTarget {
    backend
        .sent
        .borrow()
        .iter()
        .rev()
        .find_map(|c| match c {
            WorkerCommand::Start {
                request: Request::Tail { spec, .. },
                ..
            } => Some(spec.target.clone()),
            _ => None,
        })
        .expect("a tail was started")
}

#[test]
fn a_containers_logs_button_tails_that_container_alone() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    // The service page lists its tasks: open the last one.
    harness.key_press(egui::Key::End);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    // The task's own Logs first, then one per container.
    let buttons = harness.query_all_by_label("Logs").count();
    assert!(buttons >= 2, "{buttons}");
    harness
        .query_all_by_label("Logs")
        .last()
        .expect("a container's Logs")
        .click();
    harness.run();
    match last_tail_target(&backend) {
        ecsdeck::model::logs::tail::TailTarget::Task { container, .. } => {
            assert!(container.is_some(), "one container");
        }
        other => panic!("a task tail, got {other:?}"),
    }
}

#[test]
fn any_log_group_can_be_followed_from_the_command_menu() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::L,
    );
    harness.run();
    harness
        .get_by_label("Log group")
        .type_text("/aws/lambda/resizer");
    harness.run();
    harness.get_by_label("Stream prefix (optional)").focus();
    harness.run();
    harness
        .get_by_label("Stream prefix (optional)")
        .type_text("2026/12/");
    harness.run();
    harness.get_by_label("Follow").click();
    harness.run();
    assert_eq!(
        last_tail_target(&backend),
        ecsdeck::model::logs::tail::TailTarget::Group {
            group: "/aws/lambda/resizer".into(),
            prefix: Some("2026/12/".into()),
        }
    );
    assert!(
        harness
            .query_by_label_contains("Logs · /aws/lambda/resizer · 2026/12/*")
            .is_some()
    );
}
