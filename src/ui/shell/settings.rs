//! The Settings screen: refresh, read-only rules, logs, appearance and the endpoint, each
//! applied at once and saved with the app's state; "Reset to defaults".

use crate::model::workspace::prefs::{Prefs, ThemeChoice, UI_SCALE_MAX, UI_SCALE_MIN};
use crate::model::{Action, Connection, Model};
use egui::{RichText, Ui};

/// Fewest and most lines a log tail may keep.
const LOG_LINES_RANGE: std::ops::RangeInclusive<usize> = 10_000..=10_000_000;
/// MiB of log text a tail may keep: from a small machine to a large one.
const LOG_MIB_RANGE: std::ops::RangeInclusive<usize> = 16..=16_384;

/// Puts the appearance and keys into effect.
pub fn apply_prefs(prefs: &Prefs, ctx: &egui::Context) {
    ctx.set_theme(theme_preference(prefs.theme));
    ctx.set_zoom_factor(prefs.ui_scale_percent as f32 / 100.0);
    crate::ui::widgets::table::set_vim_keys(ctx, prefs.vim_keys);
    crate::ui::widgets::table::columns_menu::set_hidden_columns(ctx, &prefs.hidden_columns);
}

/// egui's name for a theme choice.
pub fn theme_preference(theme: ThemeChoice) -> egui::ThemePreference {
    match theme {
        ThemeChoice::Dark => egui::ThemePreference::Dark,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::System => egui::ThemePreference::System,
    }
}

/// What the screen's fields hold while being typed.
#[derive(Debug, Default)]
pub struct SettingsForm {
    /// A read-only profile pattern being added.
    pub new_rule: String,
    /// The endpoint being typed (`None`: the connection's).
    pub endpoint: Option<String>,
    /// The time zone being typed (`None`: the saved one).
    pub time_zone: Option<String>,
    /// The save folder being typed (`None`: the saved one).
    pub save_dir: Option<String>,
    /// Why the last time zone or folder typed was refused.
    pub refused: Option<String>,
    /// The session-manager-plugin path being typed (`None`: the saved one).
    pub plugin: Option<String>,
    /// The terminal program being typed (`None`: the saved one).
    pub terminal: Option<String>,
    /// The fleets being edited.
    pub fleets: crate::ui::fleet::editor::FleetsForm,
}

/// Everything the screen edits besides the model.
pub struct SettingsEdit<'a> {
    /// Field buffers.
    pub form: &'a mut SettingsForm,
    /// Appearance, keys, time zone and save folder.
    pub prefs: &'a mut Prefs,
    /// What draws the window (shown in About).
    pub renderer: &'a crate::model::workspace::renderer::RendererReport,
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
        logs_ui(model, edit.prefs, ui, actions);
        recorder_ui(model, ui, actions);
        places_ui(edit.form, edit.prefs, ui);
        appearance_ui(edit.prefs, ui);
        endpoint_ui(model, edit.form, ui, actions);
        exec_ui(model, edit.form, ui, actions);
        section_ui(ui, "Fleets");
        crate::ui::fleet::editor::fleets_settings_ui(model, &mut edit.form.fleets, ui, actions);
        notifications_ui(model, ui, actions);
        ui.add_space(12.0);
        let reset = ui.button("Reset to defaults").on_hover_text(
            "Everything on this page except the profile, region and endpoint \
             (changing those reconnects)",
        );
        if reset.clicked() {
            reset_actions(edit.prefs, actions);
            *edit.form = SettingsForm::default();
            apply_prefs(edit.prefs, ui.ctx());
        }
        section_ui(ui, "About ECS Deck");
        super::about::about_ui(edit.renderer, ui);
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
        let mut auto = model.policy.auto_refresh;
        if ui
            .checkbox(&mut auto, "Refresh what is on screen every")
            .changed()
        {
            actions.push(Action::SetAutoRefresh(auto));
        }
        let mut secs = model.policy.refresh_interval_secs;
        let drag = egui::DragValue::new(&mut secs).range(5..=3600).suffix(" s");
        if ui.add(drag).changed() {
            actions.push(Action::SetRefreshInterval(secs));
        }
    });
}

