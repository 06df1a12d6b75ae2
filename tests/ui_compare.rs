//! The comparison screen through egui_kittest: two revisions side by side, "only changes",
//! keyboard navigation between changes, a draft against its base, a rollout's revisions, and
//! a side that cannot be read. Fixture revisions of `storefront-web` differ in the web image.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::{DiffSide, Route};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{self, FAMILY, FixtureBackend, revision_arn};

fn harness(backend: &FixtureBackend) -> Harness<'static, App> {
    support::harness::app_harness(backend, None)
}

fn route(harness: &Harness<'_, App>) -> Route {
    harness.state().model().route.clone()
}

fn open_compare(harness: &mut Harness<'_, App>, old: u32, new: u32) {
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::Navigate(Route::Compare {
            old: DiffSide::Revision(revision_arn(FAMILY, old)),
            new: DiffSide::Revision(revision_arn(FAMILY, new)),
        }));
    harness.run();
}

#[test]
fn compare_with_previous_from_a_revision_shows_the_change_and_navigates_to_it() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::Navigate(Route::Revision {
            arn: revision_arn(FAMILY, 142),
        }));
    harness.run();
    harness.get_by_label("Compare with previous").click();
    harness.run();
    assert_eq!(
        route(&harness),
        Route::Compare {
            old: DiffSide::Revision(revision_arn(FAMILY, 141)),
            new: DiffSide::Revision(revision_arn(FAMILY, 142)),
        }
    );
    harness.get_by_label("image web: 1.4.1 → 1.4.2; +1 env; −1 env; memory 1024 → 2048");
    harness.get_by_label("4 changes");
    // Keyboard: N twice moves to the second change (the image, after the memory).
    harness.key_press(Key::N);
    harness.key_press(Key::N);
    harness.run();
    harness.get_by_label("change 2 of 4");
    assert_eq!(harness.state().view().compare.cursor, Some(1));
    support::harness::snapshot_themes(&mut harness, "compare_side_by_side");
    let all_rows = harness.state().view().compare.visible().len();
    harness.get_by_label("Only changes").click();
    harness.run();
    let changed_rows = harness.state().view().compare.visible().len();
    assert!(changed_rows < all_rows, "{changed_rows} < {all_rows}");
    harness.key_press(Key::P);
    harness.run();
    harness.get_by_label("change 1 of 4");
    // Masking hides environment values, not the rest.
    harness.get_by_label("Mask environment values").click();
    harness.run();
    assert!(harness.query_by_label("on").is_none());
    harness.get_by_label("Unified").click();
    harness.run();
    harness.get_by_label_contains("storefront-web:1.4.2\"");
}

#[test]
fn two_identical_revisions_say_so_plainly() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_compare(&mut harness, 142, 142);
    harness.get_by_label_contains("The two definitions are the same");
    harness.get_by_label("0 changes");
    // Unchanged sections fold to one line each, and open on a click.
    harness
        .get_by_label_contains("Container web — unchanged")
        .click();
    harness.run();
    harness.get_by_label_contains("Container web — unchanged (");
    assert!(harness.state().view().compare.visible().len() > 3);
}

#[test]
fn a_revision_that_is_gone_is_reported_on_its_side() {
    let backend = FixtureBackend::new();
    backend.failures.borrow_mut().insert(
        ecsdeck::model::ResourceKey::TaskDefinition(revision_arn(FAMILY, 7)),
        fixture_backend::service_error(
            "DescribeTaskDefinition",
            "ClientException",
            "Unable to describe task definition.",
            ecsdeck::model::ErrorKind::Service,
        ),
    );
    let mut harness = harness(&backend);
    open_compare(&mut harness, 7, 142);
    harness.get_by_label_contains("storefront-web:7 could not be read");
    harness.get_by_label("Unable to describe task definition.");
}

#[test]
fn a_service_compares_its_revision_with_the_newest() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.get_by_label("Compare with newest revision").click();
    harness.run();
    let Route::Compare { old, new } = route(&harness) else {
        panic!("{:?}", route(&harness));
    };
    assert!(matches!(old, DiffSide::Revision(a) if a.ends_with("checkout-api:10")));
    assert_eq!(new, DiffSide::Revision("checkout-api".into()));
    harness.get_by_label_contains("image web: 1.4.0 → 1.4.2");
    // The rollout in progress: ACTIVE checkout-api:9 → PRIMARY checkout-api:10.
    harness.key_press(Key::Escape);
    harness.run();
}

#[test]
fn a_draft_compares_with_its_base() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = support::harness::app_harness(&backend, Some(dir.path()));
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::Navigate(Route::Revision {
            arn: revision_arn(FAMILY, 142),
        }));
    harness.run();
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    harness.get_by_label_contains("web — ").click();
    harness.run();
    harness.get_by_label("Memory hard limit (MiB)");
    harness.get_by_label("Compare with base").click();
    harness.run();
    let Route::Compare { old, new } = route(&harness) else {
        panic!("{:?}", route(&harness));
    };
    assert_eq!(old, DiffSide::Revision(revision_arn(FAMILY, 142)));
    assert!(matches!(new, DiffSide::Draft(_)));
    harness.get_by_label_contains("The two definitions are the same");
}
