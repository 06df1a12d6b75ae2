//! The task-definition screens through egui_kittest: revision browser, form and JSON views,
//! lint, register, deregister, read-only mode and crash recovery of drafts. The backend
//! answers from model-level fixtures (corpus file 01 as `storefront-web`); drafts are real
//! files in a temporary directory.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::task_defs::editor::Editor;
use ecsdeck::model::{ResourceKey, Route};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::time::{Duration, Instant};
use support::fixture_backend::{self, FAMILY, FixtureBackend, revision_arn};
use support::harness::replace_text;

pub(crate) fn harness(backend: &FixtureBackend, drafts: &Path) -> Harness<'static, App> {
    support::harness::app_harness(backend, Some(drafts))
}

fn route(harness: &Harness<'_, App>) -> Route {
    harness.state().model().route.clone()
}

/// Runs frames until `done` holds (the file thread answers on its own time).
pub(crate) fn run_until(
    harness: &mut Harness<'_, App>,
    what: &str,
    done: impl Fn(&Harness<'_, App>) -> bool,
) {
    let start = Instant::now();
    while !done(harness) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.run();
    }
}

/// Waits until every open draft is on disk, so the header reads "saved 0s ago".
fn settle_drafts(harness: &mut Harness<'_, App>) {
    run_until(harness, "drafts saved", |h| {
        h.state()
            .view()
            .task_defs
            .editors
            .values()
            .all(|slot| !slot.is_dirty() && slot.editor.draft.saved_at.is_some())
    });
    harness.run();
}

fn editor<'a>(harness: &'a Harness<'_, App>) -> &'a Editor {
    &harness
        .state()
        .view()
        .task_defs
        .editors
        .values()
        .next()
        .expect("an open draft")
        .editor
}

/// Task definitions › storefront-web › 142.
fn open_revision(harness: &mut Harness<'_, App>) {
    harness.get_by_label("Task definitions").click();
    harness.run();
    assert_eq!(route(harness), Route::TaskDefinitions);
    harness.get_by_label(FAMILY).click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        route(harness),
        Route::Family {
            family: FAMILY.into()
        }
    );
    harness.get_by_label("142").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        route(harness),
        Route::Revision {
            arn: revision_arn(FAMILY, 142)
        }
    );
}

/// Whether a draft file in `dir` contains `text`.
pub(crate) fn draft_on_disk(dir: &Path, text: &str) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .any(|e| std::fs::read_to_string(e.path()).unwrap().contains(text))
}

/// Opens revision 142 as a draft, sets the first container's image and waits for the file.
pub(crate) fn edit_image_until_saved(harness: &mut Harness<'_, App>, dir: &Path, image: &str) {
    open_revision(harness);
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    harness.get_by_label_contains("web — ").click();
    harness.run();
    replace_text(harness, "Image", image);
    run_until(harness, "the draft on disk", |_| draft_on_disk(dir, image));
}

#[test]
fn the_revision_browser_filters_families_and_lists_revisions_newest_first() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    harness.get_by_label("Task definitions").click();
    harness.run();
    harness.get_by_label(FAMILY);
    assert!(
        harness.query_by_label("legacy-worker").is_none(),
        "active families by default"
    );
    harness.get_by_label("Inactive").click();
    harness.run();
    harness.get_by_label("legacy-worker");
    assert!(harness.query_by_label(FAMILY).is_none());
    harness.get_by_label("All").click();
    harness.run();
    harness.get_by_label(FAMILY).click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    // Newest first, with each container's image tag.
    let rows: Vec<String> = ["142", "141", "140"]
        .iter()
        .map(|r| harness.get_by_label(r).rect().top().to_string())
        .collect();
    let tops: Vec<f32> = rows.iter().map(|t| t.parse().unwrap()).collect();
    assert!(tops[0] < tops[1] && tops[1] < tops[2], "{tops:?}");
    harness.get_by_label("web 1.4.2");
    assert_eq!(
        harness.get_all_by_label("GitHubActions").count(),
        3,
        "registered by"
    );
    // The history: what each revision changed from the one before it.
    harness.get_by_label_contains("image web: 1.4.0 → 1.4.1");
    harness.get_by_label("no changes");
    // Tick two rows to compare them, older on the left.
    harness.get_by_label("Compare :142").click();
    harness.run();
    harness.get_by_label("Compare :140").click();
    harness.run();
    support::harness::snapshot_themes(&mut harness, "taskdef_revisions");
    harness.get_by_label("Compare :140 → :142").click();
    harness.run();
    assert_eq!(
        route(&harness),
        Route::Compare {
            old: ecsdeck::model::DiffSide::Revision(revision_arn(FAMILY, 140)),
            new: ecsdeck::model::DiffSide::Revision(revision_arn(FAMILY, 142)),
        }
    );
}

