//! Where the user is (`Route`) and which remote data each place needs (`ResourceKey`).

mod crumbs;
#[cfg(test)]
mod tests;

use super::logs::tail::TailTarget;
use super::metrics::charts::{MetricsKey, MetricsScope};
pub use super::store::resource_key::{ResourceKey, TaskScope};
use super::task_defs::revisions::parse_arn;
use crate::model::incident::timeline::IncidentKey;
use serde::{Deserialize, Serialize};

/// The tabs of a cluster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClusterTab {
    /// Services of the cluster.
    #[default]
    Services,
    /// All tasks of the cluster.
    Tasks,
    /// EC2 and EXTERNAL container instances.
    Instances,
}

impl ClusterTab {
    /// All tabs in display order.
    pub const ALL: [Self; 3] = [Self::Services, Self::Tasks, Self::Instances];

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Services => "Services",
            Self::Tasks => "Tasks",
            Self::Instances => "Container instances",
        }
    }
}

/// A place in the browser; the breadcrumb is drawn from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Route {
    /// All clusters of the account and region.
    #[default]
    Clusters,
    /// One cluster, on one of its tabs.
    Cluster {
        /// Cluster ARN.
        cluster: String,
        /// Which tab.
        tab: ClusterTab,
    },
    /// One service: its tasks.
    Service {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
    },
    /// One task in full.
    Task {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN when the task was opened from a service.
        service: Option<String>,
        /// Task ARN.
        task: String,
    },
    /// Metric charts of a cluster or service.
    Metrics(MetricsKey),
    /// The incident cockpit: one timeline of a service, several services or a cluster.
    Incident(IncidentKey),
    /// The log tail of a task, services or a log group.
    Logs(TailTarget),
    /// Every change the app made to AWS, newest first.
    Journal,
    /// The app's preferences.
    Settings,
    /// Task-definition families.
    TaskDefinitions,
    /// One family: its revisions, newest first.
    Family {
        /// Family name.
        family: String,
    },
    /// One revision, read-only.
    Revision {
        /// Task-definition ARN (or `family:revision`).
        arn: String,
    },
    /// A draft in the editor.
    Draft {
        /// Draft id.
        id: String,
        /// The family it belongs to, for the breadcrumb.
        family: Option<String>,
    },
    /// Deploy a revision to a service (also a roll back): choose, preview, confirm.
    Deploy {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
        /// The revision the service runs (the left side of the preview).
        current: String,
        /// The revision to deploy: ARN, `family:revision`, or a family (its newest).
        target: String,
    },
    /// What a service deployment changed: its source and target service revisions.
    DeploymentChanges {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
        /// Service deployment ARN.
        deployment: String,
    },
    /// The semantic diff of two task definitions.
    Compare {
        /// The old side.
        old: DiffSide,
        /// The new side.
        new: DiffSide,
    },
    /// A shell in a container, or a port forwarded through its task: the preflight first.
    Exec {
        /// The container.
        target: crate::model::exec::ExecTarget,
        /// Service ARN when the task was opened from a service (the way back).
        service: Option<String>,
    },
    /// The exec sessions and port forwards open in the app.
    Sessions,
    /// Every profile × region of a fleet at once, what needs attention first.
    Fleet,
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DiffSide {
    /// A registered revision: ARN, `family:revision`, or a family (its latest ACTIVE revision).
    Revision(String),
    /// An open draft, by id.
    Draft(String),
}

impl DiffSide {
    /// `web:41`, `web (latest)` or `draft`.
    pub fn label(&self) -> String {
        match self {
            Self::Revision(reference) => {
                let short = reference.rsplit('/').next().unwrap_or(reference);
                if short.contains(':') {
                    short.to_owned()
                } else {
                    format!("{short} (latest)")
                }
            }
            Self::Draft(_) => "draft".to_owned(),
        }
    }

    /// The family, when it can be told from the reference.
    pub fn family(&self) -> Option<String> {
        match self {
            Self::Revision(reference) => {
                let short = reference.rsplit('/').next().unwrap_or(reference);
                Some(short.split(':').next().unwrap_or(short).to_owned())
            }
            Self::Draft(_) => None,
        }
    }
}

