//! "Run task…": a one-off task configured like the service (revision, launch, network), with an
//! optional command override — the batch-job case.

use crate::model::changes::service_change::{RunTaskSpec, run_task_cli};
use crate::model::ecs::Service;
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// The dialog's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunTaskDialog {
    /// The task as it would run.
    pub spec: RunTaskSpec,
    /// Container whose command is overridden ("" for none).
    pub container: String,
    /// The command, one argument per line.
    pub command: String,
}

impl RunTaskDialog {
    /// The spec with the command override filled in.
    pub fn spec(&self) -> RunTaskSpec {
        let args: Vec<String> = self
            .command
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.is_empty())
            .collect();
        RunTaskSpec {
            command: (!self.container.trim().is_empty() && !args.is_empty())
                .then(|| (self.container.trim().to_owned(), args)),
            ..self.spec.clone()
        }
    }
}

/// The button and, when open, the dialog.
pub fn run_task_ui(
    model: &Model,
    dialog: &mut Option<RunTaskDialog>,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let hover = "Start a one-off task like this service's (a batch job, a migration)";
    if super::actions::change_button_ui(model, ui, "Run task…", hover) {
        *dialog = Some(RunTaskDialog {
            spec: RunTaskSpec::like(service),
            ..RunTaskDialog::default()
        });
    }
    let Some(open) = dialog else {
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("run-task")).show(ui.ctx(), |ui| {
        ui.set_max_width(560.0);
        ui.heading("Run a one-off task");
        egui::Grid::new("run-task-grid")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Task definition").id;
                ui.text_edit_singleline(&mut open.spec.task_definition)
                    .labelled_by(label);
                ui.end_row();
                ui.label("Launch");
                ui.label(open.spec.launch_type.clone().unwrap_or_else(|| {
                    open.spec
                        .capacity_providers
                        .iter()
                        .map(|(p, w, _)| format!("{p}:{w}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }));
                ui.end_row();
                ui.label("Network");
                ui.label(open.spec.network.as_ref().map_or_else(
                    || "the task definition's".to_owned(),
                    |n| {
                        format!(
                            "{} · {}",
                            n.subnets.join(", "),
                            n.security_groups.join(", ")
                        )
                    },
                ));
                ui.end_row();
                let label = ui.label("Container").id;
                ui.add(
                    egui::TextEdit::singleline(&mut open.container)
                        .hint_text("to override its command"),
                )
                .labelled_by(label);
                ui.end_row();
                let label = ui.label("Command").id;
                ui.add(
                    egui::TextEdit::multiline(&mut open.command)
                        .desired_rows(2)
                        .hint_text("one argument per line"),
                )
                .labelled_by(label);
                ui.end_row();
            });
        let spec = open.spec();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !spec.task_definition.trim().is_empty(),
                    egui::Button::new(RichText::new("Run task").strong()),
                )
                .clicked()
            {
                actions.push(Action::RunTask(Box::new(spec.clone())));
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
            if ui.button("Copy as AWS CLI").clicked() {
                ui.ctx().copy_text(run_task_cli(&model.connection, &spec));
            }
        });
    });
    if close || modal.should_close() {
        *dialog = None;
    }
}

/// The outcome of the last run, for the service page.
pub fn run_outcome_ui(model: &Model, ui: &mut Ui) {
    let Some(outcome) = &model.outcome else {
        return;
    };
    if !matches!(outcome.kind, MutationKind::RunTask { .. }) {
        return;
    }
    match &outcome.result {
        Ok(arn) => {
            ui.label(
                RichText::new(format!(
                    "Started task {}.",
                    crate::model::ecs::short_id(arn)
                ))
                .color(Tone::Good.color(ui.visuals().dark_mode)),
            );
        }
        Err(error) => error_box_ui(ui, error),
    }
}