#[test]
fn the_family_list_shows_the_newest_revision_counts_and_who_runs_it() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    harness.set_size(egui::vec2(1280.0, 800.0));
    harness.get_by_label("Task definitions").click();
    harness.run();
    for title in [
        "Newest",
        "Active revisions",
        "Newest registered",
        "Services",
    ] {
        harness.get_by_label(title);
    }
    harness.get_by_label(":142");
    harness.get_by_label(":3");
    harness.get_by_label("prod › storefront, staging › storefront (:141)");
    assert_eq!(backend.loads_of(&ResourceKey::FamilyOverview), 1);
    support::harness::snapshot_themes(&mut harness, "taskdef_families");
}

#[test]
fn a_service_links_to_the_revision_it_runs() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.get_by_label("checkout-api:10 ›").click();
    harness.run();
    let Route::Revision { arn } = route(&harness) else {
        panic!("not on a revision: {:?}", route(&harness));
    };
    assert!(arn.ends_with("checkout-api:10"), "{arn}");
    // Read-only: the fields can be read but not changed.
    harness.get_by_label("Edit as new draft");
}

#[test]
fn edit_in_the_form_see_lint_switch_to_json_and_back_then_register() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    open_revision(&mut harness);
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    assert!(matches!(route(&harness), Route::Draft { .. }));

    harness.get_by_label_contains("web — ").click();
    harness.run();
    let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-web:1.5.0";
    replace_text(&mut harness, "Image", image);
    assert_eq!(
        editor(&harness).doc().container_text(0, "image").as_deref(),
        Some(image)
    );

    harness.get_by_label("+ Variable").click();
    harness.run();
    let names = harness.get_all_by_label("Variable").count();
    harness
        .get_all_by_label("Variable")
        .nth(names - 1)
        .unwrap()
        .focus();
    harness.run();
    harness
        .get_all_by_label("Variable")
        .nth(names - 1)
        .unwrap()
        .type_text("DB_PASSWORD");
    harness.run();
    harness.run();
    let warning = "Looks like a secret in plain text";
    assert!(
        harness.query_all_by_label_contains(warning).count() >= 1,
        "lint warning shown"
    );
    // Named as users and the diff name it, not by position (the name typed above ends in
    // DB_PASSWORD).
    assert!(
        harness
            .query_all_by_label_contains("containers[web].environment[")
            .count()
            >= 1,
        "the findings panel names the container and the variable"
    );
    assert_eq!(
        harness
            .query_all_by_label_contains("containerDefinitions[")
            .count(),
        0
    );
    settle_drafts(&mut harness);
    harness.get_by_label("saved 0s ago");
    support::harness::snapshot_themes(&mut harness, "taskdef_form");

    // JSON and back: both edits are in the text and still in the form.
    harness.get_by_label("JSON").click();
    harness.run();
    let json = editor(&harness).json_text().to_owned();
    assert!(json.contains("storefront-web:1.5.0") && json.contains("DB_PASSWORD"));
    harness.get_by_label("Form").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Image").value().as_deref(),
        Some(image)
    );

    harness.get_by_label("Register as new revision…").click();
    harness.run();
    harness.get_by_label_contains("image web: 1.4.2 → 1.5.0");
    harness.get_by_label_contains("~ containers[web].image: ");
    harness.get_by_label("Register").click();
    harness.run();
    assert!(
        backend.registered.borrow().is_empty(),
        "not before confirming"
    );
    support::harness::confirm_change(&mut harness);
    let sent = backend.registered.borrow().clone();
    assert_eq!(sent.len(), 1);
    let input: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
    assert!(
        input.get("taskDefinitionArn").is_none(),
        "server fields stripped"
    );
    assert_eq!(input["containerDefinitions"][0]["image"], image);
    assert_eq!(
        route(&harness),
        Route::Revision {
            arn: revision_arn(FAMILY, 143)
        }
    );
    assert!(
        harness.state().view().task_defs.editors.is_empty(),
        "the draft is closed"
    );
}