fn read_only_ui(model: &Model, form: &mut SettingsForm, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Safety");
    let label = "Read-only: refuse every change to AWS";
    crate::ui::shell::bars::read_only_toggle_ui(model, label, ui, actions);
    if let Some(refusal) = model.refusal() {
        ui.weak(format!("Now {refusal}."));
    }
    ui.label("Profiles that switch read-only on when chosen (* matches anything):");
    let mut rules = model.policy.read_only_profiles.clone();
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

fn logs_ui(model: &Model, prefs: &mut Prefs, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Logs");
    ui.horizontal(|ui| {
        let label = ui.label("A new tail keeps up to").id;
        let mut lines = match model.policy.log_buffer_lines {
            0 => crate::model::logs::buffer::DEFAULT_CAPACITY_LINES,
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
        let label = ui.label("and up to").id;
        let mut mib = model.policy.log_buffer_mib.max(1);
        let drag = egui::DragValue::new(&mut mib)
            .range(LOG_MIB_RANGE)
            .speed(8)
            .suffix(" MiB of text");
        if ui.add(drag).labelled_by(label).changed() {
            actions.push(Action::SetLogCapacityMib(mib));
        }
        ui.weak("(whichever is reached first: very long lines cannot take all memory)");
    });
    ui.horizontal(|ui| {
        ui.label("Times in log lines:");
        ui.radio_value(&mut prefs.log_times_utc, false, "local time");
        ui.radio_value(&mut prefs.log_times_utc, true, "UTC");
    });
}

fn recorder_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    use crate::model::incident::recorder::RecorderLimits;
    section_ui(ui, "Stopped tasks");
    let limits = model.policy.stopped_task_recorder;
    ui.horizontal(|ui| {
        let label = ui.label("Keep every stopped task seen for").id;
        let mut days = limits.max_age_days;
        let drag = egui::DragValue::new(&mut days)
            .range(1..=365)
            .suffix(" days");
        if ui.add(drag).labelled_by(label).changed() {
            actions.push(Action::SetRecorderLimits(RecorderLimits {
                max_age_days: days,
                ..limits
            }));
        }
        let label = ui.label("in at most").id;
        let mut mib = limits.max_mib;
        let drag = egui::DragValue::new(&mut mib)
            .range(1..=1024)
            .suffix(" MiB");
        if ui.add(drag).labelled_by(label).changed() {
            actions.push(Action::SetRecorderLimits(RecorderLimits {
                max_mib: mib,
                ..limits
            }));
        }
    });
    ui.weak(
        "ECS forgets a stopped task about an hour after it stops; the recorder keeps it \
         (readable by you alone) so an incident can still be looked into. Applied from the \
         next start.",
    );
}

fn notifications_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    use crate::model::incident::notify::NoticeKind;
    section_ui(ui, "Notifications");
    ui.label("A desktop notification for a pinned service when:");
    let mut prefs = model.policy.notifications.clone();
    let mut changed = false;
    for kind in NoticeKind::ALL {
        changed |= ui.checkbox(prefs.switch(kind), kind.label()).changed();
    }
    if changed {
        actions.push(Action::SetNotifications(prefs));
    }
    ui.weak(
        "At most one per service per minute; clicking one opens the service's incident \
         timeline at that moment.",
    );
}

fn appearance_ui(prefs: &mut Prefs, ui: &mut Ui) {
    section_ui(ui, "Appearance and keys");
    let before = prefs.clone();
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
        apply_prefs(prefs, ui.ctx());
    }
}

