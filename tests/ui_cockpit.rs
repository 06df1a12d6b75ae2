//! The rollout cockpit, the deployment configuration and "what changed" through egui_kittest
//! (fixture backend, model-level: checkout-api's canary deployment waits at a pause hook after
//! test traffic moved; see support/deployment_fixtures.rs).

use crate::support;

use ecsdeck::App;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use support::deployment_fixtures::HOOK_ID;
use support::fixture_backend::FixtureBackend;
use support::harness::confirm_change;

fn open_checkout(backend: &FixtureBackend) -> Harness<'static, App> {
    let mut harness = support::harness::app_harness(backend, None);
    support::harness::open_service(&mut harness, "prod", "checkout-api");
    harness.run();
    harness
}

/// A status (drawn with its glyph) or text somewhere on screen.
fn shows(harness: &Harness<'_, App>, text: &str) {
    assert!(
        harness.query_all_by_label_contains(text).next().is_some(),
        "{text} is not shown"
    );
}

#[test]
fn the_cockpit_shows_stage_traffic_monitors_and_the_waiting_hook() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Deployment");
    shows(&harness, "IN_PROGRESS");
    harness.get_by_label("✔ Test traffic shift");
    harness.get_by_label("● Post test traffic shift");
    harness.get_by_label("Production traffic shift");
    harness.get_by_label_contains("new 100 % · old 0 %");
    harness.get_by_label_contains("new 0 % · old 100 %");
    harness.get_by_label("Hook pause:");
    shows(&harness, "AWAITING_ACTION");
    harness.get_by_label_contains("rollback in 58:");
    harness.get_by_label("0 of 10 failed tasks");
    support::harness::snapshot_themes(&mut harness, "service_cockpit");
}

#[test]
fn the_detail_pane_shows_the_whole_deployment_configuration_with_alarm_states() {
    let backend = FixtureBackend::new();
    let mut harness = support::harness::app_harness(&backend, None);
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.run();
    harness.get_by_label("Canary: 10 % first, the rest after 5 minutes");
    harness.get_by_label("15 minutes");
    harness.get_by_label("on, with rollback");
    harness.get_by_label("Alarms: checkout-5xx, checkout-p99-latency (roll back when one fires)");
    shows(&harness, "INSUFFICIENT_DATA");
    harness.get_by_label("  pause at Post test traffic shift · after 60 min: rollback");
    assert_eq!(backend.loads_of(&ecsdeck::model::ResourceKey::Alarms), 1);
}

#[test]
fn a_waiting_hook_is_continued_or_rolled_back_after_confirming() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Continue past hook…").click();
    harness.run();
    harness.get_by_label_contains("Continue deployment d2 past Post test traffic shift");
    assert!(
        backend.continued.borrow().is_empty(),
        "nothing before confirming"
    );
    confirm_change(&mut harness);
    harness.get_by_label("Roll back at hook…").click();
    harness.run();
    harness.get_by_label_contains("Roll back deployment d2 at Post test traffic shift");
    confirm_change(&mut harness);
    let calls: Vec<(bool, bool, bool)> = backend
        .continued
        .borrow()
        .iter()
        .map(|(d, hook, roll_back)| (d.ends_with("/d2"), hook == HOOK_ID, *roll_back))
        .collect();
    assert_eq!(calls, [(true, true, false), (true, true, true)]);
}

#[test]
fn read_only_mode_disables_continue_and_roll_back() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Read-only").click();
    harness.run();
    assert!(harness.state().model().read_only());
    for label in [
        "Continue past hook…",
        "Roll back at hook…",
        "Stop and roll back…",
    ] {
        harness.get_by_label(label).click();
        harness.run();
        assert!(
            harness.query_by_label("Confirm change").is_none(),
            "{label} is disabled in read-only mode"
        );
    }
    assert!(backend.continued.borrow().is_empty());
    assert!(backend.rollbacks.borrow().is_empty());
}

#[test]
fn what_changed_shows_images_service_settings_and_the_task_definition_diff() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("What changed").click();
    harness.run();
    harness.run();
    harness.get_by_label("What deployment d2 changed");
    harness.get_by_label("Service revision 1 → 2");
    harness.get_by_label("Images (1 changed)");
    harness.get_by_label_contains("checkout-api:2.4.0\nsha256:9f86d081884c");
    harness.get_by_label("Service settings (1 changed)");
    harness.get_by_label("networkConfiguration.awsvpcConfiguration.subnets[1]");
    harness.get_by_label("subnet-9c8d7e6f");
    harness.get_by_label("checkout-api:141 → checkout-api:142");
    support::harness::snapshot_themes(&mut harness, "deployment_changes");
}

