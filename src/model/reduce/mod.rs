//! `reduce`: applies one action or worker event to the model and says what to fetch.

mod answers;
mod changes;
#[cfg(test)]
mod cockpit_tests;
#[cfg(test)]
mod credentials_tests;
mod exec;
#[cfg(test)]
mod exec_tests;
mod fleet;
#[cfg(test)]
mod fleet_tests;
pub(crate) mod logs;
#[cfg(test)]
mod logs_tests;
#[cfg(test)]
mod metrics_tests;
#[cfg(test)]
mod mutation_tests;
mod popouts;
#[cfg(test)]
mod popouts_tests;
#[cfg(test)]
mod proposal_tests;
#[cfg(test)]
mod service_arns_tests;
mod settings;
mod slots;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
mod verify;

use super::messages::{Action, Event, Msg, Request, RequestId, Response, WorkerCommand};
use super::route::ResourceKey;
use super::{AwsError, ErrorKind, Model, Mutation, MutationKind, Outcome};
use std::time::SystemTime;

/// Applies `msg` to `model` at time `now`; returns the commands for the worker.
pub fn reduce(model: &mut Model, msg: Msg, now: SystemTime) -> Vec<WorkerCommand> {
    let mut out = Vec::new();
    match msg {
        Msg::Action(action) => apply_action(model, action, now, &mut out),
        Msg::Event(event) => apply_event(model, event, now, &mut out),
    }
    out
}

fn apply_action(model: &mut Model, action: Action, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    match action {
        Action::Start => {
            request_profiles(model, out);
            popouts::on_start(model, now, out);
            load_visible(model, Freshness::IfStale, now, out);
        }
        Action::SetConnection(connection) => set_connection(model, connection, now, out),
        Action::Navigate(route) => {
            if !popouts::redirect_logs(model, &route, now, out) {
                popouts::navigate(model, route, now, out);
            }
        }
        Action::PopOut(route) => popouts::pop_out(model, route, now, out),
        Action::RetargetPopout { id, route } => popouts::retarget(model, id, route, now, out),
        Action::ClosePopout(id) => popouts::close(model, id, now, out),
        Action::SetPopoutGeometry { id, geometry } => popouts::set_geometry(model, id, geometry),
        // F5 on the fleet reads the fleet again; elsewhere the screen's resources.
        Action::Refresh if model.route == super::Route::Fleet => {
            fleet::apply(model, Action::ReloadFleet, now, out);
        }
        Action::Refresh => load_visible(model, Freshness::Always, now, out),
        Action::LoadOnce(key) => {
            // A failed load is shown, not retried in a loop: the dialog's Retry asks again.
            if !model.latest.contains_key(&key) && !model.store.shows_anything(&key) {
                slots::start_load(model, key, now, out);
            }
        }
        Action::Reconnect => {
            out.push(WorkerCommand::ResetClients);
            // The profile may have changed kind (static keys → SSO): its fix text follows it.
            request_profiles(model, out);
            load_visible(model, Freshness::Always, now, out);
        }
        Action::ReloadProfiles => request_profiles(model, out),
        Action::Tick => tick(model, now, out),
        action @ (Action::Register { .. }
        | Action::Deregister { .. }
        | Action::UpdateService(_)
        | Action::StopTask { .. }
        | Action::RollBackDeployment { .. }
        | Action::ContinueDeployment { .. }
        | Action::DeployImages { .. }
        | Action::RunTask(_)
        | Action::OpenExec { .. }
        | Action::OpenExecWindow(_)
        | Action::StartForward(_)
        | Action::SetScalingBounds { .. }) => propose_change(model, action, out),
        Action::ConfirmChange => confirm_change(model, out),
        Action::CancelChange => model.proposal = None,
        action @ (Action::SetAutoRefresh(_)
        | Action::SetRefreshInterval(_)
        | Action::SetReadOnly(_)
        | Action::SetReadOnlyProfiles(_)
        | Action::SetLogCapacity(_)
        | Action::SetLogCapacityMib(_)
        | Action::SetRecorderLimits(_)
        | Action::SetNotifications(_)) => settings::apply(model, action, now, out),
        action @ (Action::StoppedTasksRecorded(_)
        | Action::ExportIncidentLogs { .. }
        | Action::ShowRangeLogs(_)
        | Action::Pin(_)
        | Action::Unpin(_)
        | Action::DismissOutcome
        | Action::WriteFailed(_)) => apply_workspace(model, action, now, out),
        Action::StartTail(spec) => crate::model::reduce::logs::start_tail(model, spec, out),
        Action::StopTail => crate::model::reduce::logs::stop_tail(model, out),
        Action::LoadOlderLogs { back_to_ms } => {
            crate::model::reduce::logs::load_older(model, back_to_ms, out);
        }
        action @ (Action::CloseSession(_)
        | Action::FocusSession(_)
        | Action::RemoveSession(_)
        | Action::SetSessionPlugin(_)
        | Action::SetSystemTerminal(_)) => exec::apply(model, action),
        action @ (Action::OpenFleet(_)
        | Action::ReloadFleet
        | Action::SetFleets(_)
        | Action::OpenFleetService { .. }
        | Action::OpenFleetServiceWindow { .. }) => fleet::apply(model, action, now, out),
    }
}

