//! `reduce`: applies one action or worker event to the model and says what to fetch.

use super::messages::{Action, Event, Msg, Request, RequestId, Response, WorkerCommand};
use super::route::ResourceKey;
use super::{AwsError, ErrorKind, Loadable, Model, MutationKind, Outcome};
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
        Action::SetConnection(connection) => {
            if connection == model.connection {
                return;
            }
            model.connection = connection;
            model.generation += 1;
            model.apply_read_only_profiles();
            model.clusters = Loadable::NotRequested;
            model.services.clear();
            model.tasks.clear();
            model.instances.clear();
            model.families = Loadable::NotRequested;
            model.revisions.clear();
            model.task_definitions.clear();
            model.scaling.clear();
            model.deployment_history.clear();
            model.metrics.clear();
            model.sparklines.clear();
            // A tail reads the old account's groups: it ends with the connection.
            model.log_tail = None;
            model.popouts.clear();
            if let Some(mutation) = model.mutation.take() {
                model.outcome = Some(Outcome {
                    kind: mutation.kind,
                    summary: mutation.summary,
                    sent: true,
                    result: Err(AwsError::internal(
                        "connection",
                        "the connection changed while this change was being sent; \
                         check the revisions list to see whether it took effect",
                    )),
                });
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
        Action::Navigate(route) => {
            if !popouts::redirect_logs(model, &route, now, out) {
                popouts::navigate(model, route, now, out);
            }
        }
        Action::PopOut(route) => popouts::pop_out(model, route, now, out),
        Action::RetargetPopout { id, route } => popouts::retarget(model, id, route, now, out),
        Action::ClosePopout(id) => popouts::close(model, id, now, out),
        Action::SetPopoutGeometry { id, geometry } => popouts::set_geometry(model, id, geometry),
        Action::Refresh => load_visible(model, Freshness::Always, now, out),
        Action::Reconnect => {
            out.push(WorkerCommand::ResetClients);
            // The profile may have changed kind (static keys → SSO): its fix text follows it.
            request_profiles(model, out);
            load_visible(model, Freshness::Always, now, out);
        }
        Action::SetAutoRefresh(on) => model.auto_refresh = on,
        Action::SetRefreshInterval(secs) => model.refresh_interval_secs = secs.max(1),
        Action::ReloadProfiles => request_profiles(model, out),
        Action::Tick => {
            // With credentials failing, refreshing only repeats the failure: the banner's
            // Retry (or any navigation) tries again.
            if model.auto_refresh && model.credentials_error.is_none() {
                load_visible(model, Freshness::IfDue, now, out);
            }
        }
        Action::Register { draft_id, input } => start_mutation(
            model,
            MutationKind::Register { draft_id },
            Request::Register { input },
            out,
        ),
        Action::Deregister { arn } => start_mutation(
            model,
            MutationKind::Deregister { arn: arn.clone() },
            Request::Deregister { arn },
            out,
        ),
        Action::UpdateService(change) => start_mutation(
            model,
            MutationKind::UpdateService {
                service: change.service.clone(),
            },
            Request::UpdateService(change),
            out,
        ),
        Action::StopTask {
            cluster,
            task,
            reason,
        } => start_mutation(
            model,
            MutationKind::StopTask { task: task.clone() },
            Request::StopTask {
                cluster,
                task,
                reason,
            },
            out,
        ),
        Action::RollBackDeployment {
            service,
            deployment,
        } => start_mutation(
            model,
            MutationKind::RollBackDeployment { service },
            Request::RollBackDeployment { deployment },
            out,
        ),
        Action::RunTask(spec) => start_mutation(
            model,
            MutationKind::RunTask {
                task_definition: spec.task_definition.clone(),
            },
            Request::RunTask(spec),
            out,
        ),
        Action::SetScalingBounds {
            cluster,
            service,
            min,
            max,
        } => start_mutation(
            model,
            MutationKind::SetScaling {
                service: service.clone(),
            },
            Request::SetScalingBounds {
                cluster,
                service,
                min,
                max,
            },
            out,
        ),
        Action::SetReadOnly(on) => {
            model.read_only = on;
            model.read_only_reason = None;
        }
        Action::SetReadOnlyProfiles(patterns) => {
            model.read_only_profiles = patterns;
            model.apply_read_only_profiles();
        }
        Action::SetLogCapacity(lines) => model.log_capacity_lines = lines,
        Action::Pin(pin) => {
            if super::pins::add(&mut model.pins, pin) {
                load_visible(model, Freshness::IfStale, now, out);
            }
        }
        Action::Unpin(pin) => model.pins.retain(|p| !super::pins::same(p, &pin)),
        Action::DismissOutcome => model.outcome = None,
        Action::StartTail(spec) => super::reduce_logs::start_tail(model, spec, out),
        Action::StopTail => super::reduce_logs::stop_tail(model, out),
        Action::LoadOlderLogs { back_to_ms } => {
            super::reduce_logs::load_older(model, back_to_ms, out);
        }
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
    if let Response::TailStatus(status) = event.response {
        super::reduce_logs::apply_status(model, event.id, event.generation, *status);
        return;
    }
    if let Response::TailHistory(result) = event.response {
        super::reduce_logs::apply_history(model, event.id, event.generation, result);
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
    match event.response.error() {
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
    match (&key, event.response) {
        (ResourceKey::Clusters, Response::Clusters(result)) => {
            model.clusters.finish(result, now, version);
        }
        (ResourceKey::Services(cluster), Response::Services(result)) => {
            let ok = result.is_ok();
            let slot = model.services.entry(cluster.clone()).or_default();
            slot.finish(result, now, version);
            verify::on_services(model, cluster);
            // Sparklines are refreshed with the list they belong to.
            let sparklines = ResourceKey::Sparklines(cluster.clone());
            if ok
                && model.route.visible_keys().contains(&sparklines)
                && !model.latest.contains_key(&sparklines)
            {
                start_load(model, sparklines, now, out);
            }
        }
        (ResourceKey::Metrics(metrics), Response::Metrics(result)) => {
            // Keep only what is on screen: 7 days of data per range adds up.
            let visible = model.route.visible_keys();
            model
                .metrics
                .retain(|k, _| k == metrics || visible.contains(&ResourceKey::Metrics(k.clone())));
            let slot = model.metrics.entry(metrics.clone()).or_default();
            slot.finish(result.map(|data| *data), now, version);
        }
        (ResourceKey::Sparklines(cluster), Response::Sparklines(result)) => {
            let slot = model.sparklines.entry(cluster.clone()).or_default();
            slot.finish(result.map(|data| *data), now, version);
        }
        (ResourceKey::Tasks(scope), Response::Tasks(result)) => {
            let slot = model.tasks.entry(scope.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Instances(cluster), Response::Instances(result)) => {
            let slot = model.instances.entry(cluster.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Families, Response::Families(result)) => {
            model.families.finish(result, now, version);
        }
        (ResourceKey::Revisions(family), Response::Revisions(result)) => {
            let slot = model.revisions.entry(family.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Deployments(_, service), Response::ServiceDeployments(result)) => {
            let slot = model.deployment_history.entry(service.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Scaling(_, service), Response::Scaling(result)) => {
            let slot = model.scaling.entry(service.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::TaskDefinition(arn), Response::TaskDefinition(result)) => {
            let slot = model.task_definitions.entry(arn.clone()).or_default();
            slot.finish(result, now, version);
        }
        _ => {
            // A worker bug: never leave the view spinning.
            model.dropped_responses += 1;
            loadable_cancel(model, &key);
        }
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
pub(super) fn next_request_id(model: &mut Model) -> RequestId {
    next_id(model)
}

fn next_id(model: &mut Model) -> RequestId {
    model.next_request += 1;
    RequestId(model.next_request)
}

#[path = "reduce_slots.rs"]
mod slots;
use slots::{Freshness, load_visible, loadable_cancel, start_load};

#[path = "reduce_popouts.rs"]
mod popouts;

#[path = "reduce_verify.rs"]
mod verify;

#[path = "reduce_changes.rs"]
mod changes;
use changes::{finish_mutation, start_mutation};

#[cfg(test)]
#[path = "reduce_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "reduce_credentials_tests.rs"]
mod credentials_tests;

#[cfg(test)]
#[path = "reduce_mutation_tests.rs"]
mod mutation_tests;

#[cfg(test)]
#[path = "reduce_metrics_tests.rs"]
mod metrics_tests;

#[cfg(test)]
#[path = "reduce_logs_tests.rs"]
mod logs_tests;

#[cfg(test)]
#[path = "reduce_popouts_tests.rs"]
mod popouts_tests;
