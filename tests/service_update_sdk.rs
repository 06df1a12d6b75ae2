//! UpdateService never clobbers what the app does not edit, checked on the request the SDK
//! sends (`aws-smithy-mocks`: moto keeps no blue/green configuration to compare against). A
//! blue/green service's strategy, bake time, alarms and lifecycle hooks go back exactly as
//! described; only the edited fields change.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_ecs::types::{
    CanaryConfiguration, Deployment, DeploymentAlarms, DeploymentCircuitBreaker,
    DeploymentConfiguration, DeploymentLifecycleHook, DeploymentLifecycleHookStage,
    DeploymentStrategy, Service,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use ecsdeck::aws::Ecs;
use ecsdeck::aws::change_gate::{ChangeGate, SharedRules};
use ecsdeck::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use ecsdeck::model::ecs::DeploymentConfig;
use ecsdeck::model::ecs::deployment_config::TrafficStep;

const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";
const TASK_DEF: &str = "arn:aws:ecs:us-east-1:1:task-definition/web:3";

fn blue_green() -> DeploymentConfiguration {
    DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::BlueGreen)
        .bake_time_in_minutes(15)
        .minimum_healthy_percent(100)
        .maximum_percent(200)
        .alarms(
            DeploymentAlarms::builder()
                .alarm_names("api-5xx")
                .enable(true)
                .rollback(true)
                .build()
                .expect("alarms"),
        )
        .deployment_circuit_breaker(
            DeploymentCircuitBreaker::builder()
                .enable(false)
                .rollback(false)
                .build(),
        )
        .lifecycle_hooks(
            DeploymentLifecycleHook::builder()
                .hook_target_arn("arn:aws:lambda:us-east-1:1:function:smoke")
                .role_arn("arn:aws:iam::1:role/hooks")
                .lifecycle_stages(DeploymentLifecycleHookStage::PostTestTrafficShift)
                .build(),
        )
        .build()
}

fn described() -> Service {
    Service::builder()
        .service_arn(SERVICE)
        .service_name("api")
        .cluster_arn("arn:aws:ecs:us-east-1:1:cluster/prod")
        .status("ACTIVE")
        .task_definition(TASK_DEF)
        .desired_count(2)
        .deployment_configuration(blue_green())
        .deployments(
            Deployment::builder()
                .id("ecs-svc/1")
                .status("PRIMARY")
                .task_definition(TASK_DEF)
                .build(),
        )
        .build()
}

/// A client that describes the blue/green service and answers UpdateService through
/// `update` (whose request filter is the test); the service as described.
async fn ecs_with(update: &aws_smithy_mocks::Rule) -> (Ecs, ecsdeck::model::ecs::Service) {
    let describe = mock!(Client::describe_services).then_output(|| {
        DescribeServicesOutput::builder()
            .services(described())
            .build()
    });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&describe, update]);
    let ecs = Ecs::new(client, None).with_gate(ChangeGate::new(SharedRules::allowing(), None));
    let service = ecs
        .describe_service("prod", "api")
        .await
        .expect("described");
    (ecs, service)
}

#[tokio::test]
async fn changed_deployment_settings_keep_strategy_bake_time_alarms_and_hooks() {
    let update = mock!(Client::update_service)
        .match_requests(|req| {
            let mut expected = blue_green();
            expected.maximum_percent = Some(150);
            expected.deployment_circuit_breaker = Some(
                DeploymentCircuitBreaker::builder()
                    .enable(true)
                    .rollback(true)
                    .build(),
            );
            req.deployment_configuration() == Some(&expected)
        })
        .then_output(|| UpdateServiceOutput::builder().service(described()).build());
    let (ecs, service) = ecs_with(&update).await;
    // The form starts from the service's configuration and changes two fields.
    let change = ServiceUpdate {
        deployment_config: Some(DeploymentConfig {
            maximum_percent: Some(150),
            circuit_breaker_enable: true,
            circuit_breaker_rollback: true,
            ..service.deployment_config.clone()
        }),
        ..ServiceUpdate::default()
    };
    ecs.update_service("prod", "api", &change, &ServiceSnapshot::of(&service))
        .await
        .expect("sent with everything carried forward");
    assert_eq!(
        update.num_calls(),
        1,
        "the request matched the carried-forward configuration"
    );
}

#[tokio::test]
async fn a_change_to_canary_keeps_alarms_hooks_and_the_circuit_breaker_as_described() {
    let update = mock!(Client::update_service)
        .match_requests(|req| {
            let mut expected = blue_green();
            expected.strategy = Some(DeploymentStrategy::Canary);
            expected.canary_configuration = Some(
                CanaryConfiguration::builder()
                    .canary_percent(10.0)
                    .canary_bake_time_in_minutes(5)
                    .build(),
            );
            expected.bake_time_in_minutes = Some(20);
            req.deployment_configuration() == Some(&expected)
        })
        .then_output(|| UpdateServiceOutput::builder().service(described()).build());
    let (ecs, service) = ecs_with(&update).await;
    let mut edited = service.deployment_config.clone();
    edited.strategy = Some("CANARY".into());
    edited.canary = Some(TrafficStep {
        percent: Some(10.0),
        bake_minutes: Some(5),
    });
    edited.bake_time_minutes = Some(20);
    let change = ServiceUpdate {
        deployment_config: Some(edited),
        ..ServiceUpdate::default()
    };
    ecs.update_service("prod", "api", &change, &ServiceSnapshot::of(&service))
        .await
        .expect("sent");
    assert_eq!(
        update.num_calls(),
        1,
        "only strategy, canary and bake changed"
    );
}

#[tokio::test]
async fn new_alarms_replace_the_alarm_list_and_nothing_else() {
    let update = mock!(Client::update_service)
        .match_requests(|req| {
            let mut expected = blue_green();
            expected.alarms = Some(
                DeploymentAlarms::builder()
                    .alarm_names("api-5xx")
                    .alarm_names("api-p99")
                    .enable(true)
                    .rollback(false)
                    .build()
                    .expect("alarms"),
            );
            req.deployment_configuration() == Some(&expected)
        })
        .then_output(|| UpdateServiceOutput::builder().service(described()).build());
    let (ecs, service) = ecs_with(&update).await;
    let mut edited = service.deployment_config.clone();
    edited.alarms = Some(ecsdeck::model::ecs::deployment_config::DeploymentAlarms {
        names: vec!["api-5xx".into(), "api-p99".into()],
        enable: true,
        rollback: false,
    });
    let change = ServiceUpdate {
        deployment_config: Some(edited),
        ..ServiceUpdate::default()
    };
    ecs.update_service("prod", "api", &change, &ServiceSnapshot::of(&service))
        .await
        .expect("sent");
    assert_eq!(update.num_calls(), 1);
}

#[tokio::test]
async fn a_scale_sends_no_deployment_configuration_at_all() {
    let update = mock!(Client::update_service)
        .match_requests(|req| {
            req.deployment_configuration().is_none() && req.desired_count() == Some(5)
        })
        .then_output(|| UpdateServiceOutput::builder().service(described()).build());
    let (ecs, service) = ecs_with(&update).await;
    let change = ServiceUpdate {
        desired: Some(5),
        ..ServiceUpdate::default()
    };
    ecs.update_service("prod", "api", &change, &ServiceSnapshot::of(&service))
        .await
        .expect("sent");
    assert_eq!(update.num_calls(), 1);
}
