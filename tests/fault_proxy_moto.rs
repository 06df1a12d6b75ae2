//! The fault proxy itself, between the real ECS SDK (no retries, so each fault shows as it is)
//! and moto: every kind of fault, rules changed mid-test, and a dead endpoint that comes back.
//! The GUI scenarios built on it rely on each fault doing exactly this.

use crate::support;

use aws_sdk_ecs::error::ProvideErrorMetadata;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use support::Emulator;
use support::fault_proxy::{Fault, FaultProxy, Rule};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_come_at_any_status_and_stop_when_the_rules_change() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::status(
            "ListClusters",
            1.0,
            503,
            "ServiceUnavailableException",
        )],
    );
    let client = emulator.ecs_client_at(&proxy.endpoint);
    let err = client.list_clusters().send().await.expect_err("injected");
    assert_eq!(err.code(), Some("ServiceUnavailableException"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(503));
    // Other operations pass untouched.
    client
        .describe_clusters()
        .send()
        .await
        .expect("not matched");

    proxy.set_rules(vec![Rule::throttle("ListClusters", 1.0)]);
    let err = client.list_clusters().send().await.expect_err("throttled");
    assert_eq!(err.code(), Some("ThrottlingException"));

    proxy.set_rules(Vec::new());
    client.list_clusters().send().await.expect("faults stopped");
    assert_eq!(proxy.counts.faulted.load(Ordering::Relaxed), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_a_call_that_then_succeeds() {
    let emulator = Emulator::start();
    let pause = Duration::from_millis(400);
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::fault("", 1.0, Fault::Latency(pause))],
    );
    let started = Instant::now();
    emulator
        .ecs_client_at(&proxy.endpoint)
        .list_clusters()
        .send()
        .await
        .expect("slow but fine");
    assert!(started.elapsed() >= pause, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_never_reaches_the_emulator_but_a_lost_response_does() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::fault("CreateCluster", 1.0, Fault::Reset)],
    );
    let client = emulator.ecs_client_at(&proxy.endpoint);
    let direct = emulator.ecs_client();
    client
        .create_cluster()
        .cluster_name("reset")
        .send()
        .await
        .expect_err("reset");
    assert_eq!(proxy.counts.forwarded.load(Ordering::Relaxed), 0);

    proxy.set_rules(vec![Rule::fault("CreateCluster", 1.0, Fault::LoseResponse)]);
    client
        .create_cluster()
        .cluster_name("lost")
        .send()
        .await
        .expect_err("its answer was lost");
    let clusters = direct.list_clusters().send().await.expect("list");
    let arns = clusters.cluster_arns();
    assert!(arns.iter().any(|a| a.ends_with("/lost")), "{arns:?}");
    assert!(!arns.iter().any(|a| a.ends_with("/reset")), "{arns:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_body_is_an_error_not_a_short_answer() {
    let emulator = Emulator::start();
    let direct = emulator.ecs_client();
    for name in ["a", "b", "c"] {
        direct
            .create_cluster()
            .cluster_name(name)
            .send()
            .await
            .expect("create");
    }
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::fault("ListClusters", 1.0, Fault::Truncate)],
    );
    emulator
        .ecs_client_at(&proxy.endpoint)
        .list_clusters()
        .send()
        .await
        .expect_err("half a body");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_endpoint_comes_back() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let client = emulator.ecs_client_at(&proxy.endpoint);
    client.list_clusters().send().await.expect("up");
    proxy.set_down(true);
    client.list_clusters().send().await.expect_err("down");
    proxy.set_down(false);
    client.list_clusters().send().await.expect("back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_and_logs_calls_are_throttled_in_their_own_protocols() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(
        emulator.port,
        vec![
            Rule::throttle("ListMetrics", 1.0),
            Rule::throttle("DescribeLogGroups", 1.0),
        ],
    );
    let connection = ecsdeck::model::Connection {
        endpoint_url: Some(proxy.endpoint.clone()),
        ..emulator.connection()
    };
    let sdk = ecsdeck::aws::config::sdk_config(&connection, &emulator.profile_source()).await;
    let meter = ecsdeck::aws::throttle_meter::ThrottleMeter::default();
    let no_retry = aws_sdk_cloudwatch::config::retry::RetryConfig::disabled();
    let cloudwatch = aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(&sdk)
            .retry_config(no_retry.clone())
            .interceptor(meter.clone())
            .build(),
    );
    let err = cloudwatch
        .list_metrics()
        .send()
        .await
        .expect_err("throttled");
    let code = aws_sdk_cloudwatch::error::ProvideErrorMetadata::code(&err);
    assert!(
        matches!(code, Some("Throttling" | "ThrottlingException")),
        "CBOR error read as {code:?}"
    );
    let logs = aws_sdk_cloudwatchlogs::Client::from_conf(
        aws_sdk_cloudwatchlogs::config::Builder::from(&sdk)
            .retry_config(no_retry)
            .interceptor(meter.clone())
            .build(),
    );
    let err = logs
        .describe_log_groups()
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(
        aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata::code(&err),
        Some("ThrottlingException")
    );
    assert_eq!(
        meter.recent(Instant::now()),
        2,
        "both counted as throttling"
    );
    assert_eq!(proxy.counts.of("ListMetrics"), 1);
    assert_eq!(proxy.counts.of("DescribeLogGroups"), 1);
}
