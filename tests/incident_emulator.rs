//! The incident timeline read from the project's emulator (moto's state plus the incident
//! engine of tests/support/incident*.py, on a manual clock): a bad deploy that crash-loops
//! out of memory then on failed health checks until the circuit breaker rolls it back. Every
//! source of the timeline is read through the real SDK and the app's own calls, then built.

use crate::support;

use ecsdeck::aws;
use ecsdeck::model::incident::build::build_timeline;
use ecsdeck::model::incident::diagnosis::StopKind;
use ecsdeck::model::incident::range_logs::RangeLogsKey;
use ecsdeck::model::incident::sources::ErrorCountSource;
use ecsdeck::model::incident::timeline::{EventTone, IncidentKey, Lane};
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::metrics::markers::MarkerKind;
use support::Emulator;

/// What incident_play.py reports.
struct Played {
    now: i64,
    started: i64,
    cluster: String,
    service: String,
}

fn play(emulator: &Emulator) -> Played {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = std::process::Command::new(support::emulator::python())
        .arg(format!("{root}/tests/support/incident_play.py"))
        .arg(&emulator.endpoint)
        .output()
        .expect("run incident_play.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(v["final"], "ROLLBACK_SUCCESSFUL", "{v}");
    Played {
        now: v["now"].as_f64().expect("now") as i64 + 1,
        started: v["started"].as_f64().expect("started") as i64,
        cluster: v["cluster"].as_str().expect("cluster").to_owned(),
        service: v["service"].as_str().expect("service").to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_source_of_a_bad_deploy_reaches_the_timeline() {
    let emulator = Emulator::start();
    let played = play(&emulator);
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let key = IncidentKey {
        cluster: played.cluster.clone(),
        services: vec![played.service.clone()],
        range: MetricRange::Custom {
            start_secs: played.started - 60,
            end_secs: played.now,
        },
    };
    let sources = ecs
        .incident_sources(&key, played.now, None)
        .await
        .expect("the sources");
    assert!(sources.problems.is_empty(), "{:#?}", sources.problems);
    assert_eq!(sources.errors.source, ErrorCountSource::Insights);
    let timeline = build_timeline(sources);

    // The deployment and its rollback, on the deployment lane and as chart markers.
    assert!(
        timeline
            .markers
            .iter()
            .any(|m| m.kind == MarkerKind::RolledBack),
        "{:#?}",
        timeline.markers
    );
    assert!(timeline.lane(Lane::Deployments).count() >= 2);
    // The crash loop: out of memory first, then failed health checks, each one row.
    let kinds: Vec<StopKind> = timeline.stops.iter().map(|r| r.diagnosis.kind).collect();
    assert!(kinds.contains(&StopKind::OutOfMemory), "{kinds:?}");
    let oom = timeline
        .stops
        .iter()
        .find(|r| r.diagnosis.kind == StopKind::OutOfMemory)
        .unwrap();
    assert!(oom.group.count() >= 1);
    assert!(
        oom.diagnosis.title.contains("limit 384 MiB"),
        "the revision's limit: {}",
        oom.diagnosis.title
    );
    // Failed load-balancer health checks name the target group's path (ELBv2).
    let health = timeline
        .stops
        .iter()
        .find(|r| r.diagnosis.kind == StopKind::LoadBalancerHealthCheck)
        .expect("a stop by failed load-balancer health checks");
    assert!(
        health.diagnosis.fix.contains("health check /healthz"),
        "{}",
        health.diagnosis.fix
    );
    assert!(
        timeline.stops.iter().any(|r| r.group.crash_loop),
        "{:#?}",
        timeline.stops.iter().map(|r| r.label()).collect::<Vec<_>>()
    );
    // The alarm went to ALARM and back; scaling set the desired count; the bad revision was
    // registered; the service events tell the story.
    let alarm: Vec<&str> = timeline
        .lane(Lane::Alarms)
        .map(|(_, e)| e.title.as_str())
        .collect();
    assert!(alarm.contains(&"checkout-5xx: OK → ALARM"), "{alarm:?}");
    assert!(alarm.contains(&"checkout-5xx: ALARM → OK"), "{alarm:?}");
    assert!(timeline.lane(Lane::Scaling).count() >= 1);
    assert!(
        timeline
            .lane(Lane::Registrations)
            .any(|(_, e)| e.title.contains("checkout:2"))
    );
    assert!(
        timeline
            .lane(Lane::Events)
            .any(|(_, e)| e.tone == EventTone::Bad || e.tone == EventTone::Warn)
    );
    // The error spike, counted per minute by Logs Insights.
    let total = timeline
        .error_rate
        .total_between(key_start(&key), played.now + 60);
    assert!(total > 0, "{:?}", timeline.error_rate);
}

fn key_start(key: &IncidentKey) -> i64 {
    key.range.window(0).0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_insights_errors_are_counted_with_filter_log_events_and_logs_merge() {
    let emulator = Emulator::start();
    let played = play(&emulator);
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let (start, end) = (played.started - 60, played.now);
    let groups = vec!["/ecs/checkout".to_owned()];
    let by_insights = ecs.error_counts(&groups, start, end).await.expect("counts");
    emulator.post("/_ecsdeck/logs-insights/deny", r#"{"deny":true}"#);
    let fallback = ecs.error_counts(&groups, start, end).await.expect("counts");
    assert_eq!(
        fallback.source,
        ErrorCountSource::FilterLogEvents("ERROR".into())
    );
    let note = fallback.note.clone().unwrap_or_default();
    assert!(note.contains("AccessDeniedException"), "{note}");
    let sum =
        |c: &ecsdeck::model::incident::sources::ErrorCounts| -> u32 { c.per_minute.values().sum() };
    assert!(sum(&fallback) > 0);
    assert_eq!(
        sum(&fallback),
        sum(&by_insights),
        "both ways count the same lines"
    );

    // The merged logs of that range: every task's lines, in time order, errors among them.
    let logs = ecs
        .range_logs(&RangeLogsKey {
            cluster: played.cluster.clone(),
            services: vec![played.service.clone()],
            start_ms: start * 1_000,
            end_ms: end * 1_000,
        })
        .await
        .expect("range logs");
    assert!(!logs.lines.is_empty());
    assert!(logs.lines.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    let sources: std::collections::BTreeSet<&str> =
        logs.lines.iter().map(|l| l.source.as_str()).collect();
    assert!(sources.len() >= 2, "lines of several tasks: {sources:?}");
    assert!(
        logs.lines
            .iter()
            .any(|l| l.text.contains("OutOfMemoryError"))
    );
    assert_eq!(logs.groups, ["/ecs/checkout"]);
}

/// Runs `ecsdeck incident` over the played incident with `output`; its stdout.
fn cli_report(emulator: &Emulator, played: &Played, output: &str) -> String {
    let since = ((played.started - 60) * 1_000).to_string();
    let until = (played.now * 1_000).to_string();
    let out = emulator
        .ecsdeck(&[
            "incident",
            "--cluster",
            "incident",
            "--service",
            "checkout",
            "--since",
            &since,
            "--until",
            &until,
            "--output",
            output,
        ])
        .output()
        .expect("run ecsdeck incident");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn ecsdeck_incident_prints_the_report_in_all_three_outputs_with_recorded_tasks() {
    let emulator = Emulator::start();
    let played = play(&emulator);
    // A task ECS has forgotten, which the app recorded when it stopped.
    let recorded = ecsdeck::model::incident::recorder::RecordedTask {
        recorded_at: None,
        profile: None,
        region: "us-east-1".into(),
        task: ecsdeck::model::ecs::Task {
            arn: format!(
                "{}/0123456789abcdef0123456789abcdef",
                played.cluster.replace(":cluster/", ":task/")
            ),
            cluster_arn: played.cluster.clone(),
            group: Some("service:checkout".into()),
            last_status: "STOPPED".into(),
            stopped_at: Some(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(played.started as u64 + 5),
            ),
            stop_code: Some("SpotInterruption".into()),
            stopped_reason: Some("Your Spot Task was interrupted.".into()),
            ..Default::default()
        },
    };
    let data = emulator.home().join(".local/share/ecsdeck");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("stopped-tasks.jsonl"),
        format!("{}\n", serde_json::to_string(&recorded).unwrap()),
    )
    .unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&cli_report(&emulator, &played, "json")).expect("JSON");
    assert_eq!(json["cluster"], "incident");
    assert_eq!(json["services"], serde_json::json!(["checkout"]));
    let causes = json["stop_causes"].as_array().unwrap();
    assert!(
        causes.iter().any(|c| c["cause"] == "Out of memory"),
        "{causes:#?}"
    );
    assert!(
        causes
            .iter()
            .any(|c| c["cause"] == "Spot interruption" && c["recorded"] == 1),
        "the recorded task is in the report: {causes:#?}"
    );
    assert!(
        json["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "rollback")
    );
    assert!(json["error_lines"].as_u64().unwrap() > 0);
    assert_eq!(json["errors_counted_with"], "CloudWatch Logs Insights");

    let markdown = cli_report(&emulator, &played, "markdown");
    assert!(
        markdown.starts_with("# Incident report: checkout (incident)"),
        "{markdown}"
    );
    assert!(markdown.contains("## Why tasks stopped"));
    assert!(markdown.contains("| Time (UTC) | Lane | Service | Event |"));
    assert!(markdown.contains("checkout-5xx: OK → ALARM"));

    let text = cli_report(&emulator, &played, "text");
    assert!(text.starts_with("Incident: checkout in incident"), "{text}");
    assert!(text.contains("WHY TASKS STOPPED") && text.contains("TIMELINE"));
}

#[test]
fn ecsdeck_incident_refuses_a_range_that_ends_before_it_starts() {
    let emulator = Emulator::start();
    let out = emulator
        .ecsdeck(&[
            "incident",
            "--cluster",
            "prod",
            "--since",
            "1h",
            "--until",
            "2h",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not after --since"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loaded_tail_counts_errors_where_it_reaches_and_cloudwatch_before() {
    use ecsdeck::model::incident::error_counts::TailCounts;
    let emulator = Emulator::start();
    let played = play(&emulator);
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let start = played.started - played.started % 60 - 600;
    let key = IncidentKey {
        cluster: played.cluster.clone(),
        services: vec![played.service.clone()],
        range: MetricRange::Custom {
            start_secs: start,
            end_secs: played.now,
        },
    };
    // The tail holds the whole window: CloudWatch is not asked, the tail's counts are used.
    let whole = TailCounts {
        per_minute: [(start + 60, 4)].into(),
        covered_from_secs: start - 30,
    };
    let sources = ecs
        .incident_sources(&key, played.now, Some(whole))
        .await
        .expect("sources");
    assert_eq!(sources.errors.source, ErrorCountSource::Tail);
    assert_eq!(
        sources.errors.per_minute.iter().collect::<Vec<_>>(),
        [(&(start + 60), &4)]
    );
    // The tail reaches back only to the last minute: Logs Insights counts the minutes before.
    let last_minute = played.now - played.now % 60;
    let recent = TailCounts {
        per_minute: [(last_minute, 99)].into(),
        covered_from_secs: last_minute,
    };
    let sources = ecs
        .incident_sources(&key, played.now, Some(recent))
        .await
        .expect("sources");
    assert_eq!(sources.errors.source, ErrorCountSource::Insights);
    assert_eq!(sources.errors.per_minute.get(&last_minute), Some(&99));
    let before: u32 = sources
        .errors
        .per_minute
        .range(..last_minute)
        .map(|(_, n)| *n)
        .sum();
    assert!(before > 0, "the incident's errors, counted by Insights");
    let note = sources.errors.note.unwrap_or_default();
    assert!(note.contains("counted in the loaded log tail"), "{note}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_the_cluster_does_not_have_is_named_in_the_error() {
    let emulator = Emulator::start();
    emulator
        .ecs_client()
        .create_cluster()
        .cluster_name("prod")
        .send()
        .await
        .expect("cluster");
    let out = emulator
        .ecsdeck(&["incident", "--cluster", "prod", "--service", "nope"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not found in cluster prod: nope"),
        "{stderr}"
    );
}
