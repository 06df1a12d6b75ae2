//! The connection bar (profile, region, endpoint) and the credentials banner.

use crate::model::connection::profiles::credential_fix;
use crate::model::connection::regions::ECS_REGIONS;
use crate::model::{Action, AwsError, Connection, Model};
use egui::{RichText, Ui};

/// Edit buffers of the connection bar, re-synced whenever the model's connection changes.
#[derive(Debug, Default)]
pub struct ConnectionForm {
    synced: Option<Connection>,
    region: String,
    endpoint: String,
}

impl ConnectionForm {
    fn sync(&mut self, connection: &Connection) {
        if self.synced.as_ref() != Some(connection) {
            self.region = connection.region.clone();
            self.endpoint = connection.endpoint_url.clone().unwrap_or_default();
            self.synced = Some(connection.clone());
        }
    }
}

const DEFAULT_CHAIN: &str = "(default chain)";

/// Profile picker, region picker and endpoint box; each change takes effect at once.
pub fn connection_bar_ui(
    model: &Model,
    form: &mut ConnectionForm,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    form.sync(&model.connection);
    ui.horizontal(|ui| {
        ui.label(RichText::new("ECS Deck").strong());
        ui.separator();
        profile_picker_ui(model, ui, actions);
        region_picker_ui(model, form, ui, actions);
        endpoint_box_ui(model, form, ui, actions);
    });
}

/// The profiles of the AWS config; a profile's own region comes with it.
fn profile_picker_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    let current = &model.connection;
    let profile_label = ui.label("Profile");
    let selected = current.profile.as_deref().unwrap_or(DEFAULT_CHAIN);
    egui::ComboBox::from_id_salt("profile")
        .selected_text(selected)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.profile.is_none(), DEFAULT_CHAIN)
                .clicked()
            {
                actions.push(Action::SetConnection(Connection {
                    profile: None,
                    ..current.clone()
                }));
            }
            for profile in model
                .profiles
                .value()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let chosen = current.profile.as_deref() == Some(profile.name.as_str());
                if ui.selectable_label(chosen, &profile.name).clicked() && !chosen {
                    actions.push(Action::SetConnection(Connection {
                        profile: Some(profile.name.clone()),
                        region: profile
                            .region
                            .clone()
                            .unwrap_or_else(|| current.region.clone()),
                        endpoint_url: current.endpoint_url.clone(),
                    }));
                }
            }
            if ui.button("Reload profiles").clicked() {
                actions.push(Action::ReloadProfiles);
            }
        })
        .response
        .labelled_by(profile_label.id);
    if let Some(error) = model.profiles.error() {
        ui.label(RichText::new("⚠").color(ui.visuals().warn_fg_color))
            .on_hover_text(&error.message);
    }
}

/// The region box (typed, taken on leaving it) and the list of ECS regions.
fn region_picker_ui(
    model: &Model,
    form: &mut ConnectionForm,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let current = &model.connection;
    let region_label = ui.label("Region");
    let region_edit = ui.add(egui::TextEdit::singleline(&mut form.region).desired_width(110.0));
    let region_edit = region_edit.labelled_by(region_label.id);
    egui::ComboBox::from_id_salt("region-list")
        .selected_text("▾")
        .width(20.0)
        .show_ui(ui, |ui| {
            for region in ECS_REGIONS {
                if ui
                    .selectable_label(current.region == *region, *region)
                    .clicked()
                {
                    form.region = (*region).to_owned();
                    actions.push(Action::SetConnection(Connection {
                        region: (*region).to_owned(),
                        ..current.clone()
                    }));
                }
            }
        })
        .response
        .on_hover_text("Pick a region");
    if region_edit.lost_focus() {
        let region = form.region.trim().to_owned();
        if !region.is_empty() && region != current.region {
            actions.push(Action::SetConnection(Connection {
                region,
                ..current.clone()
            }));
        }
    }
}

/// The endpoint box: empty is AWS; taken on leaving it.
fn endpoint_box_ui(
    model: &Model,
    form: &mut ConnectionForm,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let current = &model.connection;
    let endpoint_label = ui.label("Endpoint");
    let endpoint_edit = ui.add(
        egui::TextEdit::singleline(&mut form.endpoint)
            .hint_text("AWS (or http://localhost:4566)")
            .desired_width(200.0),
    );
    let endpoint_edit = endpoint_edit.labelled_by(endpoint_label.id);
    if endpoint_edit.lost_focus() {
        let endpoint = form.endpoint.trim();
        let endpoint_url = (!endpoint.is_empty()).then(|| endpoint.to_owned());
        if endpoint_url != current.endpoint_url {
            actions.push(Action::SetConnection(Connection {
                endpoint_url,
                ..current.clone()
            }));
        }
    }
}

/// What failed and exactly what to run, with Retry.
pub fn credentials_banner_ui(
    model: &Model,
    error: &AwsError,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let profile = model.connection.profile.as_deref();
    let source = model.current_profile().map(|p| p.source);
    let fix = credential_fix(profile, source);
    egui::Frame::new()
        .fill(crate::ui::widgets::theme::banner_fill(
            ui.visuals().dark_mode,
        ))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let who = profile.map_or_else(
                    || "the default credential chain".to_owned(),
                    |p| format!("profile {p}"),
                );
                ui.label(
                    RichText::new(format!("⚠ Credentials for {who} are missing or expired."))
                        .strong(),
                );
                ui.label("To fix:");
                ui.code(&fix);
                if ui
                    .small_button("Copy")
                    .on_hover_text("Copy the command")
                    .clicked()
                {
                    ui.ctx().copy_text(fix.clone());
                }
                if ui
                    .button("Retry")
                    .on_hover_text("Re-read credentials and reload")
                    .clicked()
                {
                    actions.push(Action::Reconnect);
                }
            });
            let detail = if error.code.is_empty() {
                error.message.clone()
            } else {
                format!("{}: {}", error.code, error.message)
            };
            ui.label(RichText::new(detail).small().weak());
        });
}
