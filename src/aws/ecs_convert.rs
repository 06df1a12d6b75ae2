//! SDK types → model types, at the boundary.

use crate::model::ecs::deployment_config::{DeploymentAlarms, LifecycleHook, TrafficStep};
use crate::model::ecs::{
    CapacityProviderItem, Cluster, Container, ContainerInstance, Deployment, DeploymentConfig,
    LoadBalancer, ManagedAgent, NetworkConfig, Service, ServiceEvent, Task,
};
use aws_sdk_ecs::types as sdk;
use aws_smithy_types::DateTime;
use std::time::SystemTime;

pub(crate) fn time(t: Option<&DateTime>) -> Option<SystemTime> {
    t.and_then(|t| SystemTime::try_from(*t).ok())
}

fn text(s: Option<&str>) -> String {
    s.unwrap_or_default().to_owned()
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}

/// A described cluster; `services_count` is filled in by the caller from ListServices.
pub fn cluster(c: &sdk::Cluster) -> Cluster {
    Cluster {
        arn: text(c.cluster_arn()),
        name: text(c.cluster_name()),
        status: text(c.status()),
        services_count: u32::try_from(c.active_services_count()).unwrap_or(0),
        running_tasks: u32::try_from(c.running_tasks_count()).unwrap_or(0),
        pending_tasks: u32::try_from(c.pending_tasks_count()).unwrap_or(0),
        container_instances: u32::try_from(c.registered_container_instances_count()).unwrap_or(0),
        capacity_providers: c.capacity_providers().to_vec(),
        container_insights: c
            .settings()
            .iter()
            .find(|s| s.name().map(|n| n.as_str()) == Some("containerInsights"))
            .and_then(|s| owned(s.value())),
    }
}

fn strategy(items: &[sdk::CapacityProviderStrategyItem]) -> Vec<CapacityProviderItem> {
    items
        .iter()
        .map(|i| CapacityProviderItem {
            provider: i.capacity_provider().to_owned(),
            weight: i.weight(),
            base: i.base(),
        })
        .collect()
}

fn deployment(d: &sdk::Deployment) -> Deployment {
    Deployment {
        id: text(d.id()),
        status: text(d.status()),
        task_definition: text(d.task_definition()),
        desired: d.desired_count(),
        running: d.running_count(),
        pending: d.pending_count(),
        failed: d.failed_tasks(),
        rollout_state: d.rollout_state().map(|s| s.as_str().to_owned()),
        rollout_state_reason: free_text(d.rollout_state_reason()),
        created_at: time(d.created_at()),
        updated_at: time(d.updated_at()),
    }
}

/// A deployment configuration, every field the app shows (the SDK value itself is what an
/// update carries forward).
pub fn deployment_config(config: Option<&sdk::DeploymentConfiguration>) -> DeploymentConfig {
    let Some(c) = config else {
        return DeploymentConfig::default();
    };
    let breaker = c.deployment_circuit_breaker();
    DeploymentConfig {
        minimum_healthy_percent: c.minimum_healthy_percent(),
        maximum_percent: c.maximum_percent(),
        circuit_breaker_enable: breaker.is_some_and(|b| b.enable()),
        circuit_breaker_rollback: breaker.is_some_and(|b| b.rollback()),
        strategy: c.strategy().map(|s| s.as_str().to_owned()),
        bake_time_minutes: c.bake_time_in_minutes(),
        linear: c.linear_configuration().map(|l| TrafficStep {
            percent: l.step_percent(),
            bake_minutes: l.step_bake_time_in_minutes(),
        }),
        canary: c.canary_configuration().map(|l| TrafficStep {
            percent: l.canary_percent(),
            bake_minutes: l.canary_bake_time_in_minutes(),
        }),
        alarms: c.alarms().map(|a| DeploymentAlarms {
            names: a
                .alarm_names()
                .iter()
                .map(|n| free_text(Some(n)).unwrap_or_default())
                .collect(),
            enable: a.enable(),
            rollback: a.rollback(),
        }),
        lifecycle_hooks: c.lifecycle_hooks().iter().map(lifecycle_hook).collect(),
        other: c
            .early_success_criteria()
            .map(|e| {
                let criteria = serde_json::json!({
                    "enable": e.enable(),
                    "healthyPercent": e.healthy_percent(),
                    "sourceServiceRevisionCleanup":
                        e.source_service_revision_cleanup().map(|c| c.as_str()),
                });
                serde_json::Map::from_iter([("earlySuccessCriteria".to_owned(), criteria)])
            })
            .unwrap_or_default(),
    }
}

