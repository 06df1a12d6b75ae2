//! Service and task changes against the emulator (moto over HTTP, real SDK): deploy a new
//! revision and roll back, scale up and to zero, a change refused because the service moved
//! since the preview, stop a task. Each result is checked by describing the service again.

use crate::support;

use ecsdeck::aws;
use ecsdeck::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use ecsdeck::model::ecs::DeploymentConfig;
use ecsdeck::model::{ErrorKind, TaskScope};
use support::Emulator;
use support::seed::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_roll_back_scale_and_refuse_a_stale_preview() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let cluster = &seeded.prod;
    let before = ecs.describe_service(cluster, "api").await.unwrap();
    assert!(before.task_definition.ends_with("web:3"));

    // Register web:4 (N+1) from web:3 with a new image, and deploy it with deployment settings.
    let mut next = ecs.task_definition("web:3").await.unwrap();
    next.set_container_text(0, "image", Some("registry.example.com/web:1.3.0"));
    let registered = ecs
        .register_task_definition(&next.register_input())
        .await
        .unwrap();
    assert_eq!(registered.as_map()["revision"], 4);
    let deployed = ecs
        .update_service(
            cluster,
            "api",
            &ServiceUpdate {
                task_definition: Some("web:4".into()),
                deployment_config: Some(DeploymentConfig {
                    minimum_healthy_percent: Some(100),
                    maximum_percent: Some(200),
                    circuit_breaker_enable: true,
                    circuit_breaker_rollback: true,
                    ..DeploymentConfig::default()
                }),
                ..ServiceUpdate::default()
            },
            &ServiceSnapshot::of(&before),
        )
        .await
        .unwrap();
    assert!(deployed.task_definition.ends_with("web:4"));
    let now = ecs.describe_service(cluster, "api").await.unwrap();
    assert!(now.task_definition.ends_with("web:4"));
    assert_eq!(now.deployment_config.minimum_healthy_percent, Some(100));

    // A preview made before that deploy is now stale: refused, nothing changed.
    let error = ecs
        .update_service(
            cluster,
            "api",
            &ServiceUpdate {
                desired: Some(0),
                ..ServiceUpdate::default()
            },
            &ServiceSnapshot::of(&before),
        )
        .await
        .unwrap_err();
    assert!(
        error.message.contains("it now runs web:4 (was web:3)"),
        "{error:?}"
    );
    assert_eq!(
        ecs.describe_service(cluster, "api").await.unwrap().desired,
        2
    );

    // Roll back to web:3 (N), then scale up and to zero.
    let rolled = ecs
        .update_service(
            cluster,
            "api",
            &ServiceUpdate {
                task_definition: Some(before.task_definition.clone()),
                ..ServiceUpdate::default()
            },
            &ServiceSnapshot::of(&now),
        )
        .await
        .unwrap();
    assert!(rolled.task_definition.ends_with("web:3"));
    let up = ecs
        .update_service(
            cluster,
            "api",
            &ServiceUpdate {
                desired: Some(5),
                ..ServiceUpdate::default()
            },
            &ServiceSnapshot::of(&rolled),
        )
        .await
        .unwrap();
    assert_eq!(up.desired, 5);
    let zero = ecs
        .update_service(
            cluster,
            "api",
            &ServiceUpdate {
                desired: Some(0),
                ..ServiceUpdate::default()
            },
            &ServiceSnapshot::of(&up),
        )
        .await
        .unwrap();
    assert_eq!(zero.desired, 0);
    assert_eq!(
        ecs.describe_service(cluster, "api").await.unwrap().desired,
        0
    );

    // A service that does not exist is reported, not half-changed.
    let error = ecs.describe_service(cluster, "nope").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert!(
        error.message.contains("nope") || error.message.contains("MISSING"),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_a_task_with_a_reason() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let scope = TaskScope::service(&seeded.prod, "api");
    let tasks = ecs.tasks(&scope).await.unwrap();
    let running = tasks.iter().find(|t| t.last_status == "RUNNING").unwrap();
    let stopped = ecs
        .stop_task(
            &seeded.prod,
            &running.arn,
            "Stopped from ECS Deck: stuck on a lock",
        )
        .await
        .unwrap();
    assert_eq!(stopped.desired_status, "STOPPED");
    let again = ecs.tasks(&scope).await.unwrap();
    let task = again.iter().find(|t| t.arn == running.arn).unwrap();
    assert_eq!(task.desired_status, "STOPPED");
    assert_eq!(
        task.stopped_reason.as_deref(),
        Some("Stopped from ECS Deck: stuck on a lock")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_bounds_and_policies_are_read_and_set() {
    use aws_sdk_applicationautoscaling as aas;
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    assert_eq!(ecs.scaling(&seeded.prod, "api").await.unwrap(), None);

    let target = ecs
        .set_scaling_bounds(&seeded.prod, "api", 2, 6)
        .await
        .unwrap()
        .expect("a target");
    assert_eq!((target.min, target.max), (2, 6));
    assert_eq!(target.resource_id, "service/prod/api");

    // A target-tracking policy, put with the SDK directly.
    let config = aas::Config::builder()
        .behavior_version(aas::config::BehaviorVersion::latest())
        .region(aas::config::Region::new("us-east-1"))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aas::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .build();
    aas::Client::from_conf(config)
        .put_scaling_policy()
        .policy_name("cpu-60")
        .service_namespace(aas::types::ServiceNamespace::Ecs)
        .resource_id("service/prod/api")
        .scalable_dimension(aas::types::ScalableDimension::EcsServiceDesiredCount)
        .policy_type(aas::types::PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(
            aas::types::TargetTrackingScalingPolicyConfiguration::builder()
                .target_value(60.0)
                .predefined_metric_specification(
                    aas::types::PredefinedMetricSpecification::builder()
                        .predefined_metric_type(
                            aas::types::MetricType::EcsServiceAverageCpuUtilization,
                        )
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let target = ecs.scaling(&seeded.prod, "api").await.unwrap().unwrap();
    assert_eq!(target.summary(), "min 2 · max 6 · CPU 60%");
    assert!(
        target
            .override_warning(0)
            .unwrap()
            .contains("set back to 2")
    );

    let error = ecs
        .set_scaling_bounds(&seeded.prod, "api", 5, 3)
        .await
        .unwrap_err();
    assert!(error.message.contains("above the maximum"), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_off_task_runs_like_the_service() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let service = ecs.describe_service(&seeded.prod, "api").await.unwrap();
    let mut spec = ecsdeck::model::changes::service_change::RunTaskSpec::like(&service);
    assert!(spec.task_definition.ends_with("web:3"));
    assert_eq!(spec.launch_type.as_deref(), Some("EC2"));
    // web publishes a fixed host port and both instances already run one: no room, said so.
    let error = ecs.run_task(&spec).await.unwrap_err();
    assert!(error.message.contains("no task"), "{error:?}");
    // The batch job: another revision, with a command override.
    spec.task_definition = "worker".into();
    spec.command = Some(("worker".into(), vec!["migrate".into(), "--yes".into()]));
    let task = ecs.run_task(&spec).await.unwrap();
    assert!(
        task.task_definition.ends_with("worker:1"),
        "{}",
        task.task_definition
    );
    let all = ecs.tasks(&TaskScope::cluster(&seeded.prod)).await.unwrap();
    assert!(
        all.iter().any(|t| t.arn == task.arn),
        "the new task is listed"
    );

    spec.task_definition = "no-such-family:1".into();
    let error = ecs.run_task(&spec).await.unwrap_err();
    assert_eq!(error.operation, "RunTask");
}
