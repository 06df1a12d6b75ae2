//! The shell's bars: the command menu, sections and breadcrumb, a cluster's tabs, the pop-out
//! button and the status bar.

use super::command::UiCommand;
use crate::model::{Action, ClusterTab, Model, Route};
use crate::ui::widgets::theme::Tone;
use crate::ui::{metrics, widgets};
use egui::{RichText, Ui};
use std::time::SystemTime;

pub(crate) fn cluster_tabs_ui(
    model: &Model,
    cluster: &str,
    current: ClusterTab,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.horizontal(|ui| {
        for tab in ClusterTab::ALL {
            if ui.selectable_label(tab == current, tab.label()).clicked() && tab != current {
                actions.push(Action::Navigate(Route::Cluster {
                    cluster: cluster.to_owned(),
                    tab,
                }));
            }
        }
        ui.separator();
        if ui
            .button((
                crate::ui::widgets::icons::atom(crate::ui::widgets::icons::ResourceIcon::Chart),
                "Metrics",
            ))
            .on_hover_text("CPU and memory of the cluster (and Container Insights, when on)")
            .clicked()
        {
            let scope = crate::model::metrics::charts::MetricsScope::Cluster {
                cluster: cluster.to_owned(),
            };
            actions.push(Action::Navigate(metrics::metrics_route(model, scope, now)));
        }
        if ui
            .button("Incident")
            .on_hover_text("One timeline of the cluster's most recently changed services")
            .clicked()
        {
            actions.push(Action::Navigate(Route::Incident(
                crate::model::incident::timeline::IncidentKey {
                    cluster: cluster.to_owned(),
                    services: Vec::new(),
                    range: crate::model::metrics::MetricRange::Last(3 * 3_600),
                },
            )));
        }
    });
    ui.separator();
}

/// "Pop out" on the screens that can have a window of their own.
pub(crate) fn pop_out_button_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    if !crate::model::workspace::popouts::can_pop_out(&model.route) {
        return;
    }
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        let hint = UiCommand::PopOut.tooltip(ui.ctx());
        if ui.button("🗗 Pop out").on_hover_text(hint).clicked() {
            actions.push(Action::PopOut(model.route.clone()));
        }
    });
}

/// Clusters or task definitions: the two top-level sections. Like any tab, each goes to its
/// section's home from any depth (the Clusters tab inside a cluster lists the clusters).
pub(crate) fn section_switch_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    let in_task_defs = model.route.is_task_definitions();
    let in_sessions = model.route == Route::Sessions;
    let in_fleet = model.route == Route::Fleet;
    if ui
        .selectable_label(!in_task_defs && !in_sessions && !in_fleet, "Clusters")
        .clicked()
        && model.route != Route::Clusters
    {
        actions.push(Action::Navigate(Route::Clusters));
    }
    if ui
        .selectable_label(in_task_defs, "Task definitions")
        .clicked()
        && model.route != Route::TaskDefinitions
    {
        actions.push(Action::Navigate(Route::TaskDefinitions));
    }
    // Every profile × region of a fleet at once.
    if ui
        .selectable_label(in_fleet, "Fleet")
        .on_hover_text("Every account and region of a fleet: what needs attention first")
        .clicked()
        && !in_fleet
    {
        actions.push(Action::OpenFleet(None));
    }
    // Sessions appear once one was opened: exec terminals and port forwards.
    if !model.sessions.list.is_empty() {
        let label = format!("Sessions ({} live)", model.sessions.live());
        if ui.selectable_label(in_sessions, label).clicked() && !in_sessions {
            actions.push(Action::Navigate(Route::Sessions));
        }
    }
}

pub(crate) fn breadcrumb_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let profile = model
            .connection
            .profile
            .as_deref()
            .unwrap_or("default chain");
        ui.label(RichText::new(profile).weak());
        ui.label(RichText::new("›").weak());
        let at_root = model.route == Route::Clusters;
        if ui
            .selectable_label(at_root, &model.connection.region)
            .on_hover_text("All clusters")
            .clicked()
            && !at_root
        {
            actions.push(Action::Navigate(Route::Clusters));
        }
        for (label, route) in model.route.crumbs() {
            ui.label(RichText::new("›").weak());
            let here = route == model.route;
            let crumb = match crate::ui::widgets::icons::route_atom(&route) {
                Some(icon) => egui::Button::selectable(here, (icon, label)),
                None => egui::Button::selectable(here, label),
            };
            if ui.add(crumb).clicked() && !here {
                actions.push(Action::Navigate(route));
            }
        }
    });
}

