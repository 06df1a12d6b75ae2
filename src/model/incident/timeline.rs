//! The incident timeline: what happened to a service, several services or a cluster over a
//! window, as events on lanes (deployments, service events, stopped tasks, scaling, alarms,
//! registrations) on one time axis with the error rate and the CPU/memory charts.

use super::crash_loops::StopGroup;
use super::diagnosis::Diagnosis;
use super::sources::{ErrorCounts, SourceProblem};
use crate::model::metrics::MetricRange;
use crate::model::metrics::charts::MetricsData;
use crate::model::metrics::markers::ChartMarker;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// Most services one timeline reads in full (events, history, stops): a cluster's timeline
/// takes the services that changed most recently.
pub const MAX_SERVICES: usize = 20;

/// Whose timeline, over which range.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IncidentKey {
    /// Cluster ARN.
    pub cluster: String,
    /// Service ARNs; empty for the whole cluster.
    pub services: Vec<String>,
    /// The window.
    pub range: MetricRange,
}

impl IncidentKey {
    /// The timeline of one service over the last `secs`.
    pub fn service(cluster: &str, service: &str, secs: u32) -> Self {
        Self {
            cluster: cluster.to_owned(),
            services: vec![service.to_owned()],
            range: MetricRange::Last(secs),
        }
    }

    /// `web`, `web, api`, or `cluster prod`.
    pub fn label(&self) -> String {
        use crate::model::ecs::short_id;
        if self.services.is_empty() {
            return format!("cluster {}", short_id(&self.cluster));
        }
        let names: Vec<&str> = self.services.iter().map(|s| short_id(s)).collect();
        names.join(", ")
    }
}

/// A lane of the timeline, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lane {
    /// Deployments: start, stage, end, rollback.
    Deployments,
    /// Stopped tasks, grouped by cause.
    Stops,
    /// CloudWatch alarm state changes.
    Alarms,
    /// Application Auto Scaling activities.
    Scaling,
    /// Service events.
    Events,
    /// Task definitions registered.
    Registrations,
}

impl Lane {
    /// Every lane, top to bottom.
    pub const ALL: [Self; 6] = [
        Self::Deployments,
        Self::Stops,
        Self::Alarms,
        Self::Scaling,
        Self::Events,
        Self::Registrations,
    ];

    /// The lane's name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deployments => "Deployments",
            Self::Stops => "Stopped tasks",
            Self::Alarms => "Alarms",
            Self::Scaling => "Scaling",
            Self::Events => "Service events",
            Self::Registrations => "Registrations",
        }
    }
}

/// How an event reads at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventTone {
    /// Neutral.
    Info,
    /// Something went right (a deployment completed, an alarm went back to OK).
    Good,
    /// Worth a look (a rollback, scaling).
    Warn,
    /// Something failed.
    Bad,
}

/// What clicking an event opens.
#[derive(Clone, Debug, PartialEq)]
pub enum EventTarget {
    /// A deployment: "what changed".
    Deployment(ChartMarker),
    /// A row of stopped tasks: its diagnosis (index into [`Timeline::stops`]).
    Stops(usize),
    /// A task-definition revision (ARN).
    Revision(String),
    /// Nothing more than the event itself.
    Detail,
}

/// One point (or span) on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEvent {
    /// When, epoch seconds.
    pub at_secs: i64,
    /// When it ended, for spans (a crash loop, a deployment).
    pub until_secs: Option<i64>,
    /// Its lane.
    pub lane: Lane,
    /// How it reads.
    pub tone: EventTone,
    /// The service it concerns (name), if one.
    pub service: Option<String>,
    /// One line.
    pub title: String,
    /// More lines, shown in its detail.
    pub detail: Vec<String>,
    /// What clicking it opens.
    pub target: EventTarget,
}

/// One stopped task of a row.
#[derive(Clone, Debug, PartialEq)]
pub struct StopEntry {
    /// Task ARN.
    pub arn: String,
    /// When it stopped.
    pub stopped_at: SystemTime,
    /// Only the recorder still has it.
    pub recorded: bool,
    /// Its own diagnosis.
    pub diagnosis: Diagnosis,
}

