//! Marker placement from fixtures of DescribeServices answers and deployment history.

use super::*;
use crate::model::ecs::{Deployment, ServiceEvent};
use std::time::{Duration, UNIX_EPOCH};

const T0: i64 = 1_800_000_000;

fn at(secs: i64) -> Option<SystemTime> {
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(T0 + secs).expect("positive")))
}

fn arn(revision: u32) -> String {
    format!("arn:aws:ecs:us-east-1:1:task-definition/web:{revision}")
}

fn deployment(status: &str, revision: u32, created: i64, updated: i64, state: &str) -> Deployment {
    Deployment {
        id: format!("ecs-svc/{revision}"),
        status: status.into(),
        task_definition: arn(revision),
        rollout_state: Some(state.to_owned()),
        created_at: at(created),
        updated_at: at(updated),
        ..Deployment::default()
    }
}

fn service(deployments: Vec<Deployment>, events: Vec<(i64, &str)>) -> Service {
    Service {
        name: "web".into(),
        task_definition: deployments
            .first()
            .map(|d| d.task_definition.clone())
            .unwrap_or_default(),
        deployments,
        events: events
            .into_iter()
            .map(|(t, message)| ServiceEvent {
                id: format!("e{t}"),
                created_at: at(t),
                message: message.to_owned(),
            })
            .collect(),
        ..Service::default()
    }
}

#[test]
fn a_rollout_gives_start_and_completion_with_the_revision_it_replaced() {
    let svc = service(
        vec![
            deployment("PRIMARY", 42, 600, 900, "COMPLETED"),
            deployment("ACTIVE", 41, -86_000, -85_000, "COMPLETED"),
        ],
        vec![],
    );
    let markers = deployment_markers(&svc, &[], T0 - 3_600, T0 + 3_600);
    let summary: Vec<(i64, MarkerKind, String)> = markers
        .iter()
        .map(|m| (m.at_secs - T0, m.kind, m.label()))
        .collect();
    assert_eq!(
        summary,
        [
            (600, MarkerKind::Started, "deploy web:42".to_owned()),
            (900, MarkerKind::Completed, "done web:42".to_owned()),
        ],
        "the older deployment is outside the window"
    );
    assert_eq!(markers[0].diff_pair(), Some((arn(41), arn(42))));
}

#[test]
fn failures_and_rollbacks_come_from_events_and_history() {
    let svc = service(
        vec![deployment("PRIMARY", 7, 100, 400, "FAILED")],
        vec![
            (
                410,
                "(service web) deployment ecs-svc/7 deployment failed: tasks failed to start.",
            ),
            (420, "(service web) rolling back to taskDefinition web:6."),
            (500, "(service web) has reached a steady state."),
        ],
    );
    let history = [ServiceDeploymentSummary {
        arn: "arn:sd/1".into(),
        status: "ROLLBACK_SUCCESSFUL".into(),
        target_revision: Some(
            "arn:aws:ecs:us-east-1:1:service-revision/prod/web/4409123456789".into(),
        ),
        started_at: at(100),
        finished_at: at(430),
        reason: None,
    }];
    let markers = deployment_markers(&svc, &history, T0, T0 + 3_600);
    let kinds: Vec<(i64, MarkerKind)> = markers.iter().map(|m| (m.at_secs - T0, m.kind)).collect();
    // The history's start duplicates the deployment's, its rollback the event's, and the
    // failure event the deployment's failure: one marker each.
    assert_eq!(
        kinds,
        [
            (100, MarkerKind::Started),
            (400, MarkerKind::Failed),
            (420, MarkerKind::RolledBack),
        ]
    );
    assert_eq!(markers[0].revision, arn(7));
    assert_eq!(markers[2].label(), "rollback web:6");
    assert_eq!(
        markers[0].diff_pair(),
        Some((arn(6), arn(7))),
        "N-1 when nothing better is known"
    );
    // The start merged with the history's knows its service deployment: a click opens what
    // it changed, service revisions and all; a marker without one opens the revision diff.
    let scope = crate::model::metrics::charts::MetricsScope::Service {
        cluster: "prod".into(),
        service: "web".into(),
    };
    assert_eq!(markers[0].deployment.as_deref(), Some("arn:sd/1"));
    assert!(matches!(
        markers[0].destination(&scope),
        Some(crate::model::Route::DeploymentChanges { deployment, .. }) if deployment == "arn:sd/1"
    ));
    assert_eq!(
        markers[2].deployment.as_deref(),
        Some("arn:sd/1"),
        "the rollback too"
    );
    assert!(matches!(
        markers[1].destination(&scope),
        Some(crate::model::Route::Compare { .. })
    ));
}

#[test]
fn the_nearest_marker_within_tolerance_is_picked() {
    let svc = service(
        vec![
            deployment("PRIMARY", 3, 1_000, 1_300, "IN_PROGRESS"),
            deployment("ACTIVE", 2, 100, 200, "COMPLETED"),
        ],
        vec![],
    );
    let markers = deployment_markers(&svc, &[], T0, T0 + 3_600);
    assert_eq!(markers.len(), 3);
    let near = marker_near(&markers, (T0 + 1_020) as f64, 60.0);
    assert_eq!(near.map(|m| m.revision.clone()), Some(arn(3)));
    assert!(marker_near(&markers, (T0 + 2_000) as f64, 60.0).is_none());
    // A first revision has nothing to compare with.
    let first = ChartMarker {
        at_secs: T0,
        kind: MarkerKind::Started,
        revision: arn(1),
        previous: None,
        deployment: None,
    };
    assert_eq!(first.diff_pair(), None);
}
