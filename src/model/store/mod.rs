//! What the model holds of AWS: one `Store` of every loaded resource, each in a `Loadable`
//! under its `ResourceKey`. A connection change replaces the whole store, so no resource of
//! one account or region can be shown under another.

pub mod loadable;
pub(crate) mod resource_key;

use super::ecs::rollout::ServiceDeploymentSummary;
use super::ecs::scaling::ScalingTarget;
use super::ecs::service_deployment::ServiceDeploymentDetail;
use super::ecs::service_revision::ServiceRevision;
use super::ecs::{Cluster, ContainerInstance, Service, Task};
use super::incident::range_logs::{RangeLogs, RangeLogsKey};
use super::incident::timeline::{IncidentKey, Timeline};
use super::metrics::alarms::Alarms;
use super::metrics::charts::{MetricsData, MetricsKey};
use super::metrics::sparklines::Sparklines;
use super::task_defs::revisions::{Family, RevisionSummary};
use super::task_defs::task_def::TaskDefDocument;
use loadable::Loadable;
use resource_key::{ResourceKey, TaskScope};
use std::collections::HashMap;
use std::time::SystemTime;

/// Every resource loaded for the current connection.
#[derive(Debug, Default)]
pub struct Store {
    /// The cluster list.
    pub clusters: Loadable<Vec<Cluster>>,
    /// Services per cluster ARN.
    pub services: HashMap<String, Loadable<Vec<Service>>>,
    /// Tasks per scope.
    pub tasks: HashMap<TaskScope, Loadable<Vec<Task>>>,
    /// Container instances per cluster ARN.
    pub instances: HashMap<String, Loadable<Vec<ContainerInstance>>>,
    /// Task-definition families.
    pub families: Loadable<Vec<Family>>,
    /// The family list's extra columns (newest, counts, registration, services).
    pub family_overview: Loadable<Box<crate::model::task_defs::family_overview::FamilyOverview>>,
    /// Revisions per family.
    pub revisions: HashMap<String, Loadable<Vec<RevisionSummary>>>,
    /// Deployment history per service ARN.
    pub deployment_history: HashMap<String, Loadable<Vec<ServiceDeploymentSummary>>>,
    /// Auto scaling targets per service ARN.
    pub scaling: HashMap<String, Loadable<Option<ScalingTarget>>>,
    /// Task definitions per ARN (or `family:revision`).
    pub task_definitions: HashMap<String, Loadable<TaskDefDocument>>,
    /// Metric charts on screen.
    pub metrics: HashMap<MetricsKey, Loadable<MetricsData>>,
    /// CPU and memory sparklines per cluster ARN.
    pub sparklines: HashMap<String, Loadable<Sparklines>>,
    /// Service deployments in full, per deployment ARN.
    pub deployment_details: HashMap<String, Loadable<ServiceDeploymentDetail>>,
    /// Service revisions, per list of ARNs asked together.
    pub service_revisions: HashMap<Vec<String>, Loadable<Vec<ServiceRevision>>>,
    /// The region's metric alarms.
    pub alarms: Loadable<Alarms>,
    /// ECR repository tags per `ACCOUNT/REGION/REPOSITORY`.
    pub image_tags: HashMap<String, Loadable<Vec<super::task_defs::new_image::ImageTag>>>,
    /// Service ARNs per cluster ARN (ListServices only), for finding any service.
    pub service_arns: HashMap<String, Loadable<Vec<String>>>,
    /// Incident timelines on screen.
    pub incidents: HashMap<IncidentKey, Loadable<Timeline>>,
    /// Log lines of a range of a timeline (the one on screen).
    pub range_logs: HashMap<RangeLogsKey, Loadable<RangeLogs>>,
    /// Exec preflights, by container.
    pub exec_preflights: HashMap<
        crate::model::exec::ExecTarget,
        Loadable<crate::model::exec::preflight::ExecReport>,
    >,
}

/// The start/cancel half of a `Loadable`, whatever it holds.
pub(crate) trait LoadState {
    /// A load started (keeps the previous value).
    fn start(&mut self);
    /// The load was called off.
    fn cancel(&mut self);
    /// When the value shown was fetched.
    fn fetched(&self) -> Option<SystemTime>;
    /// Holds something loaded to show: a value or a failure.
    fn shows_anything(&self) -> bool;
    /// Ends the load in flight with `error` (tests fill every kind of store this way).
    #[cfg(test)]
    fn fail(&mut self, error: super::AwsError, now: SystemTime);
}

impl<T> LoadState for Loadable<T> {
    fn start(&mut self) {
        Loadable::start(self);
    }

    fn cancel(&mut self) {
        Loadable::cancel(self);
    }

    fn fetched(&self) -> Option<SystemTime> {
        self.fetched_at()
    }

