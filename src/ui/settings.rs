//! The Settings screen: refresh, read-only rules, logs, appearance and the endpoint, each
//! applied at once and saved with the app's state; "Reset to defaults".

use crate::model::{Action, Connection, Model};
use crate::settings::{Settings, ThemeChoice, UI_SCALE_MAX, UI_SCALE_MIN};
use egui::{RichText, Ui};

/// Fewest and most lines a log tail may keep.
const LOG_LINES_RANGE: std::ops::RangeInclusive<usize> = 10_000..=10_000_000;

/// Appearance and keys: applied to egui, saved in the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    /// Colour theme.
    pub theme: ThemeChoice,
    /// Zoom, in percent.
    pub ui_scale_percent: u32,
    /// j and k move in lists.
    pub vim_keys: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            ui_scale_percent: 100,
            vim_keys: false,
        }
    }
}

impl Prefs {
    /// The preferences `settings` hold (zoom held within its bounds).
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            theme: settings.theme,
            ui_scale_percent: settings.ui_scale_percent.clamp(UI_SCALE_MIN, UI_SCALE_MAX),
            vim_keys: settings.vim_keys,
        }
    }

    /// Puts them into effect.
    pub fn apply(&self, ctx: &egui::Context) {
        ctx.set_theme(self.theme.preference());
        ctx.set_zoom_factor(self.ui_scale_percent as f32 / 100.0);
        super::table::set_vim_keys(ctx, self.vim_keys);
    }
}

/// What the screen's fields hold while being typed.
#[derive(Debug, Default)]
pub struct SettingsForm {
    /// A read-only profile pattern being added.
    pub new_rule: String,
    /// The endpoint being typed (`None`: the connection's).
    pub endpoint: Option<String>,
}

/// Everything the screen edits besides the model.
pub struct SettingsEdit<'a> {
    /// Field buffers.
    pub form: &'a mut SettingsForm,
    /// Appearance and keys.
    pub prefs: &'a mut Prefs,
    /// Log lines show UTC rather than local time.
    pub log_utc: &'a mut bool,
}

/// The screen.
pub fn settings_ui(model: &Model, edit: SettingsEdit<'_>, ui: &mut Ui, actions: &mut Vec<Action>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Settings");
        ui.weak(
            "Changes apply at once and are saved with the app's state (every 30 s and on closing).",
        );
        ui.add_space(8.0);
        refresh_ui(model, ui, actions);
        read_only_ui(model, edit.form, ui, actions);
        logs_ui(model, edit.log_utc, ui, actions);
        appearance_ui(edit.prefs, ui);
        endpoint_ui(model, edit.form, ui, actions);
        ui.add_space(12.0);
        let reset = ui.button("Reset to defaults").on_hover_text(
            "Everything on this page except the profile, region and endpoint \
             (changing those reconnects)",
        );
        if reset.clicked() {
            reset_actions(edit.prefs, edit.log_utc, actions);
            edit.prefs.apply(ui.ctx());
        }
    });
}

fn section_ui(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong());
    ui.separator();
}

fn refresh_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Refresh");
    ui.horizontal(|ui| {
        let mut auto = model.auto_refresh;
        if ui
            .checkbox(&mut auto, "Refresh what is on screen every")
            .changed()
        {
            actions.push(Action::SetAutoRefresh(auto));
        }
        let mut secs = model.refresh_interval_secs;
        let drag = egui::DragValue::new(&mut secs).range(5..=3600).suffix(" s");
        if ui.add(drag).changed() {
            actions.push(Action::SetRefreshInterval(secs));
        }
    });
}

fn read_only_ui(model: &Model, form: &mut SettingsForm, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Safety");
    let mut read_only = model.read_only;
    let label = "Read-only: refuse every change to AWS";
    if ui.checkbox(&mut read_only, label).changed() {
        actions.push(Action::SetReadOnly(read_only));
    }
    if let Some(reason) = &model.read_only_reason {
        ui.weak(reason);
    }
    ui.label("Profiles that switch read-only on when chosen (* matches anything):");
    let mut rules = model.read_only_profiles.clone();
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        rules.retain(|rule| {
            let keep = !ui
                .button(format!("{rule}  ×"))
                .on_hover_text("Remove this rule")
                .clicked();
            changed |= !keep;
            keep
        });
        if rules.is_empty() {
            ui.weak("none");
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Add a pattern").id;
        let field = ui
            .add(egui::TextEdit::singleline(&mut form.new_rule).hint_text("*prod*"))
            .labelled_by(label);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let rule = form.new_rule.trim().to_owned();
        let add = ui.add_enabled(!rule.is_empty(), egui::Button::new("Add"));
        if (add.clicked() || entered) && !rule.is_empty() {
            if !rules.contains(&rule) {
                rules.push(rule);
                changed = true;
            }
            form.new_rule.clear();
        }
    });
    if changed {
        actions.push(Action::SetReadOnlyProfiles(rules));
    }
}

