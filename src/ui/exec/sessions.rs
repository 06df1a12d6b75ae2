//! The Sessions tab: a tab per exec session or port forward, the one in front drawn below —
//! a terminal, or a forward's address, bytes and connections — each ended one saying why,
//! with Reconnect.

use super::ExecView;
use super::terminal::terminal_ui;
use crate::model::exec::sessions::{LiveSession, SessionKind};
use crate::model::exec::terminal::SessionState;
use crate::model::{Action, Model};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};
use std::time::{Duration, SystemTime};

/// How often a live forward's counters are redrawn.
const FORWARD_REFRESH: Duration = Duration::from_secs(1);

fn state_tone(state: &SessionState) -> (Tone, &'static str) {
    match state {
        SessionState::Starting => (Tone::Busy, "starting"),
        SessionState::Running { .. } => (Tone::Good, "running"),
        SessionState::Ended { asked: true, .. } => (Tone::Muted, "closed"),
        SessionState::Ended { .. } => (Tone::Bad, "ended"),
    }
}

/// The Sessions tab.
pub fn sessions_ui(
    model: &Model,
    view: &mut ExecView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    if model.sessions.list.is_empty() {
        ui.label("No sessions. Open one from a task's container: Exec… or Forward port….");
        return;
    }
    let focus = model
        .sessions
        .focus
        .filter(|id| model.sessions.get(*id).is_some())
        .or_else(|| model.sessions.list.last().map(|s| s.id));
    ui.horizontal_wrapped(|ui| {
        for session in &model.sessions.list {
            let (tone, _) = state_tone(&session.state());
            let text = RichText::new(format!("{} {}", tone.glyph(), session.title()));
            if ui
                .selectable_label(focus == Some(session.id), text)
                .clicked()
            {
                actions.push(Action::FocusSession(session.id));
            }
            if ui
                .small_button("×")
                .on_hover_text("Close this tab (ends the session)")
                .clicked()
            {
                actions.push(Action::RemoveSession(session.id));
            }
        }
    });
    ui.separator();
    let Some(session) = focus.and_then(|id| model.sessions.get(id)) else {
        return;
    };
    session_bar_ui(model, session, ui, actions, now);
    match &session.kind {
        SessionKind::Exec { terminal, .. } => {
            let state = view.terminals.entry(session.id).or_default();
            terminal_ui(terminal, &session.title(), state, ui);
        }
        SessionKind::Forward { spec, forward } => {
            forward_detail_ui(spec, forward, ui);
            if session.state().is_live() {
                ui.ctx().request_repaint_after(FORWARD_REFRESH);
            }
        }
    }
}

/// State, where it was opened, and End / Reconnect.
fn session_bar_ui(
    model: &Model,
    session: &LiveSession,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let state = session.state();
    let (tone, word) = state_tone(&state);
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} {word}", tone.glyph())).color(tone.color(dark)));
        match &state {
            SessionState::Running { since, session_id } => {
                ui.label(
                    RichText::new(format!(
                        "for {} · SSM session {session_id}",
                        crate::model::time_format::age(*since, now)
                    ))
                    .weak(),
                );
            }
            SessionState::Ended { why, .. } => {
                ui.label(RichText::new(why).color(tone.color(dark)));
            }
            SessionState::Starting => {
                ui.spinner();
            }
        }
        let connection = &session.connection;
        ui.label(
            RichText::new(format!(
                "· {} · {}",
                connection.profile.as_deref().unwrap_or("default chain"),
                connection.region
            ))
            .small()
            .weak(),
        );
        if state.is_live() {
            let label = match session.kind {
                SessionKind::Exec { .. } => "End session",
                SessionKind::Forward { .. } => "Stop",
            };
            if ui.button(label).clicked() {
                actions.push(Action::CloseSession(session.id));
            }
        } else if let SessionKind::Exec { spec, .. } = &session.kind {
            let why = model.refusal().map(|r| r.to_string());
            if ui
                .add_enabled(
                    why.is_none() && model.mutation.is_none(),
                    egui::Button::new("Reconnect"),
                )
                .on_hover_text("ExecuteCommand again, in this terminal (confirmed first)")
                .on_disabled_hover_text(why.unwrap_or_default())
                .clicked()
            {
                actions.push(Action::OpenExec {
                    spec: Box::new(spec.clone()),
                    reconnect: Some(session.id),
                });
            }
        }
    });
}

/// A forward: where to connect, where it goes, bytes and connections.
pub fn forward_detail_ui(
    spec: &crate::model::exec::ForwardSpec,
    forward: &crate::model::exec::forward::SharedForward,
    ui: &mut Ui,
) {
    let stats = forward.stats();
    let address = stats.local_addr.clone().unwrap_or_else(|| "…".to_owned());
    egui::Grid::new("forward").num_columns(2).show(ui, |ui| {
        ui.label("Connect to");
        ui.horizontal(|ui| {
            ui.label(RichText::new(&address).monospace().strong());
            if stats.local_addr.is_some() && ui.small_button("Copy").clicked() {
                ui.ctx().copy_text(address.clone());
            }
        });
        ui.end_row();
        ui.label("Forwards to");
        ui.label(spec.remote_label());
        ui.end_row();
        ui.label("Through");
        ui.label(
            spec.target
                .title(spec.service.as_deref().map(crate::model::ecs::short_id)),
        );
        ui.end_row();
        ui.label("Sent / received");
        ui.label(format!(
            "{} / {}",
            crate::model::exec::forward::bytes_text(stats.to_remote),
            crate::model::exec::forward::bytes_text(stats.from_remote)
        ));
        ui.end_row();
        ui.label("Connections");
        ui.label(format!(
            "{} open · {} in all",
            stats.open_connections, stats.connections
        ));
        ui.end_row();
        if let Some(error) = &stats.last_error {
            ui.label("Last failure");
            ui.label(RichText::new(error).color(Tone::Bad.color(ui.visuals().dark_mode)));
            ui.end_row();
        }
    });
}