/// Once a frame: the fleet's new parts ranked, what is due reloaded.
fn tick(model: &mut Model, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    // The fleet's parts that came in are ranked once a frame at most (less often while it
    // streams in).
    if let Some(fleet) = model.fleet.as_mut() {
        fleet.rank_due(now);
    }
    // With credentials failing, refreshing only repeats the failure: the banner's Retry (or
    // any navigation) tries again.
    if model.policy.auto_refresh && model.credentials_error.is_none() {
        load_visible(model, Freshness::IfDue, now, out);
    }
}

/// A change waits for the user's confirmation (the one dialog every change passes); in
/// read-only mode it is refused at once, with the rule that refuses it.
fn propose_change(model: &mut Model, action: Action, out: &mut Vec<WorkerCommand>) {
    if model.read_only() {
        if let Some((kind, request)) = mutation_of(model, action) {
            start_mutation(model, kind, request, out);
        }
        return;
    }
    model.proposal = crate::model::changes::proposal::propose(model, action).map(Box::new);
}

/// The user confirmed the change shown: exactly that action goes ahead.
fn confirm_change(model: &mut Model, out: &mut Vec<WorkerCommand>) {
    let Some(proposal) = model.proposal.take() else {
        return;
    };
    match proposal.action {
        Action::SetReadOnly(on) => settings::set_read_only(model, on),
        Action::SetReadOnlyProfiles(patterns) => settings::set_patterns(model, patterns),
        action => {
            if let Some((kind, request)) = mutation_of(model, action) {
                start_mutation(model, kind, request, out);
            }
        }
    }
}

/// What the user keeps beside the screens: pins, recorded stops, exports, range logs and the
/// outcome and write-error lines.
fn apply_workspace(
    model: &mut Model,
    action: Action,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    match action {
        Action::StoppedTasksRecorded(records) => model.recorded_stops.extend(records),
        Action::ExportIncidentLogs { key, ranges } => {
            let id = next_id(model);
            model.export_logs = Some(crate::model::ExportLogs {
                id: Some(id),
                result: None,
            });
            out.push(WorkerCommand::Start {
                id,
                generation: model.generation,
                connection: model.connection.clone(),
                request: Request::ExportIncidentLogs { key, ranges },
            });
        }
        Action::ShowRangeLogs(range) => {
            model.range_logs = range;
            load_visible(model, Freshness::IfStale, now, out);
        }
        Action::Pin(pin) => {
            let added = crate::model::workspace::pins::add(&mut model.pins, pin);
            if added {
                load_visible(model, Freshness::IfStale, now, out);
            }
        }
        Action::Unpin(pin) => model
            .pins
            .retain(|p| !crate::model::workspace::pins::same(p, &pin)),
        Action::DismissOutcome => model.outcome = None,
        Action::WriteFailed(why) => model.write_error = why,
        _ => {}
    }
}

/// Switches to another profile, region or endpoint: a new generation, an empty store, the
/// old place left, and what the screen shows loaded again.
fn set_connection(
    model: &mut Model,
    connection: super::Connection,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    if connection == model.connection {
        return;
    }
    model.connection = connection;
    model.generation += 1;
    // A change shown for the old connection must not be confirmed against the new one.
    model.proposal = None;
    // Read-only turned off is for the connection it was turned off on.
    model.change_rules.read_write = false;
    // Everything loaded belongs to the old connection, whatever kind it is.
    model.store = crate::model::store::Store::default();
    // A tail reads the old account's groups: it ends with the connection.
    model.log_tail = None;
    model.popouts.clear();
    if let Some(mutation) = model.mutation.take() {
        model.outcome = Some(interrupted(mutation));
    }
    model.in_flight.clear();
    model.latest.clear();
    model.last_attempt.clear();
    model.credentials_error = None;
    model.offline = None;
    // ARNs belong to one account and region: the old place makes no sense here.
    // Drafts are local, so the editor stays.
    if !matches!(model.route, super::Route::Draft { .. }) {
        model.route = super::Route::Clusters;
    }
    out.push(WorkerCommand::CancelAll);
    if model.profiles.is_pending() {
        model.profiles_request = None;
        request_profiles(model, out);
    }
    load_visible(model, Freshness::Always, now, out);
}

