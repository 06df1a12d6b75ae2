//! ECS Exec and port forwarding: the page of a container (the preflight, a shell, a port
//! forward) and the Sessions tab (terminals and forwards open in the app).

mod keys;
mod preflight;
pub mod sessions;
pub mod terminal;

use crate::model::changes::service_change::{ServiceChange, ServiceSnapshot, ServiceUpdate};
use crate::model::exec::{DEFAULT_COMMAND, ExecSpec, ExecTarget, ForwardSpec};
use crate::model::workspace::prefs::Prefs;
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::{SECTION_GAP, Tone};
use egui::{RichText, Ui};
use std::collections::HashMap;

/// The exec page's edit buffers and each terminal's view state.
#[derive(Debug, Default)]
pub struct ExecView {
    /// The command typed for each container, until opened.
    command: HashMap<ExecTarget, String>,
    /// The port-forward form: remote port, host, local port.
    forward: (String, String, String),
    /// Each session's terminal view (selection, wheel).
    pub terminals: HashMap<u64, terminal::TerminalView>,
}

/// The key a container's remembered command is kept under: `family/container`.
fn command_key(model: &Model, target: &ExecTarget) -> String {
    let family = model
        .store
        .exec_preflights
        .get(target)
        .and_then(|l| l.value())
        .map(|r| crate::model::ecs::family_revision(&r.facts.task.task_definition).to_owned())
        .and_then(|fr| fr.split(':').next().map(str::to_owned))
        .unwrap_or_default();
    format!("{family}/{}", target.container)
}

/// The page of one container: the preflight, then a shell and a port forward.
pub fn exec_page_ui(
    model: &Model,
    view: &mut ExecView,
    prefs: &mut Prefs,
    (target, service): (&ExecTarget, Option<&str>),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let service_name = service.map(crate::model::ecs::short_id);
    ui.heading(format!("Exec into {}", target.container));
    ui.label(RichText::new(target.title(service_name)).weak());
    ui.add_space(SECTION_GAP);
    let report = preflight::preflight_ui(model, target, ui, actions);
    if let Some(report) = report
        && report.preflight.checks.iter().any(|c| c.offers_enable)
    {
        enable_exec_ui(model, target, service, ui, actions);
    }
    let ready = report.is_some_and(|r| r.preflight.ready());
    ui.add_space(SECTION_GAP);
    egui::ScrollArea::vertical().show(ui, |ui| {
        shell_ui(
            model,
            view,
            prefs,
            (target, service_name),
            ready,
            ui,
            actions,
        );
        ui.add_space(SECTION_GAP);
        forward_ui(model, view, (target, service_name), ready, ui, actions);
    });
}

/// Why changes are refused now, with how to lift it; None when they are allowed.
fn refused(model: &Model) -> Option<String> {
    let refusal = model.refusal()?;
    Some(if refusal.can_override() {
        format!("{refusal}. Turn read-only off in the status bar to allow it.")
    } else {
        refusal.to_string()
    })
}

