//! The log tail in `reduce`: starting, restarting and stopping it, and its status reports.

use super::log_buffer::DEFAULT_CAPACITY_LINES;
use super::log_tail::{SharedTail, TailMode, TailSpec, TailStatus, TailTarget};
use super::messages::{Request, RequestId, WorkerCommand};
use super::time_format::epoch_ms;
use super::{LogTailState, Model, Route};
use std::time::SystemTime;

/// How far back a tail opened by navigating starts.
pub const DEFAULT_SINCE_MS: i64 = 10 * 60 * 1_000;

/// Starts a tail of `spec`, stopping the one running; its lines start empty.
pub(super) fn start_tail(model: &mut Model, spec: TailSpec, out: &mut Vec<WorkerCommand>) {
    stop_tail(model, out);
    let capacity = match model.log_capacity_lines {
        0 => DEFAULT_CAPACITY_LINES,
        n => n,
    };
    let data = SharedTail::new(capacity);
    let id = super::reduce::next_request_id(model);
    out.push(WorkerCommand::Start {
        id,
        generation: model.generation,
        connection: model.connection.clone(),
        request: Request::Tail {
            spec: Box::new(spec.clone()),
            tail: data.clone(),
        },
    });
    model.log_tail = Some(LogTailState {
        spec,
        id,
        data,
        status: Default::default(),
        running: true,
    });
}

/// Stops the running tail; its lines and status stay on screen.
pub(super) fn stop_tail(model: &mut Model, out: &mut Vec<WorkerCommand>) {
    if let Some(tail) = model.log_tail.as_mut().filter(|t| t.running) {
        tail.running = false;
        out.push(WorkerCommand::Cancel(tail.id));
    }
}

/// On arriving at a Logs route: starts its tail unless that target is already tailed (a tail
/// keeps running while the user looks elsewhere, so coming back loses nothing).
pub(super) fn on_navigate(model: &mut Model, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    let Route::Logs(target) = &model.route else {
        return;
    };
    if model
        .log_tail
        .as_ref()
        .is_some_and(|t| t.spec.target == *target)
    {
        return;
    }
    let spec = default_spec(target.clone(), now);
    start_tail(model, spec, out);
}

/// A live, following tail of `target` from ten minutes ago.
pub fn default_spec(target: TailTarget, now: SystemTime) -> TailSpec {
    TailSpec {
        target,
        since_ms: epoch_ms(now) - DEFAULT_SINCE_MS,
        filter_pattern: None,
        live: true,
        follow: true,
    }
}

/// Applies a tail status report; a report of another tail (stopped, replaced) is dropped.
pub(super) fn apply_status(model: &mut Model, id: RequestId, generation: u64, status: TailStatus) {
    let current = model
        .log_tail
        .as_mut()
        .filter(|t| t.id == id && t.running && generation == model.generation);
    match current {
        Some(tail) => {
            if matches!(status.mode, TailMode::Done | TailMode::Failed) {
                tail.running = false;
            }
            tail.status = status;
        }
        None => model.dropped_responses += 1,
    }
}
