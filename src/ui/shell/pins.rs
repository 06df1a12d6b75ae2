//! The "Pinned" sidebar: services pinned from any cluster or profile, with live counts for the
//! ones of the current connection; and the pin button on a service's page.

use crate::model::ecs::Service;
use crate::model::workspace::pins::{Pin, PinHealth};
use crate::model::{Action, Model, Route};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// ☆ Pin / ★ Pinned on a service's page.
pub fn pin_button_ui(model: &Model, service: &Service, ui: &mut Ui, actions: &mut Vec<Action>) {
    let pin = Pin::of(service, &model.connection);
    let pinned = model
        .pins
        .iter()
        .any(|p| crate::model::workspace::pins::same(p, &pin));
    let (text, hint) = if pinned {
        ("★ Pinned", "Take it off the Pinned list")
    } else {
        (
            "☆ Pin",
            "Keep it in the Pinned list, with its live counts, across clusters and restarts",
        )
    };
    if ui.button(text).on_hover_text(hint).clicked() {
        actions.push(if pinned {
            Action::Unpin(pin)
        } else {
            Action::Pin(pin)
        });
    }
}

/// The sidebar, when anything is pinned.
pub fn pinned_panel_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    if model.pins.is_empty() {
        return;
    }
    egui::Panel::left("pinned")
        .resizable(true)
        .default_size(200.0)
        .show(ui, |ui| {
            ui.label(RichText::new("Pinned").strong());
            egui::ScrollArea::vertical().show(ui, |ui| {
                for pin in &model.pins {
                    pin_row_ui(model, pin, ui, actions);
                }
            });
        });
}

fn pin_row_ui(model: &Model, pin: &Pin, ui: &mut Ui, actions: &mut Vec<Action>) {
    let here = pin.connection == model.connection.without_secrets();
    let dark = ui.visuals().dark_mode;
    let service = here
        .then(|| model.services_of(&pin.cluster).value())
        .flatten()
        .and_then(|list| list.iter().find(|s| s.arn == pin.service));
    let status = crate::model::workspace::pins::status(service);
    let tone = match status.health {
        _ if !here => Tone::Muted,
        PinHealth::Steady => Tone::Good,
        PinHealth::Changing => Tone::Busy,
        PinHealth::Short => Tone::Bad,
        PinHealth::Unknown => Tone::Muted,
    };
    let counts = match status.counts {
        Some((running, desired)) => format!("{running}/{desired}"),
        None if here => "…".to_owned(),
        None => String::new(),
    };
    let place = if here {
        pin.cluster_name().to_owned()
    } else {
        let profile = pin.connection.profile.as_deref().unwrap_or("default");
        format!(
            "{} · {profile} · {}",
            pin.cluster_name(),
            pin.connection.region
        )
    };
    let hint = if here {
        format!(
            "{} in {}: running/desired tasks",
            pin.name,
            pin.cluster_name()
        )
    } else {
        format!("Switches to profile {place} and opens it")
    };
    let response = ui
        .horizontal(|ui| {
            ui.label(RichText::new(tone.glyph()).color(tone.color(dark)));
            let clicked = ui
                .selectable_label(false, format!("{} {counts}", pin.name))
                .on_hover_text(hint)
                .clicked();
            ui.label(RichText::new(place).small().weak());
            clicked
        })
        .inner;
    if response {
        if !here {
            actions.push(Action::SetConnection(pin.connection.clone()));
        }
        actions.push(Action::Navigate(Route::Service {
            cluster: pin.cluster.clone(),
            service: pin.service.clone(),
        }));
    }
}
