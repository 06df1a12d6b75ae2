//! The `Loadable` behind each `ResourceKey`: where `reduce` marks a load started or cancelled,
//! and when a key may load.

use super::super::{Loadable, Model, ResourceKey, WorkerCommand};

/// The start/cancel half of a `Loadable`, whatever it holds.
trait LoadState {
    fn start(&mut self);
    fn cancel(&mut self);
}

impl<T> LoadState for Loadable<T> {
    fn start(&mut self) {
        Loadable::start(self);
    }

    fn cancel(&mut self) {
        Loadable::cancel(self);
    }
}

/// The store of `key`, created on first use.
fn slot<'m>(model: &'m mut Model, key: &ResourceKey) -> &'m mut dyn LoadState {
    match key {
        ResourceKey::Clusters => &mut model.clusters,
        ResourceKey::Services(c) => model.services.entry(c.clone()).or_default(),
        ResourceKey::Tasks(s) => model.tasks.entry(s.clone()).or_default(),
        ResourceKey::Instances(c) => model.instances.entry(c.clone()).or_default(),
        ResourceKey::Families => &mut model.families,
        ResourceKey::Revisions(f) => model.revisions.entry(f.clone()).or_default(),
        ResourceKey::TaskDefinition(a) => model.task_definitions.entry(a.clone()).or_default(),
        ResourceKey::Scaling(_, s) => model.scaling.entry(s.clone()).or_default(),
        ResourceKey::Deployments(_, s) => model.deployment_history.entry(s.clone()).or_default(),
        ResourceKey::Metrics(k) => model.metrics.entry(k.clone()).or_default(),
        ResourceKey::Sparklines(c) => model.sparklines.entry(c.clone()).or_default(),
    }
}

pub(super) fn loadable_cancel(model: &mut Model, key: &ResourceKey) {
    slot(model, key).cancel();
}

pub(super) fn loadable_start(model: &mut Model, key: &ResourceKey) {
    slot(model, key).start();
}

/// Sparklines need their cluster's service list, and follow its refresh: not while it loads.
pub(super) fn sparklines_ready(model: &Model, key: &ResourceKey) -> bool {
    let ResourceKey::Sparklines(cluster) = key else {
        return true;
    };
    model.services_of(cluster).value().is_some()
        && !model
            .latest
            .contains_key(&ResourceKey::Services(cluster.clone()))
}

pub(super) fn cancel_key(model: &mut Model, key: &ResourceKey, out: &mut Vec<WorkerCommand>) {
    if let Some(id) = model.latest.remove(key) {
        model.in_flight.remove(&id);
        // Let the next visit retry at once rather than wait for the interval.
        model.last_attempt.remove(key);
        loadable_cancel(model, key);
        out.push(WorkerCommand::Cancel(id));
    }
}
