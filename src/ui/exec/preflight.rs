//! The preflight of a container: each requirement of ECS Exec as ✔, ✖ or – with what was
//! found and, for a ✖, the exact fix.

use crate::model::exec::ExecTarget;
use crate::model::exec::preflight::{CheckStatus, ExecReport};
use crate::model::{Action, Model};
use crate::ui::widgets::loadable_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// Draws the preflight (loading, failed or judged) and "Check again"; returns the report.
pub fn preflight_ui<'a>(
    model: &'a Model,
    target: &ExecTarget,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) -> Option<&'a ExecReport> {
    let loadable = model.store.exec_preflights.get(target);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Preflight").strong());
        let pending = loadable.is_some_and(|l| l.is_pending());
        if ui
            .add_enabled(!pending, egui::Button::new("Check again"))
            .on_hover_text("Read the task, cluster, role and plugin again")
            .clicked()
        {
            actions.push(Action::Refresh);
        }
        if pending {
            ui.spinner();
        }
    });
    let fetched = loadable_ui(ui, loadable?, "the preflight")?;
    let report = &fetched.value;
    let dark = ui.visuals().dark_mode;
    egui::Grid::new("preflight")
        .num_columns(3)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for check in &report.preflight.checks {
                let (mark, tone) = match check.status {
                    CheckStatus::Pass => ("✔", Tone::Good),
                    CheckStatus::Fail => ("✖", Tone::Bad),
                    CheckStatus::Skipped => ("–", Tone::Muted),
                };
                ui.label(RichText::new(mark).color(tone.color(dark)));
                ui.label(RichText::new(check.name).strong());
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&check.detail).wrap());
                    if let Some(fix) = &check.fix {
                        ui.add(
                            egui::Label::new(RichText::new(format!("Fix: {fix}")).italics()).wrap(),
                        );
                    }
                    if let Some(link) = check.link {
                        ui.hyperlink_to("AWS's install page", link);
                    }
                });
                ui.end_row();
            }
        });
    let summary = if report.preflight.ready() {
        RichText::new("Ready: a session can start.").color(Tone::Good.color(dark))
    } else {
        let missing = report.preflight.missing().count();
        RichText::new(format!("Not ready: {missing} to fix first.")).color(Tone::Bad.color(dark))
    };
    ui.label(summary);
    Some(report)
}
