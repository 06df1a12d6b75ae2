//! The `reduce` half for exec sessions and port forwards: opening one is a change (confirmed,
//! refused in read-only mode, journalled); the session then lives in `model.sessions` with
//! the connection it was opened with, whatever the app connects to next.

use crate::model::Model;
use crate::model::RequestId;
use crate::model::exec::sessions::{LiveSession, SessionKind};
use crate::model::messages::{Action, Request};
use crate::model::{MutationKind, Route};

/// The change and request of an exec or forward action; None for any other.
pub(crate) fn mutation_of(model: &Model, action: Action) -> Option<(MutationKind, Request)> {
    let plugin = model.policy.session_manager_plugin.clone();
    match action {
        Action::OpenExec { spec, reconnect } => {
            let terminal = reconnect
                .and_then(|id| match &model.sessions.get(id)?.kind {
                    SessionKind::Exec { terminal, .. } => Some(terminal.clone()),
                    SessionKind::Forward { .. } => None,
                })
                .unwrap_or_default();
            Some((
                MutationKind::ExecuteCommand {
                    task: spec.target.task.clone(),
                    container: spec.target.container.clone(),
                    command: spec.command.clone(),
                },
                Request::OpenExec {
                    spec,
                    terminal,
                    plugin,
                },
            ))
        }
        Action::OpenExecWindow(spec) => Some((
            MutationKind::ExecWindow {
                task: spec.target.task.clone(),
                command: spec.command.clone(),
            },
            Request::OpenExecWindow {
                spec,
                terminal: model.policy.system_terminal.clone(),
                plugin,
                read_write: model.change_rules.read_write,
            },
        )),
        Action::StartForward(spec) => Some((
            MutationKind::StartPortForward {
                task: spec.target.task.clone(),
                remote: spec.remote_label(),
            },
            Request::StartForward {
                spec,
                forward: Default::default(),
                plugin,
            },
        )),
        _ => None,
    }
}

/// Records the session a confirmed change `id` opens (a reconnect reuses its terminal) and
/// shows the Sessions tab with it in front.
pub(crate) fn track(model: &mut Model, id: RequestId, request: &Request) {
    let kind =
        match request {
            Request::OpenExec { spec, terminal, .. } => {
                if let Some(existing) = model.sessions.list.iter_mut().find(
                    |s| matches!(&s.kind, SessionKind::Exec { terminal: t, .. } if t == terminal),
                ) {
                    terminal.reopen();
                    terminal.process(b"\r\n\x1b[2m[reconnecting]\x1b[0m\r\n");
                    existing.request = id;
                    existing.connection = model.connection.clone();
                    model.sessions.focus = Some(existing.id);
                    model.route = Route::Sessions;
                    return;
                }
                SessionKind::Exec {
                    spec: (**spec).clone(),
                    terminal: terminal.clone(),
                }
            }
            Request::StartForward { spec, forward, .. } => SessionKind::Forward {
                spec: (**spec).clone(),
                forward: forward.clone(),
            },
            _ => return,
        };
    let session_id = model.sessions.next_id();
    model.sessions.list.push(LiveSession {
        id: session_id,
        kind,
        request: id,
        connection: model.connection.clone(),
    });
    model.sessions.focus = Some(session_id);
    model.route = Route::Sessions;
}

/// Actions on sessions that change nothing in AWS by themselves.
pub(crate) fn apply(model: &mut Model, action: Action) {
    match action {
        Action::CloseSession(id) => {
            if let Some(session) = model.sessions.get(id) {
                session.close();
            }
        }
        Action::FocusSession(id) => model.sessions.focus = Some(id),
        Action::RemoveSession(id) => {
            // A live session is ended first: nothing keeps running unseen.
            if let Some(session) = model.sessions.get(id) {
                session.close();
            }
            model.sessions.list.retain(|s| s.id != id);
            if model.sessions.focus == Some(id) {
                model.sessions.focus = model.sessions.list.last().map(|s| s.id);
            }
        }
        Action::SetSystemTerminal(program) => {
            model.policy.system_terminal = program.filter(|p| !p.trim().is_empty());
        }
        Action::SetSessionPlugin(path) => {
            model.policy.session_manager_plugin = path.filter(|p| !p.trim().is_empty());
            // What the preflights found about the plugin is out of date.
            model.store.exec_preflights.clear();
        }
        _ => {}
    }
}