fn logs_ui(model: &Model, log_utc: &mut bool, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Logs");
    ui.horizontal(|ui| {
        let label = ui.label("A new tail keeps up to").id;
        let mut lines = match model.log_capacity_lines {
            0 => crate::model::log_buffer::DEFAULT_CAPACITY_LINES,
            n => n,
        };
        let drag = egui::DragValue::new(&mut lines)
            .range(LOG_LINES_RANGE)
            .speed(1_000)
            .suffix(" lines");
        if ui.add(drag).labelled_by(label).changed() {
            actions.push(Action::SetLogCapacity(lines));
        }
        ui.weak("(the oldest are dropped beyond that; about 200 MB per million)");
    });
    ui.horizontal(|ui| {
        ui.label("Times in log lines:");
        ui.radio_value(log_utc, false, "local time");
        ui.radio_value(log_utc, true, "UTC");
    });
}

fn appearance_ui(prefs: &mut Prefs, ui: &mut Ui) {
    section_ui(ui, "Appearance and keys");
    let before = *prefs;
    ui.horizontal(|ui| {
        ui.label("Theme:");
        ui.radio_value(&mut prefs.theme, ThemeChoice::Dark, "dark");
        ui.radio_value(&mut prefs.theme, ThemeChoice::Light, "light");
        ui.radio_value(&mut prefs.theme, ThemeChoice::System, "follow the system");
    });
    ui.horizontal(|ui| {
        let label = ui.label("Interface scale").id;
        let drag = egui::DragValue::new(&mut prefs.ui_scale_percent)
            .range(UI_SCALE_MIN..=UI_SCALE_MAX)
            .suffix(" %");
        ui.add(drag).labelled_by(label);
        ui.weak("(Ctrl + and Ctrl − too)");
    });
    ui.checkbox(&mut prefs.vim_keys, "j and k move in lists (vim keys)");
    if *prefs != before {
        prefs.apply(ui.ctx());
    }
}

fn endpoint_ui(model: &Model, form: &mut SettingsForm, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Connection");
    ui.label(format!(
        "Profile {} · region {} (change them in the bar at the top)",
        model
            .connection
            .profile
            .as_deref()
            .unwrap_or("(default chain)"),
        model.connection.region
    ));
    let current = model.connection.endpoint_url.clone().unwrap_or_default();
    let mut apply = None;
    ui.horizontal(|ui| {
        let endpoint = form.endpoint.get_or_insert_with(|| current.clone());
        let label = ui.label("Endpoint override").id;
        ui.add(
            egui::TextEdit::singleline(endpoint)
                .hint_text("empty: AWS; or http://localhost:4566")
                .desired_width(320.0),
        )
        .labelled_by(label);
        let typed = endpoint.trim().to_owned();
        if ui
            .add_enabled(typed != current, egui::Button::new("Apply"))
            .clicked()
        {
            apply = Some(typed);
        }
    });
    if let Some(typed) = apply {
        actions.push(Action::SetConnection(Connection {
            endpoint_url: (!typed.is_empty()).then_some(typed),
            ..model.connection.clone()
        }));
        form.endpoint = None;
    }
}

/// Back to the defaults (the connection stays: changing it reconnects).
fn reset_actions(prefs: &mut Prefs, log_utc: &mut bool, actions: &mut Vec<Action>) {
    let defaults = Settings::default();
    actions.push(Action::SetAutoRefresh(defaults.auto_refresh));
    actions.push(Action::SetRefreshInterval(defaults.refresh_interval_secs));
    actions.push(Action::SetReadOnly(defaults.read_only));
    actions.push(Action::SetReadOnlyProfiles(
        defaults.read_only_profiles.clone(),
    ));
    actions.push(Action::SetLogCapacity(defaults.log_buffer_lines));
    *prefs = Prefs::from_settings(&defaults);
    *log_utc = defaults.log_times_utc;
}
