//! A service's own controls on its page: the desired count (with a confirmation where it is
//! risky), the live rollout (progress, what ECS is doing, why tasks stop), and the outcome of
//! the last change.

use crate::model::changes::service_change::{
    ServiceChange, ServiceSnapshot, ServiceUpdate, parse_desired,
};
use crate::model::ecs::rollout::{Phase, ProgressClock, assess};
use crate::model::ecs::stopped_reasons::group;
use crate::model::ecs::{Service, Task};
use crate::model::{Action, Model, MutationKind, Route};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{Key, Modifiers, RichText, Ui};
use std::collections::HashMap;
use std::time::SystemTime;

/// Service events shown in the rollout panel.
const RECENT_EVENTS: usize = 4;

/// Local state of the service controls.
#[derive(Debug, Default)]
pub struct ServiceActionsView {
    /// The desired count being typed, and the service it is for.
    pub desired_text: String,
    desired_for: Option<(String, i32)>,
    /// Why the typed count is not valid.
    pub desired_error: Option<String>,
    /// Where the desired-count row was last drawn: `+`/`−` step the count while it is hovered.
    count_row: Option<egui::Rect>,
    /// Rollout progress clocks per service ARN.
    clocks: HashMap<String, ProgressClock>,
    /// Auto scaling bounds being edited.
    bounds: crate::ui::services::auto_scaling::BoundsEdit,
    /// The run-task dialog, when open.
    pub run: Option<crate::ui::services::run_task::RunTaskDialog>,
    /// The deploy-image dialog, when open.
    pub image: Option<crate::ui::services::deploy_image::ImageDialog>,
    /// The deployment-settings dialog, when open.
    pub settings: Option<crate::ui::services::deployment_settings::SettingsDialog>,
}

/// The desired-count control and the last change's outcome.
pub fn scale_ui(
    model: &Model,
    view: &mut ServiceActionsView,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    // The field follows the service until the user types something else.
    let seen = (service.arn.clone(), service.desired);
    if view.desired_for.as_ref() != Some(&seen) {
        view.desired_text = service.desired.to_string();
        view.desired_for = Some(seen);
        view.desired_error = None;
    }
    let kind = MutationKind::UpdateService {
        service: service.arn.clone(),
    };
    let busy = model.is_changing(&kind);
    let row = ui.horizontal(|ui| {
        let field_id = ui.make_persistent_id(("desired-count", &service.arn));
        if !model.read_only() && !busy && steps_here(ui, field_id, view.count_row) {
            step_keys(ui, &mut view.desired_text);
        }
        let label = ui.label("Desired tasks").id;
        let field = ui
            .add_enabled(
                !model.read_only() && !busy,
                egui::TextEdit::singleline(&mut view.desired_text)
                    .id(field_id)
                    .desired_width(56.0),
            )
            .labelled_by(label)
            .on_hover_text(
                "+ and − step the count while this row is hovered or the field has focus",
            );
        ui.label(
            RichText::new(format!(
                "now {} · running {} · pending {}",
                service.desired, service.running, service.pending
            ))
            .weak(),
        );
        let apply = ui.add_enabled(
            !model.read_only() && !busy && model.mutation.is_none(),
            egui::Button::new("Apply"),
        );
        let apply = if model.read_only() {
            apply.on_disabled_hover_text("Read-only mode is on")
        } else {
            apply
        };
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if apply.clicked() || enter {
            request_scale(view, service, actions);
        }
        if busy {
            ui.spinner();
        }
        ui.separator();
        deploy_buttons_ui(model, service, ui, actions);
        crate::ui::services::run_task::run_task_ui(model, &mut view.run, service, ui, actions);
        crate::ui::services::deploy_image::deploy_image_ui(
            model,
            &mut view.image,
            service,
            ui,
            actions,
        );
        crate::ui::services::deployment_settings::deployment_settings_ui(
            model,
            &mut view.settings,
            service,
            ui,
            actions,
        );
    });
    view.count_row = Some(row.response.rect);
    crate::ui::services::run_task::run_outcome_ui(model, ui);
    if let Some(why) = &view.desired_error {
        ui.label(RichText::new(why).color(Tone::Bad.color(ui.visuals().dark_mode)));
    }
    crate::ui::services::auto_scaling::auto_scaling_ui(
        model,
        &mut view.bounds,
        &view.desired_text,
        service,
        ui,
        actions,
    );
    outcome_ui(model, &kind, ui, actions);
}

