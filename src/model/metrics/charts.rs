//! Which charts a cluster or service has, the queries behind them, and the charts built from
//! GetMetricData's answers.

#[cfg(test)]
pub(crate) mod tests;

use super::lod::Lod;
use super::{MetricQuery, MetricRange, QueryResult, Stat, Window, align};
use crate::model::ecs::short_id;
use serde::{Deserialize, Serialize};

/// ECS's own metrics.
pub const NS_ECS: &str = "AWS/ECS";
/// Container Insights metrics.
pub const NS_INSIGHTS: &str = "ECS/ContainerInsights";

/// Whose metrics a chart shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MetricsScope {
    /// A whole cluster (ARN).
    Cluster {
        /// Cluster ARN.
        cluster: String,
    },
    /// One service (cluster ARN, service ARN).
    Service {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
    },
}

impl MetricsScope {
    /// The cluster ARN.
    pub fn cluster(&self) -> &str {
        match self {
            Self::Cluster { cluster } | Self::Service { cluster, .. } => cluster,
        }
    }

    /// The service ARN, for a service.
    pub fn service(&self) -> Option<&str> {
        match self {
            Self::Cluster { .. } => None,
            Self::Service { service, .. } => Some(service),
        }
    }

    /// The metric dimensions: `ClusterName` and, for a service, `ServiceName`.
    pub fn dimensions(&self) -> Vec<(&str, &str)> {
        let mut dims = vec![("ClusterName", short_id(self.cluster()))];
        if let Some(service) = self.service() {
            dims.push(("ServiceName", short_id(service)));
        }
        dims
    }
}

/// One set of charts: whose, over which range, at which period, with which extras.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MetricsKey {
    /// Whose metrics.
    pub scope: MetricsScope,
    /// The time range.
    pub range: MetricRange,
    /// Seconds per datapoint (chosen for the plot's width).
    pub period_secs: u32,
    /// Add Container Insights charts (task count, per-task CPU/memory, network, storage).
    pub insights: bool,
    /// Add CPU and memory reservation (EC2 capacity).
    pub reservation: bool,
}

impl MetricsKey {
    /// A key for `scope` over `range` at `period_secs`, with Container Insights charts when
    /// the cluster has it on and reservation when it has EC2 instances.
    pub fn new(
        scope: MetricsScope,
        range: MetricRange,
        period_secs: u32,
        cluster: Option<&crate::model::ecs::Cluster>,
    ) -> Self {
        Self {
            scope,
            range,
            period_secs,
            insights: cluster.is_some_and(insights_enabled),
            reservation: cluster.is_some_and(|c| c.container_instances > 0),
        }
    }
}

/// True when the cluster's Container Insights setting is `enabled` or `enhanced`.
pub fn insights_enabled(cluster: &crate::model::ecs::Cluster) -> bool {
    matches!(
        cluster.container_insights.as_deref(),
        Some("enabled" | "enhanced")
    )
}

/// What a chart's y axis counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// 0–100 %.
    Percent,
    /// Tasks.
    Count,
    /// Bytes per second.
    BytesPerSec,
    /// CPU units (1024 per vCPU).
    CpuUnits,
    /// Mebibytes.
    MiB,
}

impl Unit {
    /// `42.5 %`, `3`, `1.2 MB/s`…
    pub fn format(self, value: f64) -> String {
        match self {
            Self::Percent => format!("{value:.1} %"),
            Self::Count => format!("{value:.0}"),
            Self::CpuUnits => format!("{value:.0} units"),
            Self::MiB => format!("{value:.0} MiB"),
            Self::BytesPerSec => {
                let (scaled, suffix) = match value.abs() {
                    v if v >= 1e9 => (value / 1e9, "GB/s"),
                    v if v >= 1e6 => (value / 1e6, "MB/s"),
                    v if v >= 1e3 => (value / 1e3, "kB/s"),
                    _ => (value, "B/s"),
                };
                format!("{scaled:.1} {suffix}")
            }
        }
    }
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSpec {
    /// Legend label (`Average`, `task 1a2b3c`).
    pub label: String,
    /// What to fetch.
    pub query: MetricQuery,
    /// Hidden until asked for (Minimum).
    pub on_demand: bool,
}

/// One chart: a title, a unit, its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    /// Title (`CPU utilization`).
    pub title: String,
    /// Y unit.
    pub unit: Unit,
    /// The lines.
    pub series: Vec<SeriesSpec>,
}

