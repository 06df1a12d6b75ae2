//! The one confirmation every change passes, through egui_kittest with the fixture backend:
//! it names profile · region · endpoint, shows before → after, sends nothing until confirmed;
//! `+`/`−` step the desired count only where they are meant to; turning read-only off asks.

use crate::support;

use ecsdeck::App;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::FixtureBackend;
use support::fixtures::REGION;

fn open_checkout(backend: &FixtureBackend) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness(backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    harness
}

#[test]
fn a_scale_on_enter_is_shown_with_its_destination_and_sent_only_when_confirmed() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    let profile_shown = |h: &Harness<'_, App>| h.query_all_by_label("platform").count();
    let before = profile_shown(&harness);
    support::harness::replace_text(&mut harness, "Desired tasks", "4");
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Scale checkout-api from 3 to 4 tasks?");
    assert_eq!(
        profile_shown(&harness),
        before + 1,
        "the dialog names the profile"
    );
    assert!(harness.query_all_by_label(REGION).count() >= 1);
    harness.get_by_label("AWS (default endpoint)");
    harness.get_by_label("→");
    let proposal = harness.state().model().proposal.clone().expect("shown");
    assert_eq!(proposal.destination.region, REGION);
    let rows: Vec<(&str, &str, &str)> = proposal
        .rows
        .iter()
        .map(|r| (r.field.as_str(), r.before.as_str(), r.after.as_str()))
        .collect();
    assert_eq!(rows, [("Desired tasks", "3", "4")]);
    assert!(
        backend.updates.borrow().is_empty(),
        "nothing before confirming"
    );
    support::harness::snapshot(&mut harness, "confirm_change");

    // The page has its own (auto scaling) copy button; the dialog's is drawn after it.
    assert_eq!(harness.query_all_by_label("Copy as AWS CLI").count(), 2);
    harness
        .query_all_by_label("Copy as AWS CLI")
        .last()
        .expect("the dialog's copy button")
        .click();
    // The frame that handles the click carries the copy command.
    harness.step();
    let copied = support::harness::copied_text(&harness).expect("copied");
    harness.run();
    assert!(
        copied.contains("--profile 'platform'") && copied.contains("--desired-count 4"),
        "{copied}"
    );

    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(
        backend.updates.borrow().is_empty(),
        "cancelled: nothing sent"
    );

    harness.get_by_label("Apply").click();
    harness.run();
    support::harness::confirm_change(&mut harness);
    let updates = backend.updates.borrow().clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].update.desired, Some(4));
}

#[test]
fn minus_typed_in_another_field_never_changes_the_staged_count() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Run task…").click();
    harness.run();
    let command = harness.get_by_label("Command");
    command.focus();
    harness.run();
    harness.get_by_label("Command").type_text("sleep -1 --x");
    harness.key_press(Key::Minus);
    harness.run();
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Desired tasks").value().as_deref(),
        Some("3"),
        "the count is untouched"
    );

    // Focused, the field steps; the `-` itself is never typed into it.
    harness.get_by_label("Desired tasks").focus();
    harness.run();
    harness.key_press(Key::Minus);
    harness.run();
    assert_eq!(
        harness.get_by_label("Desired tasks").value().as_deref(),
        Some("2")
    );
    assert!(backend.updates.borrow().is_empty());
}

#[test]
fn bounds_below_the_desired_count_are_confirmed_with_what_auto_scaling_will_do() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    support::harness::wait_for(&mut harness, "the bounds", |h: &Harness<'_, App>| {
        h.query_by_label("Set bounds").is_some()
    });
    support::harness::replace_text(&mut harness, "max", "2");
    harness.get_by_label("Set bounds").click();
    harness.run();
    harness.get_by_label_contains("will scale the service in to 2 tasks");
    assert_eq!(backend.bounds.get(), (2, 10), "nothing before confirming");
    support::harness::confirm_change(&mut harness);
    assert_eq!(backend.bounds.get(), (2, 2));
}

#[test]
fn turning_read_only_off_asks_and_names_the_profile() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    harness.run();
    harness.get_by_label("Read-only").click();
    harness.run();
    assert!(harness.state().model().read_only(), "on at once");
    harness.get_by_label("Read-only").click();
    harness.run();
    harness.get_by_label("Allow changes to AWS with profile platform?");
    assert!(
        harness.state().model().read_only(),
        "still on until confirmed"
    );
    support::harness::confirm_change(&mut harness);
    assert!(!harness.state().model().read_only());
}

#[test]
fn a_journal_that_cannot_be_written_says_so_in_the_status_bar() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    // A directory where the journal file should be: every append fails.
    std::fs::create_dir_all(dir.path().join("journal.jsonl")).unwrap();
    let mut harness = support::harness::app_harness(&backend, Some(&drafts));
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    support::harness::replace_text(&mut harness, "Desired tasks", "4");
    harness.get_by_label("Apply").click();
    harness.run();
    support::harness::confirm_change(&mut harness);
    support::harness::wait_for(&mut harness, "the write failure", |h: &Harness<'_, App>| {
        h.query_by_label_contains("Not saved").is_some()
    });
    let why = harness
        .state()
        .model()
        .write_error
        .clone()
        .unwrap_or_default();
    assert!(why.contains("cannot write the action journal"), "{why}");
}

#[test]
fn unreadable_settings_start_read_only_and_the_status_bar_says_why() {
    let backend = FixtureBackend::new();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|_cc| {
            App::with_backend(
                support::fixture_backend::settings(),
                Box::new(backend.clone()),
            )
            .with_unreadable_settings(Some("settings.json: not valid settings".into()))
        });
    harness.run();
    assert!(harness.state().model().read_only());
    harness.get_by_label_contains("Settings unreadable");
    // Turning read-only off is the user's call, confirmed like any change.
    harness.get_by_label("Read-only").click();
    harness.run();
    harness.get_by_label_contains("the settings could not be read");
    support::harness::confirm_change(&mut harness);
    assert!(!harness.state().model().read_only());
}
