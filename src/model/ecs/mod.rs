//! ECS resources as the app sees them: plain data, converted from the SDK in `aws::ecs_convert`.

pub mod console;
pub mod deployment_config;
pub mod rollout;
pub mod scaling;
pub mod service_deployment;
pub mod service_revision;
pub mod stopped_reasons;

use super::time_format;
pub use deployment_config::DeploymentConfig;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// An ECS cluster with counts computed from listed data where the API leaves them out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Full ARN.
    pub arn: String,
    /// Cluster name.
    pub name: String,
    /// ACTIVE, PROVISIONING, INACTIVE…
    pub status: String,
    /// Services in the cluster (counted from ListServices).
    pub services_count: u32,
    /// Tasks in RUNNING.
    pub running_tasks: u32,
    /// Tasks in PENDING.
    pub pending_tasks: u32,
    /// Registered container instances.
    pub container_instances: u32,
    /// Capacity providers attached to the cluster.
    pub capacity_providers: Vec<String>,
    /// Whether Container Insights is enabled.
    pub container_insights: Option<String>,
}

/// One entry of a capacity provider strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityProviderItem {
    /// Capacity provider name.
    pub provider: String,
    /// Relative weight.
    pub weight: i32,
    /// Minimum tasks placed on this provider.
    pub base: i32,
}

/// A load balancer attachment of a service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// Target group ARN (ALB/NLB) if any.
    pub target_group_arn: Option<String>,
    /// Classic load balancer name if any.
    pub load_balancer_name: Option<String>,
    /// Container receiving traffic.
    pub container_name: Option<String>,
    /// Port on that container.
    pub container_port: Option<i32>,
}

/// awsvpc network configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkConfig {
    /// Subnet ids.
    pub subnets: Vec<String>,
    /// Security group ids.
    pub security_groups: Vec<String>,
    /// ENABLED or DISABLED.
    pub assign_public_ip: Option<String>,
}

/// One deployment of a service (PRIMARY, ACTIVE or INACTIVE).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// Deployment id.
    pub id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub status: String,
    /// Task definition ARN rolled out.
    pub task_definition: String,
    /// Desired tasks of this deployment.
    pub desired: i32,
    /// Running tasks of this deployment.
    pub running: i32,
    /// Pending tasks of this deployment.
    pub pending: i32,
    /// Tasks that failed to launch.
    pub failed: i32,
    /// IN_PROGRESS, COMPLETED or FAILED.
    pub rollout_state: Option<String>,
    /// Why the rollout is in that state.
    pub rollout_state_reason: Option<String>,
    /// Created.
    #[serde(with = "time_format::opt")]
    pub created_at: Option<SystemTime>,
    /// Last updated.
    #[serde(with = "time_format::opt")]
    pub updated_at: Option<SystemTime>,
}

/// A service event message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceEvent {
    /// Event id.
    pub id: String,
    /// When ECS recorded it.
    #[serde(with = "time_format::opt")]
    pub created_at: Option<SystemTime>,
    /// The message.
    pub message: String,
}

/// An ECS service with its detail.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Full ARN.
    pub arn: String,
    /// Service name.
    pub name: String,
    /// Cluster ARN.
    pub cluster_arn: String,
    /// ACTIVE, DRAINING or INACTIVE.
    pub status: String,
    /// FARGATE, EC2, EXTERNAL; None when a capacity provider strategy is used.
    pub launch_type: Option<String>,
    /// Capacity provider strategy.
    pub capacity_provider_strategy: Vec<CapacityProviderItem>,
    /// Desired task count.
    pub desired: i32,
    /// Running task count.
    pub running: i32,
    /// Pending task count.
    pub pending: i32,
    /// Task definition ARN of the service.
    pub task_definition: String,
    /// Created.
    #[serde(with = "time_format::opt")]
    pub created_at: Option<SystemTime>,
    /// Load balancers.
    pub load_balancers: Vec<LoadBalancer>,
    /// awsvpc network configuration.
    pub network: Option<NetworkConfig>,
    /// Seconds ECS ignores failing load-balancer health checks after a task starts.
    #[serde(default)]
    pub health_check_grace_period_secs: Option<u32>,
    /// Deployment configuration.
    pub deployment_config: DeploymentConfig,
    /// ECS, CODE_DEPLOY or EXTERNAL.
    pub deployment_controller: String,
    /// Service Connect is on (in a current deployment).
    #[serde(default)]
    pub service_connect: bool,
    /// Placement strategy, as `type(field)` strings.
    pub placement_strategy: Vec<String>,
    /// Placement constraints, as `type: expression` strings.
    pub placement_constraints: Vec<String>,
    /// Deployments, PRIMARY first.
    pub deployments: Vec<Deployment>,
    /// Service events, newest first.
    pub events: Vec<ServiceEvent>,
    /// New tasks start with ECS Exec turned on.
    #[serde(default)]
    pub enable_execute_command: bool,
}