fn shell_ui(
    model: &Model,
    view: &mut ExecView,
    prefs: &mut Prefs,
    (target, service): (&ExecTarget, Option<&str>),
    ready: bool,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Shell").strong());
    let key = command_key(model, target);
    let command = view.command.entry(target.clone()).or_insert_with(|| {
        prefs
            .exec_commands
            .get(&key)
            .cloned()
            .unwrap_or_else(|| DEFAULT_COMMAND.to_owned())
    });
    let why = refused(model);
    ui.horizontal(|ui| {
        let label = ui.label("Command");
        ui.add(
            egui::TextEdit::singleline(command)
                .hint_text(DEFAULT_COMMAND)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
        let open = ui
            .add_enabled(
                ready && why.is_none() && model.mutation.is_none(),
                egui::Button::new("Open shell"),
            )
            .on_hover_text("ExecuteCommand, then a terminal tab (confirmed first)")
            .on_disabled_hover_text(
                why.clone()
                    .unwrap_or_else(|| "The preflight above must pass first".to_owned()),
            );
        let window = ui
            .add_enabled(
                ready && why.is_none() && model.mutation.is_none(),
                egui::Button::new("Open in a terminal window"),
            )
            .on_hover_text("Your terminal, running ecsdeck exec (confirmed first)");
        if open.clicked() || window.clicked() {
            let command = if command.trim().is_empty() {
                DEFAULT_COMMAND.to_owned()
            } else {
                command.trim().to_owned()
            };
            prefs.exec_commands.insert(key, command.clone());
            let spec = Box::new(ExecSpec {
                target: target.clone(),
                service: service.map(str::to_owned),
                command,
            });
            actions.push(Action::DismissOutcome);
            actions.push(if window.clicked() {
                Action::OpenExecWindow(spec)
            } else {
                Action::OpenExec {
                    spec,
                    reconnect: None,
                }
            });
        }
    });
    if let Some(why) = &why {
        ui.label(RichText::new(why).color(Tone::Warn.color(ui.visuals().dark_mode)));
    }
    outcome_ui(model, ui, |k| {
        matches!(
            k,
            MutationKind::ExecuteCommand { .. } | MutationKind::ExecWindow { .. }
        )
    });
}

fn forward_ui(
    model: &Model,
    view: &mut ExecView,
    (target, service): (&ExecTarget, Option<&str>),
    ready: bool,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Port forward").strong());
    let (remote, host, local) = &mut view.forward;
    egui::Grid::new("forward-form")
        .num_columns(2)
        .show(ui, |ui| {
            let fields: [(&str, &mut String, &str, f32); 3] = [
                ("Remote port", remote, "5432", 80.0),
                ("Host", host, "the container itself, or db.internal", 260.0),
                ("Local port", local, "any free", 80.0),
            ];
            for (name, text, hint, width) in fields {
                let label = ui.label(name);
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(width),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
    let remote_port = remote.trim().parse::<u16>().ok().filter(|p| *p > 0);
    let local_port = local.trim().parse::<u16>().ok();
    let local_ok = local.trim().is_empty() || local_port.is_some();
    if !remote.trim().is_empty() && remote_port.is_none() {
        ui.label(
            RichText::new("The remote port is a number from 1 to 65535.")
                .color(Tone::Bad.color(ui.visuals().dark_mode)),
        );
    }
    if !local_ok {
        ui.label(
            RichText::new("The local port is a number from 1 to 65535, or empty for any free one.")
                .color(Tone::Bad.color(ui.visuals().dark_mode)),
        );
    }
    let why = refused(model);
    let start = ui
        .add_enabled(
            ready && why.is_none() && remote_port.is_some() && local_ok && model.mutation.is_none(),
            egui::Button::new("Start forwarding"),
        )
        .on_hover_text("SSM StartSession with AWS's port-forwarding document (confirmed first)")
        .on_disabled_hover_text(
            why.unwrap_or_else(|| "The preflight must pass and the remote port be set".to_owned()),
        );
    if start.clicked()
        && let Some(remote_port) = remote_port
    {
        actions.push(Action::DismissOutcome);
        actions.push(Action::StartForward(Box::new(ForwardSpec {
            target: target.clone(),
            service: service.map(str::to_owned),
            remote_port,
            host: Some(host.trim().to_owned()).filter(|h| !h.is_empty()),
            local_port: local_port.filter(|p| *p > 0),
        })));
    }
    outcome_ui(model, ui, |k| {
        matches!(k, MutationKind::StartPortForward { .. })
    });
}

/// The error of the last opening of this kind (a tab shows as the Sessions tab; a window
/// says where it opened).
fn outcome_ui(model: &Model, ui: &mut Ui, kind: impl Fn(&MutationKind) -> bool) {
    let Some(outcome) = &model.outcome else {
        return;
    };
    match &outcome.result {
        _ if !kind(&outcome.kind) => {}
        Err(error) => error_box_ui(ui, error),
        Ok(opened) if matches!(outcome.kind, MutationKind::ExecWindow { .. }) => {
            ui.label(
                RichText::new(format!("Opened in {opened}."))
                    .color(Tone::Good.color(ui.visuals().dark_mode)),
            );
        }
        Ok(_) => {}
    }
}

/// "Enable exec on this service…": UpdateService with exec on and a new deployment.
fn enable_exec_ui(
    model: &Model,
    target: &ExecTarget,
    service: Option<&str>,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let Some(service) = service.and_then(|arn| {
        model
            .services_of(&target.cluster)
            .value()?
            .iter()
            .find(|s| s.arn == arn)
    }) else {
        return;
    };
    let why = refused(model);
    let enable = ui
        .add_enabled(
            why.is_none() && model.mutation.is_none(),
            egui::Button::new("Enable exec on this service…"),
        )
        .on_hover_text("UpdateService with enableExecuteCommand and a new deployment")
        .on_disabled_hover_text(why.unwrap_or_default());
    if enable.clicked() {
        actions.push(Action::UpdateService(Box::new(ServiceChange {
            cluster: service.cluster_arn.clone(),
            service: service.arn.clone(),
            update: ServiceUpdate {
                enable_execute_command: Some(true),
                force_new_deployment: true,
                ..ServiceUpdate::default()
            },
            expected: ServiceSnapshot::of(service),
        })));
    }
}
