//! CloudWatch metrics through the real SDK, the CBOR bridge and moto: known values put with
//! PutMetricData are read back exactly (values, timestamps, gaps) by the `aws/` layer and the
//! CLI; 600 services' sparklines take 3 GetMetricData calls, counted on the wire.

use crate::support;

use aws_sdk_cloudwatch::types::builders::MetricDatumBuilder;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StatisticSet};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::DateTime;
use aws_smithy_types::config_bag::ConfigBag;
use ecsdeck::aws::Ecs;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::metrics::charts::{MetricsKey, MetricsScope};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use support::Emulator;

/// Counts requests sent (after retries are decided, one per attempt).
#[derive(Clone, Debug, Default)]
struct CallCounter(Arc<AtomicUsize>);

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

/// `ecsdeck metrics --cluster prod ARGS` against the emulator.
fn metrics_cli(emulator: &Emulator, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .envs(emulator.cli_env())
        .args([
            "--endpoint-url",
            &emulator.endpoint,
            "--region",
            "us-east-1",
        ])
        .args(["metrics", "--cluster", "prod"])
        .args(args)
        .output()
        .expect("run ecsdeck")
}

/// A datum of `metric` for `service` in cluster prod at `at_secs`, value still to set.
fn datum_at(metric: &str, service: &str, at_secs: i64) -> MetricDatumBuilder {
    let dimension = |name: &str, value: &str| Dimension::builder().name(name).value(value).build();
    MetricDatum::builder()
        .metric_name(metric)
        .dimensions(dimension("ClusterName", "prod"))
        .dimensions(dimension("ServiceName", service))
        .timestamp(DateTime::from_secs(at_secs))
}

fn datum(metric: &str, service: &str, at_secs: i64, value: f64) -> MetricDatum {
    datum_at(metric, service, at_secs).value(value).build()
}

