//! egui only: one file per screen, plus the design tokens, shared widgets and the table.

mod auto_scaling;
mod clusters;
mod compare;
pub mod compare_state;
mod connection;
mod crash_banner;
mod deploy;
mod deployment_history;
mod editor;
pub mod icons;
mod instances;
mod journal;
mod log_export_bar;
mod log_filter_job;
mod log_group_dialog;
mod log_history;
mod log_lines;
mod log_targets_bar;
pub mod logs;
mod metric_controls;
mod metric_plot;
pub mod metrics;
pub mod palette;
mod pins;
pub mod popouts;
mod revision;
mod run_task;
mod selection;
mod service_actions;
mod service_detail;
mod services;
pub mod settings;
mod shell_bars;
mod shortcuts;
pub mod sparkline;
mod stop_task;
pub mod table;
mod task_defs;
mod task_detail;
mod tasks;
mod td_container;
mod td_dialogs;
mod td_fields;
mod td_form;
pub mod td_state;
pub mod theme;
pub mod widgets;

use crate::command::UiCommand;
use crate::model::{Action, ClusterTab, Model, Route, TaskScope};
use connection::ConnectionForm;
use egui::Ui;
use shell_bars::{
    breadcrumb_ui, cluster_tabs_ui, commands_menu_ui, pop_out_button_ui, section_switch_ui,
    status_bar_ui,
};
use std::time::SystemTime;
use table::TableState;

pub use selection::selected_resource;

/// Local, throw-away UI state: filters, sorts, selections, edit buffers.
#[derive(Debug, Default)]
pub struct ViewState {
    /// The cluster list.
    pub clusters: TableState,
    /// A cluster's services.
    pub services: TableState,
    /// A cluster's or service's tasks.
    pub tasks: TableState,
    /// A cluster's container instances.
    pub instances: TableState,
    /// The connection bar's edit buffers.
    pub connection: ConnectionForm,
    /// The task-definition screens and open drafts.
    pub task_defs: td_state::TaskDefsView,
    /// The comparison screen.
    pub compare: compare_state::CompareView,
    /// A service's own controls (scale, rollout).
    pub service_actions: service_actions::ServiceActionsView,
    /// The deploy page.
    pub deploy: deploy::DeployView,
    /// The action journal.
    pub journal: journal::JournalView,
    /// The metrics page.
    pub metrics: metrics::MetricsView,
    /// The logs page.
    pub logs: logs::LogsView,
    /// The command palette.
    pub palette: palette::PaletteView,
    /// The keyboard shortcuts overlay is open.
    pub shortcuts_open: bool,
    /// Appearance and keys.
    pub prefs: crate::model::prefs::Prefs,
    /// The settings screen's fields.
    pub settings_form: settings::SettingsForm,
    /// Pop-out windows' own screen state.
    pub popouts: popouts::PopoutViews,
    /// Calls AWS throttled in the last minute (the backend's count, read each frame).
    pub throttled_recently: u32,
    /// A crash report from an earlier run, until dismissed.
    pub crash_notice: Option<crate::crash_report::CrashNotice>,
    /// The newest crash report offered so far (saved so it is offered once).
    pub crash_report_seen: Option<String>,
}

impl ViewState {
    /// The table the current route shows (target of `/` and the arrow keys).
    pub fn table_for(&mut self, route: &Route) -> &mut TableState {
        match route {
            Route::Clusters | Route::Settings => &mut self.clusters,
            Route::Journal => &mut self.journal.table,
            Route::Cluster {
                tab: ClusterTab::Services,
                ..
            } => &mut self.services,
            Route::Cluster {
                tab: ClusterTab::Instances,
                ..
            } => &mut self.instances,
            Route::Cluster {
                tab: ClusterTab::Tasks,
                ..
            }
            | Route::Service { .. }
            | Route::Deploy { .. }
            | Route::Metrics(_)
            | Route::Logs(_)
            | Route::Task { .. } => &mut self.tasks,
            Route::TaskDefinitions => &mut self.task_defs.families,
            Route::Family { .. }
            | Route::Revision { .. }
            | Route::Draft { .. }
            | Route::Compare { .. } => &mut self.task_defs.revisions,
        }
    }
}

