//! What the pinned services' loaded state offers as notices, and what the notices that are
//! on make the model load (model-level fixtures).

use super::notice_candidates::{candidates, notice_keys};
use super::notify::NoticeKind;
use crate::model::ecs::deployment_config::DeploymentAlarms;
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::service_deployment::{HookRun, ServiceDeploymentDetail};
use crate::model::ecs::{Deployment, Service, ServiceEvent};
use crate::model::metrics::alarms::{AlarmState, Alarms};
use crate::model::store::resource_key::ResourceKey;
use crate::model::workspace::pins::Pin;
use crate::model::{Connection, Model};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/web";
const DEPLOYMENT: &str = "arn:aws:ecs:us-east-1:1:service-deployment/prod/web/d1";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn connection() -> Connection {
    Connection {
        profile: Some("platform".into()),
        region: "us-east-1".into(),
        endpoint_url: None,
    }
}

fn web() -> Service {
    let mut service = Service {
        arn: SERVICE.into(),
        name: "web".into(),
        cluster_arn: CLUSTER.into(),
        deployments: vec![
            Deployment {
                id: "ecs-svc/2".into(),
                task_definition: "arn:aws:ecs:us-east-1:1:task-definition/web:43".into(),
                failed: 4,
                rollout_state: Some("IN_PROGRESS".into()),
                updated_at: Some(at(60)),
                ..Deployment::default()
            },
            Deployment {
                id: "ecs-svc/1".into(),
                task_definition: "arn:aws:ecs:us-east-1:1:task-definition/web:42".into(),
                rollout_state: Some("FAILED".into()),
                rollout_state_reason: Some("circuit breaker".into()),
                updated_at: Some(at(30)),
                ..Deployment::default()
            },
        ],
        events: vec![ServiceEvent {
            id: "e1".into(),
            created_at: Some(at(40)),
            message: "(service web) rolling back to deployment ecs-svc/0".into(),
        }],
        ..Service::default()
    };
    service.deployment_config.alarms = Some(DeploymentAlarms {
        names: vec!["web-5xx".into()],
        enable: true,
        rollback: true,
    });
    service
}

fn model() -> Model {
    let mut model = Model::new(connection(), true, 15);
    model.pins = vec![Pin {
        connection: connection(),
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
        name: "web".into(),
    }];
    model
        .store
        .services
        .entry(CLUSTER.into())
        .or_default()
        .finish(Ok(vec![web()]), at(100), 1);
    model
}

#[test]
fn failed_deployments_rollbacks_and_crash_loops_of_pinned_services_are_notices() {
    let model = model();
    let notices = candidates(&model);
    let kinds: Vec<(NoticeKind, &str)> =
        notices.iter().map(|n| (n.kind, n.title.as_str())).collect();
    assert!(kinds.contains(&(NoticeKind::DeploymentFailed, "web: deployment failed")));
    assert!(kinds.contains(&(NoticeKind::DeploymentFailed, "web: deployment rolled back")));
    assert!(kinds.contains(&(NoticeKind::CrashLoop, "web: tasks are crash-looping")));
    let crash = notices
        .iter()
        .find(|n| n.kind == NoticeKind::CrashLoop)
        .unwrap();
    assert_eq!(crash.body, "4 tasks of web:43 failed to start or stay up.");
    assert_eq!(crash.at, at(60));
    // A service that is not pinned says nothing.
    let mut unpinned = model;
    unpinned.pins.clear();
    assert!(candidates(&unpinned).is_empty());
}

#[test]
fn hooks_and_alarms_are_watched_only_while_their_notice_is_on() {
    let mut model = model();
    assert!(notice_keys(&model).is_empty(), "all off by default");
    model.policy.notifications.hook_waiting = true;
    model.policy.notifications.alarm_firing = true;
    let keys = notice_keys(&model);
    assert!(keys.contains(&ResourceKey::Deployments(CLUSTER.into(), SERVICE.into())));
    assert!(keys.contains(&ResourceKey::Alarms));

    model
        .store
        .deployment_history
        .entry(SERVICE.into())
        .or_default()
        .finish(
            Ok(vec![ServiceDeploymentSummary {
                arn: DEPLOYMENT.into(),
                status: "IN_PROGRESS".into(),
                ..ServiceDeploymentSummary::default()
            }]),
            at(100),
            2,
        );
    assert!(notice_keys(&model).contains(&ResourceKey::DeploymentDetail(DEPLOYMENT.into())));
    model
        .store
        .deployment_details
        .entry(DEPLOYMENT.into())
        .or_default()
        .finish(
            Ok(ServiceDeploymentDetail {
                arn: DEPLOYMENT.into(),
                updated_at: Some(at(70)),
                hooks: vec![HookRun {
                    hook_id: "h1".into(),
                    target_type: "PAUSE".into(),
                    status: "AWAITING_ACTION".into(),
                    timeout_action: Some("ROLLBACK".into()),
                    ..HookRun::default()
                }],
                ..ServiceDeploymentDetail::default()
            }),
            at(100),
            3,
        );
    model.store.alarms.finish(
        Ok(Alarms {
            list: vec![AlarmState {
                name: "web-5xx".into(),
                state: "ALARM".into(),
                reason: Some("Threshold crossed: 12 > 10".into()),
                updated_at: Some(at(80)),
            }],
            truncated: false,
        }),
        at(100),
        4,
    );
    let notices = candidates(&model);
    let hook = notices
        .iter()
        .find(|n| n.kind == NoticeKind::HookWaiting)
        .unwrap();
    assert_eq!(hook.event_id, format!("{DEPLOYMENT}/h1"));
    assert!(
        hook.body.contains("At its timeout ECS will rollback."),
        "{}",
        hook.body
    );
    let alarm = notices
        .iter()
        .find(|n| n.kind == NoticeKind::AlarmFiring)
        .unwrap();
    assert_eq!(alarm.title, "web: alarm web-5xx in ALARM");
    assert_eq!(alarm.body, "Threshold crossed: 12 > 10");
}