impl Service {
    /// The PRIMARY deployment, if any.
    pub fn primary_deployment(&self) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.status == "PRIMARY")
    }

    /// True while tasks are being replaced or the count is moving: more than one deployment,
    /// or the PRIMARY's tasks not all running yet (or too many).
    pub fn is_changing(&self) -> bool {
        self.deployments.len() > 1
            || self
                .primary_deployment()
                .is_some_and(|d| d.running != d.desired || d.pending > 0)
    }

    /// Rollout state of the PRIMARY deployment.
    pub fn rollout_state(&self) -> Option<&str> {
        self.primary_deployment()
            .and_then(|d| d.rollout_state.as_deref())
    }

    /// Most recent deployment update, as "updated" time of the service.
    pub fn updated_at(&self) -> Option<SystemTime> {
        self.deployments
            .iter()
            .filter_map(|d| d.updated_at)
            .max()
            .or(self.created_at)
    }

    /// What its deployment configuration is checked against.
    pub fn traits(&self) -> deployment_config::ServiceTraits {
        deployment_config::ServiceTraits {
            controller: self.deployment_controller.clone(),
            load_balanced: self
                .load_balancers
                .iter()
                .any(|lb| lb.target_group_arn.is_some()),
            service_connect: self.service_connect,
        }
    }

    /// Launch type, or the capacity provider strategy written out.
    pub fn capacity_label(&self) -> String {
        match &self.launch_type {
            Some(launch_type) => launch_type.clone(),
            None => self
                .capacity_provider_strategy
                .iter()
                .map(|item| format!("{}:{}", item.provider, item.weight))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A container of a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// Image reference.
    pub image: String,
    /// Last status.
    pub last_status: String,
    /// Exit code once stopped.
    pub exit_code: Option<i32>,
    /// Why it stopped.
    pub reason: Option<String>,
    /// HEALTHY, UNHEALTHY or UNKNOWN.
    pub health_status: Option<String>,
    /// The container runtime's id (Docker's), which an ECS Exec target names.
    #[serde(default)]
    pub runtime_id: Option<String>,
    /// Agents ECS runs beside the container (the ExecuteCommandAgent of ECS Exec).
    #[serde(default)]
    pub managed_agents: Vec<ManagedAgent>,
}

/// An agent ECS manages inside a task's container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedAgent {
    /// `ExecuteCommandAgent`.
    pub name: String,
    /// PENDING, RUNNING or STOPPED.
    pub last_status: Option<String>,
    /// Why it stopped or could not start.
    pub reason: Option<String>,
}