/// The whole window: connection bar, banner, breadcrumb, status bar and the current screen.
pub fn shell_ui(
    model: &Model,
    view: &mut ViewState,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    commands: &mut Vec<UiCommand>,
    now: SystemTime,
) {
    egui::Panel::top("connection").show(ui, |ui| {
        ui.horizontal(|ui| {
            commands_menu_ui(ui, commands);
            connection::connection_bar_ui(model, &mut view.connection, ui, actions);
        });
        if let Some(error) = &model.credentials_error {
            connection::credentials_banner_ui(model, error, ui, actions);
        }
        crash_banner::crash_banner_ui(view, ui);
        task_defs::restore_banner_ui(&mut view.task_defs, ui, actions, now);
        task_defs::notice_ui(&mut view.task_defs, ui);
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            section_switch_ui(model, ui, actions);
            ui.separator();
            breadcrumb_ui(model, ui, actions);
            pop_out_button_ui(model, ui, actions);
        });
    });
    egui::Panel::bottom("status").show(ui, |ui| {
        status_bar_ui(model, view.throttled_recently, ui, actions, now)
    });
    pins::pinned_panel_ui(model, ui, actions);
    egui::CentralPanel::default().show(ui, |ui| match &model.route {
        Route::Clusters => clusters::clusters_ui(model, &mut view.clusters, ui, actions),
        Route::Cluster { cluster, tab } => {
            cluster_tabs_ui(model, cluster, *tab, ui, actions, now);
            match tab {
                ClusterTab::Services => {
                    services::services_ui(model, &mut view.services, cluster, ui, actions)
                }
                ClusterTab::Tasks => {
                    let scope = TaskScope::cluster(cluster);
                    tasks::tasks_ui(model, &mut view.tasks, &scope, None, ui, actions);
                }
                ClusterTab::Instances => {
                    instances::instances_ui(model, &mut view.instances, cluster, ui)
                }
            }
        }
        Route::Service { cluster, service } => {
            service_detail::service_header_ui(model, cluster, service, ui, actions, now);
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
                service_actions::scale_ui(model, &mut view.service_actions, found, ui, actions);
                service_actions::rollout_ui(&mut view.service_actions, found, tasks, ui, now);
                deployment_history::history_ui(model, found, ui, actions);
                ui.separator();
            }
            tasks::tasks_ui(model, &mut view.tasks, &scope, Some(service), ui, actions);
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
        Route::Settings => {
            let edit = settings::SettingsEdit {
                form: &mut view.settings_form,
                prefs: &mut view.prefs,
            };
            settings::settings_ui(model, edit, ui, actions);
        }
        Route::Journal => {
            journal::journal_ui(&mut view.journal, ui, &mut view.task_defs.file_requests);
        }
        Route::Family { family } => {
            task_defs::revisions_ui(model, &mut view.task_defs.revisions, family, ui, actions);
        }
        Route::Revision { arn } => {
            revision::revision_ui(model, &mut view.task_defs, arn, ui, actions, now);
        }
        Route::Draft { id, .. } => {
            editor::editor_ui(model, &mut view.task_defs, id, ui, actions, now);
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
        Route::Metrics(key) => {
            let metrics = (&mut view.metrics, &view.prefs);
            metrics::metrics_ui(model, metrics, key, ui, actions, now);
            if let Some((target, at_ms)) = view.metrics.open_logs_at.take() {
                log_history::jump_to(&mut view.logs, at_ms);
                actions.push(Action::Navigate(Route::Logs(target)));
            }
        }
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
    });
    td_dialogs::dialogs_ui(model, &mut view.task_defs, ui, actions);
    log_group_dialog::log_group_dialog_ui(&mut view.logs, ui, actions);
    palette::palette_ui(model, &mut view.palette, ui, actions, commands);
    shortcuts::shortcuts_ui(&mut view.shortcuts_open, ui);
    let shared = popouts::Shared {
        drafts: &view.task_defs,
        main_logs: &mut view.logs,
        prefs: &mut view.prefs,
    };
    popouts::popouts_ui(model, &mut view.popouts, shared, ui.ctx(), actions, now);
}
