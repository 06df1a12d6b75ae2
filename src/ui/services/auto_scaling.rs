//! A service's Application Auto Scaling target beside its desired count: bounds, policies, the
//! override warning, and editable bounds.

use crate::model::changes::service_change::parse_desired;
use crate::model::ecs::Service;
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// Bounds being edited, and the target they were filled from.
#[derive(Debug, Default)]
pub struct BoundsEdit {
    bounds: (i32, i32),
    bounds_for: Option<(String, i32, i32)>,
}

/// The service's auto scaling bounds and policies, a warning when the typed count is outside
/// them, and editable bounds.
pub fn auto_scaling_ui(
    model: &Model,
    view: &mut BoundsEdit,
    desired_text: &str,
    service: &Service,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let loadable = model.scaling_of(&service.arn);
    let dark = ui.visuals().dark_mode;
    if let Some(error) = loadable.error() {
        ui.label(
            RichText::new(format!("Auto scaling unknown: {error}"))
                .small()
                .weak(),
        );
        return;
    }
    let Some(Some(target)) = loadable.value() else {
        if loadable.value().is_some() {
            ui.label(RichText::new("No auto scaling target.").small().weak());
        }
        return;
    };
    let seen = (target.resource_id.clone(), target.min, target.max);
    if view.bounds_for.as_ref() != Some(&seen) {
        view.bounds = (target.min, target.max);
        view.bounds_for = Some(seen);
    }
    ui.horizontal(|ui| {
        ui.label(format!("Auto scaling: {}", target.summary()));
        ui.separator();
        let (mut min, mut max) = view.bounds;
        let label = ui.label("min").id;
        ui.add(
            egui::DragValue::new(&mut min)
                .range(0..=crate::model::changes::service_change::MAX_DESIRED),
        )
        .labelled_by(label);
        let label = ui.label("max").id;
        ui.add(
            egui::DragValue::new(&mut max)
                .range(0..=crate::model::changes::service_change::MAX_DESIRED),
        )
        .labelled_by(label);
        view.bounds = (min, max);
        let changed = (min, max) != (target.min, target.max);
        let valid = min <= max;
        let set = ui.add_enabled(
            changed && valid && !model.read_only() && model.mutation.is_none(),
            egui::Button::new("Set bounds"),
        );
        if ui.small_button("Copy as AWS CLI").clicked() {
            ui.ctx()
                .copy_text(crate::model::changes::aws_cli::scaling_bounds_cli(
                    &model.connection,
                    &target.resource_id,
                    min,
                    max,
                ));
        }
        if set.clicked() {
            actions.push(Action::SetScalingBounds {
                cluster: service.cluster_arn.clone(),
                service: service.arn.clone(),
                min,
                max,
            });
        }
        if !valid {
            ui.label(RichText::new("min is above max").color(Tone::Bad.color(dark)));
        }
    });
    if let Ok(typed) = parse_desired(desired_text)
        && let Some(warning) = target.override_warning(typed)
    {
        ui.label(RichText::new(warning).color(Tone::Warn.color(dark)));
    }
    let kind = MutationKind::SetScaling {
        service: service.arn.clone(),
    };
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
        && let Err(error) = &outcome.result
    {
        error_box_ui(ui, error);
    }
}
