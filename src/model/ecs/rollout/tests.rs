//! Rollouts judged from fixtures of DescribeServices answers over time.

use super::*;
use crate::model::ecs::Deployment;
use std::time::UNIX_EPOCH;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn deployment(status: &str, revision: u32, running: i32, desired: i32, state: &str) -> Deployment {
    Deployment {
        id: format!("ecs-svc/{status}-{revision}"),
        status: status.into(),
        task_definition: format!("arn:aws:ecs:us-east-1:1:task-definition/web:{revision}"),
        desired,
        running,
        pending: (desired - running).max(0),
        failed: 0,
        rollout_state: (!state.is_empty()).then(|| state.to_owned()),
        rollout_state_reason: None,
        created_at: Some(at(0)),
        updated_at: Some(at(0)),
    }
}

fn service(deployments: Vec<Deployment>) -> Service {
    Service {
        name: "web".into(),
        desired: deployments.first().map_or(0, |d| d.desired),
        deployments,
        ..Service::default()
    }
}

#[test]
fn a_healthy_rollout_progresses_completes_and_settles() {
    let mut clock = ProgressClock::default();
    let start = service(vec![
        deployment("PRIMARY", 4, 0, 3, "IN_PROGRESS"),
        deployment("ACTIVE", 3, 3, 3, "COMPLETED"),
    ]);
    let r = assess(&start, &mut clock, at(10)).unwrap();
    assert_eq!(r.phase, Phase::InProgress);
    assert_eq!((r.new_running, r.old_running, r.progress()), (0, 3, 0.0));
    assert_eq!(
        r.message,
        "Rolling out web:4: 0 of 3 new tasks running, 3 old tasks still running."
    );
    assert!(r.is_active());

    let middle = service(vec![
        deployment("PRIMARY", 4, 2, 3, "IN_PROGRESS"),
        deployment("ACTIVE", 3, 1, 3, "COMPLETED"),
    ]);
    let r = assess(&middle, &mut clock, at(60)).unwrap();
    assert!((r.progress() - 2.0 / 3.0).abs() < 1e-6);
    assert!(r.message.contains("1 old task still"));

    let mut done = deployment("PRIMARY", 4, 3, 3, "COMPLETED");
    done.updated_at = Some(at(120));
    let finished = service(vec![done]);
    let r = assess(&finished, &mut clock, at(130)).unwrap();
    assert_eq!(r.phase, Phase::Completed);
    assert_eq!(r.message, "Rollout complete: web:4 runs 3 of 3 tasks.");
    assert!(!r.is_active());
    let r = assess(&finished, &mut clock, at(120 + 600)).unwrap();
    assert_eq!(r.phase, Phase::Steady);
}

#[test]
fn a_circuit_breaker_failure_and_its_rollback_are_named() {
    let mut clock = ProgressClock::default();
    let mut failed = deployment("ACTIVE", 4, 0, 3, "FAILED");
    failed.rollout_state_reason =
        Some("ECS deployment circuit breaker: tasks failed to start.".into());
    let mut rollback = deployment("PRIMARY", 3, 1, 3, "IN_PROGRESS");
    rollback.rollout_state_reason =
        Some("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/111.".into());
    let r = assess(&service(vec![rollback, failed.clone()]), &mut clock, at(5)).unwrap();
    assert_eq!(
        r.phase,
        Phase::Failed {
            rolling_back_to: Some("web:3".into())
        }
    );
    assert_eq!(
        r.message,
        "The deployment failed and the circuit breaker is rolling back to web:3: ECS deployment \
         circuit breaker: tasks failed to start."
    );
    assert!(r.is_active());

    // Without rollback the failed deployment stays PRIMARY.
    let mut primary = failed;
    primary.status = "PRIMARY".into();
    let r = assess(&service(vec![primary]), &mut clock, at(5)).unwrap();
    assert_eq!(
        r.phase,
        Phase::Failed {
            rolling_back_to: None
        }
    );
    assert!(!r.is_active());
}

#[test]
fn a_rollout_without_progress_for_ten_minutes_is_stuck() {
    let mut clock = ProgressClock::default();
    let stalled = service(vec![
        deployment("PRIMARY", 4, 1, 3, "IN_PROGRESS"),
        deployment("ACTIVE", 3, 2, 3, "COMPLETED"),
    ]);
    // First seen a minute after its last update: counted from that update.
    let r = assess(&stalled, &mut clock, at(60)).unwrap();
    assert_eq!(r.phase, Phase::InProgress);
    let r = assess(&stalled, &mut clock, at(60 + 11 * 60)).unwrap();
    assert!(
        matches!(r.phase, Phase::Stuck { for_secs } if for_secs >= 600),
        "{:?}",
        r.phase
    );
    assert!(
        r.message.starts_with("No progress for 12 minutes"),
        "{}",
        r.message
    );
    // Any movement resets the clock.
    let moved = service(vec![
        deployment("PRIMARY", 4, 2, 3, "IN_PROGRESS"),
        deployment("ACTIVE", 3, 1, 3, "COMPLETED"),
    ]);
    let r = assess(&moved, &mut clock, at(60 + 12 * 60)).unwrap();
    assert_eq!(r.phase, Phase::InProgress);
}

#[test]
fn scaling_in_and_out_is_not_a_completed_rollout() {
    let mut clock = ProgressClock::default();
    let r = assess(
        &service(vec![deployment("PRIMARY", 4, 5, 2, "COMPLETED")]),
        &mut clock,
        at(10),
    )
    .unwrap();
    assert_eq!(r.phase, Phase::InProgress);
    assert_eq!(r.message, "Scaling in to 2: 5 running.");
    let r = assess(
        &service(vec![deployment("PRIMARY", 4, 2, 6, "COMPLETED")]),
        &mut clock,
        at(20),
    )
    .unwrap();
    assert_eq!(r.message, "Scaling out to 6: 2 running, 4 pending.");
}

#[test]
fn counts_that_match_while_ecs_still_says_in_progress_wait_for_it() {
    let mut clock = ProgressClock::default();
    let r = assess(
        &service(vec![deployment("PRIMARY", 4, 3, 3, "IN_PROGRESS")]),
        &mut clock,
        at(10),
    )
    .unwrap();
    assert_eq!(r.phase, Phase::InProgress);
    assert!(r.message.contains("waiting for ECS"), "{}", r.message);
    // Never stuck on that: nothing is left to start or stop.
    let r = assess(
        &service(vec![deployment("PRIMARY", 4, 3, 3, "IN_PROGRESS")]),
        &mut clock,
        at(3600),
    )
    .unwrap();
    assert_eq!(r.phase, Phase::InProgress);
}
