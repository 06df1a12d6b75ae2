//! The fleet's pairs: each profile × region with its account, services and how many need
//! attention, how old its data is — or, for one that failed, the AWS error and its fix.

use crate::model::Model;
use crate::model::fleet::fix::fix_of;
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

/// Services and those needing attention per account and per region: `111…: 7 (5)`.
fn totals_text(load: &FleetLoad, attention: &[usize]) -> String {
    use std::collections::BTreeMap;
    let mut accounts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut regions: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (index, pair) in load.pairs.iter().enumerate() {
        let needing = attention.get(index).copied().unwrap_or(0);
        for (map, key) in [
            (&mut accounts, pair.account().unwrap_or("-")),
            (&mut regions, pair.connection.region.as_str()),
        ] {
            let total = map.entry(key).or_default();
            total.0 += pair.services.len();
            total.1 += needing;
        }
    }
    let line = |map: &BTreeMap<&str, (usize, usize)>| {
        map.iter()
            .filter(|(_, (services, _))| *services > 0)
            .map(|(key, (services, needing))| format!("{key} {services} ({needing})"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    format!(
        "Services (needing attention) by account: {}   by region: {}",
        line(&accounts),
        line(&regions)
    )
}

/// The pairs, in a section of their own.
pub(super) fn pairs_ui(model: &Model, load: &FleetLoad, ui: &mut Ui, now: SystemTime) {
    let title = format!("Accounts and regions ({})", load.pairs.len());
    let attention = attention_per_pair(load);
    egui::CollapsingHeader::new(title)
        .id_salt("fleet-pairs")
        .default_open(true)
        .show(ui, |ui| {
            ui.label(RichText::new(totals_text(load, &attention)).small());
            egui::ScrollArea::vertical()
                .id_salt("fleet-pairs-scroll")
                .max_height(PAIRS_MAX_HEIGHT)
                .show(ui, |ui| {
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
                            for index in 0..load.pairs.len() {
                                let needing = attention.get(index).copied().unwrap_or(0);
                                pair_row_ui(model, load, index, needing, ui, now);
                                ui.end_row();
                            }
                        });
                });
        });
}

fn pair_row_ui(
    model: &Model,
    load: &FleetLoad,
    index: usize,
    attention: usize,
    ui: &mut Ui,
    now: SystemTime,
) {
    let Some(pair) = load.pairs.get(index) else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    let tone = match (&pair.status, attention) {
        (PairStatus::Failed(_), _) => Tone::Bad,
        (PairStatus::Loading, _) => Tone::Busy,
        (PairStatus::SameAs(_), _) => Tone::Muted,
        (PairStatus::Loaded, 0) if pair.warnings.is_empty() => Tone::Good,
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
            ui.vertical(|ui| {
                ui.label(RichText::new(format!("{} ago{calls}", age(when, now))).weak());
                for warning in &pair.warnings {
                    let text = format!("Not read: {warning}");
                    ui.label(RichText::new(text).color(Tone::Warn.color(dark)));
                }
            });
        }
        PairStatus::SameAs(other) => {
            let other = load
                .pairs
                .get(*other)
                .map(PairState::label)
                .unwrap_or_default();
            ui.label(
                RichText::new(format!("same account and region as {other}: shown once")).weak(),
            );
        }
        PairStatus::Failed(error) => {
            let profiles = model.profiles.value().map_or(&[][..], Vec::as_slice);
            let fix = fix_of(load, index, profiles).unwrap_or_default();
            ui.vertical(|ui| {
                ui.label(RichText::new(error.to_string()).color(Tone::Bad.color(dark)));
                ui.label(format!("Fix: {fix}"));
            });
        }
    }
}