pub(crate) fn status_bar_ui(
    model: &Model,
    throttled_recently: u32,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.horizontal(|ui| {
        health_ui(model, throttled_recently, ui);
        let (fetched_at, pending) = model.visible_freshness();
        if ui
            .button("⟳ Refresh")
            .on_hover_text(crate::ui::shell::command::UiCommand::Refresh.tooltip(ui.ctx()))
            .clicked()
        {
            actions.push(Action::Refresh);
        }
        if matches!(model.route, Route::Draft { .. }) {
            // A draft is not AWS data: it has no age, only its save state (in the header).
            ui.label(RichText::new("local draft").small().weak());
        } else {
            widgets::freshness_ui(ui, fetched_at, pending, now);
        }
        ui.separator();
        let mut auto = model.policy.auto_refresh;
        if ui.checkbox(&mut auto, "Auto-refresh").changed() {
            actions.push(Action::SetAutoRefresh(auto));
        }
        let mut secs = model.policy.refresh_interval_secs;
        let drag = ui.add(egui::DragValue::new(&mut secs).range(5..=3600).suffix(" s"));
        let drag = drag.on_hover_text("Auto-refresh interval");
        if drag.changed() {
            actions.push(Action::SetRefreshInterval(secs));
        }
        ui.separator();
        ui.label(
            RichText::new(format!("Source: {}", model.connection.source_label()))
                .small()
                .weak(),
        );
        ui.separator();
        read_only_toggle_ui(model, "Read-only", ui, actions);
        if let Some(why) = &model.write_error {
            let label = toned_label_ui(ui, "Not saved", Tone::Bad)
                .on_hover_text(format!("{why}\nClick to dismiss."))
                .interact(egui::Sense::click());
            if label.clicked() {
                actions.push(Action::WriteFailed(None));
            }
        }
        if let Some(why) = &model.change_rules.settings_unreadable {
            toned_label_ui(ui, "Settings unreadable", Tone::Bad).on_hover_text(format!(
                "{why}\nStarted read-only: the saved read-only rules are unknown. The file was \
                 kept beside the new one."
            ));
        }
        if model.in_flight_count() > 0 {
            ui.spinner();
        }
    });
}

/// The read-only switch: on at once; off asks first (a confirmation naming the profile);
/// fixed on when the app was started with `--read-only`. Its hover says which rule holds.
pub(crate) fn read_only_toggle_ui(
    model: &Model,
    label: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let refusal = model.refusal();
    let mut read_only = refusal.is_some();
    let hint = refusal.as_ref().map_or_else(
        || "Refuse every change to AWS (register, deregister, deploy, scale, stop)".to_owned(),
        |r| capitalise_first(&r.to_string()),
    );
    let can_switch = refusal.as_ref().is_none_or(|r| r.can_override());
    let toggle = ui.add_enabled(can_switch, egui::Checkbox::new(&mut read_only, label));
    let toggle = toggle.on_hover_text(&hint).on_disabled_hover_text(&hint);
    if toggle.changed() {
        actions.push(Action::SetReadOnly(read_only));
    }
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Offline (no answer from the endpoint) and throttling (calls AWS asked to slow down, which
/// the SDK retried), when either holds; nothing otherwise.
fn health_ui(model: &Model, throttled_recently: u32, ui: &mut Ui) {
    if let Some((since, error)) = &model.offline {
        let text = format!(
            "Offline since {}",
            crate::model::time_format::short_utc(*since)
        );
        toned_label_ui(ui, &text, Tone::Bad).on_hover_text(format!(
            "{error}\nThe last data fetched stays on screen; auto-refresh and ⟳ try again."
        ));
        ui.separator();
    }
    if throttled_recently > 0 {
        let text = format!("AWS throttling: {throttled_recently} retried in the last minute");
        toned_label_ui(ui, &text, Tone::Warn).on_hover_text(format!(
            "AWS asked ECS Deck to slow down; each call is retried with adaptive backoff (up \
             to {} attempts), so data may arrive late.",
            crate::model::error::MAX_ATTEMPTS
        ));
        ui.separator();
    }
}

fn toned_label_ui(ui: &mut Ui, text: &str, tone: Tone) -> egui::Response {
    let color = tone.color(ui.visuals().dark_mode);
    ui.label(RichText::new(format!("{} {text}", tone.glyph())).color(color))
}

/// The menu of every command with its shortcut.
pub(crate) fn commands_menu_ui(ui: &mut Ui, commands: &mut Vec<UiCommand>) {
    ui.menu_button("☰", |ui| {
        for command in UiCommand::all() {
            let shortcut = command
                .shortcuts()
                .first()
                .map(|s| crate::ui::shell::command::key_text(ui.ctx(), s))
                .unwrap_or_default();
            if ui
                .add(egui::Button::new(command.label()).shortcut_text(shortcut))
                .clicked()
            {
                commands.push(command);
                ui.close();
            }
        }
    });
}
