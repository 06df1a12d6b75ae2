//! The one confirmation every change to AWS passes: where it goes (profile · region ·
//! endpoint · account), before → after, what to know first, and the equivalent `aws` command.

use crate::model::changes::proposal::Proposal;
use crate::model::{Action, Model};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// The confirmation of the change waiting in the model, if one is.
pub fn confirm_change_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    let Some(proposal) = &model.proposal else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("confirm-change")).show(ui.ctx(), |ui| {
        ui.set_max_width(640.0);
        ui.heading(format!("{}?", proposal.title));
        destination_ui(proposal, ui);
        ui.add_space(4.0);
        rows_ui(proposal, ui);
        let dark = ui.visuals().dark_mode;
        for note in &proposal.notes {
            let tone = if proposal.risky {
                Tone::Bad
            } else {
                Tone::Busy
            };
            ui.label(RichText::new(note).color(tone.color(dark)));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| buttons_ui(proposal, ui, actions));
    });
    if modal.should_close() {
        actions.push(Action::CancelChange);
    }
}

fn destination_ui(proposal: &Proposal, ui: &mut Ui) {
    let dest = &proposal.destination;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::Grid::new("confirm-change-destination")
            .num_columns(2)
            .show(ui, |ui| {
                let mut line = |name: &str, value: &str| {
                    ui.label(RichText::new(name).weak());
                    ui.label(RichText::new(value).strong());
                    ui.end_row();
                };
                line("Profile", &dest.profile);
                line("Region", &dest.region);
                line(
                    "Endpoint",
                    dest.endpoint.as_deref().unwrap_or("AWS (default endpoint)"),
                );
                if let Some(account) = &dest.account {
                    line("Account", account);
                }
            });
    });
}

fn rows_ui(proposal: &Proposal, ui: &mut Ui) {
    egui::Grid::new("confirm-change-rows")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for row in &proposal.rows {
                ui.label(&row.field);
                ui.label(if row.before.is_empty() {
                    "—"
                } else {
                    &row.before
                });
                ui.label("→");
                ui.label(RichText::new(&row.after).strong());
                ui.end_row();
            }
        });
}

fn buttons_ui(proposal: &Proposal, ui: &mut Ui, actions: &mut Vec<Action>) {
    let dark = ui.visuals().dark_mode;
    let confirm = if proposal.risky {
        RichText::new("Confirm change").color(Tone::Bad.color(dark))
    } else {
        RichText::new("Confirm change")
    };
    if ui
        .button(confirm)
        .on_hover_text(proposal.destination.label())
        .clicked()
    {
        actions.push(Action::ConfirmChange);
    }
    if ui.button("Cancel").clicked() {
        actions.push(Action::CancelChange);
    }
    if let Some(cli) = &proposal.cli
        && ui
            .button("Copy as AWS CLI")
            .on_hover_text("With --profile, --region and --endpoint-url where they apply")
            .clicked()
    {
        ui.ctx().copy_text(cli.clone());
    }
}