#[test]
fn invalid_json_shows_line_and_column_and_loses_nothing() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    open_revision(&mut harness);
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    harness.get_by_label("JSON").click();
    harness.run();
    harness.get_by_label("Task definition JSON").focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::End);
    harness
        .get_by_label("Task definition JSON")
        .type_text("oops");
    harness.run();
    let error = editor(&harness)
        .parse_error()
        .cloned()
        .expect("parse error");
    harness.get_by_label_contains(&format!("Line {}, column {}", error.line, error.column));
    assert!(editor(&harness).json_text().ends_with("oops"));
    settle_drafts(&mut harness);
    support::harness::snapshot(&mut harness, "taskdef_json_error");
    // The form says why it is locked, and registering is refused with the reason.
    harness.get_by_label("Form").click();
    harness.run();
    harness.get_by_label_contains("The JSON has an error at line");
    assert!(editor(&harness).register_input().is_err());
    assert!(
        editor(&harness).json_text().ends_with("oops"),
        "nothing typed is lost"
    );
}

#[test]
fn a_rejected_register_shows_the_aws_error_and_keeps_the_draft() {
    let backend = FixtureBackend::new();
    *backend.register_failure.borrow_mut() = Some(fixture_backend::service_error(
        "RegisterTaskDefinition",
        "ClientException",
        "Invalid 'cpu' setting for task.",
        ecsdeck::model::ErrorKind::Service,
    ));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    open_revision(&mut harness);
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    harness.get_by_label("Register as new revision…").click();
    harness.run();
    harness.get_by_label("Register").click();
    harness.run();
    support::harness::confirm_change(&mut harness);
    harness.get_by_label("RegisterTaskDefinition failed: ClientException");
    assert!(
        harness
            .get_all_by_label_contains("Invalid 'cpu' setting")
            .count()
            >= 1
    );
    assert!(matches!(route(&harness), Route::Draft { .. }));
    // Closed, the dialog leaves the error on the page and pinned to the field it names.
    harness.get_by_label("Cancel").click();
    harness.run();
    harness.get_by_label("RegisterTaskDefinition failed: ClientException");
    let pinned = "AWS ClientException: Invalid 'cpu' setting for task.";
    assert!(
        harness.get_all_by_label_contains(pinned).count() >= 2,
        "in the findings list and under Task CPU"
    );
    assert_eq!(harness.state().view().task_defs.editors.len(), 1);
}

#[test]
fn deregister_asks_first_and_read_only_mode_disables_changes() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    open_revision(&mut harness);
    harness.get_by_label("Deregister…").click();
    harness.run();
    harness.get_by_label_contains("running tasks and services that use it keep running");
    assert!(
        backend
            .sent
            .borrow()
            .iter()
            .all(|c| !format!("{c:?}").contains("Deregister"))
    );
    harness.get_by_label("Deregister").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Deregister storefront-web:")
            .count()
            >= 2,
        "the confirmation over the dialog names the revision too"
    );
    support::harness::confirm_change(&mut harness);
    assert!(
        backend
            .sent
            .borrow()
            .iter()
            .any(|c| format!("{c:?}").contains("Deregister"))
    );
    assert!(harness.state().view().task_defs.dialog.is_none());

    harness.get_by_label("Read-only").click();
    harness.run();
    assert!(harness.state().model().read_only());
    harness.get_by_label("Edit as new draft").click();
    harness.run();
    harness.get_by_label("Register as new revision…").click();
    harness.run();
    assert!(
        harness.state().view().task_defs.dialog.is_none(),
        "disabled in read-only mode"
    );
}

