//! "Deploy image…", the most common deploy: each container of the running revision with its
//! image; change a tag (picked from the ECR repository's newest tags, with when each was
//! pushed, where the call is allowed) and ECS Deck registers a revision of the running one with
//! only those images changed, shows the semantic diff, and deploys it once confirmed.

use crate::model::changes::service_change::{ServiceChange, ServiceSnapshot, ServiceUpdate};
use crate::model::ecs::Service;
use crate::model::task_defs::new_image::{
    ImageChange, container_images, image_tag, repository_key, with_images, with_tag,
};
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::to_text;
use crate::model::{Action, Model, ResourceKey};
use crate::ui::widgets::theme::Tone;
use crate::ui::widgets::time_text;
use egui::{RichText, Ui};

/// The dialog, while open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageDialog {
    /// Service ARN.
    pub service: String,
    /// The new image per container, as typed (empty until the revision is loaded).
    pub images: Vec<(String, String)>,
    /// The repositories whose tags were asked for.
    asked: bool,
}

/// The button and, when open, the dialog.
pub fn deploy_image_ui(
    model: &Model,
    dialog: &mut Option<ImageDialog>,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let hover = "Change a container's image: a new revision of the running one, deployed";
    if super::actions::change_button_ui(model, ui, "Deploy image…", hover) {
        actions.push(Action::LoadOnce(ResourceKey::TaskDefinition(
            service.task_definition.clone(),
        )));
        *dialog = Some(ImageDialog {
            service: service.arn.clone(),
            ..ImageDialog::default()
        });
    }
    let Some(open) = dialog.as_mut().filter(|d| d.service == service.arn) else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("deploy-image")).show(ui.ctx(), |ui| {
        ui.set_max_width(760.0);
        ui.heading(format!("Deploy a new image to {}", service.name));
        let loadable = model.task_definition(&service.task_definition);
        if let Some(error) = loadable.error() {
            crate::ui::widgets::error_box_ui(ui, error);
        }
        let Some(current) = loadable.value() else {
            ui.spinner();
            close = ui.button("Cancel").clicked();
            return;
        };
        if open.images.is_empty() {
            open.images = container_images(current);
        }
        if !open.asked {
            open.asked = true;
            for (_, image) in &open.images {
                if let Some(key) = repository_key(image) {
                    actions.push(Action::LoadOnce(ResourceKey::ImageTags(key)));
                }
            }
        }
        containers_ui(model, open, ui);
        let changes: Vec<ImageChange> = open
            .images
            .iter()
            .map(|(container, image)| ImageChange {
                container: container.clone(),
                image: image.trim().to_owned(),
            })
            .collect();
        let next = with_images(current, &changes);
        close = preview_ui(service, current, &next, ui, actions);
    });
    if close || modal.should_close() {
        *dialog = None;
    }
}

/// The diff the new images make and Review change… (which hands the change to the
/// confirmation); true when the dialog should close.
fn preview_ui(
    service: &Service,
    current: &TaskDefDocument,
    next: &Result<TaskDefDocument, String>,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) -> bool {
    let mut close = false;
    let dark = ui.visuals().dark_mode;
    match next {
        Ok(next) => {
            let text = to_text(&diff(current, next), "", true);
            let mut lines = text.lines();
            let summary = lines.next().unwrap_or_default().trim_start_matches(": ");
            ui.label(RichText::new(summary).strong());
            crate::ui::task_defs::dialogs::change_lines_ui(ui, lines);
        }
        Err(why) => {
            ui.label(RichText::new(why).color(Tone::Muted.color(dark)));
        }
    }
    ui.horizontal(|ui| {
        let review = ui.add_enabled(
            next.is_ok(),
            egui::Button::new(RichText::new("Review change…").strong()),
        );
        if review.clicked()
            && let Ok(next) = next
        {
            let input = serde_json::to_string(&serde_json::Value::Object(next.register_input()))
                .unwrap_or_default();
            actions.push(Action::DeployImages {
                input,
                change: Box::new(ServiceChange {
                    cluster: service.cluster_arn.clone(),
                    service: service.arn.clone(),
                    update: ServiceUpdate::default(),
                    expected: ServiceSnapshot::of(service),
                }),
            });
            close = true;
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    close
}

/// One row per container: its image (editable) and, for ECR, the repository's newest tags.
fn containers_ui(model: &Model, open: &mut ImageDialog, ui: &mut Ui) {
    egui::Grid::new("deploy-image-grid")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (container, image) in &mut open.images {
                let id = ui.label(RichText::new(container.as_str()).strong()).id;
                ui.add_sized([460.0, 20.0], egui::TextEdit::singleline(image))
                    .labelled_by(id);
                tags_ui(model, container, image, ui);
                ui.end_row();
            }
        });
}

/// The tag picker of an ECR image, or why there is none.
fn tags_ui(model: &Model, container: &str, image: &mut String, ui: &mut Ui) {
    let Some(key) = repository_key(image) else {
        ui.label(RichText::new("not in ECR: type the image").small().weak());
        return;
    };
    let loadable = model.image_tags(&key);
    if let Some(error) = loadable.error() {
        ui.label(
            RichText::new(format!("tags not listed ({})", error.code))
                .small()
                .weak(),
        )
        .on_hover_text(&error.message);
        return;
    }
    let Some(tags) = loadable.value() else {
        ui.spinner();
        return;
    };
    let current = image_tag(image).unwrap_or("digest").to_owned();
    ui.horizontal(|ui| {
        let id = ui.label("Tag").id;
        egui::ComboBox::from_id_salt(("tags", container))
            .selected_text(current.clone())
            .show_ui(ui, |ui| {
                for tag in tags.iter().take(50) {
                    let text = format!("{} · pushed {}", tag.tag, time_text(tag.pushed_at));
                    if ui.selectable_label(tag.tag == current, text).clicked() {
                        *image = with_tag(image, &tag.tag);
                    }
                }
            })
            .response
            .labelled_by(id);
    });
}
