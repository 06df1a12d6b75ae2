//! Model-level fixtures (no network): realistic clusters, services, tasks and instances.

use ecsdeck::model::TaskScope;
use ecsdeck::model::ecs::{
    CapacityProviderItem, Cluster, Container, ContainerInstance, Deployment, DeploymentConfig,
    LoadBalancer, NetworkConfig, Service, ServiceEvent, Task,
};
use std::time::{Duration, SystemTime};

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// The frozen "now" of every UI test.
pub fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000)
}

fn ago(minutes: u64) -> Option<SystemTime> {
    Some(now() - Duration::from_secs(minutes * 60))
}

/// `arn:aws:ecs:us-east-1:123456789012:cluster/NAME`.
pub fn cluster_arn(name: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{name}")
}

pub fn service_arn(cluster: &str, name: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{cluster}/{name}")
}

fn td(family: &str, revision: u32) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:{revision}")
}

/// Three clusters.
pub fn clusters() -> Vec<Cluster> {
    [
        ("prod", 24, 61, 2, 4),
        ("staging", 12, 14, 0, 2),
        ("dev", 6, 5, 1, 0),
    ]
    .into_iter()
    .map(|(name, services, running, pending, instances)| Cluster {
        arn: cluster_arn(name),
        name: name.into(),
        status: "ACTIVE".into(),
        services_count: services,
        running_tasks: running,
        pending_tasks: pending,
        container_instances: instances,
        capacity_providers: vec!["FARGATE".into(), "FARGATE_SPOT".into()],
        container_insights: Some(
            if name == "prod" {
                "enabled"
            } else {
                "disabled"
            }
            .into(),
        ),
    })
    .collect()
}

const NAMES: &[&str] = &[
    "checkout-api",
    "payments-api",
    "orders-worker",
    "web-frontend",
    "search-indexer",
    "email-sender",
    "auth-service",
    "inventory-api",
    "nightly-report",
    "recommendations",
    "cart-service",
    "shipping-api",
];

/// `count` services of a cluster; the first is mid-rollout with events.
pub fn services(cluster: &str, count: usize) -> Vec<Service> {
    let cluster_name = cluster.rsplit('/').next().unwrap_or(cluster);
    (0..count)
        .map(|i| {
            let base = NAMES[i % NAMES.len()];
            let name = if i < NAMES.len() { base.to_owned() } else { format!("{base}-{}", i / NAMES.len()) };
            let revision = 10 + (i as u32 % 7);
            let fargate = i % 3 != 2;
            let rolling = i == 0;
            let mut deployments = vec![Deployment {
                id: format!("ecs-svc/{:019}", 4_000_000_000_000_000_000u64 + i as u64),
                status: "PRIMARY".into(),
                task_definition: td(&name, revision),
                desired: 3,
                running: if rolling { 1 } else { 3 },
                pending: if rolling { 2 } else { 0 },
                failed: 0,
                rollout_state: Some(if rolling { "IN_PROGRESS" } else { "COMPLETED" }.into()),
                rollout_state_reason: Some(if rolling {
                    "ECS deployment ecs-svc/4000000000000000000 in progress.".into()
                } else {
                    "ECS deployment completed.".into()
                }),
                created_at: ago(30 + i as u64),
                updated_at: ago(if rolling { 1 } else { 20 + i as u64 }),
            }];
            if rolling {
                deployments.push(Deployment {
                    id: "ecs-svc/3999999999999999999".into(),
                    status: "ACTIVE".into(),
                    task_definition: td(&name, revision - 1),
                    desired: 2,
                    running: 2,
                    rollout_state: Some("COMPLETED".into()),
                    created_at: ago(2_000),
                    updated_at: ago(30),
                    ..Deployment::default()
                });
            }
            let events = if rolling {
                vec![
                    ServiceEvent { id: "e3".into(), created_at: ago(1), message: format!("(service {name}) has started 2 tasks: (task 0a1b2c3d) (task 4e5f6a7b).") },
                    ServiceEvent { id: "e2".into(), created_at: ago(30), message: format!("(service {name}) has reached a steady state.") },
                    ServiceEvent { id: "e1".into(), created_at: ago(90), message: format!("(service {name}) registered 3 targets in (target-group {name}-tg)") },
                ]
            } else {
                vec![ServiceEvent { id: "e".into(), created_at: ago(60), message: format!("(service {name}) has reached a steady state.") }]
            };
            Service {
                arn: service_arn(cluster_name, &name),
                name: name.clone(),
                cluster_arn: cluster.to_owned(),
                status: "ACTIVE".into(),
                health_check_grace_period_secs: Some(60),
                launch_type: if fargate { None } else { Some("EC2".into()) },
                capacity_provider_strategy: if fargate {
                    vec![
                        CapacityProviderItem { provider: "FARGATE".into(), weight: 1, base: 1 },
                        CapacityProviderItem { provider: "FARGATE_SPOT".into(), weight: 3, base: 0 },
                    ]
                } else {
                    vec![]
                },
                desired: 3,
                running: if rolling { 1 } else { 3 },
                pending: if rolling { 2 } else { 0 },
                task_definition: td(&name, revision),
                created_at: ago(90 * 24 * 60 + i as u64),
                load_balancers: vec![LoadBalancer {
                    target_group_arn: Some(format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}-tg/73e2d6bc24d8a067")),
                    load_balancer_name: None,
                    container_name: Some("app".into()),
                    container_port: Some(8080),
                }],
                network: fargate.then(|| NetworkConfig {
                    subnets: vec!["subnet-0a1b2c3d".into(), "subnet-4e5f6a7b".into()],
                    security_groups: vec!["sg-0123456789abcdef0".into()],
                    assign_public_ip: Some("DISABLED".into()),
                }),
                deployment_config: if rolling {
                    super::deployment_fixtures::canary_config()
                } else {
                    DeploymentConfig {
                        minimum_healthy_percent: Some(100),
                        maximum_percent: Some(200),
                        circuit_breaker_enable: true,
                        circuit_breaker_rollback: true,
                        ..DeploymentConfig::default()
                    }
                },
                deployment_controller: "ECS".into(),
                service_connect: false,
                placement_strategy: if fargate { vec![] } else { vec!["spread(attribute:ecs.availability-zone)".into()] },
                placement_constraints: vec![],
                deployments,
                events,
                enable_execute_command: false,
            }
        })
        .collect()
}

