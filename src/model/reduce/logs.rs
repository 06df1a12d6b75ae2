//! The log tail in `reduce`: starting, restarting and stopping it, and its status reports.

use crate::model::AwsError;
use crate::model::logs::buffer::DEFAULT_CAPACITY_LINES;
use crate::model::logs::tail::{
    HistoryLoaded, SharedTail, TailMode, TailSpec, TailStatus, TailTarget,
};
use crate::model::messages::{Request, RequestId, WorkerCommand};
use crate::model::time_format::epoch_ms;
use crate::model::{LogTailState, Model, Route};
use std::time::SystemTime;

/// How far back a tail opened by navigating starts.
pub const DEFAULT_SINCE_MS: i64 = 10 * 60 * 1_000;

/// Starts a tail of `spec`, stopping the one running; its lines start empty.
pub(crate) fn start_tail(model: &mut Model, spec: TailSpec, out: &mut Vec<WorkerCommand>) {
    stop_tail(model, out);
    let capacity = match model.policy.log_buffer_lines {
        0 => DEFAULT_CAPACITY_LINES,
        n => n,
    };
    let data = SharedTail::with_caps(capacity, model.policy.log_buffer_mib);
    let id = crate::model::reduce::next_request_id(model);
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
        older: Default::default(),
    });
}

/// Stops the running tail; its lines and status stay on screen.
pub(crate) fn stop_tail(model: &mut Model, out: &mut Vec<WorkerCommand>) {
    if let Some(tail) = model.log_tail.as_mut().filter(|t| t.running) {
        tail.running = false;
        out.push(WorkerCommand::Cancel(tail.id));
    }
}

/// On arriving at a Logs route: starts its tail unless that target is already tailed (a tail
/// keeps running while the user looks elsewhere, so coming back loses nothing).
pub(crate) fn on_navigate(model: &mut Model, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    if let Route::Logs(target) = &model.route {
        let target = target.clone();
        ensure_tail(model, &target, now, out);
    }
}

/// Starts a tail of `target` unless one of it is already there.
pub(crate) fn ensure_tail(
    model: &mut Model,
    target: &TailTarget,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
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
pub(crate) fn apply_status(model: &mut Model, id: RequestId, generation: u64, status: TailStatus) {
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

/// Loads older lines of the tail (one load at a time; none once there are no more).
pub(crate) fn load_older(model: &mut Model, back_to_ms: Option<i64>, out: &mut Vec<WorkerCommand>) {
    let id = crate::model::reduce::next_request_id(model);
    let generation = model.generation;
    let connection = model.connection.clone();
    let Some(tail) = model.log_tail.as_mut() else {
        return;
    };
    let exhausted = matches!(&tail.older.last, Some(Ok(l)) if l.exhausted || l.buffer_full);
    if tail.older.loading.is_some() || exhausted {
        return;
    }
    tail.older.loading = Some(id);
    tail.older.back_to_ms = back_to_ms;
    out.push(WorkerCommand::Start {
        id,
        generation,
        connection,
        request: Request::TailHistory {
            tail: tail.data.clone(),
            back_to_ms,
        },
    });
}

/// Applies what a load of older lines did; an answer for another tail is dropped.
pub(crate) fn apply_history(
    model: &mut Model,
    id: RequestId,
    generation: u64,
    result: Result<HistoryLoaded, AwsError>,
) {
    let current = model
        .log_tail
        .as_mut()
        .filter(|t| t.older.loading == Some(id) && generation == model.generation);
    match current {
        Some(tail) => {
            tail.older.loading = None;
            tail.older.last = Some(result);
        }
        None => model.dropped_responses += 1,
    }
}