/// Whether `+`/`−` are meant for the desired count: its field has focus, or the pointer is
/// over its row while no other field has focus (a `-` typed anywhere else is that field's).
fn steps_here(ui: &Ui, field: egui::Id, row: Option<egui::Rect>) -> bool {
    let focused = ui.memory(|m| m.focused());
    if focused == Some(field) {
        return true;
    }
    let hovered = row.is_some_and(|rect| {
        ui.input(|i| i.pointer.hover_pos())
            .is_some_and(|p| rect.contains(p))
    });
    focused.is_none() && hovered
}

/// The typed count, checked: refused with the reason, nothing when unchanged, else the change
/// (which the confirmation shows, with why a large one deserves a second look).
fn request_scale(view: &mut ServiceActionsView, service: &Service, actions: &mut Vec<Action>) {
    match parse_desired(&view.desired_text) {
        Err(why) => view.desired_error = Some(why),
        Ok(count) if count == service.desired => view.desired_error = None,
        Ok(count) => {
            view.desired_error = None;
            let change = ServiceChange {
                cluster: service.cluster_arn.clone(),
                service: service.arn.clone(),
                update: ServiceUpdate {
                    desired: Some(count),
                    ..ServiceUpdate::default()
                },
                expected: ServiceSnapshot::of(service),
            };
            actions.push(Action::UpdateService(Box::new(change)));
        }
    }
}

/// How the last change of `kind` ended: "Done: …" (dismissable) or the AWS error.
fn outcome_ui(model: &Model, kind: &MutationKind, ui: &mut Ui, actions: &mut Vec<Action>) {
    if let Some(outcome) = &model.outcome
        && outcome.kind == *kind
    {
        match &outcome.result {
            Ok(_) => {
                ui.horizontal(|ui| {
                    ui.label(
                        // What was asked, not a guess at what changed: a deploy and a scale
                        // read differently.
                        RichText::new(format!("Done: {}.", outcome.summary))
                            .color(Tone::Good.color(ui.visuals().dark_mode)),
                    );
                    if ui.small_button("×").on_hover_text("Close").clicked() {
                        actions.push(Action::DismissOutcome);
                    }
                });
            }
            Err(error) => error_box_ui(ui, error),
        }
    }
}

/// "Deploy…" (the family's newest revision by default) and "Roll back…" (the revision the
/// service ran before: the rollout's old deployment, else the previous revision number).
fn deploy_buttons_ui(model: &Model, service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    let open = |target: String| {
        [
            // A finished change of this service must not count as this deploy's outcome.
            Action::DismissOutcome,
            Action::Navigate(Route::Deploy {
                cluster: service.cluster_arn.clone(),
                service: service.arn.clone(),
                current: service.task_definition.clone(),
                target,
            }),
        ]
    };
    let why = model.read_only().then_some("Read-only mode is on");
    let family = crate::model::DiffSide::Revision(service.task_definition.clone()).family();
    let deploy = ui
        .add_enabled(
            why.is_none() && family.is_some(),
            egui::Button::new("Deploy…"),
        )
        .on_hover_text("Choose a revision, preview the change, confirm");
    if deploy.clicked()
        && let Some(family) = family
    {
        actions.extend(open(family));
    }
    let previous = service
        .deployments
        .iter()
        .find(|d| d.status == "ACTIVE" && d.task_definition != service.task_definition)
        .map(|d| d.task_definition.clone())
        .or_else(|| {
            crate::model::task_defs::revisions::previous_revision(&service.task_definition)
        });
    let rollback = ui
        .add_enabled(
            why.is_none() && previous.is_some(),
            egui::Button::new("Roll back…"),
        )
        .on_hover_text("Preview going back to the revision the service ran before");
    if rollback.clicked()
        && let Some(previous) = previous
    {
        actions.extend(open(previous));
    }
}

