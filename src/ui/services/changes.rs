//! "What changed" in a service deployment: the source and target service revisions side by
//! side — each container's image and resolved digest, every service-level field that differs
//! (network, load balancers, capacity providers, Service Connect, volumes…) — then the
//! semantic diff of their task definitions.

use crate::model::ecs::service_revision::{ServiceRevision, field_changes, image_changes};
use crate::model::ecs::{family_revision, short_id};
use crate::model::{Action, DiffSide, Model};
use crate::ui::task_defs::compare::compare_ui;
use crate::ui::task_defs::compare_state::CompareView;
use crate::ui::task_defs::state::TaskDefsView;
use crate::ui::widgets::theme::Tone;
use crate::ui::widgets::{error_box_ui, status_ui};
use egui::{CollapsingHeader, RichText, Ui};

/// Where the changes screen reads its task-definition diff from.
pub struct ChangesViews<'a> {
    /// Open drafts (the diff may name one; here it never does).
    pub drafts: &'a TaskDefsView,
    /// The diff's own view state.
    pub compare: &'a mut CompareView,
}

/// The changes of `deployment`.
pub fn deployment_changes_ui(
    model: &Model,
    views: ChangesViews<'_>,
    deployment: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let loadable = model.deployment_detail(deployment);
    if let Some(error) = loadable.error() {
        error_box_ui(ui, error);
    }
    let Some(detail) = loadable.value() else {
        ui.spinner();
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("What deployment {} changed", short_id(deployment)))
                .strong()
                .size(16.0),
        );
        status_ui(ui, &detail.status);
        ui.label(RichText::new(detail.config.strategy_text()).weak());
    });
    let Some(arns) = model.changes_revisions(deployment) else {
        ui.label("This deployment names no earlier revision: it created the service.");
        return;
    };
    let revisions = model.service_revisions(&arns);
    if let Some(error) = revisions.error() {
        error_box_ui(ui, error);
    }
    let Some([old, new]) = revisions.value().map(Vec::as_slice) else {
        ui.spinner();
        return;
    };
    ui.label(format!(
        "Service revision {} → {}",
        short_id(&old.arn),
        short_id(&new.arn)
    ));
    images_ui(old, new, ui);
    fields_ui(old, new, ui);
    ui.separator();
    if old.task_definition == new.task_definition {
        ui.label(format!(
            "Same task definition: {}",
            family_revision(&new.task_definition)
        ));
        return;
    }
    compare_ui(
        model,
        views.drafts,
        views.compare,
        &DiffSide::Revision(old.task_definition.clone()),
        &DiffSide::Revision(new.task_definition.clone()),
        ui,
        actions,
    );
}

fn short_digest(digest: Option<&str>) -> String {
    digest.map_or_else(
        || "no digest".to_owned(),
        |d| {
            let hex = d.strip_prefix("sha256:").unwrap_or(d);
            format!("sha256:{}", hex.get(..12).unwrap_or(hex))
        },
    )
}

/// Each container's image and the digest it resolved to, before and after.
fn images_ui(old: &ServiceRevision, new: &ServiceRevision, ui: &mut Ui) {
    let changes = image_changes(old, new);
    CollapsingHeader::new(format!("Images ({} changed)", changes.len()))
        .id_salt("changes-images")
        .default_open(true)
        .show(ui, |ui| {
            if changes.is_empty() {
                ui.label(RichText::new("Every container runs the same image and digest.").weak());
                return;
            }
            egui::Grid::new("changes-images-grid")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new("Container").strong());
                    ui.label(RichText::new("Before").strong());
                    ui.label(RichText::new("After").strong());
                    ui.end_row();
                    for (container, before, after) in &changes {
                        ui.label(container);
                        for side in [before, after] {
                            ui.label(side.as_ref().map_or_else(
                                || "—".to_owned(),
                                |i| format!("{}\n{}", i.image, short_digest(i.digest.as_deref())),
                            ));
                        }
                        ui.end_row();
                    }
                });
        });
}

/// Every service-level field that differs.
fn fields_ui(old: &ServiceRevision, new: &ServiceRevision, ui: &mut Ui) {
    let changes = field_changes(old, new);
    let dark = ui.visuals().dark_mode;
    CollapsingHeader::new(format!("Service settings ({} changed)", changes.len()))
        .id_salt("changes-fields")
        .default_open(true)
        .show(ui, |ui| {
            if changes.is_empty() {
                ui.label(
                    RichText::new(
                        "Network, load balancers, capacity providers, Service Connect and \
                         volumes are the same.",
                    )
                    .weak(),
                );
                return;
            }
            egui::Grid::new("changes-fields-grid")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    for change in &changes {
                        ui.label(RichText::new(&change.path).monospace());
                        ui.label(
                            RichText::new(change.before.as_deref().unwrap_or("—"))
                                .color(Tone::Bad.color(dark)),
                        );
                        ui.label(
                            RichText::new(change.after.as_deref().unwrap_or("—"))
                                .color(Tone::Good.color(dark)),
                        );
                        ui.end_row();
                    }
                });
        });
}