#[test]
fn what_changed_is_reachable_from_every_deployment_in_the_history() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    // Tall enough for the whole history above the tasks.
    harness.set_size(egui::vec2(1280.0, 2000.0));
    harness.run();
    harness.get_by_label("Deployment history (2)").click();
    harness.run();
    // The older, successful deployment d1.
    let buttons: Vec<_> = harness.query_all_by_label("What changed").collect();
    assert_eq!(buttons.len(), 3, "the cockpit's and one per history entry");
    buttons[2].click();
    harness.run();
    harness.run();
    let ecsdeck::model::Route::DeploymentChanges { deployment, .. } =
        harness.state().model().route.clone()
    else {
        panic!("not on the changes page");
    };
    assert!(deployment.ends_with("/d1"), "{deployment}");
    harness.get_by_label("What deployment d1 changed");
}

#[test]
fn deployment_settings_are_edited_in_a_form_and_sent_through_the_confirmation() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Deployment settings…").click();
    support::harness::wait_for(&mut harness, "the settings dialog", |h| {
        h.query_by_label("Deployment settings of checkout-api")
            .is_some()
    });
    shows(&harness, "Canary: 10 % first, the rest after 5 minutes");
    // The region's alarms to pick from: the two watched are ticked, a third is offered.
    harness.get_by_label("payments-errors").click();
    harness.run();
    support::harness::snapshot_themes(&mut harness, "deployment_settings");
    harness.get_by_label("Review change…").click();
    support::harness::wait_for(&mut harness, "the confirmation", |h| {
        h.query_by_label("Confirm change").is_some()
    });
    harness.get_by_label_contains("checkout-5xx, checkout-p99-latency, payments-errors");
    confirm_change(&mut harness);
    let updates = backend.updates.borrow();
    let sent = updates
        .last()
        .and_then(|u| u.update.deployment_config.clone())
        .expect("deployment settings sent");
    let expected = support::deployment_fixtures::canary_config();
    assert_eq!(
        sent.alarms.as_ref().map(|a| a.names.len()),
        Some(3),
        "the alarm added"
    );
    assert_eq!(sent.strategy, expected.strategy, "the rest as it was");
    assert_eq!(sent.lifecycle_hooks, expected.lifecycle_hooks);
    assert_eq!(sent.canary, expected.canary);
}

#[test]
fn deploy_image_picks_an_ecr_tag_shows_the_diff_and_registers_then_deploys() {
    let backend = FixtureBackend::new();
    let mut harness = open_checkout(&backend);
    harness.get_by_label("Deploy image…").click();
    support::harness::wait_for(&mut harness, "the image dialog", |h| {
        h.query_by_label("Deploy a new image to checkout-api")
            .is_some()
    });
    // The running revision's container, its ECR repository's tags newest first.
    let picker = |h: &Harness<'_, App>| {
        h.query_all_by_label("Tag")
            .any(|n| n.accesskit_node().role() == egui::accesskit::Role::ComboBox)
    };
    support::harness::wait_for(&mut harness, "the tags", picker);
    harness
        .query_all_by_label("Tag")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::ComboBox)
        .expect("the tag picker")
        .click();
    harness.run();
    harness.get_by_label_contains("1.5.0 · pushed").click();
    harness.run();
    harness.get_by_label_contains("image web: 1.4.0 → 1.5.0");
    support::harness::snapshot_themes(&mut harness, "deploy_image");
    harness.get_by_label("Review change…").click();
    support::harness::wait_for(&mut harness, "the confirmation", |h| {
        h.query_by_label("Confirm change").is_some()
    });
    harness.get_by_label("Image of web");
    assert!(
        backend.registered.borrow().is_empty(),
        "nothing before confirming"
    );
    confirm_change(&mut harness);
    let registered = backend
        .registered
        .borrow()
        .last()
        .cloned()
        .expect("registered");
    let input: serde_json::Value = serde_json::from_str(&registered).expect("json");
    assert_eq!(
        input["containerDefinitions"][0]["image"],
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-api:1.5.0"
    );
    assert!(input.get("taskDefinitionArn").is_none(), "a register input");
    let deployed = backend.updates.borrow().last().cloned().expect("deployed");
    assert!(
        deployed
            .update
            .task_definition
            .is_some_and(|td| td.ends_with(":143")),
        "the registered revision is deployed"
    );
}
