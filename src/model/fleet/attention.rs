//! What needs attention in a fleet, and the order rows are shown in: services that are down
//! first, then failed or rolling-back deployments, tasks failing to start, alarms, fewer tasks
//! than desired, and clusters with no capacity for what they are asked to run.

use super::load::PairState;
use super::{FleetAlarm, FleetCluster, FleetService};
use std::collections::HashMap;

/// One reason a service needs attention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concern {
    /// No task running of those desired.
    Down {
        /// Tasks desired.
        desired: i32,
    },
    /// The deployment circuit breaker is rolling it back.
    RollingBack,
    /// A deployment failed.
    DeploymentFailed,
    /// Tasks of the current deployment failed to start (a crash loop as it grows).
    FailedTasks(i32),
    /// Alarms on it in ALARM.
    InAlarm(Vec<String>),
    /// Fewer tasks running than desired.
    BelowDesired {
        /// Running.
        running: i32,
        /// Desired.
        desired: i32,
    },
    /// Its cluster has no container instance for its EC2 tasks.
    NoCapacity,
}

impl Concern {
    /// How urgent, higher first.
    pub fn severity(&self) -> u32 {
        match self {
            Self::Down { .. } => 100,
            Self::RollingBack => 90,
            Self::DeploymentFailed => 85,
            Self::FailedTasks(_) => 70,
            Self::InAlarm(_) => 60,
            Self::NoCapacity => 55,
            Self::BelowDesired { .. } => 50,
        }
    }

    /// In words, for the row.
    pub fn label(&self) -> String {
        match self {
            Self::Down { desired } => format!("down: 0 of {desired} running"),
            Self::RollingBack => "rolling back".to_owned(),
            Self::DeploymentFailed => "deployment failed".to_owned(),
            Self::FailedTasks(n) if *n == 1 => "1 task failed to start".to_owned(),
            Self::FailedTasks(n) => format!("{n} tasks failed to start"),
            Self::InAlarm(names) if names.len() == 1 => format!("in alarm: {}", names[0]),
            Self::InAlarm(names) => format!("{} alarms in ALARM", names.len()),
            Self::BelowDesired { running, desired } => {
                format!("{running} of {desired} running")
            }
            Self::NoCapacity => "no capacity: cluster has no container instances".to_owned(),
        }
    }
}

/// A service's row: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FleetRow {
    /// Index of its pair in the load.
    pub pair: usize,
    /// Index of the service in its pair.
    pub service: usize,
    /// What is wrong, most urgent first; empty when healthy.
    pub concerns: Vec<Concern>,
}

impl FleetRow {
    /// The most urgent concern's severity (0 when healthy).
    pub fn severity(&self) -> u32 {
        self.concerns.first().map_or(0, Concern::severity)
    }

    /// The concerns in words.
    pub fn summary(&self) -> String {
        self.concerns
            .iter()
            .map(Concern::label)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Whether a service's tasks need container instances (EC2, or a capacity provider other
/// than Fargate's).
fn needs_instances(service: &FleetService) -> bool {
    match &service.launch_type {
        Some(launch_type) => launch_type == "EC2",
        None => service
            .capacity_providers
            .iter()
            .any(|p| p != "FARGATE" && p != "FARGATE_SPOT"),
    }
}

/// The concerns of one service.
pub fn concerns_of(
    service: &FleetService,
    cluster: Option<&FleetCluster>,
    alarms: &[&FleetAlarm],
) -> Vec<Concern> {
    let mut concerns = Vec::new();
    let wanted = service.status == "ACTIVE" && service.desired > 0;
    if wanted && service.running == 0 {
        concerns.push(Concern::Down {
            desired: service.desired,
        });
    }
    let reason = service.rollout_reason.as_deref().unwrap_or_default();
    if reason.to_lowercase().contains("rolling back") {
        concerns.push(Concern::RollingBack);
    } else if service.rollout_state.as_deref() == Some("FAILED") {
        concerns.push(Concern::DeploymentFailed);
    }
    if service.failed_tasks > 0 {
        concerns.push(Concern::FailedTasks(service.failed_tasks));
    }
    if !alarms.is_empty() {
        concerns.push(Concern::InAlarm(
            alarms.iter().map(|a| a.name.clone()).collect(),
        ));
    }
    if wanted && needs_instances(service) && cluster.is_some_and(|c| c.container_instances == 0) {
        concerns.push(Concern::NoCapacity);
    }
    if wanted && service.running > 0 && service.running < service.desired {
        concerns.push(Concern::BelowDesired {
            running: service.running,
            desired: service.desired,
        });
    }
    concerns.sort_by_key(|c| std::cmp::Reverse(c.severity()));
    concerns
}

/// Every service's row, what needs attention first: by the most urgent concern, then the
/// share of desired tasks missing, then the number of concerns; healthy rows by account,
/// region, cluster and name.
pub fn rank(pairs: &[PairState]) -> Vec<FleetRow> {
    let mut rows = Vec::new();
    for (pair_index, pair) in pairs.iter().enumerate() {
        let clusters: HashMap<&str, &FleetCluster> =
            pair.clusters.iter().map(|c| (c.arn.as_str(), c)).collect();
        let mut alarms: HashMap<(&str, &str), Vec<&FleetAlarm>> = HashMap::new();
        for alarm in &pair.alarms {
            if let (Some(cluster), Some(service)) = (&alarm.cluster, &alarm.service) {
                alarms
                    .entry((cluster.as_str(), service.as_str()))
                    .or_default()
                    .push(alarm);
            }
        }
        for (index, service) in pair.services.iter().enumerate() {
            let cluster = clusters.get(service.cluster_arn.as_str()).copied();
            let on_it = alarms
                .get(&(service.cluster_name(), service.name.as_str()))
                .map_or(&[][..], Vec::as_slice);
            rows.push(FleetRow {
                pair: pair_index,
                service: index,
                concerns: concerns_of(service, cluster, on_it),
            });
        }
    }
    let accounts: Vec<Option<&str>> = pairs.iter().map(PairState::account).collect();
    // Each row's key computed once (a comparison would parse ARNs again and again).
    rows.sort_by_cached_key(|row| {
        let service = &pairs[row.pair].services[row.service];
        // The share of desired tasks missing, per mille, so the key stays an integer.
        let missing = if service.desired <= 0 {
            0
        } else {
            i64::from(service.desired - service.running.min(service.desired)) * 1000
                / i64::from(service.desired)
        };
        (
            std::cmp::Reverse(row.severity()),
            std::cmp::Reverse(missing),
            std::cmp::Reverse(row.concerns.len()),
            accounts[row.pair],
            pairs[row.pair].connection.region.as_str(),
            service.cluster_name(),
            service.name.as_str(),
        )
    });
    rows
}
