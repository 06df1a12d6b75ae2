//! The exec sessions and port forwards open in the app: each with its own number, what it
//! reaches, the connection it was opened with (it outlives a switch of profile or region)
//! and the shared state its threads update.

use super::forward::SharedForward;
use super::terminal::{SessionState, SharedTerminal};
use super::{ExecSpec, ForwardSpec};
use crate::model::RequestId;
use crate::model::connection::Connection;
use std::time::SystemTime;

/// What a session is.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionKind {
    /// A shell (or any command) in a container, on a terminal.
    Exec {
        /// What it runs where.
        spec: ExecSpec,
        /// Its screen and keyboard.
        terminal: SharedTerminal,
    },
    /// A local port forwarded through a task.
    Forward {
        /// What it forwards.
        spec: ForwardSpec,
        /// Its counters.
        forward: SharedForward,
    },
}

/// One session open in the app.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveSession {
    /// The app's number for it (tabs, actions).
    pub id: u64,
    /// What it is.
    pub kind: SessionKind,
    /// The change that opened it (its outcome fills in the start or the error).
    pub request: RequestId,
    /// Where it was opened.
    pub connection: Connection,
}

impl LiveSession {
    /// Its tab's title.
    pub fn title(&self) -> String {
        match &self.kind {
            SessionKind::Exec { spec, .. } => spec.title(),
            SessionKind::Forward { spec, forward } => match forward.stats().local_addr {
                Some(addr) => format!("{addr} {}", spec.title()),
                None => spec.title(),
            },
        }
    }

    /// How it stands.
    pub fn state(&self) -> SessionState {
        match &self.kind {
            SessionKind::Exec { terminal, .. } => terminal.state(),
            SessionKind::Forward { forward, .. } => forward.stats().state,
        }
    }

    /// Marks it ended because opening failed.
    pub fn failed(&self, why: String, now: SystemTime) {
        let state = SessionState::Ended {
            at: now,
            why: why.clone(),
            asked: false,
        };
        match &self.kind {
            SessionKind::Exec { terminal, .. } => {
                terminal.process(format!("\r\n\x1b[31m{why}\x1b[0m\r\n").as_bytes());
                terminal.set_state(state);
            }
            SessionKind::Forward { forward, .. } => forward.set_state(state),
        }
    }

    /// Asks it to end: the plugin is stopped and the SSM session terminated.
    pub fn close(&self) {
        match &self.kind {
            SessionKind::Exec { terminal, .. } => terminal.close(),
            SessionKind::Forward { forward, .. } => forward.request_stop(),
        }
    }
}

/// The sessions of the app, in the order they were opened.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sessions {
    /// Open and ended ones (an ended one stays until its tab is closed).
    pub list: Vec<LiveSession>,
    /// The session shown in front.
    pub focus: Option<u64>,
    next: u64,
}

impl Sessions {
    /// A number for a new session.
    pub fn next_id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// The session numbered `id`.
    pub fn get(&self, id: u64) -> Option<&LiveSession> {
        self.list.iter().find(|s| s.id == id)
    }

    /// The session a change opened.
    pub fn of_request(&self, request: RequestId) -> Option<&LiveSession> {
        self.list.iter().find(|s| s.request == request)
    }

    /// Sessions still live (starting or running).
    pub fn live(&self) -> usize {
        self.list.iter().filter(|s| s.state().is_live()).count()
    }
}
