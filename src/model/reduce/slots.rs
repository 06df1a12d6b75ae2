//! The `Loadable` behind each `ResourceKey`: where `reduce` marks a load started or cancelled,
//! and when a key may load.

use super::super::{Model, Request, ResourceKey, WorkerCommand};
use crate::model::incident::sources::SeenByApp;
use std::time::SystemTime;

/// When a visible key is (re)loaded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freshness {
    /// Unless a load is already in flight (manual refresh, new connection).
    Always,
    /// Never loaded, or older than the refresh interval (navigation).
    IfStale,
    /// The last attempt is older than the refresh interval (auto-refresh tick).
    IfDue,
}

pub(crate) fn loadable_cancel(model: &mut Model, key: &ResourceKey) {
    model.store.slot(key).cancel();
}

pub(crate) fn loadable_start(model: &mut Model, key: &ResourceKey) {
    model.store.slot(key).start();
}

/// Sparklines need their cluster's service list, and follow its refresh: not while it loads.
pub(crate) fn sparklines_ready(model: &Model, key: &ResourceKey) -> bool {
    let ResourceKey::Sparklines(cluster) = key else {
        return true;
    };
    model.services_of(cluster).value().is_some()
        && !model
            .latest
            .contains_key(&ResourceKey::Services(cluster.clone()))
}

pub(crate) fn cancel_key(model: &mut Model, key: &ResourceKey, out: &mut Vec<WorkerCommand>) {
    if let Some(id) = model.latest.remove(key) {
        model.in_flight.remove(&id);
        // Let the next visit retry at once rather than wait for the interval.
        model.last_attempt.remove(key);
        loadable_cancel(model, key);
        out.push(WorkerCommand::Cancel(id));
    }
}

/// Starts loading what is watched, as `freshness` says.
pub(crate) fn load_visible(
    model: &mut Model,
    freshness: Freshness,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    // A clock that went backwards (NTP, sleep) counts as "just now", never as overdue.
    let age = |t: SystemTime| now.duration_since(t).unwrap_or_default();
    for key in model.watched_keys() {
        if model.latest.contains_key(&key) || !sparklines_ready(model, &key) {
            continue;
        }
        // ...and the schedule restarts from the new "now" rather than waiting for the old time.
        if let Some(t) = model.last_attempt.get_mut(&key)
            && *t > now
        {
            *t = now;
        }
        // A manual refresh reloads what is on screen; the background lists keep their pace.
        let freshness = match (freshness, &key) {
            (Freshness::Always, ResourceKey::ServiceArns(_)) => Freshness::IfStale,
            (freshness, _) => freshness,
        };
        let due = match freshness {
            Freshness::Always => true,
            Freshness::IfStale => model
                .fetched_at(&key)
                .is_none_or(|t| age(t) >= model.refresh_interval_at(&key, now)),
            Freshness::IfDue => model
                .last_attempt
                .get(&key)
                .is_none_or(|t| age(*t) >= model.refresh_interval_at(&key, now)),
        };
        if due {
            start_load(model, key, now, out);
        }
    }
}

/// The recorder's stopped tasks a timeline can use: its cluster's, of its services (any,
/// for a cluster's), stopped in its window — not the whole file on every refresh.
fn recorded_for(
    model: &Model,
    key: &crate::model::incident::timeline::IncidentKey,
    now: SystemTime,
) -> Vec<crate::model::ecs::Task> {
    let (start, end) = key.range.window(crate::model::time_format::epoch_secs(now));
    let names: Vec<&str> = key
        .services
        .iter()
        .map(|s| crate::model::ecs::short_id(s))
        .collect();
    model
        .recorded_stops
        .iter()
        .map(|r| &r.task)
        .filter(|t| t.cluster_arn == key.cluster)
        .filter(|t| names.is_empty() || t.service_name().is_some_and(|n| names.contains(&n)))
        .filter(|t| {
            t.stopped_at
                .map(crate::model::time_format::epoch_secs)
                .is_some_and(|at| at >= start && at <= end)
        })
        .cloned()
        .collect()
}

/// Starts loading `key`.
pub(crate) fn start_load(
    model: &mut Model,
    key: ResourceKey,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    let request = match &key {
        ResourceKey::Sparklines(cluster) => Request::Sparklines {
            cluster: cluster.clone(),
            services: model
                .services_of(cluster)
                .value()
                .map(|list| list.iter().map(|s| s.arn.clone()).collect())
                .unwrap_or_default(),
        },
        ResourceKey::Incident(incident) => Request::Incident {
            key: incident.clone(),
            seen: Box::new(SeenByApp {
                recorded: recorded_for(model, incident, now),
                stages: model.stages_seen.of_cluster(&incident.cluster),
            }),
            tail: model
                .log_tail
                .as_ref()
                .filter(|t| crate::model::incident::error_counts::tail_matches(&t.spec, incident))
                .map(|t| t.data.clone()),
        },
        ResourceKey::ExecPreflight(target) => Request::ExecPreflight {
            target: target.clone(),
            plugin: model.policy.session_manager_plugin.clone(),
        },
        _ => Request::Load(key.clone()),
    };
    let id = super::next_request_id(model);
    loadable_start(model, &key);
    model.in_flight.insert(id, key.clone());
    model.latest.insert(key.clone(), id);
    model.last_attempt.insert(key.clone(), now);
    out.push(WorkerCommand::Start {
        id,
        generation: model.generation,
        connection: model.connection.clone(),
        request,
    });
}
