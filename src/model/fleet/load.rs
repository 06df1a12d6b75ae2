//! A fleet being loaded: each pair's state as its parts stream in, and the ranked rows of
//! everything loaded so far.

use super::attention::{FleetRow, rank};
use super::{FleetAlarm, FleetCluster, FleetService, account_of};
use crate::model::{AwsError, Connection, RequestId};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// One part of a pair's load, sent as soon as it is read.
#[derive(Clone, Debug, PartialEq)]
pub enum FleetPart {
    /// The pair's clusters (before their services).
    Clusters(Vec<FleetCluster>),
    /// The services of one cluster.
    Services(Vec<FleetService>),
    /// Alarms in ALARM.
    Alarms(Vec<FleetAlarm>),
    /// Images of task definitions (ARN → images of its containers).
    Images(BTreeMap<String, Vec<String>>),
    /// The pair is read; the calls it took.
    Done {
        /// API calls made for this pair.
        calls: u32,
    },
    /// The pair reaches the same account and region as pair `pair`, read there.
    SameAs {
        /// The pair that reads them.
        pair: usize,
        /// API calls made before that was known.
        calls: u32,
    },
    /// Something beside the services could not be read (alarms, images); the rest shows.
    Warning(AwsError),
    /// The pair failed; what was read before stays.
    Failed(AwsError),
}

/// A fleet pair's progress.
#[derive(Clone, Debug, PartialEq)]
pub enum PairStatus {
    /// Calls in flight.
    Loading,
    /// Everything read.
    Loaded,
    /// The same account and region as another pair (its index), shown there.
    SameAs(usize),
    /// It failed (expired SSO, no access, region disabled…).
    Failed(AwsError),
}

/// One profile × region of a loaded fleet.
#[derive(Clone, Debug, PartialEq)]
pub struct PairState {
    /// The pair.
    pub connection: Connection,
    /// Where it stands.
    pub status: PairStatus,
    /// When its load started.
    pub started_at: SystemTime,
    /// When its last part arrived.
    pub updated_at: Option<SystemTime>,
    /// Its clusters.
    pub clusters: Vec<FleetCluster>,
    /// Its services.
    pub services: Vec<FleetService>,
    /// Its alarms in ALARM.
    pub alarms: Vec<FleetAlarm>,
    /// Task definition ARN → images.
    pub images: BTreeMap<String, Vec<String>>,
    /// API calls its load took (once done).
    pub calls: Option<u32>,
    /// What could not be read beside its services (alarms, images).
    pub warnings: Vec<AwsError>,
}

impl PairState {
    /// A pair whose load just started.
    pub fn loading(connection: Connection, now: SystemTime) -> Self {
        Self {
            connection,
            status: PairStatus::Loading,
            started_at: now,
            updated_at: None,
            clusters: Vec::new(),
            services: Vec::new(),
            alarms: Vec::new(),
            images: BTreeMap::new(),
            calls: None,
            warnings: Vec::new(),
        }
    }

    /// The account, from the first ARN read.
    pub fn account(&self) -> Option<&str> {
        self.clusters.first().and_then(|c| account_of(&c.arn))
    }

    /// `profile · region` (the default chain's profile as "default").
    pub fn label(&self) -> String {
        format!(
            "{} · {}",
            self.connection.profile.as_deref().unwrap_or("default"),
            self.connection.region
        )
    }

    /// Applies one part.
    pub fn apply(&mut self, part: FleetPart, now: SystemTime) {
        self.updated_at = Some(now);
        match part {
            FleetPart::Clusters(clusters) => self.clusters = clusters,
            FleetPart::Services(services) => self.services.extend(services),
            FleetPart::Alarms(alarms) => self.alarms = alarms,
            FleetPart::Images(images) => self.images.extend(images),
            FleetPart::Done { calls } => {
                self.calls = Some(calls);
                self.status = PairStatus::Loaded;
            }
            FleetPart::SameAs { pair, calls } => {
                self.calls = Some(calls);
                self.status = PairStatus::SameAs(pair);
            }
            FleetPart::Warning(error) => self.warnings.push(error),
            FleetPart::Failed(error) => self.status = PairStatus::Failed(error),
        }
    }

    /// The cluster a service belongs to.
    pub fn cluster_of(&self, service: &FleetService) -> Option<&FleetCluster> {
        self.clusters.iter().find(|c| c.arn == service.cluster_arn)
    }
}

/// A fleet load: its pairs and the rows ranked from what has arrived.
#[derive(Clone, Debug, PartialEq)]
pub struct FleetLoad {
    /// The worker request streaming it.
    pub id: RequestId,
    /// The fleet's name.
    pub name: String,
    /// Its pairs, in the fleet's order.
    pub pairs: Vec<PairState>,
    /// Services, what needs attention first.
    pub rows: Vec<FleetRow>,
    /// Bumped whenever rows change (views cache on it).
    pub version: u64,
    /// Parts arrived since the rows were last ranked.
    pub unranked: bool,
    /// When the rows were last ranked.
    ranked_at: Option<SystemTime>,
}

/// While a fleet streams in, its rows are ranked again at most this often (a frame that
/// ranks 5,000 services costs a few ms; the last part is ranked at once).
pub const RANK_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

impl FleetLoad {
    /// A load of `pairs` just started.
    pub fn new(id: RequestId, name: String, pairs: Vec<Connection>, now: SystemTime) -> Self {
        Self {
            id,
            name,
            pairs: pairs
                .into_iter()
                .map(|c| PairState::loading(c, now))
                .collect(),
            rows: Vec::new(),
            version: 0,
            unranked: false,
            ranked_at: None,
        }
    }

    /// Applies a part of pair `pair`; the rows wait for [`Self::rank`] (once a frame, however
    /// many parts came in it).
    pub fn apply(&mut self, pair: usize, part: FleetPart, now: SystemTime) {
        let Some(state) = self.pairs.get_mut(pair) else {
            return;
        };
        state.apply(part, now);
        self.unranked = true;
    }

    /// Ranks the rows again if parts arrived since the last time.
    pub fn rank(&mut self) {
        if self.unranked {
            self.rows = rank(&self.pairs);
            self.version += 1;
            self.unranked = false;
        }
    }

    /// Ranks the rows again if parts arrived, once [`RANK_INTERVAL`] has passed since the last
    /// ranking or every pair has answered.
    pub fn rank_due(&mut self, now: SystemTime) {
        // A clock that went back counts as due.
        let due = self
            .ranked_at
            .is_none_or(|at| now.duration_since(at).map_or(true, |d| d >= RANK_INTERVAL));
        if self.unranked && (due || self.finished()) {
            self.rank();
            self.ranked_at = Some(now);
        }
    }

    /// Whether every pair has answered.
    pub fn finished(&self) -> bool {
        self.pairs
            .iter()
            .all(|p| !matches!(p.status, PairStatus::Loading))
    }

    /// The service of a row.
    pub fn service(&self, row: &FleetRow) -> Option<(&PairState, &FleetService)> {
        let pair = self.pairs.get(row.pair)?;
        Some((pair, pair.services.get(row.service)?))
    }

    /// Rows that need attention.
    pub fn unhealthy(&self) -> usize {
        self.rows.iter().filter(|r| !r.concerns.is_empty()).count()
    }
}
