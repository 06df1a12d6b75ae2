//! The `aws/` layer against a real HTTP emulator (moto): the real SDK, the real credential
//! chain (profile files), seeded through the SDK.

use crate::support;

use ecsdeck::aws::{self, ProfileSource};
use ecsdeck::model::{Connection, ErrorKind, TaskScope};
use support::Emulator;
use support::emulator::dead_endpoint;
use support::seed::{STOP_REASON, seed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browses_clusters_services_tasks_and_instances() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 12).await;
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;

    let clusters = ecs.clusters().await.expect("clusters");
    let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["prod", "staging"]);
    let prod = &clusters[0];
    assert_eq!(prod.arn, seeded.prod);
    assert_eq!(prod.status, "ACTIVE");
    // moto leaves activeServicesCount at 0: the count comes from ListServices.
    assert_eq!(prod.services_count, 13);
    assert_eq!(prod.container_instances, 2);
    assert_eq!(clusters[1].services_count, 0);

    let services = ecs.services(&seeded.prod).await.expect("services");
    assert_eq!(services.len(), seeded.services.len());
    let api = services.iter().find(|s| s.name == "api").expect("api");
    assert_eq!(api.desired, 2);
    assert_eq!(api.running, 2);
    assert_eq!(api.launch_type.as_deref(), Some("EC2"));
    assert!(api.task_definition.ends_with("task-definition/web:3"));
    assert_eq!(api.deployment_config.minimum_healthy_percent, Some(50));
    assert_eq!(api.deployment_config.maximum_percent, Some(200));
    assert!(
        api.deployment_config.circuit_breaker_enable
            && api.deployment_config.circuit_breaker_rollback
    );
    assert_eq!(api.load_balancers.len(), 1);
    assert_eq!(api.load_balancers[0].container_port, Some(8080));
    assert_eq!(
        api.primary_deployment().map(|d| d.status.as_str()),
        Some("PRIMARY")
    );
    // moto sets no service createdAt; the deployment's time stands in for "updated".
    assert!(
        api.primary_deployment()
            .and_then(|d| d.created_at)
            .is_some()
    );
    assert!(api.updated_at().is_some());

    let api_tasks = ecs
        .tasks(&TaskScope::service(&seeded.prod, "api"))
        .await
        .expect("api tasks");
    let mut arns: Vec<&str> = api_tasks.iter().map(|t| t.arn.as_str()).collect();
    arns.sort_unstable();
    let mut expected: Vec<&str> = seeded.api_tasks.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(arns, expected, "only the api service's tasks");
    assert!(
        api_tasks
            .iter()
            .all(|t| t.last_status == "RUNNING" && t.containers.len() == 1)
    );
    assert_eq!(api_tasks[0].containers[0].name, "web");

    let all_tasks = ecs
        .tasks(&TaskScope::cluster(&seeded.prod))
        .await
        .expect("cluster tasks");
    assert_eq!(
        all_tasks.len(),
        3,
        "two running api tasks and the stopped worker"
    );
    let stopped = all_tasks
        .iter()
        .find(|t| t.arn == seeded.stopped_task)
        .expect("stopped task listed");
    assert_eq!(stopped.desired_status, "STOPPED");
    assert_eq!(stopped.stopped_reason.as_deref(), Some(STOP_REASON));

    let instances = ecs
        .container_instances(&seeded.prod)
        .await
        .expect("instances");
    assert_eq!(instances.len(), 2);
    // moto ignores totalResources and registers every instance as 4096 CPU units.
    assert!(
        instances
            .iter()
            .all(|i| i.status == "ACTIVE" && i.registered_cpu == 4096),
        "{instances:?}"
    );
    assert!(
        instances
            .iter()
            .all(|i| i.remaining_cpu <= i.registered_cpu && i.registered_memory_mib > 0)
    );
    assert!(instances.iter().all(|i| {
        i.ec2_instance_id
            .as_deref()
            .is_some_and(|id| id.starts_with("i-"))
    }));
    assert!(
        instances.iter().any(|i| i.running_tasks > 0),
        "tasks were placed on an instance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_cluster_is_reported_as_not_found_with_code_and_request_id() {
    let emulator = Emulator::start();
    let ecs = aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let error = ecs.services("gone").await.expect_err("no such cluster");
    assert_eq!(error.operation, "ListServices");
    assert_eq!(error.code, "ClusterNotFoundException");
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert!(
        error.request_id.as_deref().is_some_and(|id| !id.is_empty()),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_endpoint_is_a_network_error_naming_the_endpoint() {
    let emulator = Emulator::start();
    let endpoint = dead_endpoint();
    let connection = Connection {
        endpoint_url: Some(endpoint.clone()),
        ..emulator.connection()
    };
    let ecs = aws::connect(&connection, &emulator.profile_source()).await;
    let error = ecs.clusters().await.expect_err("nothing listens there");
    assert_eq!(error.kind, ErrorKind::Network, "{error:?}");
    assert!(error.message.contains(&endpoint), "{}", error.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_or_unknown_credentials_are_credentials_errors() {
    let emulator = Emulator::start();
    emulator.add_config(
        "\n[profile expired]\nregion = us-east-1\ncredential_process = sh -c 'echo Token has expired and refresh failed >&2; exit 1'\n",
    );
    let source: ProfileSource = emulator.profile_source();
    for profile in ["expired", "no-such-profile"] {
        let connection = Connection {
            profile: Some(profile.into()),
            ..emulator.connection()
        };
        let ecs = aws::connect(&connection, &source).await;
        let error = ecs.clusters().await.expect_err("no credentials");
        assert_eq!(error.kind, ErrorKind::Credentials, "{profile}: {error:?}");
        assert_eq!(error.operation, "ListClusters");
    }
    let profiles = aws::list_profiles(&source).expect("profiles");
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["default", "expired"]);
}
