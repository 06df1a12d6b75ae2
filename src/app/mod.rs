//! `eframe::App`: drain worker events → reduce → draw the shell → apply actions; save settings.

pub mod console;
pub mod crash_report;
mod drafts;
mod fleet_window;
pub mod log;
mod message_box;
pub mod notifications;
pub mod notifier;
pub mod settings;
mod start_window;
mod startup;

pub use start_window::run_gui;

use crate::app::settings::{STORAGE_KEY, Settings};
use crate::jobs::drafts::DraftStore;
use crate::model::workspace::prefs::{ThemeChoice, UI_SCALE_MAX, UI_SCALE_MIN};
use crate::model::{Action, Model, Msg, WorkerCommand, reduce};
use crate::ui::shell::command::UiCommand;
use crate::ui::{self, ViewState};
use crate::worker::{Backend, Worker};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use startup::StartupReport;

/// How often the screen is redrawn with no input, so ages and auto-refresh stay current.
const IDLE_REPAINT: Duration = Duration::from_secs(1);

/// What the command line says for this start, over the saved settings.
#[derive(Clone, Debug, Default)]
pub struct StartOverrides {
    /// Profile to use.
    pub profile: Option<String>,
    /// Region to use.
    pub region: Option<String>,
    /// Endpoint to use.
    pub endpoint_url: Option<String>,
    /// `--read-only`: refuse every change this run, whatever else says (not saved).
    pub read_only: bool,
    /// Lines a log tail keeps.
    pub log_buffer_lines: Option<usize>,
    /// The session-manager-plugin for this run (the demo's emulator plugin; not saved).
    pub session_manager_plugin: Option<String>,
    /// Start on this (cluster ARN, service ARN): a fleet row opened in a window of its own.
    pub open_service: Option<(String, String)>,
    /// Save no settings this run (that window's connection is not the user's choice).
    pub transient: bool,
}

impl StartOverrides {
    /// The saved settings with these flags put over them.
    fn apply_to(&self, settings: &mut Settings) {
        let connection = &mut settings.connection;
        if self.profile.is_some() {
            connection.profile.clone_from(&self.profile);
        }
        if let Some(region) = &self.region {
            connection.region.clone_from(region);
        }
        if self.endpoint_url.is_some() {
            connection.endpoint_url.clone_from(&self.endpoint_url);
        }
        if let Some(lines) = self.log_buffer_lines {
            settings.policy.log_buffer_lines = lines;
        }
        if self.session_manager_plugin.is_some() {
            settings
                .policy
                .session_manager_plugin
                .clone_from(&self.session_manager_plugin);
        }
    }
}

/// The desktop app.
pub struct App {
    model: Model,
    view: ViewState,
    backend: Box<dyn Backend>,
    clock: Option<SystemTime>,
    startup: Option<StartupReport>,
    started: bool,
    drafts: Option<DraftStore>,
    handled_outcome: Option<crate::model::RequestId>,
    /// Where settings are saved; None keeps them in eframe's storage.
    settings_path: Option<std::path::PathBuf>,
    /// The settings text last handed to the file thread (unchanged settings are not written).
    saved_settings: Option<String>,
    /// The change rules the worker's AWS clients enforce, as last sent.
    sent_rules: Option<crate::model::changes::policy::ChangeRules>,
    /// The renderer the settings named at start (kept when this run's is not known).
    saved_renderer: Option<crate::model::workspace::renderer::Renderer>,
    /// `--session-manager-plugin` of this run and the saved path it stands in for: the run's
    /// path is never saved over the user's.
    plugin_override: Option<(String, Option<String>)>,
    /// This run saves no settings (`--transient`: a fleet row's window).
    transient: bool,
    /// Fleet windows that could not be opened, reported by the thread that starts them.
    window_errors: fleet_window::WindowErrors,
    /// The stopped-task recorder's ledger: what is on disk, what is to be written.
    recorder: crate::model::incident::recorder::Recorder,
    /// Desktop notifications of pinned services.
    notifications: notifications::Notifications,
}