impl Route {
    /// The route one level up (Esc / Backspace).
    pub fn parent(&self) -> Option<Route> {
        match self {
            Self::Clusters => None,
            Self::Cluster { .. } => Some(Self::Clusters),
            Self::Service { cluster, .. } => Some(Self::Cluster {
                cluster: cluster.clone(),
                tab: ClusterTab::Services,
            }),
            Self::Task {
                cluster,
                service: Some(service),
                ..
            } => Some(Self::Service {
                cluster: cluster.clone(),
                service: service.clone(),
            }),
            Self::Task { cluster, .. } => Some(Self::Cluster {
                cluster: cluster.clone(),
                tab: ClusterTab::Tasks,
            }),
            Self::Deploy {
                cluster, service, ..
            }
            | Self::DeploymentChanges {
                cluster, service, ..
            } => Some(Self::Service {
                cluster: cluster.clone(),
                service: service.clone(),
            }),
            Self::Metrics(key) => Some(match &key.scope {
                MetricsScope::Cluster { cluster } => Self::Cluster {
                    cluster: cluster.clone(),
                    tab: ClusterTab::Services,
                },
                MetricsScope::Service { cluster, service } => Self::Service {
                    cluster: cluster.clone(),
                    service: service.clone(),
                },
            }),
            Self::Incident(key) => Some(match key.services.as_slice() {
                [service] => Self::Service {
                    cluster: key.cluster.clone(),
                    service: service.clone(),
                },
                _ => Self::Cluster {
                    cluster: key.cluster.clone(),
                    tab: ClusterTab::Services,
                },
            }),
            Self::Logs(target) => Some(match target {
                TailTarget::Task { cluster, task, .. } => Self::Task {
                    cluster: cluster.clone(),
                    service: None,
                    task: task.clone(),
                },
                TailTarget::Services { cluster, services } if services.len() == 1 => {
                    Self::Service {
                        cluster: cluster.clone(),
                        service: services[0].clone(),
                    }
                }
                TailTarget::Services { cluster, .. } => Self::Cluster {
                    cluster: cluster.clone(),
                    tab: ClusterTab::Services,
                },
                TailTarget::Group { .. } => Self::Clusters,
            }),
            Self::TaskDefinitions | Self::Sessions | Self::Fleet => None,
            Self::Exec { target, service } => Some(Self::Task {
                cluster: target.cluster.clone(),
                service: service.clone(),
                task: target.task.clone(),
            }),
            Self::Journal | Self::Settings => Some(Self::Clusters),
            Self::Family { .. } | Self::Draft { family: None, .. } => Some(Self::TaskDefinitions),
            Self::Revision { arn } => Some(match parse_arn(arn) {
                Some((family, _)) => Self::Family { family },
                None => Self::TaskDefinitions,
            }),
            Self::Draft {
                family: Some(family),
                ..
            } => Some(Self::Family {
                family: family.clone(),
            }),
            Self::Compare { new, .. } => Some(match new {
                DiffSide::Draft(id) => Self::Draft {
                    id: id.clone(),
                    family: None,
                },
                DiffSide::Revision(_) => match new.family() {
                    Some(family) => Self::Family { family },
                    None => Self::TaskDefinitions,
                },
            }),
        }
    }

    /// True for the task-definition section (revision browser and editor).
    pub fn is_task_definitions(&self) -> bool {
        matches!(
            self,
            Self::TaskDefinitions
                | Self::Family { .. }
                | Self::Revision { .. }
                | Self::Draft { .. }
                | Self::Compare { .. }
        )
    }

    /// The cluster ARN this route is inside, if any.
    pub fn cluster(&self) -> Option<&str> {
        match self {
            Self::Clusters
            | Self::Journal
            | Self::Settings
            | Self::Sessions
            | Self::Fleet
            | Self::TaskDefinitions
            | Self::Family { .. }
            | Self::Revision { .. }
            | Self::Draft { .. }
            | Self::Compare { .. } => None,
            Self::Cluster { cluster, .. }
            | Self::Service { cluster, .. }
            | Self::Deploy { cluster, .. }
            | Self::DeploymentChanges { cluster, .. }
            | Self::Task { cluster, .. } => Some(cluster),
            Self::Metrics(key) => Some(key.scope.cluster()),
            Self::Incident(key) => Some(&key.cluster),
            Self::Exec { target, .. } => Some(&target.cluster),
            Self::Logs(TailTarget::Task { cluster, .. } | TailTarget::Services { cluster, .. }) => {
                Some(cluster)
            }
            Self::Logs(TailTarget::Group { .. }) => None,
        }
    }