/// A row of stopped tasks (one task, a crash loop, or a burst of planned stops) explained.
#[derive(Clone, Debug, PartialEq)]
pub struct StopRow {
    /// The grouping.
    pub group: StopGroup,
    /// The diagnosis of its latest task (the row's cause).
    pub diagnosis: Diagnosis,
    /// Its tasks, oldest first.
    pub tasks: Vec<StopEntry>,
}

impl StopRow {
    /// `Out of memory (api) ×7, crash loop`.
    pub fn label(&self) -> String {
        let mut text = self.diagnosis.kind.label();
        if let Some(container) = &self.group.container {
            text.push_str(&format!(" ({container})"));
        }
        if self.group.count() > 1 {
            text.push_str(&format!(" ×{}", self.group.count()));
        }
        if self.group.crash_loop {
            text.push_str(", crash loop");
        }
        text
    }

    /// How many of its tasks only the recorder still has.
    pub fn recorded(&self) -> usize {
        self.tasks.iter().filter(|t| t.recorded).count()
    }
}

/// The error rate: one value per minute of the window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorRate {
    /// Minute start (epoch seconds) and error lines, every minute of the window in order
    /// (zero where none were counted).
    pub minutes: Vec<(i64, u32)>,
    /// How it was counted.
    pub counts: ErrorCounts,
}

impl ErrorRate {
    /// The highest minute.
    pub fn peak(&self) -> Option<(i64, u32)> {
        self.minutes
            .iter()
            .copied()
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(at, n)| (*n, std::cmp::Reverse(*at)))
    }

    /// Error lines in `[from_secs, to_secs)`.
    pub fn total_between(&self, from_secs: i64, to_secs: i64) -> u64 {
        self.minutes
            .iter()
            .filter(|(at, _)| *at >= from_secs && *at < to_secs)
            .map(|(_, n)| u64::from(*n))
            .sum()
    }
}

/// The timeline, built off the UI thread, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    /// Start of the window, epoch seconds.
    pub start_secs: i64,
    /// End of the window, epoch seconds.
    pub end_secs: i64,
    /// The services shown (names).
    pub services: Vec<String>,
    /// Every event, oldest first.
    pub events: Vec<TimelineEvent>,
    /// Stopped-task rows, newest first.
    pub stops: Vec<StopRow>,
    /// Deployment markers for the charts.
    pub markers: Vec<ChartMarker>,
    /// Error lines per minute.
    pub error_rate: ErrorRate,
    /// CPU and memory charts.
    pub charts: Option<MetricsData>,
    /// What each deployment changed: (previous revision, revision) → the diff's one line.
    pub changes: std::collections::BTreeMap<(String, String), String>,
    /// Sources that could not be read.
    pub problems: Vec<SourceProblem>,
}

impl Timeline {
    /// Events of `lane`, oldest first.
    pub fn lane(&self, lane: Lane) -> impl Iterator<Item = (usize, &TimelineEvent)> {
        self.events
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.lane == lane)
    }

    /// Events in `[from_secs, to_secs]` (spans that overlap it count).
    pub fn events_between(
        &self,
        from_secs: i64,
        to_secs: i64,
    ) -> impl Iterator<Item = &TimelineEvent> {
        self.events
            .iter()
            .filter(move |e| e.at_secs <= to_secs && e.until_secs.unwrap_or(e.at_secs) >= from_secs)
    }

    /// The event nearest `x_secs` on `lane` within `tolerance_secs`.
    pub fn nearest(&self, lane: Lane, x_secs: f64, tolerance_secs: f64) -> Option<usize> {
        self.lane(lane)
            .map(|(i, e)| {
                let end = e.until_secs.unwrap_or(e.at_secs) as f64;
                let distance = if x_secs < e.at_secs as f64 {
                    e.at_secs as f64 - x_secs
                } else if x_secs > end {
                    x_secs - end
                } else {
                    0.0
                };
                (i, distance)
            })
            .filter(|(_, d)| *d <= tolerance_secs)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}