/// Tasks of a scope: running ones plus one stopped with a reason.
pub fn tasks(scope: &TaskScope, count: usize) -> Vec<Task> {
    let service = scope
        .service_name
        .clone()
        .unwrap_or_else(|| "checkout-api".into());
    let cluster_name = scope
        .cluster
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    (0..count)
        .map(|i| {
            let stopped = i + 1 == count;
            let id = format!(
                "{:08x}{:024x}",
                0x0a1b_2c3d_u32.wrapping_add(i as u32 * 7919),
                i
            );
            Task {
                arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster_name}/{id}"),
                cluster_arn: scope.cluster.clone(),
                group: Some(format!("service:{service}")),
                last_status: if stopped { "STOPPED" } else { "RUNNING" }.into(),
                desired_status: if stopped { "STOPPED" } else { "RUNNING" }.into(),
                health_status: Some(if stopped { "UNHEALTHY" } else { "HEALTHY" }.into()),
                task_definition: td(&service, 10 + (i as u32 % 2)),
                launch_type: Some("FARGATE".into()),
                capacity_provider: Some("FARGATE".into()),
                availability_zone: Some(format!("us-east-1{}", ['a', 'b', 'c'][i % 3])),
                container_instance_arn: None,
                cpu: Some("512".into()),
                memory: Some("1024".into()),
                created_at: ago(120 + i as u64),
                started_at: ago(118 + i as u64),
                stopped_at: stopped.then(|| now() - Duration::from_secs(300)),
                stopped_reason: stopped.then(|| {
                    "Task failed ELB health checks in (target-group checkout-api-tg)".into()
                }),
                stop_code: stopped.then(|| "ServiceSchedulerInitiated".into()),
                containers: vec![
                    Container {
                        name: "app".into(),
                        image: format!(
                            "{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{service}:1.4.{}",
                            i % 3
                        ),
                        last_status: if stopped { "STOPPED" } else { "RUNNING" }.into(),
                        exit_code: stopped.then_some(137),
                        reason: stopped.then(|| {
                            "OutOfMemoryError: container killed due to memory usage".into()
                        }),
                        health_status: Some(if stopped { "UNHEALTHY" } else { "HEALTHY" }.into()),
                        runtime_id: Some(format!("{id}-1527395837")),
                        managed_agents: Vec::new(),
                    },
                    Container {
                        name: "datadog-agent".into(),
                        image: "public.ecr.aws/datadog/agent:7".into(),
                        last_status: if stopped { "STOPPED" } else { "RUNNING" }.into(),
                        exit_code: stopped.then_some(0),
                        reason: None,
                        health_status: Some("UNKNOWN".into()),
                        runtime_id: Some(format!("{id}-0385172468")),
                        managed_agents: Vec::new(),
                    },
                ],
                enable_execute_command: false,
                platform_version: Some("1.4.0".into()),
                platform_family: Some("Linux".into()),
            }
        })
        .collect()
}

/// Four EC2 instances and one ECS Anywhere instance.
pub fn instances(cluster: &str) -> Vec<ContainerInstance> {
    let cluster_name = cluster.rsplit('/').next().unwrap_or_default();
    (0..5)
        .map(|i| ContainerInstance {
            arn: format!(
                "arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/{cluster_name}/{:032x}",
                0xabc0 + i
            ),
            ec2_instance_id: Some(if i == 4 {
                "mi-0123456789abcdef0".into()
            } else {
                format!("i-0{:016x}", 0x5eed + i)
            }),
            status: if i == 3 { "DRAINING" } else { "ACTIVE" }.into(),
            agent_connected: i != 4,
            agent_version: Some("1.89.2".into()),
            running_tasks: 6 - i,
            pending_tasks: 0,
            registered_cpu: 4096,
            remaining_cpu: 512 * (i as i64 + 1),
            registered_memory_mib: 15_576,
            remaining_memory_mib: 2_048 * (i as i64 + 1),
            capacity_provider: Some("ec2-ondemand".into()),
        })
        .collect()
}