/// A Smithy document (free-form JSON in the API) as JSON.
pub fn document_json(document: &aws_smithy_types::Document) -> serde_json::Value {
    use aws_smithy_types::{Document, Number};
    match document {
        Document::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), document_json(v)))
                .collect(),
        ),
        Document::Array(items) => {
            serde_json::Value::Array(items.iter().map(document_json).collect())
        }
        Document::Number(Number::PosInt(n)) => serde_json::Value::from(*n),
        Document::Number(Number::NegInt(n)) => serde_json::Value::from(*n),
        Document::Number(Number::Float(f)) => serde_json::Value::from(*f),
        Document::String(text) => serde_json::Value::String(text.clone()),
        Document::Bool(b) => serde_json::Value::Bool(*b),
        Document::Null => serde_json::Value::Null,
    }
}

fn lifecycle_hook(h: &sdk::DeploymentLifecycleHook) -> LifecycleHook {
    LifecycleHook {
        target_type: h.target_type().map_or("", |t| t.as_str()).to_owned(),
        target_arn: owned(h.hook_target_arn()),
        role_arn: owned(h.role_arn()),
        stages: h
            .lifecycle_stages()
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        timeout_minutes: h
            .timeout_configuration()
            .and_then(|t| t.timeout_in_minutes()),
        timeout_action: h
            .timeout_configuration()
            .and_then(|t| t.action())
            .map(|a| a.as_str().to_owned()),
        details: h.hook_details().map(document_json),
    }
}

