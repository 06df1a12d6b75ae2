//! What remote data the model stores (`ResourceKey`) and the task-list scopes among them.

use crate::model::ecs::short_id;
use crate::model::metrics::charts::MetricsKey;
use serde::{Deserialize, Serialize};

/// Which tasks a task list holds: a whole cluster's, or one service's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaskScope {
    /// Cluster ARN.
    pub cluster: String,
    /// Service name, when scoped to a service.
    pub service_name: Option<String>,
}

impl TaskScope {
    /// All tasks of a cluster.
    pub fn cluster(cluster: &str) -> Self {
        Self {
            cluster: cluster.to_owned(),
            service_name: None,
        }
    }

    /// Tasks of one service (given by ARN or name).
    pub fn service(cluster: &str, service: &str) -> Self {
        Self {
            cluster: cluster.to_owned(),
            service_name: Some(short_id(service).to_owned()),
        }
    }
}

/// One piece of remote data the model stores in a `Loadable`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKey {
    /// The cluster list.
    Clusters,
    /// Services of a cluster (by ARN).
    Services(String),
    /// Tasks of a cluster or service.
    Tasks(TaskScope),
    /// Container instances of a cluster (by ARN).
    Instances(String),
    /// Task-definition families.
    Families,
    /// Every family's newest revision, counts, registration and services (region-wide).
    FamilyOverview,
    /// Revisions of a family.
    Revisions(String),
    /// One task definition (by ARN or `family:revision`).
    TaskDefinition(String),
    /// The auto scaling target of a service (cluster ARN, service ARN).
    Scaling(String, String),
    /// A service's deployment history (cluster ARN, service ARN).
    Deployments(String, String),
    /// Metric charts.
    Metrics(MetricsKey),
    /// CPU and memory sparklines of a cluster's services (cluster ARN).
    Sparklines(String),
    /// One service deployment in full (its ARN): the rollout cockpit.
    DeploymentDetail(String),
    /// Service revisions (ARNs, in order): "what changed".
    ServiceRevisions(Vec<String>),
    /// The region's CloudWatch metric alarms.
    Alarms,
    /// The tags of an ECR repository (`ACCOUNT/REGION/REPOSITORY`), newest first.
    ImageTags(String),
    /// The service ARNs of a cluster (ListServices only, by cluster ARN): what the palette
    /// finds in clusters not yet opened.
    ServiceArns(String),
    /// The incident timeline of a service, several services or a cluster over a range.
    Incident(crate::model::incident::timeline::IncidentKey),
    /// The merged log lines of a timeline's services in a range.
    RangeLogs(crate::model::incident::range_logs::RangeLogsKey),
    /// Whether an exec session can start in a container, checked now.
    ExecPreflight(crate::model::exec::ExecTarget),
}
