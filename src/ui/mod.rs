//! egui only: one file per screen, plus the design tokens, shared widgets and the table.

mod clusters;
pub mod exec;
pub mod fleet;
pub mod incident;
pub mod logs;
pub mod metrics;
pub mod palette;
mod services;
pub mod shell;
pub mod task_defs;
mod tasks;
pub mod widgets;

use crate::model::{Action, ClusterTab, Model, Route};
use crate::ui::shell::bars::{
    breadcrumb_ui, commands_menu_ui, pop_out_button_ui, section_switch_ui, status_bar_ui,
};
use crate::ui::shell::command::UiCommand;
use crate::ui::shell::connection::ConnectionForm;
use crate::ui::widgets::table::TableState;
use egui::Ui;
use std::time::SystemTime;

pub use crate::ui::widgets::selection::selected_resource;

/// Local, throw-away UI state: filters, sorts, selections, edit buffers.
#[derive(Debug, Default)]
pub struct ViewState {
    /// The cluster list.
    pub clusters: TableState,
    /// A cluster's services.
    pub services: TableState,
    /// A cluster's tasks.
    pub tasks: TableState,
    /// A service's tasks (stopped first, on its page).
    pub service_tasks: TableState,
    /// A cluster's container instances.
    pub instances: TableState,
    /// The connection bar's edit buffers.
    pub connection: ConnectionForm,
    /// The task-definition screens and open drafts.
    pub task_defs: crate::ui::task_defs::state::TaskDefsView,
    /// The comparison screen.
    pub compare: crate::ui::task_defs::compare_state::CompareView,
    /// A service's own controls (scale, rollout).
    pub service_actions: crate::ui::services::actions::ServiceActionsView,
    /// The deploy page.
    pub deploy: crate::ui::services::deploy::DeployView,
    /// The action journal.
    pub journal: crate::ui::shell::journal::JournalView,
    /// The metrics page.
    pub metrics: metrics::MetricsView,
    /// The incident cockpit.
    pub incident: incident::IncidentView,
    /// The logs page.
    pub logs: logs::LogsView,
    /// The exec page and the session terminals.
    pub exec: exec::ExecView,
    /// The fleet screen.
    pub fleet: fleet::FleetView,
    /// The command palette.
    pub palette: palette::PaletteView,
    /// The keyboard shortcuts overlay is open.
    pub shortcuts_open: bool,
    /// Appearance and keys.
    pub prefs: crate::model::workspace::prefs::Prefs,
    /// The settings screen's fields.
    pub settings_form: crate::ui::shell::settings::SettingsForm,
    /// Pop-out windows' own screen state.
    pub popouts: crate::ui::shell::popouts::PopoutViews,
    /// Calls AWS throttled in the last minute (the backend's count, read each frame).
    pub throttled_recently: u32,
    /// A crash report from an earlier run, until dismissed.
    pub crash_notice: Option<crate::ui::shell::crash_banner::CrashNotice>,
    /// The newest crash report offered so far (saved so it is offered once).
    pub crash_report_seen: Option<String>,
    /// What draws the window, and what failed to at start (shown in About).
    pub renderer: crate::model::workspace::renderer::RendererReport,
}

impl ViewState {
    /// The table the current route shows (target of `/` and the arrow keys).
    pub fn table_for(&mut self, route: &Route) -> &mut TableState {
        match route {
            Route::Clusters | Route::Settings => &mut self.clusters,
            Route::Journal => &mut self.journal.table,
            Route::Fleet => &mut self.fleet.table,
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
            | Route::DeploymentChanges { .. }
            | Route::Metrics(_)
            | Route::Incident(_)
            | Route::Logs(_)
            | Route::Exec { .. }
            | Route::Sessions
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
            crate::ui::shell::connection::connection_bar_ui(
                model,
                &mut view.connection,
                ui,
                actions,
            );
        });
        if let Some(error) = &model.credentials_error {
            crate::ui::shell::connection::credentials_banner_ui(model, error, ui, actions);
        }
        crate::ui::shell::crash_banner::crash_banner_ui(view, ui);
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
    crate::ui::shell::pins::pinned_panel_ui(model, ui, actions);
    egui::CentralPanel::default().show(ui, |ui| {
        crate::ui::shell::screen::screen_ui(model, view, ui, actions, now);
    });
    crate::ui::task_defs::dialogs::dialogs_ui(model, &mut view.task_defs, ui, actions);
    crate::ui::shell::confirm_change::confirm_change_ui(model, ui, actions);
    crate::ui::logs::group_dialog::log_group_dialog_ui(&mut view.logs, ui, actions);
    palette::palette_ui(model, &mut view.palette, ui, actions, commands);
    crate::ui::shell::shortcuts::shortcuts_ui(&mut view.shortcuts_open, ui);
    let shared = crate::ui::shell::popouts::Shared {
        drafts: &view.task_defs,
        main_logs: &mut view.logs,
        prefs: &mut view.prefs,
    };
    crate::ui::shell::popouts::popouts_ui(model, &mut view.popouts, shared, ui.ctx(), actions, now);
}