    fn shows_anything(&self) -> bool {
        self.fetched().is_some() || self.error().is_some()
    }

    #[cfg(test)]
    fn fail(&mut self, error: super::AwsError, now: SystemTime) {
        self.finish(Err(error), now, 0);
    }
}

impl Store {
    /// The `Loadable` of `key`, created on first use: the one place a key meets its store.
    pub(crate) fn slot(&mut self, key: &ResourceKey) -> &mut dyn LoadState {
        match key {
            ResourceKey::Clusters => &mut self.clusters,
            ResourceKey::Services(c) => self.services.entry(c.clone()).or_default(),
            ResourceKey::Tasks(s) => self.tasks.entry(s.clone()).or_default(),
            ResourceKey::Instances(c) => self.instances.entry(c.clone()).or_default(),
            ResourceKey::Families => &mut self.families,
            ResourceKey::FamilyOverview => &mut self.family_overview,
            ResourceKey::Revisions(f) => self.revisions.entry(f.clone()).or_default(),
            ResourceKey::TaskDefinition(a) => self.task_definitions.entry(a.clone()).or_default(),
            ResourceKey::Scaling(_, s) => self.scaling.entry(s.clone()).or_default(),
            ResourceKey::Deployments(_, s) => self.deployment_history.entry(s.clone()).or_default(),
            ResourceKey::Metrics(k) => self.metrics.entry(k.clone()).or_default(),
            ResourceKey::Sparklines(c) => self.sparklines.entry(c.clone()).or_default(),
            ResourceKey::DeploymentDetail(a) => {
                self.deployment_details.entry(a.clone()).or_default()
            }
            ResourceKey::ServiceRevisions(a) => {
                self.service_revisions.entry(a.clone()).or_default()
            }
            ResourceKey::Alarms => &mut self.alarms,
            ResourceKey::ImageTags(r) => self.image_tags.entry(r.clone()).or_default(),
            ResourceKey::ServiceArns(c) => self.service_arns.entry(c.clone()).or_default(),
            ResourceKey::Incident(k) => self.incidents.entry(k.clone()).or_default(),
            ResourceKey::RangeLogs(k) => self.range_logs.entry(k.clone()).or_default(),
            ResourceKey::ExecPreflight(t) => self.exec_preflights.entry(t.clone()).or_default(),
        }
    }

    /// The `Loadable` of `key` if the store has one.
    pub(crate) fn get(&self, key: &ResourceKey) -> Option<&dyn LoadState> {
        fn dyn_of<T>(l: &Loadable<T>) -> &dyn LoadState {
            l
        }
        match key {
            ResourceKey::Clusters => Some(dyn_of(&self.clusters)),
            ResourceKey::Services(c) => self.services.get(c).map(dyn_of),
            ResourceKey::Tasks(s) => self.tasks.get(s).map(dyn_of),
            ResourceKey::Instances(c) => self.instances.get(c).map(dyn_of),
            ResourceKey::Families => Some(dyn_of(&self.families)),
            ResourceKey::FamilyOverview => Some(dyn_of(&self.family_overview)),
            ResourceKey::Revisions(f) => self.revisions.get(f).map(dyn_of),
            ResourceKey::TaskDefinition(a) => self.task_definitions.get(a).map(dyn_of),
            ResourceKey::Scaling(_, s) => self.scaling.get(s).map(dyn_of),
            ResourceKey::Deployments(_, s) => self.deployment_history.get(s).map(dyn_of),
            ResourceKey::Metrics(k) => self.metrics.get(k).map(dyn_of),
            ResourceKey::Sparklines(c) => self.sparklines.get(c).map(dyn_of),
            ResourceKey::DeploymentDetail(a) => self.deployment_details.get(a).map(dyn_of),
            ResourceKey::ServiceRevisions(a) => self.service_revisions.get(a).map(dyn_of),
            ResourceKey::Alarms => Some(dyn_of(&self.alarms)),
            ResourceKey::ImageTags(r) => self.image_tags.get(r).map(dyn_of),
            ResourceKey::ServiceArns(c) => self.service_arns.get(c).map(dyn_of),
            ResourceKey::Incident(k) => self.incidents.get(k).map(dyn_of),
            ResourceKey::RangeLogs(k) => self.range_logs.get(k).map(dyn_of),
            ResourceKey::ExecPreflight(t) => self.exec_preflights.get(t).map(dyn_of),
        }
    }

    /// When the value of `key` was fetched.
    pub fn fetched_at(&self, key: &ResourceKey) -> Option<SystemTime> {
        self.get(key).and_then(LoadState::fetched)
    }

    /// Whether anything loaded under `key` (a value or a failure) is there to show.
    pub fn shows_anything(&self, key: &ResourceKey) -> bool {
        self.get(key).is_some_and(LoadState::shows_anything)
    }
}
