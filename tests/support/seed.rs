//! Seeds the emulator through the real Rust SDK.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{
    ContainerDefinition, DeploymentCircuitBreaker, DeploymentConfiguration, LaunchType,
    LoadBalancer, PortMapping, Resource,
};

/// What `seed` created.
pub struct Seeded {
    /// ARN of the `prod` cluster (services, tasks, instances).
    pub prod: String,
    /// ARN of the empty `staging` cluster.
    pub staging: String,
    /// Names of every service in `prod`, `api` included.
    pub services: Vec<String>,
    /// ARNs of the running tasks of `api`.
    pub api_tasks: Vec<String>,
    /// ARN of the stopped standalone task.
    pub stopped_task: String,
}

/// Reason given to the stopped task.
pub const STOP_REASON: &str = "Essential container in task exited";

async fn register(client: &Client, family: &str, image: &str) -> String {
    let mut container = ContainerDefinition::builder()
        .name(family)
        .image(image)
        .memory(256)
        .essential(true);
    // moto treats hostPort 0 as a fixed port: only the web family publishes one.
    if family == "web" {
        container = container.port_mappings(
            PortMapping::builder()
                .container_port(8080)
                .host_port(0)
                .build(),
        );
    }
    let out = client
        .register_task_definition()
        .family(family)
        .container_definitions(container.build())
        .send()
        .await
        .expect("register task definition");
    out.task_definition()
        .and_then(|t| t.task_definition_arn())
        .expect("arn")
        .to_owned()
}

async fn cluster(client: &Client, name: &str) -> String {
    client
        .create_cluster()
        .cluster_name(name)
        .send()
        .await
        .expect("create cluster")
        .cluster()
        .and_then(|c| c.cluster_arn())
        .expect("arn")
        .to_owned()
}

/// Two clusters: `prod` with `extra_services` + 1 services (`api` among them), two EC2
/// container instances, two running `api` tasks and one stopped task; `staging` empty.
pub async fn seed(emulator: &super::Emulator, extra_services: usize) -> Seeded {
    let client = &emulator.ecs_client();
    let prod = cluster(client, "prod").await;
    let staging = cluster(client, "staging").await;
    for image in ["web:1.0.0", "web:1.1.0", "web:1.2.0"] {
        register(client, "web", &format!("registry.example.com/{image}")).await;
    }
    let worker_def = register(client, "worker", "registry.example.com/worker:7").await;
    for cpu in [2048, 4096] {
        let instance_id = emulator.run_ec2_instance();
        let document = format!(r#"{{"instanceId": "{instance_id}", "region": "us-east-1"}}"#);
        client
            .register_container_instance()
            .cluster("prod")
            .instance_identity_document(document)
            .total_resources(
                Resource::builder()
                    .name("CPU")
                    .r#type("INTEGER")
                    .integer_value(cpu)
                    .build(),
            )
            .total_resources(
                Resource::builder()
                    .name("MEMORY")
                    .r#type("INTEGER")
                    .integer_value(8192)
                    .build(),
            )
            .send()
            .await
            .expect("register container instance");
    }
    let mut services = vec!["api".to_owned()];
    services.extend((0..extra_services).map(|i| format!("svc-{i:03}")));
    let deployment = DeploymentConfiguration::builder()
        .minimum_healthy_percent(50)
        .maximum_percent(200)
        .deployment_circuit_breaker(
            DeploymentCircuitBreaker::builder()
                .enable(true)
                .rollback(true)
                .build(),
        )
        .build();
    for (i, name) in services.iter().enumerate() {
        let desired = if name == "api" { 2 } else { (i % 4) as i32 };
        let mut request = client
            .create_service()
            .cluster("prod")
            .service_name(name)
            .task_definition(if i % 2 == 0 { "web:3" } else { "web:2" })
            .desired_count(desired)
            .launch_type(LaunchType::Ec2);
        if name == "api" {
            request = request.load_balancers(
                LoadBalancer::builder()
                    .target_group_arn("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/0123456789abcdef")
                    .container_name("web")
                    .container_port(8080)
                    .build(),
            );
        }
        request.send().await.expect("create service");
        // moto drops the deployment configuration on create, and reports runningCount only
        // after an UpdateService with a desired count.
        client
            .update_service()
            .cluster("prod")
            .service(name)
            .desired_count(desired)
            .deployment_configuration(deployment.clone())
            .send()
            .await
            .expect("update service");
    }
    let run = client
        .run_task()
        .cluster("prod")
        .task_definition("web:3")
        .count(2)
        .group("service:api")
        .started_by("ecs-svc/1234567890")
        .launch_type(LaunchType::Ec2)
        .send()
        .await
        .expect("run api tasks");
    let api_tasks: Vec<String> = run
        .tasks()
        .iter()
        .filter_map(|t| t.task_arn())
        .map(str::to_owned)
        .collect();
    let standalone = client
        .run_task()
        .cluster("prod")
        .task_definition(worker_def)
        .group("family:worker")
        .launch_type(LaunchType::Ec2)
        .send()
        .await
        .expect("run worker task");
    let stopped_task = standalone.tasks()[0].task_arn().expect("arn").to_owned();
    client
        .stop_task()
        .cluster("prod")
        .task(&stopped_task)
        .reason(STOP_REASON)
        .send()
        .await
        .expect("stop task");
    Seeded {
        prod,
        staging,
        services,
        api_tasks,
        stopped_task,
    }
}