#[test]
fn a_draft_survives_a_crash_and_is_offered_for_restore() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-web:9.9.9";
    {
        let mut harness = harness(&backend, dir.path());
        edit_image_until_saved(&mut harness, dir.path(), image);
        // A task definition's environment may hold passwords: the user's eyes only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(dir.path()), 0o700);
            for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
                assert_eq!(mode(&entry.path()), 0o600, "{}", entry.path().display());
            }
        }
        // Dropped without any orderly shutdown, as in a crash.
    }
    let mut harness = harness(&backend, dir.path());
    run_until(&mut harness, "the restore offer", |h| {
        !h.state().view().task_defs.restorable.is_empty()
    });
    harness.run();
    harness.get_by_label_contains("unregistered task-definition draft(s) from an earlier session");
    harness.get_by_label("Restore").click();
    harness.run();
    assert!(matches!(route(&harness), Route::Draft { .. }));
    assert_eq!(
        editor(&harness).doc().container_text(0, "image").as_deref(),
        Some(image)
    );
}

#[test]
fn closing_right_after_an_edit_saves_it() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    edit_image_until_saved(&mut harness, dir.path(), "first:1");
    // Typed and closed within the save interval: on exit it is written all the same.
    replace_text(&mut harness, "Image", "last:2");
    assert!(!draft_on_disk(dir.path(), "last:2"), "not saved yet");
    eframe::App::on_exit(harness.state_mut(), None);
    assert!(
        draft_on_disk(dir.path(), "last:2"),
        "on disk when the process ends"
    );
}

#[test]
fn import_a_file_as_a_draft_and_export_it_again() {
    let backend = FixtureBackend::new();
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("in.json");
    std::fs::copy(
        format!(
            "{}/tests/fixtures/task-definitions/20-register-minimal.json",
            env!("CARGO_MANIFEST_DIR")
        ),
        &source,
    )
    .unwrap();
    let mut harness = harness(&backend, dir.path());
    harness.get_by_label("Task definitions").click();
    harness.run();
    harness.get_by_label("Import file").focus();
    harness
        .get_by_label("Import file")
        .type_text(source.to_str().unwrap());
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
    run_until(&mut harness, "the imported draft", |h| {
        !h.state().view().task_defs.editors.is_empty()
    });
    harness.run();
    assert!(matches!(route(&harness), Route::Draft { .. }));
    let text = std::fs::read_to_string(&source).unwrap();
    assert_eq!(editor(&harness).json_text(), text, "imported as written");
    harness.get_by_label_contains("Imported");

    let target = files.path().join("out.json");
    harness.get_by_label("File").focus();
    harness
        .get_by_label("File")
        .type_text(target.to_str().unwrap());
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    run_until(&mut harness, "the export", |_| target.exists());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text);

    // A file that is not there says so and changes nothing.
    harness.get_by_label("File").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("File")
        .type_text("/nonexistent/x.json");
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
    run_until(&mut harness, "the error", |h| {
        h.state()
            .view()
            .task_defs
            .notice
            .as_ref()
            .is_some_and(|(error, _)| *error)
    });
    harness.run();
    harness.get_by_label_contains("cannot read /nonexistent/x.json");
    assert_eq!(editor(&harness).json_text(), text);
}

#[test]
fn a_revision_deleted_meanwhile_shows_the_aws_error() {
    let backend = FixtureBackend::new();
    let arn = revision_arn(FAMILY, 142);
    backend.failures.borrow_mut().insert(
        ecsdeck::model::ResourceKey::TaskDefinition(arn.clone()),
        fixture_backend::service_error(
            "DescribeTaskDefinition",
            "ClientException",
            "Unable to describe task definition.",
            ecsdeck::model::ErrorKind::Service,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&backend, dir.path());
    open_revision(&mut harness);
    harness.get_by_label("DescribeTaskDefinition failed: ClientException");
    harness.get_by_label("Unable to describe task definition.");
    assert!(harness.query_by_label("Edit as new draft").is_none());
}
