//! The top of a service page, answering "is it healthy, what happened lately" at a glance:
//! CPU and memory of the last hour, the deployment under way (or the steady one), and the
//! newest service events coloured by what they say — all from data the app already loads.

use crate::model::Model;
use crate::model::ecs::{Deployment, Service, family_revision};
use crate::model::incident::build::event_tone;
use crate::model::time_format::age;
use crate::ui::incident::lanes::tone_color;
use crate::ui::metrics::sparkline::{SparkBatch, sparkline_ui};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};
use std::time::SystemTime;

/// Service events shown at the top of the page (the rest are in the detail below).
pub const GLANCE_EVENTS: usize = 4;
/// Height of the strip, points: a title and four lines.
const GLANCE_HEIGHT: f32 = 96.0;

/// The glance strip of `service` in `cluster`.
pub fn glance_ui(model: &Model, cluster: &str, service: &Service, ui: &mut Ui, now: SystemTime) {
    // A fixed height: the separators between the parts would otherwise take the whole page.
    let size = egui::vec2(ui.available_width(), GLANCE_HEIGHT);
    let layout = egui::Layout::left_to_right(egui::Align::Min);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        ui.set_min_height(GLANCE_HEIGHT);
        ui.vertical(|ui| {
            ui.label(RichText::new("Last hour").small().weak());
            let sparks = model.sparklines_of(cluster).value();
            let pair = sparks.and_then(|s| s.of(&service.arn));
            let batch = SparkBatch::new(ui.ctx());
            ui.horizontal(|ui| {
                ui.label("CPU");
                sparkline_ui(ui, pair.map(|(cpu, _)| cpu), "CPU", &batch);
            });
            ui.horizontal(|ui| {
                ui.label("Memory");
                sparkline_ui(ui, pair.map(|(_, memory)| memory), "Memory", &batch);
            });
            batch.paint();
        });
        ui.separator();
        ui.vertical(|ui| {
            ui.set_max_width(300.0);
            ui.label(RichText::new("Deployment now").small().weak());
            deployment_line_ui(service, ui);
        });
        ui.separator();
        ui.vertical(|ui| {
            ui.label(RichText::new("Latest events").small().weak());
            events_ui(service, ui, now);
        });
    });
}

/// The deployment under way with its counts, or the steady one.
fn deployment_line_ui(service: &Service, ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    let Some(primary) = service.primary_deployment() else {
        ui.label(RichText::new("No deployment reported.").weak());
        return;
    };
    let counts = |d: &Deployment| {
        let mut text = format!("{} of {} running", d.running, d.desired);
        if d.pending > 0 {
            text.push_str(&format!(", {} pending", d.pending));
        }
        if d.failed > 0 {
            text.push_str(&format!(", {} failed", d.failed));
        }
        text
    };
    let revision = family_revision(&primary.task_definition);
    if service.is_changing() {
        let state = primary.rollout_state.as_deref().unwrap_or("IN_PROGRESS");
        let tone = if primary.failed > 0 || state == "FAILED" {
            Tone::Bad
        } else {
            Tone::Busy
        };
        ui.label(RichText::new(format!("{state} → {revision}")).color(tone.color(dark)));
        ui.label(counts(primary));
        for old in service.deployments.iter().filter(|d| d.status != "PRIMARY") {
            let from = family_revision(&old.task_definition);
            ui.label(
                RichText::new(format!("from {from}: {}", counts(old)))
                    .small()
                    .weak(),
            );
        }
        if let Some(reason) = &primary.rollout_state_reason {
            ui.add(egui::Label::new(RichText::new(reason).small().weak()).truncate());
        }
    } else {
        ui.label(RichText::new(format!("Steady on {revision}")).color(Tone::Good.color(dark)));
        ui.label(counts(primary));
    }
}

/// The newest events, each with its age, coloured by what it says.
fn events_ui(service: &Service, ui: &mut Ui, now: SystemTime) {
    if service.events.is_empty() {
        ui.label(RichText::new("No events.").weak());
        return;
    }
    let dark = ui.visuals().dark_mode;
    for event in service.events.iter().take(GLANCE_EVENTS) {
        let when = event
            .created_at
            .map_or_else(|| "-".to_owned(), |t| format!("{} ago", age(t, now)));
        ui.horizontal(|ui| {
            ui.label(RichText::new(when).small().weak());
            let text =
                RichText::new(&event.message).color(tone_color(event_tone(&event.message), dark));
            ui.add(egui::Label::new(text).truncate());
        });
    }
}
