//! checkout-api's canary deployment for the kittest tests: the configuration, the newest
//! deployment waiting at a pause hook after test traffic moved, the service revisions it moves
//! between, and the alarms it watches.

use super::fixtures::{REGION, now};
use ecsdeck::model::ecs::DeploymentConfig;
use ecsdeck::model::ecs::deployment_config::{DeploymentAlarms, LifecycleHook, TrafficStep};
use ecsdeck::model::ecs::service_deployment::{
    HookRun, Monitor, RevisionShare, ServiceDeploymentDetail,
};
use ecsdeck::model::ecs::service_revision::ServiceRevision;
use ecsdeck::model::metrics::alarms::{AlarmState, Alarms};
use std::time::Duration;

const ACCOUNT: &str = "123456789012";

/// The pause hook's id, as ContinueServiceDeployment names it.
pub const HOOK_ID: &str = "hook-7f3a";

/// A canary: 10 % for 5 minutes, a 15-minute bake, two alarms that roll back, a pause after
/// test traffic moved.
pub fn canary_config() -> DeploymentConfig {
    DeploymentConfig {
        minimum_healthy_percent: Some(100),
        maximum_percent: Some(200),
        circuit_breaker_enable: true,
        circuit_breaker_rollback: true,
        strategy: Some("CANARY".into()),
        bake_time_minutes: Some(15),
        canary: Some(TrafficStep {
            percent: Some(10.0),
            bake_minutes: Some(5),
        }),
        alarms: Some(DeploymentAlarms {
            names: vec!["checkout-5xx".into(), "checkout-p99-latency".into()],
            enable: true,
            rollback: true,
        }),
        lifecycle_hooks: vec![LifecycleHook {
            target_type: "PAUSE".into(),
            stages: vec!["POST_TEST_TRAFFIC_SHIFT".into()],
            timeout_minutes: Some(60),
            timeout_action: Some("ROLLBACK".into()),
            ..LifecycleHook::default()
        }],
        ..DeploymentConfig::default()
    }
}

/// A service revision ARN of checkout-api.
pub fn revision_arn(n: u32) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service-revision/prod/checkout-api/{n}")
}

/// A deployment of checkout-api: d2 waits at the pause hook, anything else succeeded.
pub fn detail(arn: &str) -> ServiceDeploymentDetail {
    let waiting = arn.ends_with("/d2");
    let share = |n: u32, running: i32, test: f64, production: f64| RevisionShare {
        arn: revision_arn(n),
        requested: 3,
        running,
        pending: 0,
        test_weight: Some(test),
        production_weight: Some(production),
    };
    ServiceDeploymentDetail {
        arn: arn.to_owned(),
        service_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/checkout-api"),
        status: if waiting { "IN_PROGRESS" } else { "SUCCESSFUL" }.into(),
        status_reason: None,
        lifecycle_stage: Some(
            if waiting {
                "POST_TEST_TRAFFIC_SHIFT"
            } else {
                "CLEAN_UP"
            }
            .into(),
        ),
        created_at: Some(now() - Duration::from_secs(600)),
        started_at: Some(now() - Duration::from_secs(600)),
        finished_at: (!waiting).then(|| now() - Duration::from_secs(300)),
        updated_at: Some(now() - Duration::from_secs(120)),
        sources: vec![share(1, 3, 0.0, 100.0)],
        target: Some(share(2, 3, 100.0, 0.0)),
        hooks: if waiting {
            vec![HookRun {
                hook_id: HOOK_ID.into(),
                target_type: "PAUSE".into(),
                target_arn: None,
                status: "AWAITING_ACTION".into(),
                expires_at: Some(now() + Duration::from_secs(58 * 60)),
                timeout_action: Some("ROLLBACK".into()),
            }]
        } else {
            Vec::new()
        },
        config: canary_config(),
        rollback: None,
        circuit_breaker: Some(Monitor {
            status: "MONITORING".into(),
            failures: Some((0, 10)),
            ..Monitor::default()
        }),
        alarms: Some(Monitor {
            status: "MONITORING".into(),
            names: vec!["checkout-5xx".into(), "checkout-p99-latency".into()],
            ..Monitor::default()
        }),
    }
}

/// Service revisions 1 and 2: a new image tag, and one subnet replaced.
pub fn revisions(arns: &[String]) -> Vec<ServiceRevision> {
    arns.iter()
        .map(|arn| {
            let newer = arn.ends_with("/2");
            let (tag, digest, subnet) = if newer {
                (
                    "2.4.0",
                    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "subnet-9c8d7e6f",
                )
            } else {
                (
                    "2.3.1",
                    "sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
                    "subnet-4e5f6a7b",
                )
            };
            ServiceRevision::from_json(serde_json::json!({
                "serviceRevisionArn": arn,
                "taskDefinition": format!(
                    "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/checkout-api:{}",
                    if newer { 142 } else { 141 }
                ),
                "launchType": "FARGATE",
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": ["subnet-0a1b2c3d", subnet],
                    "securityGroups": ["sg-0123456789abcdef0"],
                    "assignPublicIp": "DISABLED"
                }},
                "containerImages": [{
                    "containerName": "app",
                    "image": format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/checkout-api:{tag}"),
                    "imageDigest": digest
                }],
                "createdAt": 1_800_000_000.0
            }))
        })
        .collect()
}

/// The region's alarms: the two checkout-api watches, and one more.
pub fn alarms() -> Alarms {
    let alarm = |name: &str, state: &str| AlarmState {
        name: name.into(),
        state: state.into(),
        reason: None,
        updated_at: Some(now() - Duration::from_secs(3_600)),
    };
    Alarms {
        list: vec![
            alarm("checkout-5xx", "OK"),
            alarm("checkout-p99-latency", "INSUFFICIENT_DATA"),
            alarm("payments-errors", "OK"),
        ],
        truncated: false,
    }
}

/// checkout-api's ECR tags, newest first.
pub fn image_tags() -> Vec<ecsdeck::model::task_defs::new_image::ImageTag> {
    [("1.5.0", 3_600), ("1.4.2", 86_400), ("1.4.1", 7 * 86_400)]
        .iter()
        .map(
            |(tag, ago)| ecsdeck::model::task_defs::new_image::ImageTag {
                tag: (*tag).into(),
                pushed_at: Some(now() - Duration::from_secs(*ago)),
                digest: Some(format!("sha256:{tag}")),
            },
        )
        .collect()
}
