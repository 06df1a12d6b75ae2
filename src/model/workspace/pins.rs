//! Pinned services: kept across clusters, profiles and restarts, shown in the sidebar with
//! their live counts when they belong to the current connection.

use crate::model::ecs::Service;
use crate::model::{Connection, ResourceKey};
use serde::{Deserialize, Serialize};

/// Most services that can be pinned (each pinned cluster's services are refreshed).
pub const PINS_MAX: usize = 50;

/// One pinned service and where it lives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// Profile, region and endpoint it was pinned with.
    pub connection: Connection,
    /// Cluster ARN.
    pub cluster: String,
    /// Service ARN.
    pub service: String,
    /// Service name.
    pub name: String,
}

impl Pin {
    /// A pin for `service` seen through `connection`.
    pub fn of(service: &Service, connection: &Connection) -> Self {
        Self {
            connection: connection.without_secrets(),
            cluster: service.cluster_arn.clone(),
            service: service.arn.clone(),
            name: service.name.clone(),
        }
    }

    /// The cluster's name (the last part of its ARN).
    pub fn cluster_name(&self) -> &str {
        crate::model::ecs::short_id(&self.cluster)
    }
}

/// How a pinned service is doing, from the last service list of its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinHealth {
    /// Running as many tasks as desired, one deployment.
    Steady,
    /// A rollout, or tasks pending.
    Changing,
    /// Fewer tasks running than desired, with none on the way.
    Short,
    /// Not in the last list (deleted, or the list failed or is loading).
    Unknown,
}

/// What the sidebar shows for a pin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinStatus {
    /// Health.
    pub health: PinHealth,
    /// Running and desired task counts, when known.
    pub counts: Option<(i32, i32)>,
}

/// The status of `service` (None: not in the list).
pub fn status(service: Option<&Service>) -> PinStatus {
    let Some(s) = service else {
        return PinStatus {
            health: PinHealth::Unknown,
            counts: None,
        };
    };
    let health = if s.is_changing() || s.pending > 0 {
        PinHealth::Changing
    } else if s.running < s.desired {
        PinHealth::Short
    } else {
        PinHealth::Steady
    };
    PinStatus {
        health,
        counts: Some((s.running, s.desired)),
    }
}

/// Adds `pin` (unless there already, or the list is full); true when added.
pub fn add(pins: &mut Vec<Pin>, pin: Pin) -> bool {
    if pins.len() >= PINS_MAX || pins.iter().any(|p| same(p, &pin)) {
        return false;
    }
    pins.push(pin);
    true
}

/// Whether two pins name the same service through the same connection.
pub fn same(a: &Pin, b: &Pin) -> bool {
    a.service == b.service && a.connection == b.connection
}

/// The service lists the pins of `connection` need, one per cluster.
pub fn keys(pins: &[Pin], connection: &Connection) -> Vec<ResourceKey> {
    let connection = connection.without_secrets();
    let mut keys: Vec<ResourceKey> = Vec::new();
    for pin in pins.iter().filter(|p| p.connection == connection) {
        let key = ResourceKey::Services(pin.cluster.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(service: &str, profile: &str) -> Pin {
        Pin {
            connection: Connection {
                profile: Some(profile.into()),
                region: "us-east-1".into(),
                endpoint_url: None,
            },
            cluster: format!("arn:aws:ecs:us-east-1:1:cluster/c-{service}"),
            service: format!("arn:aws:ecs:us-east-1:1:service/c-{service}/{service}"),
            name: service.into(),
        }
    }

    #[test]
    fn pins_are_unique_per_connection_and_bounded() {
        let mut pins = Vec::new();
        assert!(add(&mut pins, pin("api", "prod")));
        assert!(!add(&mut pins, pin("api", "prod")));
        assert!(add(&mut pins, pin("api", "staging")));
        for i in 0..PINS_MAX {
            add(&mut pins, pin(&format!("s{i}"), "prod"));
        }
        assert_eq!(pins.len(), PINS_MAX);
        assert_eq!(pins[0].cluster_name(), "c-api");
    }

    #[test]
    fn only_the_current_connections_clusters_are_loaded_once_each() {
        let pins = vec![
            pin("api", "prod"),
            pin("api", "staging"),
            pin("api", "prod"),
        ];
        let keys = keys(&pins, &pins[0].connection);
        assert_eq!(keys, vec![ResourceKey::Services(pins[0].cluster.clone())]);
    }
}
