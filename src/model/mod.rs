//! Pure domain state and logic: imports neither egui nor aws-sdk-*.

pub mod changes;
pub mod connection;
pub mod ecs;
pub mod error;
pub mod exec;
pub mod fleet;
mod glob;
pub mod incident;
pub mod logs;
pub mod messages;
pub mod metrics;
mod reduce;
pub mod route;
pub mod store;
pub mod task_defs;
pub mod time_format;
pub use ecsdeck_core::untrusted_text;
pub mod workspace;

pub use crate::model::changes::{Mutation, MutationKind, Outcome, Verification};
pub use crate::model::store::loadable::{Fetched, Loadable};
pub use connection::Connection;
pub use error::{AwsError, ErrorKind};
pub use glob::glob_matches;
pub use messages::{Action, Event, Msg, Request, RequestId, Response, WorkerCommand};
pub use reduce::reduce;
pub use route::{ClusterTab, DiffSide, ResourceKey, Route, TaskScope};

use crate::model::connection::profiles::ProfileInfo;
use crate::model::task_defs::revisions::RevisionSummary;
use crate::model::task_defs::task_def::TaskDefDocument;
use ecs::{ContainerInstance, Service, Task};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// Default auto-refresh interval.
pub const DEFAULT_REFRESH_SECS: u64 = 15;
/// Profiles that turn read-only mode on by default.
pub const DEFAULT_READ_ONLY_PROFILES: &[&str] = &["*prod*"];
/// Refresh interval of a service page while its rollout or scaling is in progress.
pub const ROLLOUT_REFRESH: Duration = Duration::from_secs(3);
/// How often a cluster's service ARNs are listed again in the background (for the palette).
pub const SERVICE_ARNS_REFRESH: Duration = Duration::from_secs(300);
/// The most clusters whose service ARNs are listed in the background.
pub const SERVICE_ARNS_CLUSTERS_MAX: usize = 200;

/// Everything the app knows; changed only by [`reduce`].
#[derive(Debug, Default)]
pub struct Model {
    /// Which AWS we talk to.
    pub connection: Connection,
    /// Bumped on every connection change; responses of older generations are dropped.
    pub generation: u64,
    /// Where the user is.
    pub route: Route,
    /// Profiles from the config files.
    pub profiles: Loadable<Vec<ProfileInfo>>,
    /// Everything loaded from AWS for this connection.
    pub store: store::Store,
    /// Every rule that decides whether this connection may change AWS
    /// ([`crate::model::changes::policy::decide`]).
    pub change_rules: crate::model::changes::policy::ChangeRules,
    /// Refreshing, read-only rules and log size, as chosen in Settings.
    pub policy: crate::model::workspace::policy::Policy,
    /// Pinned services, of any connection.
    pub pins: Vec<crate::model::workspace::pins::Pin>,
    /// Screens open in windows of their own.
    pub popouts: Vec<crate::model::workspace::popouts::Popout>,
    /// A change shown for confirmation, sent only when the user confirms it.
    pub proposal: Option<Box<crate::model::changes::proposal::Proposal>>,
    /// The change to AWS in flight, if any (one at a time).
    pub mutation: Option<Mutation>,
    /// A change whose answer was lost, being checked against a re-read of its service.
    pub verifying: Option<crate::model::changes::Verification>,
    /// Why the journal or the settings could not be written lately, if so.
    pub write_error: Option<String>,
    /// How the last change ended, until the user dismisses it.
    pub outcome: Option<Outcome>,
    /// The latest credentials failure of this generation, cleared by any success.
    pub credentials_error: Option<AwsError>,
    /// Since when, and why, the endpoint cannot be reached; cleared by any answer from it.
    pub offline: Option<(SystemTime, AwsError)>,
    /// Responses dropped as stale (superseded, cancelled or of an old connection).
    pub dropped_responses: u64,
    /// The log tail, running or stopped with its lines.
    pub log_tail: Option<LogTailState>,
    /// Stopped tasks the recorder holds (kept after ECS forgets them), oldest first.
    pub recorded_stops: Vec<crate::model::incident::recorder::RecordedTask>,
    /// The lifecycle stages of service deployments seen go by (the API tells only the current).
    pub stages_seen: crate::model::incident::stages_seen::StagesSeen,
    /// The range of the incident timeline whose merged logs are shown beside it.
    pub range_logs: Option<crate::model::incident::range_logs::RangeLogsKey>,
    /// The logs of an incident export: the request in flight, then its answer.
    pub export_logs: Option<ExportLogs>,
    /// Exec sessions and port forwards, open or ended (kept across connection changes: each
    /// names its own).
    pub sessions: crate::model::exec::sessions::Sessions,
    /// Saved fleets (profiles × regions), edited in Settings.
    pub fleets: Vec<crate::model::fleet::FleetDef>,
    /// The fleet loaded last, kept across connection changes (its pairs name their own).
    pub fleet: Option<crate::model::fleet::load::FleetLoad>,
    next_request: u64,
    next_version: u64,
    profiles_request: Option<RequestId>,
    in_flight: HashMap<RequestId, ResourceKey>,
    latest: HashMap<ResourceKey, RequestId>,
    last_attempt: HashMap<ResourceKey, SystemTime>,
}