/// A described service.
pub fn service(s: &sdk::Service) -> Service {
    let config = s.deployment_configuration();
    let mut events: Vec<ServiceEvent> = s
        .events()
        .iter()
        .map(|e| ServiceEvent {
            id: text(e.id()),
            created_at: time(e.created_at()),
            message: free_text(e.message()).unwrap_or_default(),
        })
        .collect();
    // ECS returns newest first already; sort anyway so the UI's promise holds.
    events.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    Service {
        arn: text(s.service_arn()),
        name: text(s.service_name()),
        cluster_arn: text(s.cluster_arn()),
        status: text(s.status()),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        capacity_provider_strategy: strategy(s.capacity_provider_strategy()),
        desired: s.desired_count(),
        running: s.running_count(),
        pending: s.pending_count(),
        task_definition: text(s.task_definition()),
        created_at: time(s.created_at()),
        load_balancers: s
            .load_balancers()
            .iter()
            .map(|lb| LoadBalancer {
                target_group_arn: owned(lb.target_group_arn()),
                load_balancer_name: owned(lb.load_balancer_name()),
                container_name: owned(lb.container_name()),
                container_port: lb.container_port(),
            })
            .collect(),
        health_check_grace_period_secs: s
            .health_check_grace_period_seconds()
            .and_then(|secs| u32::try_from(secs).ok()),
        network: s
            .network_configuration()
            .and_then(|n| n.awsvpc_configuration())
            .map(|a| NetworkConfig {
                subnets: a.subnets().to_vec(),
                security_groups: a.security_groups().to_vec(),
                assign_public_ip: a.assign_public_ip().map(|p| p.as_str().to_owned()),
            }),
        deployment_config: deployment_config(config),
        service_connect: s.deployments().iter().any(|d| {
            d.service_connect_configuration()
                .is_some_and(|c| c.enabled())
        }),
        deployment_controller: s
            .deployment_controller()
            .map_or("ECS", |c| c.r#type().as_str())
            .to_owned(),
        placement_strategy: s
            .placement_strategy()
            .iter()
            .map(|p| {
                let kind = p.r#type().map_or("", |t| t.as_str());
                match p.field() {
                    Some(field) => format!("{kind}({field})"),
                    None => kind.to_owned(),
                }
            })
            .collect(),
        placement_constraints: s
            .placement_constraints()
            .iter()
            .map(|p| {
                let kind = p.r#type().map_or("", |t| t.as_str());
                match p.expression() {
                    Some(expression) => format!("{kind}: {expression}"),
                    None => kind.to_owned(),
                }
            })
            .collect(),
        deployments: s.deployments().iter().map(deployment).collect(),
        events,
        enable_execute_command: s.enable_execute_command(),
    }
}

/// A described task.
pub fn task(t: &sdk::Task) -> Task {
    Task {
        arn: text(t.task_arn()),
        cluster_arn: text(t.cluster_arn()),
        group: owned(t.group()),
        last_status: text(t.last_status()),
        desired_status: text(t.desired_status()),
        health_status: t.health_status().map(|h| h.as_str().to_owned()),
        task_definition: text(t.task_definition_arn()),
        launch_type: t.launch_type().map(|l| l.as_str().to_owned()),
        capacity_provider: owned(t.capacity_provider_name()),
        availability_zone: owned(t.availability_zone()),
        container_instance_arn: owned(t.container_instance_arn()),
        cpu: owned(t.cpu()),
        memory: owned(t.memory()),
        created_at: time(t.created_at()),
        started_at: time(t.started_at()),
        stopped_at: time(t.stopped_at()),
        stopped_reason: free_text(t.stopped_reason()),
        stop_code: t.stop_code().map(|c| c.as_str().to_owned()),
        containers: t
            .containers()
            .iter()
            .map(|c| Container {
                name: text(c.name()),
                image: text(c.image()),
                last_status: text(c.last_status()),
                exit_code: c.exit_code(),
                reason: free_text(c.reason()),
                health_status: c.health_status().map(|h| h.as_str().to_owned()),
                runtime_id: owned(c.runtime_id()),
                managed_agents: c
                    .managed_agents()
                    .iter()
                    .map(|a| ManagedAgent {
                        name: a.name().map_or("", |n| n.as_str()).to_owned(),
                        last_status: owned(a.last_status()),
                        reason: free_text(a.reason()),
                    })
                    .collect(),
            })
            .collect(),
        enable_execute_command: t.enable_execute_command(),
        platform_version: owned(t.platform_version()),
        platform_family: owned(t.platform_family()),
    }
}

fn resource(resources: &[sdk::Resource], name: &str) -> i64 {
    resources
        .iter()
        .find(|r| r.name() == Some(name))
        .map_or(0, |r| {
            // ECS reports CPU/MEMORY as INTEGER, but accept LONG too.
            if r.integer_value() != 0 {
                i64::from(r.integer_value())
            } else {
                r.long_value()
            }
        })
}

/// A described container instance.
pub fn container_instance(c: &sdk::ContainerInstance) -> ContainerInstance {
    ContainerInstance {
        arn: text(c.container_instance_arn()),
        ec2_instance_id: owned(c.ec2_instance_id()),
        status: text(c.status()),
        agent_connected: c.agent_connected(),
        agent_version: c.version_info().and_then(|v| owned(v.agent_version())),
        running_tasks: c.running_tasks_count(),
        pending_tasks: c.pending_tasks_count(),
        registered_cpu: resource(c.registered_resources(), "CPU"),
        remaining_cpu: resource(c.remaining_resources(), "CPU"),
        registered_memory_mib: resource(c.registered_resources(), "MEMORY"),
        remaining_memory_mib: resource(c.remaining_resources(), "MEMORY"),
        capacity_provider: owned(c.capacity_provider_name()),
    }
}

/// Free text from AWS (reasons, event messages), with control, bidi and zero-width characters
/// as visible escapes: it is shown in the app and printed to terminals as it is stored.
pub(crate) fn free_text(value: Option<&str>) -> Option<String> {
    value.map(|v| crate::model::untrusted_text::untrusted_block(v).into_owned())
}
