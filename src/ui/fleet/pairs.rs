//! The fleet's pairs: each profile × region with its account, services and how many need
//! attention, how old its data is — or, for one that failed, the AWS error and its fix.

use crate::model::Model;
use crate::model::fleet::fix::pair_fix;
use crate::model::fleet::load::{FleetLoad, PairState, PairStatus};
use crate::model::time_format::age;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};
use std::time::SystemTime;

/// Most of the pairs' height before they scroll.
const PAIRS_MAX_HEIGHT: f32 = 180.0;

/// Services needing attention per pair, in the load's pair order.
fn attention_per_pair(load: &FleetLoad) -> Vec<usize> {
    let mut counts = vec![0; load.pairs.len()];
    for row in load.rows.iter().filter(|r| !r.concerns.is_empty()) {
        if let Some(count) = counts.get_mut(row.pair) {
            *count += 1;
        }
    }
    counts
}

/// The pairs, in a section of their own.
pub(super) fn pairs_ui(model: &Model, load: &FleetLoad, ui: &mut Ui, now: SystemTime) {
    let title = format!("Accounts and regions ({})", load.pairs.len());
    egui::CollapsingHeader::new(title)
        .id_salt("fleet-pairs")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("fleet-pairs-scroll")
                .max_height(PAIRS_MAX_HEIGHT)
                .show(ui, |ui| {
                    let attention = attention_per_pair(load);
                    egui::Grid::new("fleet-pairs-grid")
                        .striped(true)
                        .num_columns(6)
                        .show(ui, |ui| {
                            for header in [
                                "",
                                "Profile · region",
                                "Account",
                                "Services",
                                "Attention",
                                "Read",
                            ] {
                                ui.label(RichText::new(header).strong());
                            }
                            ui.end_row();
                            for (index, pair) in load.pairs.iter().enumerate() {
                                let needing = attention.get(index).copied().unwrap_or(0);
                                pair_row_ui(model, pair, needing, ui, now);
                                ui.end_row();
                            }
                        });
                });
        });
}

fn pair_row_ui(model: &Model, pair: &PairState, attention: usize, ui: &mut Ui, now: SystemTime) {
    let dark = ui.visuals().dark_mode;
    let tone = match (&pair.status, attention) {
        (PairStatus::Failed(_), _) => Tone::Bad,
        (PairStatus::Loading, _) => Tone::Busy,
        (PairStatus::Loaded, 0) => Tone::Good,
        (PairStatus::Loaded, _) => Tone::Warn,
    };
    ui.label(RichText::new(tone.glyph()).color(tone.color(dark)));
    ui.label(pair.label());
    ui.label(pair.account().unwrap_or("-"));
    ui.label(pair.services.len().to_string());
    ui.label(attention.to_string());
    match &pair.status {
        PairStatus::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new("reading…").weak());
            });
        }
        PairStatus::Loaded => {
            let when = pair.updated_at.unwrap_or(pair.started_at);
            let calls = pair
                .calls
                .map(|c| format!(", {c} calls"))
                .unwrap_or_default();
            ui.label(RichText::new(format!("{} ago{calls}", age(when, now))).weak());
        }
        PairStatus::Failed(error) => {
            let profile = pair.connection.profile.as_deref();
            let source = profile.and_then(|name| {
                model
                    .profiles
                    .value()
                    .and_then(|list| list.iter().find(|p| p.name == name))
                    .map(|p| p.source)
            });
            let fix = pair_fix(error, profile, source, &pair.connection.region);
            ui.vertical(|ui| {
                ui.label(RichText::new(error.to_string()).color(Tone::Bad.color(dark)));
                ui.label(format!("Fix: {fix}"));
            });
        }
    }
}