/// `+` / `−` change the typed count by one; the keys and the characters they would type
/// are taken, so the field never shows a stray `-`.
fn step_keys(ui: &Ui, text: &mut String) {
    let Ok(current) = text.trim().parse::<i64>() else {
        return;
    };
    let up = ui.input_mut(|i| {
        i.consume_key(Modifiers::NONE, Key::Plus) || i.consume_key(Modifiers::SHIFT, Key::Equals)
    });
    let down = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Minus));
    if up || down {
        ui.input_mut(|i| {
            i.events
                .retain(|e| !matches!(e, egui::Event::Text(t) if t == "+" || t == "-"));
        });
    }
    if up {
        *text = (current + 1).to_string();
    } else if down && current > 0 {
        *text = (current - 1).to_string();
    }
}

/// The rollout of `service`, when one is under way or just ended: what ECS is doing, new vs
/// old tasks, and why tasks of the new revision stopped.
pub fn rollout_ui(
    view: &mut ServiceActionsView,
    service: &Service,
    tasks: Option<&[Task]>,
    ui: &mut Ui,
    now: SystemTime,
) {
    let clock = view.clocks.entry(service.arn.clone()).or_default();
    let Some(rollout) = assess(service, clock, now) else {
        return;
    };
    if rollout.phase == Phase::Steady {
        return;
    }
    let tone = match rollout.phase {
        Phase::Completed => Tone::Good,
        Phase::Failed { .. } | Phase::Stuck { .. } => Tone::Bad,
        _ => Tone::Busy,
    };
    let dark = ui.visuals().dark_mode;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(&rollout.message)
                .color(tone.color(dark))
                .strong(),
        );
        ui.add(
            egui::ProgressBar::new(rollout.progress())
                .desired_width(420.0)
                .text(format!(
                    "{} of {} new · {} old · {} failed",
                    rollout.new_running, rollout.desired, rollout.old_running, rollout.failed
                )),
        );
        for deployment in &service.deployments {
            let state = deployment.rollout_state.as_deref().unwrap_or("-");
            ui.label(
                RichText::new(format!(
                    "{} {} · desired {} · running {} · pending {} · failed {} · {state}",
                    deployment.status,
                    crate::model::task_defs::revisions::family_revision(
                        &deployment.task_definition
                    ),
                    deployment.desired,
                    deployment.running,
                    deployment.pending,
                    deployment.failed
                ))
                .small(),
            );
            if let Some(reason) = &deployment.rollout_state_reason {
                ui.label(RichText::new(reason).small().weak());
            }
        }
        // The newest service events: what ECS says it is doing.
        for event in service.events.iter().take(RECENT_EVENTS) {
            ui.label(
                RichText::new(format!(
                    "{}  {}",
                    crate::ui::widgets::time_text(event.created_at),
                    event.message
                ))
                .small()
                .weak(),
            );
        }
        let stopped: Vec<Task> = tasks
            .unwrap_or_default()
            .iter()
            .filter(|t| t.last_status == "STOPPED")
            .filter(|t| {
                crate::model::task_defs::revisions::family_revision(&t.task_definition)
                    == rollout.target
            })
            .cloned()
            .collect();
        for stopped_group in group(&stopped) {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{} × {}",
                        stopped_group.cause.label(),
                        stopped_group.count
                    ))
                    .strong(),
                );
                ui.label(RichText::new(&stopped_group.example).small());
            });
            let hint = stopped_group.cause.hint();
            if !hint.is_empty() {
                ui.label(RichText::new(hint).small().weak());
            }
        }
    });
}

/// A button that opens a change's dialog: off in read-only mode and while a change is sent.
pub fn change_button_ui(model: &Model, ui: &mut Ui, label: &str, hover: &str) -> bool {
    ui.add_enabled(
        !model.read_only() && model.mutation.is_none(),
        egui::Button::new(label),
    )
    .on_hover_text(hover)
    .clicked()
}
