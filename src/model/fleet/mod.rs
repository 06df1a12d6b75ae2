//! The fleet: saved sets of profiles × regions loaded side by side, each pair's clusters,
//! services and alarms summed up in rows that rank what needs attention first. Plain data;
//! `aws::fleet` reads it, `worker` streams it in pair by pair, `ui::fleet` shows it and
//! `cli::fleet` prints it.

pub mod attention;
pub mod fix;
pub mod image_ref;
pub mod load;
pub mod search;
pub mod window;

use crate::model::Connection;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// A saved fleet: profiles, each in the fleet's regions or its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetDef {
    /// The name it is chosen by.
    pub name: String,
    /// Regions of every member that names none of its own.
    pub regions: Vec<String>,
    /// The profiles.
    pub members: Vec<FleetMember>,
}

/// One profile of a fleet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetMember {
    /// Profile name; `None`: the default credential chain.
    pub profile: Option<String>,
    /// Its own regions; empty: the fleet's.
    pub regions: Vec<String>,
}

impl FleetDef {
    /// Every profile × region of the fleet once, in the order written, each a connection to
    /// `endpoint_url` (the local emulator; `None` for AWS).
    pub fn pairs(&self, endpoint_url: Option<&str>) -> Vec<Connection> {
        let mut pairs: Vec<Connection> = Vec::new();
        for member in &self.members {
            let regions = if member.regions.is_empty() {
                &self.regions
            } else {
                &member.regions
            };
            for region in regions.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
                let pair = Connection {
                    profile: member.profile.clone().filter(|p| !p.trim().is_empty()),
                    region: region.to_owned(),
                    endpoint_url: endpoint_url.map(str::to_owned),
                };
                if !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
        pairs
    }

    /// Every profile of the AWS config in the regions they name and `connection`'s (the
    /// connection's profile alone when the config names none).
    pub fn of_profiles(
        name: &str,
        profiles: &[crate::model::connection::profiles::ProfileInfo],
        connection: &Connection,
    ) -> Self {
        let mut regions = vec![connection.region.clone()];
        for region in profiles.iter().filter_map(|p| p.region.as_ref()) {
            if !regions.contains(region) {
                regions.push(region.clone());
            }
        }
        let members = if profiles.is_empty() {
            vec![FleetMember {
                profile: connection.profile.clone(),
                regions: Vec::new(),
            }]
        } else {
            profiles
                .iter()
                .map(|p| FleetMember {
                    profile: Some(p.name.clone()),
                    regions: Vec::new(),
                })
                .collect()
        };
        Self {
            name: name.to_owned(),
            regions,
            members,
        }
    }

    /// The fleet of `--profiles A,B --regions R1,R2` (an empty profile list: the default
    /// chain).
    pub fn of_lists(profiles: &[String], regions: &[String]) -> Self {
        let members = if profiles.is_empty() {
            vec![FleetMember::default()]
        } else {
            profiles
                .iter()
                .map(|p| FleetMember {
                    profile: Some(p.clone()),
                    regions: Vec::new(),
                })
                .collect()
        };
        Self {
            name: "command line".to_owned(),
            regions: regions.to_vec(),
            members,
        }
    }
}

/// A cluster as the fleet sums it up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetCluster {
    /// Full ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// ACTIVE, INACTIVE…
    pub status: String,
    /// Registered container instances.
    pub container_instances: u32,
    /// Capacity providers attached.
    pub capacity_providers: Vec<String>,
    /// Tasks RUNNING.
    pub running_tasks: u32,
    /// Tasks PENDING.
    pub pending_tasks: u32,
}

/// A service as the fleet sums it up (no events, no network: a row's worth).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetService {
    /// Full ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Cluster ARN.
    pub cluster_arn: String,
    /// ACTIVE or DRAINING.
    pub status: String,
    /// FARGATE, EC2, EXTERNAL; None with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// Capacity providers of its strategy.
    pub capacity_providers: Vec<String>,
    /// Desired tasks.
    pub desired: i32,
    /// Running tasks.
    pub running: i32,
    /// Pending tasks.
    pub pending: i32,
    /// Task-definition ARN.
    pub task_definition: String,
    /// Deployments in flight (1 when settled).
    pub deployments: u32,
    /// The PRIMARY deployment's rollout state (IN_PROGRESS, COMPLETED, FAILED).
    pub rollout_state: Option<String>,
    /// Why it is in that state.
    pub rollout_reason: Option<String>,
    /// Tasks of the PRIMARY deployment that failed to start (a crash loop when it grows).
    pub failed_tasks: i32,
    /// Last deployment update.
    #[serde(with = "crate::model::time_format::opt")]
    pub updated_at: Option<SystemTime>,
}

impl FleetService {
    /// The row of a described service.
    pub fn of(service: &crate::model::ecs::Service) -> Self {
        let primary = service.primary_deployment();
        Self {
            arn: service.arn.clone(),
            name: service.name.clone(),
            cluster_arn: service.cluster_arn.clone(),
            status: service.status.clone(),
            launch_type: service.launch_type.clone(),
            capacity_providers: service
                .capacity_provider_strategy
                .iter()
                .map(|i| i.provider.clone())
                .collect(),
            desired: service.desired,
            running: service.running,
            pending: service.pending,
            task_definition: service.task_definition.clone(),
            deployments: u32::try_from(service.deployments.len()).unwrap_or(u32::MAX),
            rollout_state: primary.and_then(|d| d.rollout_state.clone()),
            rollout_reason: primary.and_then(|d| d.rollout_state_reason.clone()),
            failed_tasks: primary.map_or(0, |d| d.failed),
            updated_at: service.updated_at(),
        }
    }

    /// Launch type, or the capacity providers.
    pub fn capacity_label(&self) -> String {
        match &self.launch_type {
            Some(launch_type) => launch_type.clone(),
            None => self.capacity_providers.join(", "),
        }
    }

    /// `family:revision` of its task definition.
    pub fn family_revision(&self) -> &str {
        self.task_definition
            .rsplit_once('/')
            .map_or(self.task_definition.as_str(), |(_, tail)| tail)
    }

    /// The family of its task definition.
    pub fn family(&self) -> &str {
        let tail = self.family_revision();
        tail.rsplit_once(':').map_or(tail, |(family, _)| family)
    }

    /// Cluster name from the cluster ARN.
    pub fn cluster_name(&self) -> &str {
        self.cluster_arn
            .rsplit_once('/')
            .map_or(self.cluster_arn.as_str(), |(_, name)| name)
    }
}

/// An alarm in ALARM, and the ECS service it watches when its dimensions say so.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetAlarm {
    /// Alarm name.
    pub name: String,
    /// `ClusterName` dimension.
    pub cluster: Option<String>,
    /// `ServiceName` dimension.
    pub service: Option<String>,
    /// Why it fired.
    pub reason: String,
}

/// The account of an ARN (`arn:aws:ecs:region:account:…`).
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests;
