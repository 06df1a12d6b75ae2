//! Fixed metric data for the UI tests: a daily pattern with noise from a fixed seed, a CPU
//! spike after the newest deployment, and a gap, on the fixtures' frozen clock.

use super::fixtures;
use ecsdeck::model::metrics::charts::{MetricsData, MetricsKey, chart_plan, plan_queries};
use ecsdeck::model::metrics::sparklines::{self, Sparklines};
use ecsdeck::model::metrics::{QueryResult, Stat, Window, window};
use std::time::UNIX_EPOCH;

/// The fixtures' "now" in epoch seconds.
pub fn now_secs() -> i64 {
    let secs = fixtures::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    i64::try_from(secs).expect("fits")
}

/// A value in [-1, 1] from `seed` and `t`, the same every run.
fn noise(seed: u64, t: i64) -> f64 {
    let mut x = seed ^ (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    (x % 2_001) as f64 / 1_000.0 - 1.0
}

/// One metric's value at `t`: a daily wave around `base`, noise, and for CPU a spike over
/// the last 25 minutes (after the fixtures' newest deployments).
pub fn value(metric: &str, stat: Stat, seed: u64, t: i64, now: i64) -> f64 {
    let day = (t.rem_euclid(86_400) as f64 / 86_400.0) * std::f64::consts::TAU;
    let base = if metric.starts_with("CPU") {
        35.0
    } else {
        55.0
    };
    let mut v = base + 12.0 * day.sin() + 4.0 * noise(seed, t);
    if metric == "CPUUtilization" && now - t < 25 * 60 {
        v += 30.0;
    }
    let spread = match stat {
        Stat::Maximum => 9.0,
        Stat::Minimum => -9.0,
        _ => 0.0,
    };
    (v + spread).clamp(0.0, 100.0)
}

fn result_for(metric: &str, stat: Stat, seed: u64, window: &Window, now: i64) -> QueryResult {
    let period = i64::from(window.period_secs);
    // Ten minutes of data missing an hour ago: a gap, not zeros.
    let gap = (now - 3_600)..(now - 3_000);
    let timestamps: Vec<i64> = (window.start_secs..window.end_secs.min(now))
        .step_by(usize::try_from(period).expect("period"))
        .filter(|t| !gap.contains(t))
        .collect();
    let values = timestamps
        .iter()
        .map(|t| value(metric, stat, seed, *t, now))
        .collect();
    QueryResult {
        timestamps,
        values,
        complete: true,
    }
}

/// The charts of `key` at the fixtures' clock (Container Insights: no per-task lines).
pub fn metrics(key: &MetricsKey) -> MetricsData {
    let now = now_secs();
    let window = window(&key.range, now, key.period_secs).expect("window");
    let plan = chart_plan(key, &[]);
    let results: Vec<QueryResult> = plan_queries(&plan)
        .iter()
        .map(|q| {
            let seed = q.dimension("ServiceName").map_or(7, |s| s.len() as u64);
            let mut result = result_for(&q.metric, q.stat, seed, &window, now);
            // Container Insights: a task count and byte rates on the same shape.
            match q.metric.as_str() {
                "RunningTaskCount" => result
                    .values
                    .iter_mut()
                    .for_each(|v| *v = (*v / 20.0).round()),
                "NetworkRxBytes" | "NetworkTxBytes" => {
                    result.values.iter_mut().for_each(|v| *v *= 25_000.0)
                }
                "StorageReadBytes" | "StorageWriteBytes" => {
                    result.values.iter_mut().for_each(|v| *v *= 1_000.0)
                }
                _ => {}
            }
            result
        })
        .collect();
    let mut data = MetricsData::assemble(window, plan, &results);
    data.calls = 1;
    data
}

/// Sparklines of `services` at the fixtures' clock.
pub fn sparklines(cluster: &str, services: &[String]) -> Sparklines {
    let now = now_secs();
    let window = ecsdeck::model::metrics::sparklines::spark_window(now);
    let results: Vec<QueryResult> =
        ecsdeck::model::metrics::sparklines::spark_queries(cluster, services)
            .iter()
            .map(|q| {
                let seed = q
                    .dimension("ServiceName")
                    .map_or(7, |s| s.len() as u64 * 31);
                result_for(&q.metric, q.stat, seed, &window, now)
            })
            .collect();
    ecsdeck::model::metrics::sparklines::assemble(window, services, &results, 1)
}

/// The charts of `key` with no datapoints at all.
pub fn empty(key: &MetricsKey) -> MetricsData {
    let window = window(&key.range, now_secs(), key.period_secs).expect("window");
    let mut data = MetricsData::assemble(window, chart_plan(key, &[]), &[]);
    data.calls = 1;
    data
}
