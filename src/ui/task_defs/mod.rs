//! The revision browser: families (with an active/inactive filter), a family's revisions, and
//! the drafts kept on this machine.

pub(crate) mod compare;
pub mod compare_state;
pub(crate) mod container;
pub(crate) mod dialogs;
pub(crate) mod editor;
pub(crate) mod families;
pub(crate) mod fields;
pub(crate) mod form;
pub(crate) mod revision;
pub mod state;

use super::widgets::table::{CellStyle, Column, SortKey, table_ui, table_with_cells_ui};
use super::widgets::{loadable_ui, time_text, with_detail_ui};
use crate::model::task_defs::revisions::{RevisionSummary, previous_revision};
use crate::model::time_format::age;
use crate::model::{Action, DiffSide, Model, Route};
use egui::{RichText, Ui};
use state::{FileRequest, TaskDefsView};
use std::time::SystemTime;

/// Which families the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FamilyFilter {
    /// Families with an ACTIVE revision.
    #[default]
    Active,
    /// Families whose revisions are all INACTIVE.
    Inactive,
    /// Every family.
    All,
}

fn revision_columns() -> [Column<RevisionSummary>; 9] {
    [
        Column {
            title: COMPARE_COLUMN,
            width: 60.0,
            text: |_| String::new(),
            sort: |r| SortKey::Int(r.revision.into()),
            style: CellStyle::Custom,
        },
        Column {
            title: "Revision",
            width: 70.0,
            text: |r| r.revision.to_string(),
            sort: |r| SortKey::Int(r.revision.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Status",
            width: 90.0,
            text: |r| r.status.clone(),
            sort: |r| SortKey::text(&r.status),
            style: CellStyle::Status,
        },
        Column {
            title: "Registered",
            width: 135.0,
            text: |r| time_text(r.registered_at),
            sort: |r| SortKey::Time(r.registered_at),
            style: CellStyle::Plain,
        },
        Column {
            title: "Registered by",
            width: 160.0,
            text: |r| {
                r.registered_by
                    .as_deref()
                    .map_or("-", |arn| arn.rsplit('/').next().unwrap_or(arn))
                    .to_owned()
            },
            sort: |r| SortKey::Text(r.registered_by.clone().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "CPU",
            width: 55.0,
            text: |r| r.cpu.clone().unwrap_or_else(|| "-".to_owned()),
            sort: |r| SortKey::Text(r.cpu.clone().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Memory",
            width: 60.0,
            text: |r| r.memory.clone().unwrap_or_else(|| "-".to_owned()),
            sort: |r| SortKey::Text(r.memory.clone().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Images",
            width: 240.0,
            text: |r| {
                if r.described {
                    r.image_tags()
                } else {
                    "(open to load)".to_owned()
                }
            },
            sort: |r| SortKey::Text(r.image_tags()),
            style: CellStyle::Plain,
        },
        Column {
            title: "What changed",
            width: 300.0,
            text: |r| r.changes.clone().unwrap_or_else(|| "-".to_owned()),
            sort: |r| SortKey::Text(r.changes.clone().unwrap_or_default()),
            style: CellStyle::Plain,
        },
    ]
}

/// The revision list's first column: tick two revisions to compare them.
const COMPARE_COLUMN: &str = "Compare";

/// The tick of one revision in the Compare column; at most two stay ticked (a third
/// replaces the older tick).
fn compare_mark_ui(ui: &mut Ui, marks: &std::cell::RefCell<Vec<String>>, row: &RevisionSummary) {
    let mut on = marks.borrow().contains(&row.arn);
    let response = ui.add(egui::Checkbox::without_text(&mut on));
    let label = format!("Compare :{}", row.revision);
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, label.clone()));
    if response.changed() {
        let mut marks = marks.borrow_mut();
        marks.retain(|a| *a != row.arn);
        if on {
            marks.push(row.arn.clone());
            if marks.len() > 2 {
                marks.remove(0);
            }
        }
    }
}

/// Families, with the drafts list beside them.
pub fn families_ui(
    model: &Model,
    view: &mut TaskDefsView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.horizontal(|ui| families_toolbar_ui(model, view, ui, actions, now));
    ui.separator();
    // Copied out so the pane's closure does not borrow `view` beside the table's state.
    let drafts: Vec<(String, Option<String>, Option<SystemTime>)> = view
        .editors
        .values()
        .map(|slot| {
            (
                slot.editor.draft.id.clone(),
                slot.editor.doc().family().map(str::to_owned),
                slot.editor.draft.saved_at,
            )
        })
        .collect();
    let detail = (!drafts.is_empty()).then_some(|ui: &mut Ui, actions: &mut Vec<Action>| {
        ui.label(RichText::new("Drafts on this machine").strong());
        for (id, family, saved_at) in &drafts {
            ui.horizontal(|ui| {
                let name = family.clone().unwrap_or_else(|| "(no family)".to_owned());
                if ui.link(&name).on_hover_text(id).clicked() {
                    actions.push(Action::Navigate(Route::Draft {
                        id: id.clone(),
                        family: family.clone(),
                    }));
                }
                let saved = saved_at.map_or_else(
                    || "not saved yet".to_owned(),
                    |t| format!("saved {} ago", age(t, now)),
                );
                ui.label(RichText::new(saved).small().weak());
            });
        }
    });
    let Some(fetched) = loadable_ui(ui, &model.store.families, "task-definition families") else {
        return;
    };
    let version = families::refilter(model, view, (&fetched.value, fetched.version));
    overview_note_ui(model, ui);
    let families = &view.filtered;
    let state = &mut view.families;
    let output = with_detail_ui(ui, "drafts-pane", actions, detail, |ui, _| {
        table_ui(
            ui,
            "families",
            state,
            families,
            version,
            |f| &f.name,
            &families::family_columns(),
        )
    });
    if let Some(index) = output.opened {
        actions.push(Action::Navigate(Route::Family {
            family: families[index].name.clone(),
        }));
    }
}

/// What the family overview could not read, or that it is still being read.
fn overview_note_ui(model: &Model, ui: &mut Ui) {
    let overview = &model.store.family_overview;
    let weak = |ui: &mut Ui, text: String| {
        ui.label(RichText::new(text).small().weak());
    };
    if let Some(error) = overview.error() {
        let color = crate::ui::widgets::theme::Tone::Bad.color(ui.visuals().dark_mode);
        ui.label(
            RichText::new(format!(
                "Newest revisions, counts and services could not be read: {} {} (request id {})",
                error.code,
                error.message,
                error.request_id.as_deref().unwrap_or("-")
            ))
            .small()
            .color(color),
        );
    } else if overview.is_pending() && overview.value().is_none() {
        weak(
            ui,
            "Reading every family's newest revision and the services running it…".to_owned(),
        );
    }
    let Some(value) = overview.value() else {
        return;
    };
    for (what, error) in &value.problems {
        weak(ui, format!("{what}: {} {}", error.code, error.message));
    }
    if value.undescribed > 0 {
        weak(
            ui,
            format!(
                "Registration times of {} families are left out (the newest {} are read).",
                value.undescribed,
                crate::model::task_defs::family_overview::MAX_DESCRIBED_FAMILIES
            ),
        );
    }
}

/// Which families show, the new-draft button and the file import.
fn families_toolbar_ui(
    model: &Model,
    view: &mut TaskDefsView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.label(RichText::new("Task definitions").strong());
    ui.separator();
    for (filter, label) in [
        (FamilyFilter::Active, "Active"),
        (FamilyFilter::Inactive, "Inactive"),
        (FamilyFilter::All, "All"),
    ] {
        ui.selectable_value(&mut view.family_filter, filter, label);
    }
    ui.separator();
    if ui
        .button("New task definition")
        .on_hover_text("Start an empty draft (paste a describe-task-definition output or a register input into its JSON view)")
        .clicked()
    {
        view.new_blank_draft(&model.connection.source_label(), now, actions);
    }
    let label = ui
        .label("Import file")
        .on_hover_text("Or drop a JSON file on the window")
        .id;
    ui.add(
        egui::TextEdit::singleline(&mut view.import_path)
            .hint_text("/path/to/taskdef.json")
            .desired_width(200.0),
    )
    .labelled_by(label);
    if ui
        .add_enabled(
            !view.import_path.trim().is_empty(),
            egui::Button::new("Import"),
        )
        .clicked()
    {
        view.file_requests.push(FileRequest::Import {
            path: view.import_path.trim().into(),
            into: None,
        });
    }
}

/// "Compare :140 → :142" once two revisions are ticked (older on the left).
fn compare_marked_ui(
    ui: &mut Ui,
    rows: &[RevisionSummary],
    marks: &[String],
    actions: &mut Vec<Action>,
) {
    let mut ticked: Vec<&RevisionSummary> =
        rows.iter().filter(|r| marks.contains(&r.arn)).collect();
    ticked.sort_by_key(|r| r.revision);
    let (text, pair) = match ticked.as_slice() {
        [old, new] => (
            format!("Compare :{} → :{}", old.revision, new.revision),
            Some((old, new)),
        ),
        _ => ("Compare ticked".to_owned(), None),
    };
    let response = ui
        .add_enabled(pair.is_some(), egui::Button::new(text))
        .on_disabled_hover_text("Tick two revisions in the Compare column");
    if response.clicked()
        && let Some((old, new)) = pair
    {
        actions.push(Action::Navigate(Route::Compare {
            old: DiffSide::Revision(old.arn.clone()),
            new: DiffSide::Revision(new.arn.clone()),
        }));
    }
}

/// Revisions of `family`, newest first, each with what changed from the one before; Enter
/// opens one, two ticked compare.
pub fn revisions_ui(
    model: &Model,
    view: &mut TaskDefsView,
    family: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let (state, marks) = (&mut view.revisions, &mut view.compare_marks);
    let Some(fetched) = loadable_ui(ui, model.revisions_of(family), "revisions") else {
        return;
    };
    let rows = &fetched.value;
    if rows.is_empty() {
        ui.label("This family has no revisions (it may have been deleted).");
        return;
    }
    if state.sort.is_none() {
        // Newest first unless the user sorts otherwise.
        state.sort = Some((1, false));
    }
    let selected = state
        .selected_row(rows, fetched.version, |r| &r.arn)
        .map(|i| &rows[i]);
    marks.retain(|arn| rows.iter().any(|r| r.arn == *arn));
    ui.horizontal(|ui| {
        compare_marked_ui(ui, rows, marks, actions);
        let previous = selected.and_then(|r| previous_revision(&r.arn));
        let response = ui
            .add_enabled(
                previous.is_some(),
                egui::Button::new("Compare with previous"),
            )
            .on_hover_text("The selected revision against the one before it")
            .on_disabled_hover_text("Select a revision after the first");
        if response.clicked()
            && let (Some(previous), Some(row)) = (previous, selected)
        {
            actions.push(Action::Navigate(Route::Compare {
                old: DiffSide::Revision(previous),
                new: DiffSide::Revision(row.arn.clone()),
            }));
        }
        let newest = rows.iter().max_by_key(|r| r.revision);
        let response = ui
            .add_enabled(
                selected.is_some() && selected.map(|r| &r.arn) != newest.map(|r| &r.arn),
                egui::Button::new("Compare with newest"),
            )
            .on_hover_text("What changed from the selected revision to the newest one");
        if response.clicked()
            && let (Some(row), Some(newest)) = (selected, newest)
        {
            actions.push(Action::Navigate(Route::Compare {
                old: DiffSide::Revision(row.arn.clone()),
                new: DiffSide::Revision(newest.arn.clone()),
            }));
        }
    });
    let ticks = std::cell::RefCell::new(std::mem::take(marks));
    let output = table_with_cells_ui(
        ui,
        "revisions",
        state,
        rows,
        fetched.version,
        |r| &r.arn,
        &revision_columns(),
        &|ui, _, row| compare_mark_ui(ui, &ticks, row),
    );
    *marks = ticks.into_inner();
    if let Some(index) = output.opened {
        actions.push(Action::Navigate(Route::Revision {
            arn: rows[index].arn.clone(),
        }));
    }
}

/// Unsaved drafts found at start-up: open or discard each.
pub fn restore_banner_ui(
    view: &mut TaskDefsView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    if view.restorable.is_empty() {
        return;
    }
    let fill = crate::ui::widgets::theme::banner_fill(ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(fill)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} unregistered task-definition draft(s) from an earlier session:",
                    view.restorable.len()
                ))
                .strong(),
            );
            let mut open = None;
            let mut discard = None;
            for (index, draft) in view.restorable.iter().enumerate() {
                ui.horizontal(|ui| {
                    let family =
                        crate::model::task_defs::task_def::TaskDefDocument::parse(&draft.text)
                            .ok()
                            .and_then(|d| d.family().map(str::to_owned))
                            .unwrap_or_else(|| "(unparsed)".to_owned());
                    let saved = draft
                        .saved_at
                        .map_or_else(String::new, |t| format!("saved {} ago", age(t, now)));
                    ui.label(format!("{family}  {saved}  ({})", draft.source));
                    if ui.button("Restore").clicked() {
                        open = Some(index);
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete this draft for good")
                        .clicked()
                    {
                        discard = Some(index);
                    }
                });
            }
            if let Some(index) = open {
                let draft = view.restorable.remove(index);
                view.open_draft(draft, actions);
            }
            if let Some(index) = discard {
                let draft = view.restorable.remove(index);
                view.file_requests.push(FileRequest::Delete(draft.id));
            }
        });
}

/// The result of the last file operation (export, import), until closed.
pub fn notice_ui(view: &mut TaskDefsView, ui: &mut Ui) {
    let Some((error, text)) = &view.notice else {
        return;
    };
    let tone = if *error {
        crate::ui::widgets::theme::Tone::Bad
    } else {
        crate::ui::widgets::theme::Tone::Good
    };
    let mut close = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(text).color(tone.color(ui.visuals().dark_mode)));
        close = ui.small_button("×").on_hover_text("Close").clicked();
    });
    if close {
        view.notice = None;
    }
}