    /// The remote data this route shows.
    pub fn visible_keys(&self) -> Vec<ResourceKey> {
        match self {
            Self::Clusters => vec![ResourceKey::Clusters],
            Self::Cluster { cluster, tab } => match tab {
                ClusterTab::Services => vec![
                    ResourceKey::Services(cluster.clone()),
                    ResourceKey::Sparklines(cluster.clone()),
                ],
                ClusterTab::Tasks => vec![ResourceKey::Tasks(TaskScope::cluster(cluster))],
                ClusterTab::Instances => vec![ResourceKey::Instances(cluster.clone())],
            },
            Self::Metrics(key) => {
                let mut keys = vec![ResourceKey::Metrics(key.clone())];
                // The service's deployments, events and history place the markers.
                if let MetricsScope::Service { cluster, service } = &key.scope {
                    keys.push(ResourceKey::Services(cluster.clone()));
                    keys.push(ResourceKey::Deployments(cluster.clone(), service.clone()));
                }
                keys
            }
            Self::Incident(key) => vec![
                ResourceKey::Incident(key.clone()),
                ResourceKey::Services(key.cluster.clone()),
            ],
            Self::Service { cluster, service } => vec![
                ResourceKey::Services(cluster.clone()),
                // The page's CPU and memory of the last hour (shared with the cluster's list).
                ResourceKey::Sparklines(cluster.clone()),
                ResourceKey::Tasks(TaskScope::service(cluster, service)),
                ResourceKey::Scaling(cluster.clone(), service.clone()),
                ResourceKey::Deployments(cluster.clone(), service.clone()),
            ],
            Self::Task {
                cluster, service, ..
            } => vec![ResourceKey::Tasks(match service {
                Some(service) => TaskScope::service(cluster, service),
                None => TaskScope::cluster(cluster),
            })],
            Self::TaskDefinitions => vec![ResourceKey::Families, ResourceKey::FamilyOverview],
            // The tail is a long-lived request of its own (`Action::StartTail`); sessions hold
            // their own state.
            Self::Journal | Self::Settings | Self::Logs(_) | Self::Sessions | Self::Fleet => {
                Vec::new()
            }
            Self::Exec { target, service } => {
                let mut keys = vec![ResourceKey::ExecPreflight(target.clone())];
                // The service, for "Enable exec on this service".
                if service.is_some() {
                    keys.push(ResourceKey::Services(target.cluster.clone()));
                }
                keys
            }
            Self::Family { family } => vec![ResourceKey::Revisions(family.clone())],
            Self::Revision { arn } => vec![ResourceKey::TaskDefinition(arn.clone())],
            Self::Deploy {
                cluster,
                current,
                target,
                ..
            } => {
                let mut keys = vec![
                    ResourceKey::Services(cluster.clone()),
                    ResourceKey::TaskDefinition(current.clone()),
                ];
                if target != current {
                    keys.push(ResourceKey::TaskDefinition(target.clone()));
                }
                if let Some((family, _)) = parse_arn(current) {
                    keys.push(ResourceKey::Revisions(family));
                }
                keys
            }
            Self::DeploymentChanges {
                cluster,
                service,
                deployment,
            } => vec![
                ResourceKey::Services(cluster.clone()),
                ResourceKey::Deployments(cluster.clone(), service.clone()),
                ResourceKey::DeploymentDetail(deployment.clone()),
            ],
            // A draft is local; its base revision was loaded when the draft was made.
            Self::Draft { .. } => Vec::new(),
            Self::Compare { old, new } => [old, new]
                .into_iter()
                .filter_map(|side| match side {
                    DiffSide::Revision(arn) => Some(ResourceKey::TaskDefinition(arn.clone())),
                    DiffSide::Draft(_) => None,
                })
                .collect(),
        }
    }
}