/// A task seen in Container Insights: the dimensions of its metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightsTask {
    /// Task id.
    pub task_id: String,
    /// The task's metric dimensions (ClusterName, TaskId, …) as ListMetrics gave them.
    pub dimensions: Vec<(String, String)>,
}

fn stats_series(metric: &str, dims: &[(&str, &str)], label_prefix: &str) -> Vec<SeriesSpec> {
    [
        (Stat::Average, false),
        (Stat::Maximum, false),
        (Stat::Minimum, true),
    ]
    .into_iter()
    .map(|(stat, on_demand)| SeriesSpec {
        label: format!("{label_prefix}{}", stat.as_str()),
        query: MetricQuery::new(NS_ECS, metric, dims, stat),
        on_demand,
    })
    .collect()
}

/// The charts of `key`: CPU and memory (Average, Maximum, Minimum on demand), reservation
/// for EC2 capacity, and with Container Insights the task count, network, storage and a line
/// per task for CPU and memory (`tasks` from ListMetrics).
pub fn chart_plan(key: &MetricsKey, tasks: &[InsightsTask]) -> Vec<ChartSpec> {
    let dims = key.scope.dimensions();
    let mut cpu = stats_series("CPUUtilization", &dims, "");
    let mut memory = stats_series("MemoryUtilization", &dims, "");
    if key.reservation && key.scope.service().is_none() {
        for (series, metric) in [
            (&mut cpu, "CPUReservation"),
            (&mut memory, "MemoryReservation"),
        ] {
            series.push(SeriesSpec {
                label: "Reserved".to_owned(),
                query: MetricQuery::new(NS_ECS, metric, &dims, Stat::Average),
                on_demand: false,
            });
        }
    }
    let mut charts = vec![
        ChartSpec {
            title: "CPU utilization".to_owned(),
            unit: Unit::Percent,
            series: cpu,
        },
        ChartSpec {
            title: "Memory utilization".to_owned(),
            unit: Unit::Percent,
            series: memory,
        },
    ];
    if key.insights {
        charts.extend(insights_charts(&dims, tasks));
    }
    charts
}

fn insights_charts(dims: &[(&str, &str)], tasks: &[InsightsTask]) -> Vec<ChartSpec> {
    let one = |label: &str, metric: &str, stat: Stat| SeriesSpec {
        label: label.to_owned(),
        query: MetricQuery::new(NS_INSIGHTS, metric, dims, stat),
        on_demand: false,
    };
    let per_task = |metric: &str| -> Vec<SeriesSpec> {
        tasks
            .iter()
            .map(|task| SeriesSpec {
                label: format!("task {}", short_task(&task.task_id)),
                query: MetricQuery {
                    namespace: NS_INSIGHTS.to_owned(),
                    metric: metric.to_owned(),
                    dimensions: task.dimensions.clone(),
                    stat: Stat::Average,
                },
                on_demand: false,
            })
            .collect()
    };
    let mut charts = vec![
        ChartSpec {
            title: "Running tasks".to_owned(),
            unit: Unit::Count,
            series: vec![one("Running", "RunningTaskCount", Stat::Average)],
        },
        ChartSpec {
            title: "Network".to_owned(),
            unit: Unit::BytesPerSec,
            series: vec![
                one("Received", "NetworkRxBytes", Stat::Average),
                one("Sent", "NetworkTxBytes", Stat::Average),
            ],
        },
        ChartSpec {
            title: "Storage".to_owned(),
            unit: Unit::BytesPerSec,
            series: vec![
                one("Read", "StorageReadBytes", Stat::Average),
                one("Written", "StorageWriteBytes", Stat::Average),
            ],
        },
    ];
    if !tasks.is_empty() {
        charts.push(ChartSpec {
            title: "CPU per task".to_owned(),
            unit: Unit::CpuUnits,
            series: per_task("CpuUtilized"),
        });
        charts.push(ChartSpec {
            title: "Memory per task".to_owned(),
            unit: Unit::MiB,
            series: per_task("MemoryUtilized"),
        });
    }
    charts
}