/// The local time zone and the folder exports are offered in: typed, applied on Enter or
/// "Apply", refused with the reason when unknown.
fn places_ui(form: &mut SettingsForm, prefs: &mut Prefs, ui: &mut Ui) {
    section_ui(ui, "Time zone and files");
    ui.horizontal(|ui| {
        let saved = prefs.time_zone.clone().unwrap_or_default();
        let hint = "empty: the system's, or Europe/Berlin";
        let row = ("Local time zone", hint, 220.0);
        if let Some(typed) = applied_field_ui(ui, row, &saved, &mut form.time_zone) {
            form.refused = prefs.set_time_zone(Some(&typed)).err();
            if form.refused.is_some() {
                form.time_zone = Some(typed); // kept, to be corrected
            }
        }
        ui.weak(format!("(now {})", prefs.local_zone_name()));
    });
    ui.horizontal(|ui| {
        let saved = prefs.save_dir.as_ref().map(|d| d.display().to_string());
        let hint = "empty: Downloads (charts: Pictures)";
        let row = ("Save exports to", hint, 320.0);
        if let Some(typed) =
            applied_field_ui(ui, row, &saved.unwrap_or_default(), &mut form.save_dir)
        {
            prefs.save_dir = (!typed.is_empty()).then(|| typed.into());
        }
    });
    if let Some(reason) = &form.refused {
        ui.colored_label(ui.visuals().error_fg_color, reason);
    }
}

/// A labelled text field over `saved` with an "Apply" button; returns the trimmed text when
/// applied (button or Enter) and differs from `saved`, and then forgets what was typed.
fn applied_field_ui(
    ui: &mut Ui,
    (label, hint, width): (&str, &str, f32),
    saved: &str,
    typed: &mut Option<String>,
) -> Option<String> {
    let label = ui.label(label).id;
    let text = typed.get_or_insert_with(|| saved.to_owned());
    let field = egui::TextEdit::singleline(text)
        .hint_text(hint)
        .desired_width(width);
    let entered = ui.add(field).labelled_by(label).lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let text = text.trim().to_owned();
    let apply = ui.add_enabled(text != saved, egui::Button::new("Apply"));
    if (apply.clicked() || entered) && text != saved {
        *typed = None;
        return Some(text);
    }
    None
}

/// Where AWS's session-manager-plugin is, for exec sessions and port forwards.
fn exec_ui(model: &Model, form: &mut SettingsForm, ui: &mut Ui, actions: &mut Vec<Action>) {
    section_ui(ui, "Exec");
    let saved = model
        .policy
        .session_manager_plugin
        .clone()
        .unwrap_or_default();
    ui.horizontal(|ui| {
        let hint = "empty: PATH and AWS's install locations";
        let field = ("session-manager-plugin", hint, 320.0);
        if let Some(path) = applied_field_ui(ui, field, &saved, &mut form.plugin) {
            actions.push(Action::SetSessionPlugin(
                Some(path).filter(|p| !p.is_empty()),
            ));
        }
    });
    ui.weak("ECS Exec and port forwarding run through it, as the AWS CLI does.");
    let saved = model.policy.system_terminal.clone().unwrap_or_default();
    ui.horizontal(|ui| {
        let field = ("Terminal program", "empty: the platform's own", 320.0);
        if let Some(program) = applied_field_ui(ui, field, &saved, &mut form.terminal) {
            actions.push(Action::SetSystemTerminal(
                Some(program).filter(|p| !p.is_empty()),
            ));
        }
    });
    ui.weak("\"Open in a terminal window\" runs it with the ecsdeck exec command line appended.");
    ui.hyperlink_to(
        "Install it (AWS)",
        crate::model::exec::plugin::install_url(),
    );
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
fn reset_actions(prefs: &mut Prefs, actions: &mut Vec<Action>) {
    let policy = crate::model::workspace::policy::Policy::default();
    actions.push(Action::SetAutoRefresh(policy.auto_refresh));
    actions.push(Action::SetRefreshInterval(policy.refresh_interval_secs));
    // Read-only stays as it is: turning it off is a change of its own, confirmed on its own.
    actions.push(Action::SetReadOnlyProfiles(policy.read_only_profiles));
    actions.push(Action::SetLogCapacity(policy.log_buffer_lines));
    actions.push(Action::SetLogCapacityMib(policy.log_buffer_mib));
    actions.push(Action::SetRecorderLimits(policy.stopped_task_recorder));
    actions.push(Action::SetNotifications(policy.notifications));
    // The folders the system offers were looked up at start; they stay.
    *prefs = Prefs {
        system_dirs: prefs.system_dirs.clone(),
        ..Prefs::default()
    };
}