/// The log tail in the model: its spec, request, lines and last status.
#[derive(Debug)]
pub struct LogTailState {
    /// What it follows, from when.
    pub spec: crate::model::logs::tail::TailSpec,
    /// Its request (statuses of other ids are stale).
    pub id: RequestId,
    /// Lines and sources, filled by the worker.
    pub data: crate::model::logs::tail::SharedTail,
    /// The last status reported.
    pub status: crate::model::logs::tail::TailStatus,
    /// Still running (not stopped, failed or done).
    pub running: bool,
    /// Loading older lines.
    pub older: OlderLines,
}

/// Loading of a tail's older lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OlderLines {
    /// The load in flight.
    pub loading: Option<RequestId>,
    /// Loading back to this time (a jump), epoch ms.
    pub back_to_ms: Option<i64>,
    /// What the last load did, or why it failed.
    pub last: Option<Result<crate::model::logs::tail::HistoryLoaded, AwsError>>,
}

impl Model {
    /// A model for `connection` with the given refresh policy, showing the cluster list.
    pub fn new(connection: Connection, auto_refresh: bool, refresh_interval_secs: u64) -> Self {
        let policy = crate::model::workspace::policy::Policy {
            auto_refresh,
            refresh_interval_secs,
            ..Default::default()
        };
        Self::with_policy(connection, policy)
    }

    /// A model for `connection` with the user's `policy` (refresh, read-only rules, log size).
    pub fn with_policy(
        connection: Connection,
        mut policy: crate::model::workspace::policy::Policy,
    ) -> Self {
        policy.refresh_interval_secs = policy.refresh_interval_secs.max(1);
        let change_rules = crate::model::changes::policy::ChangeRules {
            patterns: policy.read_only_profiles.clone(),
            ..Default::default()
        };
        Self {
            connection,
            policy,
            change_rules,
            ..Self::default()
        }
    }

    /// The rule that keeps this connection from changing AWS, if one does.
    pub fn refusal(&self) -> Option<crate::model::changes::policy::Refusal> {
        crate::model::changes::policy::decide(
            &self.change_rules,
            self.connection.profile.as_deref(),
        )
        .err()
    }

    /// Whether changes to AWS are refused (read-only mode, by any rule).
    pub fn read_only(&self) -> bool {
        self.refusal().is_some()
    }

    /// The profile this connection really uses (named, else the environment's, else default).
    pub fn effective_profile(&self) -> String {
        self.change_rules
            .profile_of(self.connection.profile.as_deref())
    }

