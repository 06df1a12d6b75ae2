//! The breadcrumb of a route: the places above it, each with the route it leads to.

use super::{ClusterTab, Route};
use crate::model::ecs::short_id;
use crate::model::logs::tail::TailTarget;
use crate::model::metrics::charts::{MetricsKey, MetricsScope};
use crate::model::task_defs::revisions::parse_arn;

impl Route {
    /// Breadcrumb segments below profile and region, each with the route it leads to.
    pub fn crumbs(&self) -> Vec<(String, Route)> {
        let mut crumbs = Vec::new();
        if let Some(cluster) = self.cluster() {
            crumbs.push((
                short_id(cluster).to_owned(),
                Route::Cluster {
                    cluster: cluster.to_owned(),
                    tab: match self {
                        Self::Cluster { tab, .. } => *tab,
                        Self::Task { service: None, .. } | Self::Exec { service: None, .. } => {
                            ClusterTab::Tasks
                        }
                        _ => ClusterTab::Services,
                    },
                },
            ));
        }
        let service = match self {
            Self::Service { service, .. }
            | Self::Deploy { service, .. }
            | Self::DeploymentChanges { service, .. } => Some(service),
            Self::Metrics(MetricsKey {
                scope: MetricsScope::Service { service, .. },
                ..
            }) => Some(service),
            Self::Task { service, .. } | Self::Exec { service, .. } => service.as_ref(),
            Self::Incident(key) if key.services.len() == 1 => key.services.first(),
            Self::Logs(TailTarget::Services { services, .. }) if services.len() == 1 => {
                services.first()
            }
            _ => None,
        };
        if let (Some(cluster), Some(service)) = (self.cluster(), service) {
            crumbs.push((
                short_id(service).to_owned(),
                Route::Service {
                    cluster: cluster.to_owned(),
                    service: service.clone(),
                },
            ));
        }
        if let Self::Task { task, .. } = self {
            crumbs.push((short_id(task).to_owned(), self.clone()));
        }
        if let Self::Exec { target, service } = self {
            crumbs.push((
                short_id(&target.task).to_owned(),
                Self::Task {
                    cluster: target.cluster.clone(),
                    service: service.clone(),
                    task: target.task.clone(),
                },
            ));
            crumbs.push((format!("exec {}", target.container), self.clone()));
        }
        if *self == Self::Sessions {
            crumbs.push(("Sessions".to_owned(), Self::Sessions));
        }
        if let Self::DeploymentChanges { deployment, .. } = self {
            crumbs.push((format!("changes of {}", short_id(deployment)), self.clone()));
        }
        if let Self::Deploy { target, .. } = self {
            crumbs.push((format!("deploy {}", short_id(target)), self.clone()));
        }
        if let Self::Metrics(key) = self {
            crumbs.push((format!("metrics {}", key.range.label()), self.clone()));
        }
        if let Self::Incident(key) = self {
            crumbs.push((format!("incident {}", key.range.label()), self.clone()));
        }
        if let Self::Logs(target) = self {
            crumbs.push((format!("logs {}", target.label()), self.clone()));
        }
        if *self == Self::Journal {
            crumbs.push(("Action journal".to_owned(), Self::Journal));
        }
        if *self == Self::Settings {
            crumbs.push(("Settings".to_owned(), Self::Settings));
        }
        self.task_definition_crumbs(&mut crumbs);
        crumbs
    }

    /// The task-definition section's crumbs: the section, the family, the revision or draft.
    fn task_definition_crumbs(&self, crumbs: &mut Vec<(String, Route)>) {
        if !self.is_task_definitions() {
            return;
        }
        crumbs.push(("Task definitions".to_owned(), Route::TaskDefinitions));
        let family = match self {
            Self::Family { family } => Some(family.clone()),
            Self::Revision { arn } => parse_arn(arn).map(|(family, _)| family),
            Self::Draft { family, .. } => family.clone(),
            Self::Compare { new, old } => new.family().or_else(|| old.family()),
            _ => None,
        };
        if let Some(family) = family {
            crumbs.push((family.clone(), Route::Family { family }));
        }
        match self {
            Self::Revision { arn } => crumbs.push((
                parse_arn(arn).map_or_else(|| arn.clone(), |(_, r)| r.to_string()),
                self.clone(),
            )),
            Self::Draft { .. } => crumbs.push(("draft".to_owned(), self.clone())),
            Self::Compare { old, new } => {
                crumbs.push((format!("{} → {}", old.label(), new.label()), self.clone()))
            }
            _ => {}
        }
    }
}
