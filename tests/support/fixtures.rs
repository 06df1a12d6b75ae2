//! Model-level fixtures (no network): realistic clusters, services, tasks and instances, and a
//! `Backend` that answers the app's requests from them, for the kittest UI tests.

use ecsdeck::model::ecs::{
    CapacityProviderItem, Cluster, Container, ContainerInstance, Deployment, DeploymentConfig,
    LoadBalancer, NetworkConfig, Service, ServiceEvent, Task,
};
use ecsdeck::model::profiles::{CredentialSource, ProfileInfo};
use ecsdeck::model::{
    AwsError, ErrorKind, Event, Request, ResourceKey, Response, TaskScope, WorkerCommand,
};
use ecsdeck::settings::Settings;
use ecsdeck::worker::Backend;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::time::{Duration, SystemTime};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

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

fn service_arn(cluster: &str, name: &str) -> String {
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
                deployment_config: DeploymentConfig {
                    minimum_healthy_percent: Some(100),
                    maximum_percent: Some(200),
                    circuit_breaker_enable: true,
                    circuit_breaker_rollback: true,
                },
                deployment_controller: "ECS".into(),
                placement_strategy: if fargate { vec![] } else { vec!["spread(attribute:ecs.availability-zone)".into()] },
                placement_constraints: vec![],
                deployments,
                events,
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
                    },
                    Container {
                        name: "datadog-agent".into(),
                        image: "public.ecr.aws/datadog/agent:7".into(),
                        last_status: if stopped { "STOPPED" } else { "RUNNING" }.into(),
                        exit_code: stopped.then_some(0),
                        reason: None,
                        health_status: Some("UNKNOWN".into()),
                    },
                ],
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

/// An expired-token failure as ECS reports it.
pub fn expired_token(operation: &str) -> AwsError {
    AwsError {
        operation: operation.into(),
        code: "ExpiredTokenException".into(),
        message: "The security token included in the request is expired".into(),
        request_id: Some("5c4b5f2e-0d5e-4a4b-9d3e-8f1f7d5e6a7b".into()),
        kind: ErrorKind::Credentials,
    }
}

/// An AWS service error of `kind` as ECS reports it.
pub fn service_error(operation: &str, code: &str, message: &str, kind: ErrorKind) -> AwsError {
    AwsError {
        operation: operation.into(),
        code: code.into(),
        message: message.into(),
        request_id: Some("0f6b1a2c-3d4e-5f60-7182-93a4b5c6d7e8".into()),
        kind,
    }
}

/// Answers every request at once from the fixtures and records what was asked.
#[derive(Clone, Default)]
pub struct FixtureBackend {
    /// Every command the app sent.
    pub sent: Rc<RefCell<Vec<WorkerCommand>>>,
    /// While true, every load fails with ExpiredTokenException.
    pub credentials_expired: Rc<Cell<bool>>,
    /// Services per cluster (default 24).
    pub services_per_cluster: Rc<Cell<usize>>,
    /// Tasks per scope (default 8).
    pub tasks_per_scope: Rc<Cell<usize>>,
    /// Loads that fail, with the error they fail with.
    pub failures: Rc<RefCell<HashMap<ResourceKey, AwsError>>>,
    inbox: Rc<RefCell<VecDeque<Event>>>,
}

impl FixtureBackend {
    /// A backend with the default sizes.
    pub fn new() -> Self {
        let backend = Self::default();
        backend.services_per_cluster.set(24);
        backend.tasks_per_scope.set(8);
        backend
    }

    /// How many loads of `key` were started.
    pub fn loads_of(&self, key: &ResourceKey) -> usize {
        self.sent
            .borrow()
            .iter()
            .filter(
                |c| matches!(c, WorkerCommand::Start { request: Request::Load(k), .. } if k == key),
            )
            .count()
    }

    fn respond(&self, request: &Request) -> Response {
        if let Request::Load(key) = request
            && let Some(error) = self.failures.borrow().get(key).cloned()
        {
            return match key {
                ResourceKey::Clusters => Response::Clusters(Err(error)),
                ResourceKey::Services(_) => Response::Services(Err(error)),
                ResourceKey::Tasks(_) => Response::Tasks(Err(error)),
                ResourceKey::Instances(_) => Response::Instances(Err(error)),
            };
        }
        let expired = self.credentials_expired.get();
        let fail = |op: &str| expired_token(op);
        match request {
            Request::ListProfiles => Response::Profiles(Ok(vec![
                ProfileInfo {
                    name: "platform".into(),
                    region: Some(REGION.into()),
                    source: CredentialSource::Sso,
                },
                ProfileInfo {
                    name: "sandbox".into(),
                    region: Some(REGION.into()),
                    source: CredentialSource::Static,
                },
            ])),
            Request::Load(ResourceKey::Clusters) => Response::Clusters(if expired {
                Err(fail("ListClusters"))
            } else {
                Ok(clusters())
            }),
            Request::Load(ResourceKey::Services(c)) => Response::Services(if expired {
                Err(fail("ListServices"))
            } else {
                Ok(services(c, self.services_per_cluster.get()))
            }),
            Request::Load(ResourceKey::Tasks(scope)) => Response::Tasks(if expired {
                Err(fail("ListTasks"))
            } else {
                Ok(tasks(scope, self.tasks_per_scope.get()))
            }),
            Request::Load(ResourceKey::Instances(c)) => Response::Instances(if expired {
                Err(fail("ListContainerInstances"))
            } else {
                Ok(instances(c))
            }),
        }
    }
}

impl Backend for FixtureBackend {
    fn send(&self, command: WorkerCommand) {
        if let WorkerCommand::Start {
            id,
            generation,
            request,
            ..
        } = &command
        {
            let response = self.respond(request);
            self.inbox.borrow_mut().push_back(Event {
                id: *id,
                generation: *generation,
                response,
            });
        }
        self.sent.borrow_mut().push(command);
    }

    fn try_recv(&self) -> Option<Event> {
        self.inbox.borrow_mut().pop_front()
    }
}

/// Settings for the UI tests: SSO profile `platform`, us-east-1, no endpoint.
pub fn settings() -> Settings {
    Settings {
        profile: Some("platform".into()),
        region: REGION.into(),
        endpoint_url: None,
        auto_refresh: true,
        refresh_interval_secs: 15,
        read_only: false,
    }
}