async fn put(client: &aws_sdk_cloudwatch::Client, data: Vec<MetricDatum>) {
    for chunk in data.chunks(500) {
        client
            .put_metric_data()
            .namespace("AWS/ECS")
            .set_metric_data(Some(chunk.to_vec()))
            .send()
            .await
            .expect("PutMetricData");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_put_are_read_back_exactly_with_gaps() {
    let emulator = Emulator::start();
    let counter = CallCounter::default();
    let cloudwatch = emulator.cloudwatch_client(counter.clone());
    let now = now_secs();
    let minute = |i: i64| (now / 60 - 120 + i) * 60;
    // Two hours of CPU, one value a minute, with minutes 30–39 missing; memory as a
    // statistic set (min 10, max 90, average 50) every minute.
    let mut data: Vec<MetricDatum> = (0..120)
        .filter(|i| !(30..40).contains(i))
        .map(|i| datum("CPUUtilization", "web", minute(i), i as f64 + 0.25))
        .collect();
    data.extend((0..120).map(|i| {
        datum_at("MemoryUtilization", "web", minute(i))
            .statistic_values(
                StatisticSet::builder()
                    .sample_count(2.0)
                    .sum(100.0)
                    .minimum(10.0)
                    .maximum(90.0)
                    .build(),
            )
            .build()
    }));
    put(&cloudwatch, data).await;

    let ecs =
        Ecs::new(emulator.ecs_client(), Some(emulator.endpoint.clone())).with_metrics(cloudwatch);
    let key = MetricsKey {
        scope: MetricsScope::Service {
            cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
            service: "arn:aws:ecs:us-east-1:123456789012:service/prod/web".into(),
        },
        range: MetricRange::Last(3 * 3_600),
        period_secs: 60,
        insights: false,
        reservation: false,
    };
    let before = counter.0.load(Ordering::SeqCst);
    let data = ecs.metrics(&key, now).await.expect("metrics");
    assert_eq!(
        counter.0.load(Ordering::SeqCst) - before,
        1,
        "six queries, one call"
    );
    assert_eq!(data.calls, 1);
    assert_eq!(data.window.period_secs, 60);
    assert_eq!(
        data.window.end_secs - data.window.start_secs,
        3 * 3_600 + if now % 60 == 0 { 0 } else { 60 }
    );
    let cpu = &data.charts[0].series[0];
    assert_eq!(cpu.label, "Average");
    let slot = |t: i64| usize::try_from((t - data.window.start_secs) / 60).unwrap();
    for i in 0..120 {
        let expected = if (30..40).contains(&i) {
            None
        } else {
            Some(i as f64 + 0.25)
        };
        assert_eq!(cpu.values[slot(minute(i))], expected, "minute {i}");
    }
    // Before the data starts: gaps, not zeros.
    assert_eq!(cpu.values[slot(minute(0)) - 1], None);
    let memory = &data.charts[1].series;
    assert_eq!(
        memory[0].values[slot(minute(5))],
        Some(50.0),
        "average of the set"
    );
    assert_eq!(memory[1].values[slot(minute(5))], Some(90.0), "maximum");
    assert_eq!(memory[2].values[slot(minute(5))], Some(10.0), "minimum");
    assert!(!data.partial);

    // The CLI reads the same through the same code: one CSV row per minute.
    let output = metrics_cli(
        &emulator,
        &[
            "--service",
            "web",
            "--range",
            "3h",
            "--period-secs",
            "60",
            "--output",
            "csv",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "timestamp,CPU utilization Average,CPU utilization Maximum,CPU utilization Minimum,\
             Memory utilization Average,Memory utilization Maximum,Memory utilization Minimum"
        )
    );
    let at = |i: i64| {
        ecsdeck::model::time_format::rfc3339(
            UNIX_EPOCH + std::time::Duration::from_secs(minute(i) as u64),
        )
    };
    let row = |i: i64| {
        stdout
            .lines()
            .find(|l| l.starts_with(&at(i)))
            .map(str::to_owned)
    };
    assert_eq!(row(7), Some(format!("{},7.25,7.25,7.25,50,90,10", at(7))));
    assert_eq!(
        row(33),
        Some(format!("{},,,,50,90,10", at(33))),
        "a gap is an empty cell"
    );

    let json = metrics_cli(
        &emulator,
        &["--service", "web", "--range", "3h", "--output", "json"],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["charts"][0]["title"], "CPU utilization");
    assert!(value["period_secs"].as_u64().is_some_and(|p| p >= 60));

    let bad = metrics_cli(&emulator, &["--range", "3x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a time span"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sparklines_of_600_services_take_three_calls() {
    let emulator = Emulator::start();
    let counter = CallCounter::default();
    let cloudwatch = emulator.cloudwatch_client(counter.clone());
    let now = now_secs();
    let services: Vec<String> = (0..600).map(|i| format!("svc-{i:03}")).collect();
    // Two datapoints per service: 20 minutes ago (CPU = its number / 10) and 5 minutes ago.
    let mut data = Vec::new();
    for (i, service) in services.iter().enumerate() {
        let at = (now / 60) * 60;
        data.push(datum(
            "CPUUtilization",
            service,
            at - 1_200,
            i as f64 / 10.0,
        ));
        data.push(datum("CPUUtilization", service, at - 300, 1.0));
        data.push(datum("MemoryUtilization", service, at - 300, 42.0));
    }
    put(&cloudwatch, data).await;
    let ecs = Ecs::new(emulator.ecs_client(), None).with_metrics(cloudwatch);
    let before = counter.0.load(Ordering::SeqCst);
    let sparks = ecs
        .sparklines(
            "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
            &services,
            now,
        )
        .await
        .expect("sparklines");
    assert_eq!(
        counter.0.load(Ordering::SeqCst) - before,
        3,
        "ceil(2 × 600 / 500) calls"
    );
    assert_eq!(sparks.calls, 3);
    assert_eq!(sparks.by_service.len(), 600);
    let (cpu, memory) = sparks.of("svc-599").expect("svc-599");
    assert_eq!(cpu.values.len(), 60);
    assert!(
        cpu.values.contains(&59.9),
        "the last service's own value, not a neighbour's"
    );
    assert_eq!(cpu.latest, Some(1.0));
    assert_eq!(memory.latest, Some(42.0));
    assert!(
        cpu.values.iter().filter(|v| v.is_nan()).count() >= 50,
        "gaps elsewhere"
    );
}

/// A datum in Container Insights' namespace: `metric` of task `task_id` (or of the service
/// when `None`) of `service` in cluster prod.
fn insights_datum(
    metric: &str,
    service: &str,
    task_id: Option<&str>,
    at_secs: i64,
    value: f64,
) -> MetricDatum {
    let mut datum = datum_at(metric, service, at_secs).value(value);
    if let Some(task_id) = task_id {
        datum = datum.dimensions(Dimension::builder().name("TaskId").value(task_id).build());
    }
    datum.build()
}

/// Container Insights through the real SDK, the bridge and moto: `Ecs::insights_tasks` finds
/// the service's tasks with ListMetrics (not another service's), and `Ecs::metrics` with
/// insights adds the task-count, network and storage charts and one line per task, read back
/// with the task's own dimensions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_insights_charts_and_one_line_per_task() {
    let emulator = Emulator::start();
    let cloudwatch = emulator.cloudwatch_client(CallCounter::default());
    let now = now_secs();
    let minute = |i: i64| (now / 60 - 30 + i) * 60;
    let tasks = [
        ("c3d4e5f6a7b8c9d0", 30.0),
        ("0a1b2c3d4e5f6a7b", 10.0),
        ("9f8e7d6c5b4a3f2e", 20.0),
    ];
    let mut insights = Vec::new();
    for i in 0..20 {
        for (task_id, cpu) in tasks {
            insights.push(insights_datum(
                "CpuUtilized",
                "web",
                Some(task_id),
                minute(i),
                cpu,
            ));
            let memory = cpu * 10.0;
            insights.push(insights_datum(
                "MemoryUtilized",
                "web",
                Some(task_id),
                minute(i),
                memory,
            ));
        }
        // A task of another service: not in web's charts.
        insights.push(insights_datum(
            "CpuUtilized",
            "api",
            Some("ffffeeeeddddcccc"),
            minute(i),
            99.0,
        ));
        insights.push(insights_datum(
            "RunningTaskCount",
            "web",
            None,
            minute(i),
            3.0,
        ));
        insights.push(insights_datum(
            "NetworkRxBytes",
            "web",
            None,
            minute(i),
            2048.0,
        ));
    }
    for chunk in insights.chunks(500) {
        cloudwatch
            .put_metric_data()
            .namespace(ecsdeck::model::metrics::charts::NS_INSIGHTS)
            .set_metric_data(Some(chunk.to_vec()))
            .send()
            .await
            .expect("PutMetricData");
    }
    put(
        &cloudwatch,
        vec![datum("CPUUtilization", "web", minute(5), 42.0)],
    )
    .await;

    let ecs =
        Ecs::new(emulator.ecs_client(), Some(emulator.endpoint.clone())).with_metrics(cloudwatch);
    let scope = MetricsScope::Service {
        cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
        service: "arn:aws:ecs:us-east-1:123456789012:service/prod/web".into(),
    };
    let found = ecs.insights_tasks(&scope).await.expect("ListMetrics");
    let ids: Vec<&str> = found.iter().map(|t| t.task_id.as_str()).collect();
    assert_eq!(
        ids,
        ["0a1b2c3d4e5f6a7b", "9f8e7d6c5b4a3f2e", "c3d4e5f6a7b8c9d0"]
    );
    assert!(
        found[0]
            .dimensions
            .contains(&("ServiceName".to_owned(), "web".to_owned())),
        "{:?}",
        found[0].dimensions
    );

    let key = MetricsKey {
        scope,
        range: MetricRange::Last(3_600),
        period_secs: 60,
        insights: true,
        reservation: false,
    };
    let data = ecs.metrics(&key, now).await.expect("metrics");
    let chart = |title: &str| {
        data.charts
            .iter()
            .find(|c| c.title == title)
            .unwrap_or_else(|| panic!("no chart {title:?} in {:?}", data.notes))
    };
    let slot = |t: i64| usize::try_from((t - data.window.start_secs) / 60).unwrap();
    assert_eq!(
        chart("CPU utilization").series[0].values[slot(minute(5))],
        Some(42.0)
    );
    assert_eq!(
        chart("Running tasks").series[0].values[slot(minute(5))],
        Some(3.0)
    );
    assert_eq!(
        chart("Network").series[0].values[slot(minute(5))],
        Some(2048.0)
    );
    let per_task = chart("CPU per task");
    let labels: Vec<&str> = per_task.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["task 0a1b2c3d", "task 9f8e7d6c", "task c3d4e5f6"]);
    let at_5: Vec<Option<f64>> = per_task
        .series
        .iter()
        .map(|s| s.values[slot(minute(5))])
        .collect();
    assert_eq!(at_5, [Some(10.0), Some(20.0), Some(30.0)]);
    let memory = chart("Memory per task");
    assert_eq!(memory.series[2].values[slot(minute(5))], Some(300.0));
    assert!(data.notes.is_empty(), "{:?}", data.notes);
}
