//! An answer to a load, stored under its key: the one place a `Response` meets its store.

use super::slots::{loadable_cancel, start_load};
use crate::model::Model;
use crate::model::messages::{Response, WorkerCommand};
use crate::model::route::ResourceKey;
use std::time::SystemTime;

/// Stores `response` to the load of `key` (fetched at `now`, numbered `version`); a services
/// list also settles a change being verified and refreshes its sparklines.
pub(crate) fn store_answer(
    model: &mut Model,
    key: &ResourceKey,
    response: Response,
    (now, version): (SystemTime, u64),
    out: &mut Vec<WorkerCommand>,
) {
    store(model, key, response, (now, version), out);
    if *key == ResourceKey::Clusters {
        // The service ARNs of every cluster, listed behind whatever is on screen.
        let never_asked: Vec<ResourceKey> = model
            .service_arn_keys()
            .into_iter()
            .filter(|k| !model.latest.contains_key(k) && !model.last_attempt.contains_key(k))
            .collect();
        for key in never_asked {
            start_load(model, key, now, out);
        }
    }
    if matches!(
        key,
        ResourceKey::Services(_)
            | ResourceKey::Deployments(..)
            | ResourceKey::DeploymentDetail(_)
            | ResourceKey::ServiceRevisions(_)
    ) {
        load_new_derived(model, now, out);
    }
}

/// Starts what an answer made watchable (the newest deployment, its revisions, their task
/// definitions) at once rather than at the next tick; only what was never asked for.
fn load_new_derived(model: &mut Model, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    for key in model.derived_keys() {
        if !model.latest.contains_key(&key)
            && !model.last_attempt.contains_key(&key)
            && model.store.fetched_at(&key).is_none()
        {
            start_load(model, key, now, out);
        }
    }
}

fn store(
    model: &mut Model,
    key: &ResourceKey,
    response: Response,
    (now, version): (SystemTime, u64),
    out: &mut Vec<WorkerCommand>,
) {
    match (key, response) {
        (ResourceKey::Clusters, Response::Clusters(result)) => {
            model.store.clusters.finish(result, now, version);
        }
        (ResourceKey::Services(cluster), Response::Services(result)) => {
            let ok = result.is_ok();
            let slot = model.store.services.entry(cluster.clone()).or_default();
            slot.finish(result, now, version);
            super::verify::on_services(model, cluster);
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
                .store
                .metrics
                .retain(|k, _| k == metrics || visible.contains(&ResourceKey::Metrics(k.clone())));
            let slot = model.store.metrics.entry(metrics.clone()).or_default();
            slot.finish(result.map(|data| *data), now, version);
        }
        (ResourceKey::Incident(incident), Response::Incident(result)) => {
            // Keep only what is on screen: a timeline holds its charts and every event.
            let visible = model.route.visible_keys();
            model.store.incidents.retain(|k, _| {
                k == incident || visible.contains(&ResourceKey::Incident(k.clone()))
            });
            let slot = model.store.incidents.entry(incident.clone()).or_default();
            slot.finish(result.map(|timeline| *timeline), now, version);
        }
        (ResourceKey::RangeLogs(range), Response::RangeLogs(result)) => {
            // One range at a time: the one chosen last.
            model.store.range_logs.retain(|k, _| k == range);
            let slot = model.store.range_logs.entry(range.clone()).or_default();
            slot.finish(result.map(|logs| *logs), now, version);
        }
        (ResourceKey::Sparklines(cluster), Response::Sparklines(result)) => {
            let slot = model.store.sparklines.entry(cluster.clone()).or_default();
            slot.finish(result.map(|data| *data), now, version);
        }
        (ResourceKey::Tasks(scope), Response::Tasks(result)) => {
            let slot = model.store.tasks.entry(scope.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Instances(cluster), Response::Instances(result)) => {
            let slot = model.store.instances.entry(cluster.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::ServiceArns(cluster), Response::ServiceArns(result)) => {
            let slot = model.store.service_arns.entry(cluster.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Families, Response::Families(result)) => {
            model.store.families.finish(result, now, version);
        }
        (ResourceKey::FamilyOverview, Response::FamilyOverview(result)) => {
            model.store.family_overview.finish(result, now, version);
        }
        (ResourceKey::Revisions(family), Response::Revisions(result)) => {
            let slot = model.store.revisions.entry(family.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Deployments(_, service), Response::ServiceDeployments(result)) => {
            let slot = model
                .store
                .deployment_history
                .entry(service.clone())
                .or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Scaling(_, service), Response::Scaling(result)) => {
            let slot = model.store.scaling.entry(service.clone()).or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::TaskDefinition(arn), Response::TaskDefinition(result)) => {
            let slot = model.store.task_definitions.entry(arn.clone()).or_default();
            slot.finish(result, now, version);
        }
        (key, response) => store_deployment_data(model, key, response, (now, version)),
    }
}

/// The answers behind the rollout cockpit, "what changed", the deployment dialogs and the
/// exec preflight.
fn store_deployment_data(
    model: &mut Model,
    key: &ResourceKey,
    response: Response,
    (now, version): (SystemTime, u64),
) {
    match (key, response) {
        (ResourceKey::DeploymentDetail(arn), Response::ServiceDeployment(result)) => {
            if let Ok(detail) = &result {
                model.stages_seen.observe(detail, now);
            }
            let slot = model
                .store
                .deployment_details
                .entry(arn.clone())
                .or_default();
            slot.finish(result.map(|detail| *detail), now, version);
        }
        (ResourceKey::ServiceRevisions(arns), Response::ServiceRevisions(result)) => {
            let slot = model
                .store
                .service_revisions
                .entry(arns.clone())
                .or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::ImageTags(repository), Response::ImageTags(result)) => {
            let slot = model
                .store
                .image_tags
                .entry(repository.clone())
                .or_default();
            slot.finish(result, now, version);
        }
        (ResourceKey::Alarms, Response::Alarms(result)) => {
            model
                .store
                .alarms
                .finish(result.map(|alarms| *alarms), now, version);
        }
        (ResourceKey::ExecPreflight(target), Response::ExecPreflight(result)) => {
            // One container's preflight at a time: the one on screen.
            model.store.exec_preflights.retain(|t, _| t == target);
            let slot = model
                .store
                .exec_preflights
                .entry(target.clone())
                .or_default();
            slot.finish(result.map(|report| *report), now, version);
        }
        _ => {
            // A worker bug: never leave the view spinning.
            model.dropped_responses += 1;
            loadable_cancel(model, key);
        }
    }
}