impl App {
    /// The real app: settings from eframe storage, overridden by command-line flags; a worker thread.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        overrides: &StartOverrides,
    ) -> std::io::Result<Self> {
        Self::new_in(cc, overrides, crate::jobs::settings_file::default_path())
    }

    /// The real app with its settings in `settings_path` (tests point it at a temporary
    /// directory); settings still only in eframe's storage (older versions) are read once.
    pub fn new_in(
        cc: &eframe::CreationContext<'_>,
        overrides: &StartOverrides,
        settings_path: Option<std::path::PathBuf>,
    ) -> std::io::Result<Self> {
        let stored = cc.storage.and_then(|s| s.get_string(STORAGE_KEY));
        let (mut settings, unreadable) =
            crate::app::settings::load(settings_path.as_deref(), stored.as_deref());
        let saved_plugin = settings.policy.session_manager_plugin.clone();
        overrides.apply_to(&mut settings);
        settings.prefs.system_dirs = startup::system_dirs();
        let ctx = cc.egui_ctx.clone();
        let worker = Worker::spawn(Arc::new(move || ctx.request_repaint()))?;
        let crash_notice = crate::app::crash_report::default_dir().and_then(|dir| {
            crate::app::crash_report::newest_unseen(&dir, settings.crash_report_seen.as_deref())
        });
        let mut app =
            Self::with_backend(settings, Box::new(worker)).with_crash_notice(crash_notice);
        let ctx = cc.egui_ctx.clone();
        let desktop = notifier::DesktopNotifier::new(
            app.notifications.clicks(),
            Arc::new(move || ctx.request_repaint()),
        );
        app.notifications.set_notifier(Box::new(desktop));
        app.settings_path = settings_path;
        app.plugin_override = overrides
            .session_manager_plugin
            .clone()
            .map(|path| (path, saved_plugin));
        app.model.change_rules.forced_read_only = overrides.read_only;
        app.transient = overrides.transient;
        if let Some((cluster, service)) = overrides.open_service.clone() {
            app.model.route = crate::model::Route::Service { cluster, service };
        }
        app = app.with_unreadable_settings(unreadable);
        // The profile the SDK falls back to: read once here, so tests (which build the app
        // with `with_backend`) never depend on the caller's environment.
        app.model.change_rules.env_profile = crate::aws::config::env_profile();
        app.sync_change_rules();
        match crate::jobs::drafts::default_dir() {
            Some(dir) => {
                let ctx = cc.egui_ctx.clone();
                app = app.with_drafts(DraftStore::spawn(
                    dir,
                    Arc::new(move || ctx.request_repaint()),
                )?);
            }
            None => {
                app.view.task_defs.notice = Some((
                    true,
                    "No data directory found: task-definition drafts will not be saved to disk."
                        .to_owned(),
                ));
            }
        }
        Ok(app)
    }

    /// Saves drafts through `store` and offers the drafts it finds; reads the stopped tasks
    /// recorded earlier.
    pub fn with_drafts(mut self, store: DraftStore) -> Self {
        store.load_stopped(self.model.policy.stopped_task_recorder);
        self.drafts = Some(store);
        self
    }

    /// Starts read-only because the saved settings could not be read (`why`), if so.
    pub fn with_unreadable_settings(mut self, why: Option<String>) -> Self {
        self.model.change_rules.settings_unreadable = why;
        self.sync_change_rules();
        self
    }

    /// Offers `notice` (a crash report from an earlier run) until the user dismisses it.
    pub fn with_crash_notice(
        mut self,
        notice: Option<crate::ui::shell::crash_banner::CrashNotice>,
    ) -> Self {
        if let Some(notice) = &notice {
            self.view.crash_report_seen = Some(notice.name.clone());
        }
        self.view.crash_notice = notice;
        self
    }

    /// Shows notifications through `notifier` (tests record them).
    pub fn with_notifier(mut self, notifier: Box<dyn notifier::Notifier>) -> Self {
        self.notifications.set_notifier(notifier);
        self
    }

    /// Where a click on a notification is sent (the desktop notifier sends it there).
    pub fn notification_clicks(
        &self,
    ) -> std::sync::mpsc::Sender<crate::model::incident::notify::Notice> {
        self.notifications.clicks()
    }

    /// An app over any backend (tests use a recording one).
    pub fn with_backend(settings: Settings, backend: Box<dyn Backend>) -> Self {
        let mut model = Model::with_policy(settings.connection.clone(), settings.policy.clone());
        model.change_rules.saved_read_only = settings.read_only;
        model.pins = settings.pins.clone();
        model.fleets = settings.fleets.clone();
        model.popouts =
            crate::model::workspace::popouts::of_connection(&settings.popouts, &model.connection);
        let mut view = ViewState::default();
        view.palette.recent = settings.recent.clone();
        view.prefs = settings.prefs.clone().checked();
        view.crash_report_seen = settings.crash_report_seen.clone();
        Self {
            model,
            view,
            backend,
            clock: None,
            startup: None,
            started: false,
            drafts: None,
            handled_outcome: None,
            settings_path: None,
            saved_settings: None,
            sent_rules: None,
            saved_renderer: settings.renderer,
            plugin_override: None,
            transient: false,
            window_errors: Default::default(),
            recorder: Default::default(),
            notifications: Default::default(),
        }
        .with_rules_sent()
    }

    fn with_rules_sent(mut self) -> Self {
        self.sync_change_rules();
        self
    }

    /// Hands the change rules to the worker's AWS clients when they changed: the AWS layer
    /// refuses by the same rules the model shows.
    fn sync_change_rules(&mut self) {
        if self.sent_rules.as_ref() != Some(&self.model.change_rules) {
            self.backend
                .set_change_rules(self.model.change_rules.clone());
            self.sent_rules = Some(self.model.change_rules.clone());
        }
    }

    /// The local UI state (tests inspect open drafts).
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The local UI state, for tests that set what a user would type (a file path).
    pub fn view_mut(&mut self) -> &mut ViewState {
        &mut self.view
    }

    /// The model (read-only), for tests and benchmarks.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Freezes the clock (tests and snapshots show stable ages).
    pub fn set_clock(&mut self, now: SystemTime) {
        self.clock = Some(now);
    }

    /// The settings as they would be saved now.
    pub fn current_settings(&self) -> Settings {
        let mut policy = self.model.policy.clone();
        if let Some((run_path, saved)) = &self.plugin_override
            && policy.session_manager_plugin.as_deref() == Some(run_path.as_str())
        {
            policy.session_manager_plugin.clone_from(saved);
        }
        Settings {
            connection: self.model.connection.clone(),
            policy,
            // Only the user's own choice is kept; a profile's rule applies again next time.
            // Settings that could not be read stay read-only until the user says otherwise.
            read_only: self.model.change_rules.saved_read_only
                || (self.model.change_rules.settings_unreadable.is_some()
                    && !self.model.change_rules.read_write),
            recent: self.view.palette.recent.clone(),
            prefs: self.view.prefs.clone(),
            pins: self.model.pins.clone(),
            popouts: self.model.popouts.clone(),
            crash_report_seen: self.view.crash_report_seen.clone(),
            renderer: self.view.renderer.renderer.or(self.saved_renderer),
            fleets: self.model.fleets.clone(),
        }
    }

    /// What draws this run's window (shown in About and the start-up report, saved so the
    /// next start tries it first).
    pub fn set_renderer(&mut self, report: crate::model::workspace::renderer::RendererReport) {
        self.view.renderer = report;
    }

    fn now(&self) -> SystemTime {
        self.clock.unwrap_or_else(SystemTime::now)
    }

    /// Types `text` into the fleet screen's search (benchmarks and tests).
    pub fn set_fleet_search(&mut self, text: &str) {
        text.clone_into(&mut self.view.fleet.table.filter);
    }

    /// Applies one action through `reduce` and sends what it asks for.
    pub fn apply(&mut self, action: Action) {
        if let Action::OpenFleetServiceWindow { pair, service } = action {
            self.open_fleet_window(pair, service);
            return;
        }
        if let Action::Navigate(route) = &action
            && let Some(key) = crate::ui::palette::index::route_key(route)
        {
            crate::ui::palette::index::remember(&mut self.view.palette.recent, &key);
        }
        let now = self.now();
        let commands = reduce(&mut self.model, Msg::Action(action), now);
        // Before any command goes out: the worker enforces the rules now in force.
        self.sync_change_rules();
        self.send(commands);
    }

    fn send(&self, commands: Vec<WorkerCommand>) {
        for command in commands {
            self.backend.send(command);
        }
    }

    fn drain_events(&mut self) {
        let now = self.now();
        while let Some(event) = self.backend.try_recv() {
            self.observe_stopped_tasks(&event, now);
            let commands = reduce(&mut self.model, Msg::Event(event), now);
            self.send(commands);
        }
        let fresh = self.recorder.take_to_write();
        if let (false, Some(store)) = (fresh.is_empty(), &self.drafts) {
            store.record_stopped(fresh.clone());
            self.apply(Action::StoppedTasksRecorded(fresh));
        }
    }

    /// Stopped tasks in an answer of this connection go to the recorder (when there is a
    /// data directory to record them in).
    fn observe_stopped_tasks(&mut self, event: &crate::model::Event, now: SystemTime) {
        if self.drafts.is_none() || event.generation != self.model.generation {
            return;
        }
        if let crate::model::messages::Response::Tasks(Ok(tasks)) = &event.response {
            self.recorder.observe(tasks, &self.model.connection, now);
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<UiCommand>) {
        // A dialog open on top takes plain keys (Escape closes it rather than going up).
        let modal_open = ctx.memory(|m| m.top_modal_layer().is_some());
        // A terminal in focus gets every key, as a terminal window would (click elsewhere to
        // use the app's shortcuts).
        let terminal_id = egui::Id::unique(crate::ui::exec::terminal::TERMINAL_FOCUS);
        if ctx
            .data_mut(|d| d.remove_temp::<bool>(terminal_id))
            .unwrap_or(false)
        {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input()
            || modal_open
            || self.view.table_for(&self.model.route).filter_had_focus;
        // egui matches Ctrl+R on Ctrl+Shift+R too: try the combinations with more keys first.
        let mut by_specificity: Vec<UiCommand> = UiCommand::all().collect();
        by_specificity.sort_by_key(|c| std::cmp::Reverse(c.modifier_count()));
        for command in by_specificity {
            if (typing && command.yields_to_text_input()) || command.keys_handled_by_egui() {
                continue;
            }
            let fired = command
                .shortcuts()
                .iter()
                .any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut)));
            if fired {
                commands.push(command);
            }
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, command: UiCommand, actions: &mut Vec<Action>) {
        match command {
            UiCommand::Refresh => actions.push(Action::Refresh),
            UiCommand::GoUp => {
                if let Some(parent) = self.model.route.parent() {
                    actions.push(Action::Navigate(parent));
                }
            }
            UiCommand::ToggleAutoRefresh => {
                actions.push(Action::SetAutoRefresh(!self.model.policy.auto_refresh))
            }
            UiCommand::FocusFilter => self.view.table_for(&self.model.route).focus_filter = true,
            UiCommand::CopyArn => {
                if let Some((arn, _)) = ui::selected_resource(&self.model, &self.view) {
                    ctx.copy_text(arn);
                }
            }
            UiCommand::OpenJournal => {
                actions.push(Action::Navigate(crate::model::Route::Journal));
            }
            UiCommand::TailLogGroup => {
                self.view.logs.group_dialog = Some(Default::default());
            }
            UiCommand::OpenPalette => self.view.palette.open(),
            UiCommand::ShowShortcuts => self.view.shortcuts_open = true,
            UiCommand::ThemeDark => self.set_theme(ctx, ThemeChoice::Dark),
            UiCommand::ThemeLight => self.set_theme(ctx, ThemeChoice::Light),
            UiCommand::ThemeSystem => self.set_theme(ctx, ThemeChoice::System),
            UiCommand::ZoomIn => egui::gui_zoom::zoom_in(ctx),
            UiCommand::ZoomOut => egui::gui_zoom::zoom_out(ctx),
            UiCommand::ZoomReset => ctx.set_zoom_factor(1.0),
            UiCommand::ToggleVimKeys => {
                self.view.prefs.vim_keys = !self.view.prefs.vim_keys;
                crate::ui::widgets::table::set_vim_keys(ctx, self.view.prefs.vim_keys);
            }
            UiCommand::OpenSettings => {
                actions.push(Action::Navigate(crate::model::Route::Settings));
            }
            UiCommand::PopOut => {
                if crate::model::workspace::popouts::can_pop_out(&self.model.route) {
                    actions.push(Action::PopOut(self.model.route.clone()));
                }
            }
            UiCommand::OpenInConsole => {
                if let Some((_, url)) = ui::selected_resource(&self.model, &self.view) {
                    ctx.open_url(egui::OpenUrl::new_tab(url));
                }
            }
        }
    }

    fn set_theme(&mut self, ctx: &egui::Context, theme: ThemeChoice) {
        self.view.prefs.theme = theme;
        ctx.set_theme(crate::ui::shell::settings::theme_preference(theme));
    }
}