/// An ECS task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Full ARN.
    pub arn: String,
    /// Cluster ARN.
    pub cluster_arn: String,
    /// `service:NAME` or `family:NAME`.
    pub group: Option<String>,
    /// Last status.
    pub last_status: String,
    /// Desired status.
    pub desired_status: String,
    /// HEALTHY, UNHEALTHY or UNKNOWN.
    pub health_status: Option<String>,
    /// Task definition ARN.
    pub task_definition: String,
    /// FARGATE, EC2 or EXTERNAL.
    pub launch_type: Option<String>,
    /// Capacity provider that placed it.
    pub capacity_provider: Option<String>,
    /// Availability zone.
    pub availability_zone: Option<String>,
    /// Container instance ARN (EC2/EXTERNAL).
    pub container_instance_arn: Option<String>,
    /// Task CPU units.
    pub cpu: Option<String>,
    /// Task memory MiB.
    pub memory: Option<String>,
    /// Created.
    #[serde(with = "time_format::opt")]
    pub created_at: Option<SystemTime>,
    /// Started.
    #[serde(with = "time_format::opt")]
    pub started_at: Option<SystemTime>,
    /// Stopped.
    #[serde(with = "time_format::opt")]
    pub stopped_at: Option<SystemTime>,
    /// Why it stopped.
    pub stopped_reason: Option<String>,
    /// ECS's code for the stop: `EssentialContainerExited`, `TaskFailedToStart`,
    /// `UserInitiated`, `ServiceSchedulerInitiated`, `SpotInterruption`, `TerminationNotice`.
    #[serde(default)]
    pub stop_code: Option<String>,
    /// Containers.
    pub containers: Vec<Container>,
    /// Started with ECS Exec turned on.
    #[serde(default)]
    pub enable_execute_command: bool,
    /// Fargate platform version (`1.4.0`), when on Fargate.
    #[serde(default)]
    pub platform_version: Option<String>,
    /// `Linux` or `Windows…`, when ECS says.
    #[serde(default)]
    pub platform_family: Option<String>,
}

impl Task {
    /// The task id (last ARN segment), as ECS prints it.
    pub fn id(&self) -> &str {
        short_id(&self.arn)
    }

    /// The first 8 characters of the id, for tables.
    pub fn short_id(&self) -> &str {
        let id = self.id();
        id.get(..8).unwrap_or(id)
    }

    /// The service name if the task belongs to a service.
    pub fn service_name(&self) -> Option<&str> {
        self.group.as_deref()?.strip_prefix("service:")
    }
}

/// An EC2 or ECS Anywhere (EXTERNAL) container instance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerInstance {
    /// Full ARN.
    pub arn: String,
    /// EC2 instance id (`i-…`) or managed instance id (`mi-…`).
    pub ec2_instance_id: Option<String>,
    /// ACTIVE, DRAINING, REGISTERING…
    pub status: String,
    /// Whether the agent is connected.
    pub agent_connected: bool,
    /// ECS agent version.
    pub agent_version: Option<String>,
    /// Running tasks.
    pub running_tasks: i32,
    /// Pending tasks.
    pub pending_tasks: i32,
    /// Registered CPU units.
    pub registered_cpu: i64,
    /// Remaining CPU units.
    pub remaining_cpu: i64,
    /// Registered memory MiB.
    pub registered_memory_mib: i64,
    /// Remaining memory MiB.
    pub remaining_memory_mib: i64,
    /// Capacity provider.
    pub capacity_provider: Option<String>,
}

impl ContainerInstance {
    /// The container instance id (last ARN segment).
    pub fn id(&self) -> &str {
        short_id(&self.arn)
    }

    /// ECS Anywhere instances are registered with a managed instance id.
    pub fn is_external(&self) -> bool {
        self.ec2_instance_id
            .as_deref()
            .is_some_and(|id| id.starts_with("mi-"))
    }
}

/// The last `/`-separated segment of an ARN.
pub fn short_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `family:revision` from a task definition ARN (or the input if it isn't one).
pub fn family_revision(task_definition_arn: &str) -> &str {
    task_definition_arn
        .rsplit_once(":task-definition/")
        .map_or(task_definition_arn, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_helpers() {
        let td = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:41";
        assert_eq!(family_revision(td), "web:41");
        assert_eq!(family_revision("web:3"), "web:3");
        let task = Task {
            arn: "arn:aws:ecs:us-east-1:1:task/prod/0123456789abcdef".into(),
            group: Some("service:api".into()),
            ..Task::default()
        };
        assert_eq!(task.id(), "0123456789abcdef");
        assert_eq!(task.short_id(), "01234567");
        assert_eq!(task.service_name(), Some("api"));
    }

    #[test]
    fn capacity_label_falls_back_to_strategy() {
        let service = Service {
            capacity_provider_strategy: vec![
                CapacityProviderItem {
                    provider: "FARGATE".into(),
                    weight: 1,
                    base: 1,
                },
                CapacityProviderItem {
                    provider: "FARGATE_SPOT".into(),
                    weight: 3,
                    base: 0,
                },
            ],
            ..Service::default()
        };
        assert_eq!(service.capacity_label(), "FARGATE:1, FARGATE_SPOT:3");
    }
}
