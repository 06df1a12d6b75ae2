//! The fleet table's rows: built from the load's ranked rows and the search once per change
//! (a part arriving, the search edited), never per frame.

use crate::model::RequestId;
use crate::model::fleet::load::FleetLoad;
use crate::model::fleet::search::FleetQuery;
use std::time::SystemTime;

/// One service row as the table shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FleetRowView {
    /// Service ARN (the row's key; unique across accounts and regions).
    pub arn: String,
    /// Cluster ARN.
    pub cluster_arn: String,
    /// Index of its pair in the load.
    pub pair: usize,
    /// Index of the service in its pair.
    pub service: usize,
    /// Rank in the load (0: needs attention most).
    pub rank: usize,
    /// The most urgent concern's severity (0: healthy).
    pub severity: u32,
    /// The concerns in words, or empty.
    pub attention: String,
    /// Service name.
    pub name: String,
    /// Cluster name.
    pub cluster: String,
    /// Account, or "-".
    pub account: String,
    /// Region.
    pub region: String,
    /// Profile ("default" for the default chain).
    pub profile: String,
    /// Running tasks.
    pub running: i32,
    /// Desired tasks.
    pub desired: i32,
    /// The PRIMARY rollout and deployments in flight.
    pub deployment: String,
    /// Launch type or capacity providers.
    pub capacity: String,
    /// `family:revision`.
    pub revision: String,
    /// Images of its containers.
    pub images: String,
    /// When its pair's last part arrived.
    pub read_at: Option<SystemTime>,
}

/// Rows of one load for one search, kept until either changes.
#[derive(Debug, Default)]
pub struct FleetRows {
    /// The rows shown.
    pub rows: Vec<FleetRowView>,
    /// Bumped when `rows` change (the table's data version).
    pub version: u64,
    built_for: Option<(RequestId, u64, String)>,
}

impl FleetRows {
    /// The rows of `load` matching `search`, rebuilt only when either changed.
    pub fn refresh(&mut self, load: &FleetLoad, search: &str) {
        if let Some((id, version, built)) = &self.built_for
            && *id == load.id
            && *version == load.version
            && built == search
        {
            return;
        }
        let query = FleetQuery::parse(search);
        self.rows = load
            .rows
            .iter()
            .enumerate()
            .filter_map(|(rank, row)| {
                let (pair, service) = load.service(row)?;
                if !query.matches(pair, service) {
                    return None;
                }
                let deployment = match (&service.rollout_state, service.deployments) {
                    (Some(state), n) if n > 1 => format!("{state} ({n} deployments)"),
                    (Some(state), _) => state.clone(),
                    (None, n) => format!("{n} deployments"),
                };
                let images = pair
                    .images
                    .get(&service.task_definition)
                    .map(|i| i.join(", "))
                    .unwrap_or_default();
                Some(FleetRowView {
                    arn: service.arn.clone(),
                    cluster_arn: service.cluster_arn.clone(),
                    pair: row.pair,
                    service: row.service,
                    rank,
                    severity: row.severity(),
                    attention: row.summary(),
                    name: service.name.clone(),
                    cluster: service.cluster_name().to_owned(),
                    account: pair.account().unwrap_or("-").to_owned(),
                    region: pair.connection.region.clone(),
                    profile: pair
                        .connection
                        .profile
                        .clone()
                        .unwrap_or_else(|| "default".to_owned()),
                    running: service.running,
                    desired: service.desired,
                    deployment,
                    capacity: service.capacity_label(),
                    revision: service.family_revision().to_owned(),
                    images,
                    read_at: pair.updated_at,
                })
            })
            .collect();
        self.version += 1;
        self.built_for = Some((load.id, load.version, search.to_owned()));
    }
}