/// What became of a change still being sent when the connection changed. A session goes on
/// opening with its own connection (the worker does not cancel it), and says how under
/// Sessions; any other change may or may not have taken effect.
fn interrupted(mutation: Mutation) -> Outcome {
    let session = matches!(
        mutation.kind,
        MutationKind::ExecuteCommand { .. }
            | MutationKind::StartPortForward { .. }
            | MutationKind::ExecWindow { .. }
    );
    let result = if session {
        Ok(format!(
            "goes on opening with {}: see Sessions",
            mutation.connection.source_label()
        ))
    } else {
        Err(AwsError::internal(
            "connection",
            "the connection changed while this change was being sent; \
                 check the revisions list to see whether it took effect",
        ))
    };
    Outcome {
        id: mutation.id,
        connection: mutation.connection,
        kind: mutation.kind,
        summary: mutation.summary,
        sent: true,
        result,
    }
}

/// No answer at all (refused, DNS, timeout) means offline; any answer, even an error, means
/// the endpoint is back.
fn note_reachability(model: &mut Model, response: &Response, now: SystemTime) {
    match response.error() {
        Some(error) if matches!(error.kind, ErrorKind::Network | ErrorKind::Timeout) => {
            if model.offline.is_none() {
                model.offline = Some((now, error.clone()));
            }
        }
        _ => model.offline = None,
    }
}

fn apply_event(model: &mut Model, event: Event, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    if let Response::FleetPart { pair, part } = event.response {
        fleet::apply_part(model, event.id, pair, *part, now);
        return;
    }
    if let Response::TailStatus(status) = event.response {
        crate::model::reduce::logs::apply_status(model, event.id, event.generation, *status);
        return;
    }
    if let Response::ExportLogs(result) = event.response {
        match model.export_logs.as_mut() {
            Some(export) if export.id == Some(event.id) => export.result = Some(result),
            _ => model.dropped_responses += 1,
        }
        return;
    }
    if let Response::TailHistory(result) = event.response {
        crate::model::reduce::logs::apply_history(model, event.id, event.generation, result);
        return;
    }
    if let Response::Profiles(result) = event.response {
        if model.profiles_request != Some(event.id) {
            model.dropped_responses += 1;
            return;
        }
        model.profiles_request = None;
        let result = result.map_err(|message| AwsError::internal("ReadProfiles", message));
        let version = next_version(model);
        model.profiles.finish(result, now, version);
        return;
    }
    if event.generation != model.generation {
        model.dropped_responses += 1;
        return;
    }
    note_reachability(model, &event.response, now);
    if model.mutation.as_ref().is_some_and(|m| m.id == event.id) {
        if let Some(error) = event.response.error()
            && error.kind == ErrorKind::Credentials
        {
            model.credentials_error = Some(error.clone());
        }
        if let Some(mutation) = model.mutation.take()
            && !verify::begin_if_unknown(model, &mutation, &event.response, now, out)
        {
            finish_mutation(model, mutation, event.response, now);
        }
        return;
    }
    // Only the latest request per key is in flight (a key is never loaded twice at once, and
    // cancelling forgets the id), so an unknown id is superseded or cancelled.
    let Some(key) = model.in_flight.remove(&event.id) else {
        model.dropped_responses += 1;
        return;
    };
    model.latest.remove(&key);
    // The interval runs from the answer, so a load slower than the interval can't loop.
    model.last_attempt.insert(key.clone(), now);
    let version = next_version(model);
    note_credentials(model, &event.response, out);
    answers::store_answer(model, &key, event.response, (now, version), out);
}

/// A credentials failure cancels the other loads (they would fail the same way) and shows the
/// banner; any success clears it.
fn note_credentials(model: &mut Model, response: &Response, out: &mut Vec<WorkerCommand>) {
    match response.error() {
        Some(error) if error.kind == ErrorKind::Credentials => {
            if model.credentials_error.is_none() {
                // Every other call would fail the same way: stop them, keep what is shown.
                let keys: Vec<ResourceKey> = model.latest.keys().cloned().collect();
                for key in keys {
                    slots::cancel_key(model, &key, out);
                }
            }
            model.credentials_error = Some(error.clone());
        }
        Some(_) => {}
        None => model.credentials_error = None,
    }
}

fn request_profiles(model: &mut Model, out: &mut Vec<WorkerCommand>) {
    if model.profiles_request.is_some() {
        return;
    }
    let id = next_id(model);
    model.profiles_request = Some(id);
    model.profiles.start();
    out.push(WorkerCommand::Start {
        id,
        generation: model.generation,
        connection: model.connection.clone(),
        request: Request::ListProfiles,
    });
}

fn next_version(model: &mut Model) -> u64 {
    model.next_version += 1;
    model.next_version
}

/// A new request id.
pub(crate) fn next_request_id(model: &mut Model) -> RequestId {
    next_id(model)
}

fn next_id(model: &mut Model) -> RequestId {
    model.next_request += 1;
    RequestId(model.next_request)
}

use slots::{Freshness, load_visible};

use changes::{finish_mutation, mutation_of, start_mutation};
