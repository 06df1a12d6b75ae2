//! What the family list shows beside each name: the newest revision, how many are active,
//! when the newest was registered, and the services (cluster › service) running the family.
//! Read in the background for the whole region (`Ecs::family_overview`).

use super::revisions::parse_arn;
use crate::model::AwsError;
use crate::model::ecs::{Service, short_id};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// The newest revisions described for their registration time (one call each).
pub const MAX_DESCRIBED_FAMILIES: usize = 300;

/// A service running a family.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FamilyUser {
    /// Cluster name.
    pub cluster: String,
    /// Service name.
    pub service: String,
    /// The revision it runs.
    pub revision: u32,
}

/// What is known of one family beyond its name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FamilyFacts {
    /// The highest ACTIVE revision.
    pub newest_revision: u32,
    /// How many revisions are ACTIVE.
    pub active_revisions: u32,
    /// When the newest was registered (None: not described).
    pub newest_registered_at: Option<SystemTime>,
    /// The services running any of its revisions.
    pub services: Vec<FamilyUser>,
}

impl FamilyFacts {
    /// `prod › web, staging › web:41` (the revision only where it is not the newest).
    pub fn services_text(&self) -> String {
        self.services
            .iter()
            .map(|u| {
                if u.revision == self.newest_revision {
                    format!("{} › {}", u.cluster, u.service)
                } else {
                    format!("{} › {} (:{})", u.cluster, u.service, u.revision)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every family's facts, and what could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FamilyOverview {
    /// By family name.
    pub families: BTreeMap<String, FamilyFacts>,
    /// Parts that failed (the services of a cluster, the registration times…).
    pub problems: Vec<(String, AwsError)>,
    /// Families whose newest revision was not described (past [`MAX_DESCRIBED_FAMILIES`]).
    pub undescribed: usize,
}

impl FamilyOverview {
    /// Counts and newest revisions from the ARNs of every ACTIVE revision.
    pub fn from_active_arns(arns: &[String]) -> Self {
        let mut families: BTreeMap<String, FamilyFacts> = BTreeMap::new();
        for (family, revision) in arns.iter().filter_map(|a| parse_arn(a)) {
            let facts = families.entry(family).or_default();
            facts.active_revisions += 1;
            facts.newest_revision = facts.newest_revision.max(revision);
        }
        Self {
            families,
            ..Self::default()
        }
    }

    /// Notes the services of one cluster under the families they run.
    pub fn add_services(&mut self, services: &[Service]) {
        for service in services {
            let Some((family, revision)) = parse_arn(&service.task_definition) else {
                continue;
            };
            let user = FamilyUser {
                cluster: short_id(&service.cluster_arn).to_owned(),
                service: service.name.clone(),
                revision,
            };
            // A family whose revisions are all INACTIVE can still be run by a service.
            let users = &mut self.families.entry(family).or_default().services;
            if let Err(at) = users.binary_search(&user) {
                users.insert(at, user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition";

    fn service(cluster: &str, name: &str, td: &str) -> Service {
        Service {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:service/{cluster}/{name}"),
            name: name.into(),
            cluster_arn: format!("arn:aws:ecs:us-east-1:123456789012:cluster/{cluster}"),
            task_definition: format!("{TD}/{td}"),
            ..Service::default()
        }
    }

    #[test]
    fn counts_newest_and_the_services_running_each_family() {
        let arns: Vec<String> = ["web:3", "web:1", "web:2", "worker:7"]
            .iter()
            .map(|r| format!("{TD}/{r}"))
            .collect();
        let mut overview = FamilyOverview::from_active_arns(&arns);
        overview.add_services(&[
            service("staging", "web", "web:3"),
            service("prod", "web", "web:2"),
            service("prod", "cron", "old-job:4"),
        ]);
        let web = &overview.families["web"];
        assert_eq!((web.newest_revision, web.active_revisions), (3, 3));
        assert_eq!(web.services_text(), "prod › web (:2), staging › web");
        assert_eq!(overview.families["worker"].services_text(), "");
        assert_eq!(
            overview.families["old-job"].services_text(),
            "prod › cron (:4)",
            "a family with no ACTIVE revision still names who runs it"
        );
    }
}