    /// Services of a cluster.
    pub fn services_of(&self, cluster: &str) -> &Loadable<Vec<Service>> {
        self.store
            .services
            .get(cluster)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// Tasks of a scope.
    pub fn tasks_of(&self, scope: &TaskScope) -> &Loadable<Vec<Task>> {
        self.store
            .tasks
            .get(scope)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// Container instances of a cluster.
    pub fn instances_of(&self, cluster: &str) -> &Loadable<Vec<ContainerInstance>> {
        self.store
            .instances
            .get(cluster)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// Revisions of a family.
    pub fn revisions_of(&self, family: &str) -> &Loadable<Vec<RevisionSummary>> {
        self.store
            .revisions
            .get(family)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// The deployment history of a service.
    pub fn history_of(
        &self,
        service: &str,
    ) -> &Loadable<Vec<crate::model::ecs::rollout::ServiceDeploymentSummary>> {
        self.store
            .deployment_history
            .get(service)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// One service deployment in full.
    pub fn deployment_detail(
        &self,
        arn: &str,
    ) -> &Loadable<crate::model::ecs::service_deployment::ServiceDeploymentDetail> {
        self.store
            .deployment_details
            .get(arn)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// Service revisions asked together.
    pub fn service_revisions(
        &self,
        arns: &[String],
    ) -> &Loadable<Vec<crate::model::ecs::service_revision::ServiceRevision>> {
        self.store
            .service_revisions
            .get(arns)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// An ECR repository's tags (`ACCOUNT/REGION/REPOSITORY`).
    pub fn image_tags(
        &self,
        repository: &str,
    ) -> &Loadable<Vec<crate::model::task_defs::new_image::ImageTag>> {
        self.store
            .image_tags
            .get(repository)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// The region's metric alarms.
    pub fn alarms(&self) -> &Loadable<crate::model::metrics::alarms::Alarms> {
        &self.store.alarms
    }

    /// The auto scaling target of a service.
    pub fn scaling_of(
        &self,
        service: &str,
    ) -> &Loadable<Option<crate::model::ecs::scaling::ScalingTarget>> {
        self.store
            .scaling
            .get(service)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// The incident timeline of a key.
    pub fn incident_of(
        &self,
        key: &crate::model::incident::timeline::IncidentKey,
    ) -> &Loadable<crate::model::incident::timeline::Timeline> {
        self.store
            .incidents
            .get(key)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// The metric charts of `key`.
    pub fn metrics_of(
        &self,
        key: &crate::model::metrics::charts::MetricsKey,
    ) -> &Loadable<crate::model::metrics::charts::MetricsData> {
        self.store
            .metrics
            .get(key)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// Sparklines of a cluster's services.
    pub fn sparklines_of(
        &self,
        cluster: &str,
    ) -> &Loadable<crate::model::metrics::sparklines::Sparklines> {
        self.store
            .sparklines
            .get(cluster)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// One task definition.
    pub fn task_definition(&self, arn: &str) -> &Loadable<TaskDefDocument> {
        self.store
            .task_definitions
            .get(arn)
            .unwrap_or(&Loadable::NotRequested)
    }

    /// True while a change of this kind is in flight.
    pub fn is_changing(&self, kind: &MutationKind) -> bool {
        self.mutation.as_ref().is_some_and(|m| &m.kind == kind)
    }

    /// The profile entry of the current connection, if it is a known profile.
    pub fn current_profile(&self) -> Option<&ProfileInfo> {
        let name = self.connection.profile.as_deref()?;
        self.profiles.value()?.iter().find(|p| p.name == name)
    }

    /// Requests in flight (for the status bar and tests).
    pub fn in_flight_count(&self) -> usize {
        self.in_flight.len()
    }

    /// What is loaded and refreshed: what the screen shows, and the service lists of the
    /// pinned services of this connection (for the sidebar), and what pop-out windows show.
    pub fn watched_keys(&self) -> Vec<ResourceKey> {
        let mut keys = self.route.visible_keys();
        keys.extend(self.derived_keys());
        let pinned = crate::model::workspace::pins::keys(&self.pins, &self.connection);
        for key in pinned
            .into_iter()
            .chain(crate::model::workspace::popouts::keys(&self.popouts))
            .chain(self.service_arn_keys())
            .chain(crate::model::incident::notice_candidates::notice_keys(self))
        {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// The clusters whose services the palette could not find otherwise (their service list
    /// is not loaded): their service ARNs are listed in the background.
    pub(crate) fn service_arn_keys(&self) -> Vec<ResourceKey> {
        self.store
            .clusters
            .value()
            .into_iter()
            .flatten()
            .filter(|c| self.services_of(&c.arn).value().is_none())
            .take(SERVICE_ARNS_CLUSTERS_MAX)
            .map(|c| ResourceKey::ServiceArns(c.arn.clone()))
            .collect()
    }

    /// Keys that follow from what is loaded: the newest deployment of the service on screen
    /// (the rollout cockpit) and the alarms the deployment settings on screen name.
    pub(crate) fn derived_keys(&self) -> Vec<ResourceKey> {
        let names_alarms = |s: &ecs::Service| {
            s.deployment_config
                .alarms
                .as_ref()
                .is_some_and(|a| !a.names.is_empty())
        };
        let mut keys = Vec::new();
        match &self.route {
            Route::Service { cluster, service } => {
                if let Some(newest) = self.history_of(service).value().and_then(|h| h.first()) {
                    keys.push(ResourceKey::DeploymentDetail(newest.arn.clone()));
                }
                let list = self.services_of(cluster).value();
                if list.is_some_and(|l| l.iter().any(|s| s.arn == *service && names_alarms(s))) {
                    keys.push(ResourceKey::Alarms);
                }
            }
            Route::DeploymentChanges { deployment, .. } => {
                keys.extend(changes_keys(self, deployment));
            }
            Route::Incident(incident) => {
                if let Some(range) = self
                    .range_logs
                    .as_ref()
                    .filter(|r| r.cluster == incident.cluster)
                {
                    keys.push(ResourceKey::RangeLogs(range.clone()));
                }
            }
            Route::Cluster {
                cluster,
                tab: route::ClusterTab::Services,
            } => {
                let list = self.services_of(cluster).value();
                if list.is_some_and(|l| l.iter().any(names_alarms)) {
                    keys.push(ResourceKey::Alarms);
                }
            }
            _ => {}
        }
        keys
    }

    /// The first source and the target revision of a deployment, once it is described.
    pub fn changes_revisions(&self, deployment: &str) -> Option<Vec<String>> {
        let detail = self.deployment_detail(deployment).value()?;
        let source = detail.sources.first()?.arn.clone();
        let target = detail.target.as_ref()?.arn.clone();
        Some(vec![source, target])
    }

    /// When the oldest visible data was fetched, and whether any visible load is pending.
    pub fn visible_freshness(&self) -> (Option<SystemTime>, bool) {
        let keys = self.route.visible_keys();
        let oldest = keys.iter().filter_map(|k| self.fetched_at(k)).min();
        let pending = keys.iter().any(|k| self.latest.contains_key(k));
        (oldest, pending)
    }

    /// The auto-refresh interval.
    pub fn refresh_interval(&self) -> Duration {
        Duration::from_secs(self.policy.refresh_interval_secs.max(1))
    }

    /// How often `key` is reloaded: every 3 s while the service on screen is rolling out or
    /// scaling, the normal interval otherwise.
    pub fn refresh_interval_for(&self, key: &ResourceKey) -> Duration {
        let normal = self.refresh_interval();
        if let ResourceKey::DeploymentDetail(arn) = key {
            // Every few seconds while it moves; a settled deployment never changes again.
            return match self.deployment_detail(arn).value() {
                Some(detail) if !detail.is_active() => Duration::MAX,
                _ => normal.min(ROLLOUT_REFRESH),
            };
        }
        if let ResourceKey::ServiceRevisions(_) | ResourceKey::ExecPreflight(_) = key {
            // A service revision is immutable; a preflight is checked when asked (Check again).
            return Duration::MAX;
        }
        if let ResourceKey::ServiceArns(_) | ResourceKey::FamilyOverview = key {
            // Region-wide reads: at the pace of the background lists.
            return normal.max(SERVICE_ARNS_REFRESH);
        }
        let Route::Service { cluster, service } = &self.route else {
            return normal;
        };
        let changing = self
            .services_of(cluster)
            .value()
            .and_then(|list| list.iter().find(|s| s.arn == *service))
            .is_some_and(ecs::Service::is_changing);
        let on_page = match key {
            ResourceKey::Services(c) => c == cluster,
            ResourceKey::Tasks(scope) => *scope == TaskScope::service(cluster, service),
            _ => false,
        };
        if changing && on_page {
            normal.min(ROLLOUT_REFRESH)
        } else {
            normal
        }
    }

    /// How often `key` is reloaded at `now`: metric charts by their range (every minute when
    /// live, never for a window wholly in the past), everything else by
    /// [`Self::refresh_interval_for`].
    pub fn refresh_interval_at(&self, key: &ResourceKey, now: SystemTime) -> Duration {
        if let ResourceKey::RangeLogs(range) = key {
            // A range that has ended does not change; one reaching now is read again.
            return if range.end_ms / 1_000 <= time_format::epoch_secs(now) {
                Duration::MAX
            } else {
                Duration::from_secs(crate::model::metrics::LIVE_REFRESH_SECS)
            };
        }
        if let ResourceKey::Incident(incident) = key {
            // A window ending now moves on: read it again every minute (and never a past one).
            let end = incident.range.window(time_format::epoch_secs(now)).1;
            return match incident.range {
                crate::model::metrics::MetricRange::Custom { .. }
                    if end <= time_format::epoch_secs(now) =>
                {
                    Duration::MAX
                }
                _ => Duration::from_secs(crate::model::metrics::LIVE_REFRESH_SECS),
            };
        }
        let ResourceKey::Metrics(metrics) = key else {
            return self.refresh_interval_for(key);
        };
        let now_secs = time_format::epoch_secs(now);
        metrics
            .range
            .refresh_secs(metrics.period_secs, now_secs)
            .map_or(Duration::MAX, Duration::from_secs)
    }

    fn fetched_at(&self, key: &ResourceKey) -> Option<SystemTime> {
        self.store.fetched_at(key)
    }
}

/// The logs an incident export asked for.
#[derive(Debug, Default)]
pub struct ExportLogs {
    /// The request.
    pub id: Option<RequestId>,
    /// Its answer, once here.
    pub result: Option<
        Result<
            Vec<(
                crate::model::incident::export::ExportRange,
                crate::model::incident::range_logs::RangeLogs,
            )>,
            AwsError,
        >,
    >,
}

/// What "what changed" of `deployment` loads once the deployment is described: its two
/// service revisions, then their task definitions.
fn changes_keys(model: &Model, deployment: &str) -> Vec<ResourceKey> {
    let Some(arns) = model.changes_revisions(deployment) else {
        return Vec::new();
    };
    let mut keys = vec![ResourceKey::ServiceRevisions(arns.clone())];
    if let Some(revisions) = model.service_revisions(&arns).value() {
        keys.extend(
            revisions
                .iter()
                .map(|r| ResourceKey::TaskDefinition(r.task_definition.clone())),
        );
    }
    keys.dedup();
    keys
}
