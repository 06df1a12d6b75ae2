use super::*;

fn key(scope: MetricsScope, insights: bool, reservation: bool) -> MetricsKey {
    MetricsKey {
        scope,
        range: MetricRange::Last(3_600),
        period_secs: 60,
        insights,
        reservation,
    }
}

fn service_scope() -> MetricsScope {
    MetricsScope::Service {
        cluster: "arn:aws:ecs:us-east-1:1:cluster/prod".into(),
        service: "arn:aws:ecs:us-east-1:1:service/prod/web".into(),
    }
}

#[test]
fn a_service_has_cpu_and_memory_with_three_statistics() {
    let plan = chart_plan(&key(service_scope(), false, true), &[]);
    let titles: Vec<&str> = plan.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["CPU utilization", "Memory utilization"]);
    let cpu: Vec<(&str, bool)> = plan[0]
        .series
        .iter()
        .map(|s| (s.label.as_str(), s.on_demand))
        .collect();
    assert_eq!(
        cpu,
        [("Average", false), ("Maximum", false), ("Minimum", true)]
    );
    let query = &plan[1].series[0].query;
    assert_eq!(query.namespace, "AWS/ECS");
    assert_eq!(query.metric, "MemoryUtilization");
    assert_eq!(query.dimension("ClusterName"), Some("prod"));
    assert_eq!(query.dimension("ServiceName"), Some("web"));
    // Reservation is a cluster metric: not on a service.
    assert_eq!(plan_queries(&plan).len(), 6);
}

#[test]
fn an_ec2_cluster_adds_reservation_and_insights_add_their_charts() {
    let cluster = MetricsScope::Cluster {
        cluster: "arn:aws:ecs:us-east-1:1:cluster/prod".into(),
    };
    let plan = chart_plan(&key(cluster.clone(), false, true), &[]);
    assert_eq!(plan[0].series[3].query.metric, "CPUReservation");
    assert_eq!(plan[1].series[3].query.metric, "MemoryReservation");
    assert_eq!(plan[0].series[3].query.dimensions.len(), 1);

    let tasks = [InsightsTask {
        task_id: "0123456789abcdef".into(),
        dimensions: vec![
            ("ClusterName".into(), "prod".into()),
            ("TaskId".into(), "0123456789abcdef".into()),
        ],
    }];
    let plan = chart_plan(&key(cluster, true, false), &tasks);
    let titles: Vec<&str> = plan.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "CPU utilization",
            "Memory utilization",
            "Running tasks",
            "Network",
            "Storage",
            "CPU per task",
            "Memory per task"
        ]
    );
    let per_task = &plan[5].series[0];
    assert_eq!(per_task.label, "task 01234567");
    assert_eq!(per_task.query.namespace, NS_INSIGHTS);
    assert_eq!(per_task.query.dimension("TaskId"), Some("0123456789abcdef"));
}

#[test]
fn assemble_aligns_each_query_and_reports_partial_and_empty() {
    let window = Window {
        start_secs: 1_800_000_000,
        end_secs: 1_800_000_240,
        period_secs: 60,
    };
    let plan = chart_plan(&key(service_scope(), false, false), &[]);
    let full = QueryResult {
        timestamps: vec![1_800_000_000, 1_800_000_120],
        values: vec![10.0, 20.0],
        complete: true,
    };
    let partial = QueryResult {
        complete: false,
        ..full.clone()
    };
    // Six queries, five answers: the sixth is all gaps.
    let results = [full.clone(), partial, full.clone(), full.clone(), full];
    let data = MetricsData::assemble(window, plan, &results);
    assert!(data.partial);
    assert!(!data.is_empty());
    let avg = &data.charts[0].series[0];
    assert_eq!(avg.values, vec![Some(10.0), None, Some(20.0), None]);
    assert_eq!(avg.lod.raw().len(), 4);
    assert!(
        avg.lod.raw()[1][1].is_nan(),
        "a gap is NaN in the plot, not zero"
    );
    assert_eq!(data.charts[1].series[2].values, vec![None; 4]);

    assert_eq!(data.slot_at(1_800_000_130.0), Some(2));
    assert_eq!(data.slot_start(2), 1_800_000_120);
    assert_eq!(data.slot_at(1_799_999_999.0), None);
    assert_eq!(data.slot_at(1_800_000_240.0), None);

    let none = MetricsData::assemble(
        window,
        chart_plan(&key(service_scope(), false, false), &[]),
        &[],
    );
    assert!(none.is_empty());
    assert!(!none.partial);
}

#[test]
fn units_format_values() {
    assert_eq!(Unit::Percent.format(42.456), "42.5 %");
    assert_eq!(Unit::Count.format(3.0), "3");
    assert_eq!(Unit::BytesPerSec.format(1_500_000.0), "1.5 MB/s");
    assert_eq!(Unit::BytesPerSec.format(12.0), "12.0 B/s");
    assert_eq!(Unit::MiB.format(512.0), "512 MiB");
}