impl App {
    /// One frame: drain events, handle keys, draw, apply actions. `eframe::App::ui` calls this;
    /// benchmarks call it directly with `Context::run_ui`.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.started {
            // On the first frame, not in the constructor: tests set the clock in between.
            self.started = true;
            crate::ui::widgets::theme::install_fonts(&ctx);
            crate::ui::shell::settings::apply_prefs(&self.view.prefs, &ctx);
            self.apply(Action::Start);
        }
        self.drain_events();
        self.drain_window_errors();
        self.view.throttled_recently = self.backend.throttled_recently();
        self.apply_outcome();
        let mut file_actions = Vec::new();
        self.drain_file_events(&mut file_actions);
        for action in file_actions {
            self.apply(action);
        }
        let mut commands = Vec::new();
        self.shortcuts(&ctx, &mut commands);
        let mut actions = Vec::new();
        for command in commands.drain(..) {
            self.run_command(&ctx, command, &mut actions);
        }
        let now = self.now();
        ui::shell_ui(
            &self.model,
            &mut self.view,
            ui,
            &mut actions,
            &mut commands,
            now,
        );
        for command in commands {
            self.run_command(&ctx, command, &mut actions);
        }
        // A Columns menu changed what a table shows: kept in the settings.
        if let Some(hidden) =
            crate::ui::widgets::table::columns_menu::take_hidden_columns_change(&ctx)
        {
            self.view.prefs.hidden_columns = hidden;
        }
        for action in actions {
            self.apply(action);
        }
        self.apply(Action::Tick);
        self.apply_outcome();
        self.notifications.tick(&self.model, now);
        if let Some(route) = self.notifications.clicked(&self.model) {
            self.apply(Action::Navigate(route));
        }
        self.run_file_work(&ctx);
        self.report_startup(&ctx);
        // Zoom changes through egui's own keys too: remember what is in effect.
        let percent = (ctx.zoom_factor() * 100.0).round() as u32;
        self.view.prefs.ui_scale_percent = percent.clamp(UI_SCALE_MIN, UI_SCALE_MAX);
        if self.view.prefs.ui_scale_percent != percent {
            ctx.set_zoom_factor(self.view.prefs.ui_scale_percent as f32 / 100.0);
        }
        ctx.request_repaint_after(IDLE_REPAINT);
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.transient {
            return;
        }
        let text = self.current_settings().to_json();
        let Some(path) = self.settings_path.clone() else {
            storage.set_string(STORAGE_KEY, text);
            return;
        };
        if self.saved_settings.as_ref() == Some(&text) {
            return;
        }
        match &self.drafts {
            Some(store) => store.write_settings(path, text.clone()),
            None => {
                if let Err(e) = crate::jobs::settings_file::write(&path, &text) {
                    ::log::error!("cannot save the settings to {}: {e}", path.display());
                }
            }
        }
        self.saved_settings = Some(text);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Nothing keeps running unseen: every shell and forward is asked to end (the plugin
        // stopped, the SSM session terminated while the worker still runs).
        for session in &self.model.sessions.list {
            session.close();
        }
        // Edits typed since the last save go now; then the file thread finishes what it was
        // given (draft edits, journal lines, settings) before the process ends.
        self.save_dirty_drafts_now();
        if let Some(store) = self.drafts.as_mut() {
            store.shut_down();
        }
    }
}
