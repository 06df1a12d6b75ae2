//! The last hour of CPU and memory of every service in a list, fetched in as few GetMetricData
//! calls as the API allows (two queries per service, 500 queries per call).

use super::charts::NS_ECS;
use super::spark_outline::SparkOutline;
use super::{MetricQuery, QueryResult, Stat, Window, align};
use crate::model::ecs::short_id;
use std::collections::HashMap;

/// A sparkline spans the last hour…
pub const SPARK_SPAN_SECS: i64 = 3_600;
/// …one point a minute.
pub const SPARK_PERIOD_SECS: u32 = 60;

/// One small line: values (NaN in gaps) and the newest value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spark {
    /// One value per minute, oldest first; NaN where there is no datapoint.
    pub values: Vec<f32>,
    /// The newest datapoint, if any.
    pub latest: Option<f32>,
    /// What the line draws: two minutes a point, the higher of each pair so peaks stay (30
    /// points fit a 70-point-wide cell); NaN where both minutes are gaps.
    pub line: Vec<f32>,
    /// `line` as strip vertices, ready to draw.
    pub outline: SparkOutline,
}

impl Spark {
    /// A spark of per-minute `values` (NaN in gaps).
    pub fn new(values: Vec<f32>) -> Self {
        let latest = values.iter().rev().find(|v| !v.is_nan()).copied();
        let line: Vec<f32> = values
            .chunks(2)
            .map(|pair| {
                pair.iter()
                    .copied()
                    .filter(|v| !v.is_nan())
                    .reduce(f32::max)
                    .unwrap_or(f32::NAN)
            })
            .collect();
        let outline = SparkOutline::of(&line);
        Self {
            values,
            latest,
            line,
            outline,
        }
    }

    fn from_slots(slots: &[Option<f64>]) -> Self {
        Self::new(
            slots
                .iter()
                .map(|v| v.map_or(f32::NAN, |v| v as f32))
                .collect(),
        )
    }
}

/// CPU and memory sparklines of a cluster's services.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sparklines {
    /// The hour they cover.
    pub window: Option<Window>,
    /// By service name: (CPU, memory).
    pub by_service: HashMap<String, (Spark, Spark)>,
    /// GetMetricData calls made.
    pub calls: usize,
}

impl Sparklines {
    /// CPU and memory of a service (ARN or name).
    pub fn of(&self, service: &str) -> Option<&(Spark, Spark)> {
        self.by_service.get(short_id(service))
    }
}

/// The window of sparklines fetched at `now_secs`: the last hour in whole minutes.
pub fn spark_window(now_secs: i64) -> Window {
    let period = i64::from(SPARK_PERIOD_SECS);
    let end_secs = now_secs.div_euclid(period) * period + period;
    Window {
        start_secs: end_secs - SPARK_SPAN_SECS,
        end_secs,
        period_secs: SPARK_PERIOD_SECS,
    }
}

/// Two queries per service (CPU then memory, Average), in service order.
pub fn spark_queries(cluster: &str, services: &[String]) -> Vec<MetricQuery> {
    let cluster = short_id(cluster);
    services
        .iter()
        .flat_map(|service| {
            let dims = [("ClusterName", cluster), ("ServiceName", short_id(service))];
            [
                MetricQuery::new(NS_ECS, "CPUUtilization", &dims, Stat::Average),
                MetricQuery::new(NS_ECS, "MemoryUtilization", &dims, Stat::Average),
            ]
        })
        .collect()
}

/// Pairs `results` (in `spark_queries` order) back with their services.
pub fn assemble(
    window: Window,
    services: &[String],
    results: &[QueryResult],
    calls: usize,
) -> Sparklines {
    let by_service = services
        .iter()
        .zip(results.chunks(2))
        .map(|(service, pair)| {
            let spark = |i: usize| {
                pair.get(i)
                    .map(|r| Spark::from_slots(&align(r, &window)))
                    .unwrap_or_default()
            };
            (short_id(service).to_owned(), (spark(0), spark(1)))
        })
        .collect();
    Sparklines {
        window: Some(window),
        by_service,
        calls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metrics::calls_needed;

    #[test]
    fn six_hundred_services_need_three_calls() {
        let window = spark_window(1_800_000_000);
        assert_eq!(window.points(), 60);
        let services: Vec<String> = (0..600).map(|i| format!("svc-{i}")).collect();
        let queries = spark_queries("arn:aws:ecs:us-east-1:1:cluster/prod", &services);
        assert_eq!(queries.len(), 1_200);
        assert_eq!(calls_needed(queries.len(), window.points()), 3);
        assert_eq!(queries[1].metric, "MemoryUtilization");
        assert_eq!(queries[2].dimension("ServiceName"), Some("svc-1"));
        assert_eq!(queries[2].dimension("ClusterName"), Some("prod"));
    }

    #[test]
    fn results_pair_back_with_services_and_gaps_stay_gaps() {
        let window = spark_window(1_800_000_000);
        let minute = |i: i64| window.start_secs + i * 60;
        let cpu = QueryResult {
            timestamps: vec![minute(0), minute(58)],
            values: vec![10.0, 30.0],
            complete: true,
        };
        let memory = QueryResult::default();
        let services = vec!["arn:aws:ecs:r:1:service/prod/web".to_owned()];
        let sparks = assemble(window, &services, &[cpu, memory], 1);
        let (cpu, memory) = sparks.of("web").expect("web");
        assert_eq!(cpu.values.len(), 60);
        assert_eq!(cpu.values[0], 10.0);
        assert!(cpu.values[1].is_nan());
        assert_eq!(cpu.latest, Some(30.0));
        assert_eq!(memory.latest, None);
        assert!(memory.values.iter().all(|v| v.is_nan()));
        assert_eq!(cpu.line.len(), 30);
        assert_eq!(cpu.line[0], 10.0);
        assert!(cpu.line[1].is_nan());
        assert_eq!(cpu.line[29], 30.0);
    }

    #[test]
    fn the_line_keeps_the_higher_minute_of_each_pair() {
        let spark = Spark::new(vec![1.0, 5.0, f32::NAN, 2.0, 7.0, 3.0, f32::NAN]);
        assert_eq!(spark.line[..3], [5.0, 2.0, 7.0]);
        assert!(spark.line[3].is_nan());
        assert_eq!(spark.latest, Some(3.0));
    }
}
