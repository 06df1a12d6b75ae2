//! The screen the route names, drawn in the central panel.

use super::bars::cluster_tabs_ui;
use super::{journal, settings};
use crate::model::{Action, ClusterTab, Model, Route, TaskScope};
use crate::ui::services::deploy;
use crate::ui::task_defs::{compare, editor, revision};
use crate::ui::{ViewState, clusters, exec, logs, metrics, services, task_defs, tasks, widgets};
use egui::Ui;
use std::time::SystemTime;

/// Draws the current route's screen.
pub fn screen_ui(
    model: &Model,
    view: &mut ViewState,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    match &model.route {
        Route::Clusters => clusters::clusters_ui(model, &mut view.clusters, ui, actions),
        Route::Cluster { cluster, tab } => {
            cluster_screen_ui(model, view, (cluster, *tab), ui, actions, now)
        }
        Route::Service { cluster, service } => {
            service_page_ui(model, view, (cluster, service), ui, actions, now);
        }
        Route::Task {
            cluster,
            service,
            task,
        } => {
            tasks::task_page_ui(model, cluster, service.as_deref(), task, ui, actions);
        }
        Route::TaskDefinitions => {
            task_defs::families_ui(model, &mut view.task_defs, ui, actions, now);
        }
        Route::Exec { target, service } => {
            let place = (target, service.as_deref());
            exec::exec_page_ui(model, &mut view.exec, &mut view.prefs, place, ui, actions);
        }
        Route::Sessions => exec::sessions::sessions_ui(model, &mut view.exec, ui, actions, now),
        Route::Fleet => crate::ui::fleet::fleet_ui(model, &mut view.fleet, ui, actions, now),
        Route::Settings => {
            let edit = settings::SettingsEdit {
                form: &mut view.settings_form,
                prefs: &mut view.prefs,
                renderer: &view.renderer,
            };
            settings::settings_ui(model, edit, ui, actions);
        }
        Route::Journal => {
            journal::journal_ui(&mut view.journal, ui, &mut view.task_defs.file_requests);
        }
        Route::Deploy {
            cluster,
            service,
            current,
            target,
        } => {
            egui::ScrollArea::vertical().show(ui, |ui| {
                deploy::deploy_ui(
                    model,
                    &mut view.deploy,
                    (cluster, service, current, target),
                    ui,
                    actions,
                );
            });
        }
        Route::DeploymentChanges { deployment, .. } => {
            let views = services::changes::ChangesViews {
                drafts: &view.task_defs,
                compare: &mut view.compare,
            };
            services::changes::deployment_changes_ui(model, views, deployment, ui, actions);
        }
        Route::Metrics(_) | Route::Incident(_) | Route::Logs(_) => {
            observe_screen_ui(model, view, ui, actions, now);
        }
        Route::Family { .. }
        | Route::Revision { .. }
        | Route::Draft { .. }
        | Route::Compare { .. } => {
            task_def_screen_ui(model, view, ui, actions, now);
        }
    }
}

/// A family's revisions, one revision, a draft in the editor, or two revisions compared.
fn task_def_screen_ui(
    model: &Model,
    view: &mut ViewState,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    match &model.route {
        Route::Family { family } => {
            task_defs::revisions_ui(model, &mut view.task_defs, family, ui, actions);
        }
        Route::Revision { arn } => {
            revision::revision_ui(model, &mut view.task_defs, arn, ui, actions, now);
        }
        Route::Draft { id, .. } => {
            editor::editor_ui(model, &mut view.task_defs, id, ui, actions, now);
        }
        Route::Compare { old, new } => {
            compare::compare_ui(
                model,
                &view.task_defs,
                &mut view.compare,
                old,
                new,
                ui,
                actions,
            );
        }
        _ => {}
    }
}

/// Charts, the incident cockpit and the Logs page.
fn observe_screen_ui(
    model: &Model,
    view: &mut ViewState,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    match &model.route {
        Route::Metrics(key) => {
            let metrics = (&mut view.metrics, &view.prefs);
            metrics::metrics_ui(model, metrics, key, ui, actions, now);
            if let Some((target, at_ms)) = view.metrics.open_logs_at.take() {
                logs::history::jump_to(&mut view.logs, at_ms);
                actions.push(Action::Navigate(Route::Logs(target)));
            }
        }
        Route::Incident(key) => incident_screen_ui(model, view, key, ui, actions, now),
        Route::Logs(target) => {
            logs::logs_ui(
                model,
                &mut view.logs,
                &mut view.prefs,
                target,
                ui,
                actions,
                now,
            );
        }
        _ => {}
    }
}

/// The incident cockpit, and the Logs page when it asks for it at a time.
fn incident_screen_ui(
    model: &Model,
    view: &mut ViewState,
    key: &crate::model::incident::timeline::IncidentKey,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let incident = (&mut view.incident, &view.prefs);
    crate::ui::incident::incident_ui(model, incident, key, ui, actions, now);
    if let Some((target, at_ms)) = view.incident.open_logs_at.take() {
        logs::history::jump_to(&mut view.logs, at_ms);
        actions.push(Action::Navigate(Route::Logs(target)));
    }
}

/// A cluster's tabs and the tab chosen: services, tasks or container instances.
fn cluster_screen_ui(
    model: &Model,
    view: &mut ViewState,
    (cluster, tab): (&str, ClusterTab),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    cluster_tabs_ui(model, cluster, tab, ui, actions, now);
    match tab {
        ClusterTab::Services => {
            services::services_ui(model, &mut view.services, cluster, ui, actions)
        }
        ClusterTab::Tasks => {
            let scope = TaskScope::cluster(cluster);
            tasks::tasks_ui(model, &mut view.tasks, &scope, None, ui, actions);
        }
        ClusterTab::Instances => {
            clusters::instances::instances_ui(model, &mut view.instances, cluster, ui)
        }
    }
}

/// A service's page: its header, scaling, rollout and history, then its tasks.
fn service_page_ui(
    model: &Model,
    view: &mut ViewState,
    (cluster, service): (&str, &str),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    services::detail::service_header_ui(model, cluster, service, ui, actions, now);
    let scope = TaskScope::service(cluster, service);
    // A failed refresh (throttling, say) is shown above the last good data.
    if let Some(error) = model.services_of(cluster).error() {
        widgets::error_box_ui(ui, error);
    }
    let found = model
        .services_of(cluster)
        .value()
        .and_then(|list| list.iter().find(|s| s.arn == *service));
    if let Some(found) = found {
        let tasks = model.tasks_of(&scope).value().map(Vec::as_slice);
        services::glance::glance_ui(model, cluster, found, ui, now);
        ui.separator();
        services::actions::scale_ui(model, &mut view.service_actions, found, ui, actions);
        // The rollout sections scroll on their own, so the tasks below always keep room.
        egui::ScrollArea::vertical()
            .id_salt("service-rollout")
            .max_height(ui.available_height() * 0.5)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                services::cockpit::cockpit_ui(model, found, ui, actions, now);
                services::actions::rollout_ui(&mut view.service_actions, found, tasks, ui, now);
                services::history::history_ui(model, found, ui, actions);
                services::deployment_config::deployment_config_ui(model, found, ui, false);
            });
        ui.separator();
    }
    tasks::tasks_ui(
        model,
        &mut view.service_tasks,
        &scope,
        Some(service),
        ui,
        actions,
    );
}
