//! "Tail a log group…": follow any CloudWatch log group (or the streams of it starting with a
//! prefix), for logs that no ECS task points at.

use super::LogsView;
use crate::model::logs::tail::TailTarget;
use crate::model::{Action, Route};
use egui::Ui;

/// What the dialog holds while open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogGroupDialog {
    /// Log group name, e.g. `/ecs/api`.
    pub group: String,
    /// Stream-name prefix, e.g. `ecs/app/`.
    pub prefix: String,
}

/// The dialog, when open.
pub(crate) fn log_group_dialog_ui(view: &mut LogsView, ui: &mut Ui, actions: &mut Vec<Action>) {
    let Some(dialog) = view.group_dialog.as_mut() else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("log-group-dialog")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.heading("Tail a log group");
        let label = ui.label("Log group").id;
        let group = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.group)
                    .desired_width(420.0)
                    .hint_text("/ecs/api"),
            )
            .labelled_by(label);
        if dialog.group.is_empty() && dialog.prefix.is_empty() && !group.has_focus() {
            group.request_focus();
        }
        let label = ui.label("Stream prefix (optional)").id;
        ui.add(
            egui::TextEdit::singleline(&mut dialog.prefix)
                .desired_width(420.0)
                .hint_text("ecs/app/"),
        )
        .labelled_by(label);
        ui.horizontal(|ui| {
            let group = dialog.group.trim();
            let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui
                .add_enabled(!group.is_empty(), egui::Button::new("Follow"))
                .clicked()
                || (entered && !group.is_empty())
            {
                let prefix = dialog.prefix.trim();
                actions.push(Action::Navigate(Route::Logs(TailTarget::Group {
                    group: group.to_owned(),
                    prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
                })));
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        view.group_dialog = None;
    }
}
