//! Crash-loop grouping: repeats of one failure within the window are one row; spread-out or
//! few failures stay one row each; planned stops are one row per burst.

use super::crash_loops::{LoopRule, StoppedTask, group_stops};
use super::diagnosis::StopKind;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn at(minute: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000 + minute * 60)
}

fn stop(id: &str, service: &str, minute: u64, kind: StopKind) -> StoppedTask {
    StoppedTask {
        task_arn: format!("arn:aws:ecs:us-east-1:1:task/prod/{id}"),
        service: Some(service.into()),
        stopped_at: at(minute),
        kind,
        container: Some("api".into()),
    }
}

#[test]
fn the_same_failure_repeating_on_one_service_is_one_crash_loop_row() {
    let stops: Vec<StoppedTask> = (0..6)
        .map(|i| {
            stop(
                &format!("t{i}"),
                "checkout-api",
                i * 2,
                StopKind::OutOfMemory,
            )
        })
        .chain([stop("other", "payments-api", 3, StopKind::OutOfMemory)])
        .collect();
    let rows = group_stops(&stops, LoopRule::default());
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let looping = &rows[0];
    assert!(looping.crash_loop);
    assert_eq!(looping.count(), 6);
    assert_eq!(looping.service.as_deref(), Some("checkout-api"));
    assert_eq!((looping.first, looping.last), (at(0), at(10)));
    assert_eq!(looping.task_arns[0], "arn:aws:ecs:us-east-1:1:task/prod/t0");
    assert!(!rows[1].crash_loop && rows[1].count() == 1);
}

#[test]
fn failures_too_few_or_too_far_apart_stay_one_row_each() {
    let rule = LoopRule {
        min_count: 3,
        window: Duration::from_secs(10 * 60),
    };
    let two = [
        stop("a", "web", 0, StopKind::EssentialExit(1)),
        stop("b", "web", 1, StopKind::EssentialExit(1)),
    ];
    let rows = group_stops(&two, rule);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| !r.crash_loop && r.count() == 1));
    // The newest first.
    assert_eq!(rows[0].last, at(1));
    let spread = [
        stop("a", "web", 0, StopKind::EssentialExit(1)),
        stop("b", "web", 30, StopKind::EssentialExit(1)),
        stop("c", "web", 60, StopKind::EssentialExit(1)),
    ];
    assert!(group_stops(&spread, rule).iter().all(|r| !r.crash_loop));
    // Different causes on one service do not make one loop.
    let mixed = [
        stop("a", "web", 0, StopKind::EssentialExit(1)),
        stop("b", "web", 1, StopKind::OutOfMemory),
        stop("c", "web", 2, StopKind::EssentialExit(2)),
    ];
    assert_eq!(group_stops(&mixed, rule).len(), 3);
}

#[test]
fn a_loop_that_pauses_longer_than_the_window_is_two_rows() {
    let mut stops: Vec<StoppedTask> = (0..3)
        .map(|i| {
            stop(
                &format!("a{i}"),
                "web",
                i,
                StopKind::LoadBalancerHealthCheck,
            )
        })
        .collect();
    stops.extend((0..4).map(|i| {
        stop(
            &format!("b{i}"),
            "web",
            120 + i,
            StopKind::LoadBalancerHealthCheck,
        )
    }));
    let rows = group_stops(&stops, LoopRule::default());
    assert_eq!(rows.iter().map(|r| r.count()).collect::<Vec<_>>(), [4, 3]);
    assert!(rows.iter().all(|r| r.crash_loop));
}

#[test]
fn planned_stops_are_one_row_per_burst_and_never_a_crash_loop() {
    let stops: Vec<StoppedTask> = (0..8)
        .map(|i| stop(&format!("d{i}"), "web", i, StopKind::GracefulStop))
        .collect();
    let rows = group_stops(&stops, LoopRule::default());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].count(), 8);
    assert!(!rows[0].crash_loop);
    assert!(group_stops(&[], LoopRule::default()).is_empty());
}