/// The first 8 characters of a task id, enough to tell tasks apart in a legend.
pub fn short_task(task_id: &str) -> &str {
    task_id.get(..8).unwrap_or(task_id)
}

/// Every query of a plan, in chart then series order.
pub fn plan_queries(plan: &[ChartSpec]) -> Vec<MetricQuery> {
    plan.iter()
        .flat_map(|c| c.series.iter().map(|s| s.query.clone()))
        .collect()
}

/// One line, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesData {
    /// Legend label.
    pub label: String,
    /// Hidden until asked for.
    pub on_demand: bool,
    /// One slot per period; None is a gap.
    pub values: Vec<Option<f64>>,
    /// Levels of detail for drawing.
    pub lod: Lod,
}

/// One chart, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// Title.
    pub title: String,
    /// Y unit.
    pub unit: Unit,
    /// Its lines.
    pub series: Vec<SeriesData>,
}

impl ChartData {
    /// True when no line has a single datapoint.
    pub fn is_empty(&self) -> bool {
        self.series
            .iter()
            .all(|s| s.values.iter().all(Option::is_none))
    }
}

/// The answer for a `MetricsKey`.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricsData {
    /// The window and period fetched.
    pub window: Window,
    /// The charts, in display order.
    pub charts: Vec<ChartData>,
    /// True when CloudWatch marked some answer partial.
    pub partial: bool,
    /// GetMetricData calls made.
    pub calls: usize,
    /// Things to tell the user (Container Insights unavailable, …).
    pub notes: Vec<String>,
}

impl MetricsData {
    /// Builds the charts from `results`, one per query of `plan` in `plan_queries` order.
    pub fn assemble(window: Window, plan: Vec<ChartSpec>, results: &[QueryResult]) -> Self {
        let mut results = results.iter();
        let mut partial = false;
        let charts = plan
            .into_iter()
            .map(|chart| ChartData {
                title: chart.title,
                unit: chart.unit,
                series: chart
                    .series
                    .into_iter()
                    .map(|spec| {
                        let result = results.next();
                        partial |= result.is_some_and(|r| !r.complete);
                        let values = result
                            .map_or_else(|| vec![None; window.points()], |r| align(r, &window));
                        SeriesData {
                            lod: Lod::build(window.start_secs, window.period_secs, &values),
                            label: spec.label,
                            on_demand: spec.on_demand,
                            values,
                        }
                    })
                    .collect(),
            })
            .collect();
        Self {
            window,
            charts,
            partial,
            calls: 0,
            notes: Vec::new(),
        }
    }

    /// True when no chart has any datapoint.
    pub fn is_empty(&self) -> bool {
        self.charts.iter().all(ChartData::is_empty)
    }

    /// The slot holding time `x_secs`, if inside the window.
    pub fn slot_at(&self, x_secs: f64) -> Option<usize> {
        let offset = (x_secs - self.window.start_secs as f64) / f64::from(self.window.period_secs);
        (offset >= 0.0 && offset < self.window.points() as f64).then_some(offset as usize)
    }

    /// The start (epoch seconds) of a slot.
    pub fn slot_start(&self, slot: usize) -> i64 {
        self.window.start_secs
            + i64::try_from(slot).unwrap_or(0) * i64::from(self.window.period_secs)
    }
}
