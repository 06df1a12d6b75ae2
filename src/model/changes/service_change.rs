//! The rules around changing a service: what a desired count may be, when a change needs an
//! explicit confirmation, whether a preview is still true when the user confirms it, and the
//! equivalent `aws` command.

use super::aws_cli::{aws_ecs, quote};
use crate::model::connection::Connection;
use crate::model::ecs::{DeploymentConfig, Service};
use crate::model::task_defs::revisions::family_revision;

/// A change to a service, as UpdateService takes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceUpdate {
    /// New task definition (deploy, roll back).
    pub task_definition: Option<String>,
    /// New desired count (scale).
    pub desired: Option<i32>,
    /// Start a new deployment even with the same revision (pull a moved tag).
    pub force_new_deployment: bool,
    /// New deployment configuration.
    pub deployment_config: Option<DeploymentConfig>,
    /// Turn ECS Exec on or off for the tasks the service starts from now on.
    pub enable_execute_command: Option<bool>,
}

/// A service change with its target and the state it was previewed against.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceChange {
    /// Cluster ARN.
    pub cluster: String,
    /// Service ARN.
    pub service: String,
    /// The change.
    pub update: ServiceUpdate,
    /// The service as previewed.
    pub expected: ServiceSnapshot,
}

/// A one-off task to run (the batch-job case), by default like the service it comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunTaskSpec {
    /// Cluster ARN.
    pub cluster: String,
    /// Task definition (ARN or `family:revision`).
    pub task_definition: String,
    /// FARGATE / EC2 / EXTERNAL; None with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// Capacity provider strategy as (provider, weight, base).
    pub capacity_providers: Vec<(String, i32, i32)>,
    /// Network (awsvpc), reused from the service.
    pub network: Option<crate::model::ecs::NetworkConfig>,
    /// Container whose command is overridden, and the command.
    pub command: Option<(String, Vec<String>)>,
    /// Recorded as the task's startedBy.
    pub started_by: String,
}

impl RunTaskSpec {
    /// A task like `service`'s (same revision, launch, network).
    pub fn like(service: &Service) -> Self {
        Self {
            cluster: service.cluster_arn.clone(),
            task_definition: service.task_definition.clone(),
            launch_type: service.launch_type.clone(),
            capacity_providers: service
                .capacity_provider_strategy
                .iter()
                .map(|c| (c.provider.clone(), c.weight, c.base))
                .collect(),
            network: service.network.clone(),
            command: None,
            started_by: "ecsdeck".to_owned(),
        }
    }
}

/// ECS's limit on tasks per service.
pub const MAX_DESIRED: i32 = 5_000;

/// A desired count typed by the user, checked.
pub fn parse_desired(text: &str) -> Result<i32, String> {
    let text = text.trim();
    let value: i64 = text
        .parse()
        .map_err(|_| format!("“{text}” is not a whole number of tasks"))?;
    if value < 0 {
        return Err("A desired count cannot be negative".to_owned());
    }
    if value > i64::from(MAX_DESIRED) {
        return Err(format!("ECS runs at most {MAX_DESIRED} tasks per service"));
    }
    i32::try_from(value).map_err(|_| "Too many tasks".to_owned())
}

/// Why scaling from `current` to `new` needs an explicit confirmation, if it does: to zero,
/// by more than 2× either way, or by more than 10 tasks.
pub fn scale_confirmation(current: i32, new: i32) -> Option<String> {
    if new == current {
        return None;
    }
    if new == 0 {
        return Some(format!(
            "Scaling to 0 stops all {current} running task{} of this service.",
            if current == 1 { "" } else { "s" }
        ));
    }
    let change = (new - current).abs();
    if current > 0 && (new > current * 2 || new * 2 < current) {
        return Some(format!(
            "This changes the task count more than twofold ({current} → {new})."
        ));
    }
    if change > 10 {
        return Some(format!(
            "This changes the task count by {change} tasks ({current} → {new})."
        ));
    }
    None
}

/// What the user saw when they were shown the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSnapshot {
    /// Task definition in use.
    pub task_definition: String,
    /// Desired count.
    pub desired: i32,
    /// The PRIMARY deployment's id.
    pub primary: Option<String>,
}

impl ServiceSnapshot {
    /// The parts of `service` a change is planned against.
    pub fn of(service: &Service) -> Self {
        Self {
            task_definition: service.task_definition.clone(),
            desired: service.desired,
            primary: service.primary_deployment().map(|d| d.id.clone()),
        }
    }

    /// Why a change previewed against `self` must not go ahead on `now` (someone else changed
    /// the service in between), if so.
    pub fn stale_against(&self, now: &Service) -> Option<String> {
        if now.status != "ACTIVE" && !now.status.is_empty() {
            return Some(format!(
                "The service is {} now; nothing was changed.",
                now.status
            ));
        }
        let current = Self::of(now);
        let mut changes = Vec::new();
        if current.task_definition != self.task_definition {
            changes.push(format!(
                "it now runs {} (was {})",
                family_revision(&current.task_definition),
                family_revision(&self.task_definition)
            ));
        } else if current.primary != self.primary {
            changes.push("a new deployment started".to_owned());
        }
        if current.desired != self.desired {
            changes.push(format!(
                "its desired count is {} (was {})",
                current.desired, self.desired
            ));
        }
        (!changes.is_empty()).then(|| {
            format!(
                "The service changed since this preview — {}. Nothing was changed; review the new state and try again.",
                changes.join(", ")
            )
        })
    }
}

/// `aws ecs update-service … --desired-count N`.
pub fn scale_cli(connection: &Connection, cluster: &str, service: &str, count: i32) -> String {
    format!(
        "{} --cluster {} --service {} --desired-count {count}",
        aws_ecs(connection, "update-service"),
        quote(cluster),
        quote(service)
    )
}

/// `aws ecs update-service … --task-definition X [--force-new-deployment]`.
pub fn deploy_cli(
    connection: &Connection,
    cluster: &str,
    service: &str,
    task_definition: &str,
    force: bool,
) -> String {
    let mut out = format!(
        "{} --cluster {} --service {} --task-definition {}",
        aws_ecs(connection, "update-service"),
        quote(cluster),
        quote(service),
        quote(task_definition)
    );
    if force {
        out.push_str(" --force-new-deployment");
    }
    out
}

/// `aws ecs update-service …` with every field `change` sets.
pub fn update_service_cli(connection: &Connection, change: &ServiceChange) -> String {
    let update = &change.update;
    let mut out = format!(
        "{} --cluster {} --service {}",
        aws_ecs(connection, "update-service"),
        quote(&change.cluster),
        quote(&change.service)
    );
    if let Some(td) = &update.task_definition {
        out.push_str(&format!(" --task-definition {}", quote(td)));
    }
    if let Some(desired) = update.desired {
        out.push_str(&format!(" --desired-count {desired}"));
    }
    match update.enable_execute_command {
        Some(true) => out.push_str(" --enable-execute-command"),
        Some(false) => out.push_str(" --disable-execute-command"),
        None => {}
    }
    if update.force_new_deployment {
        out.push_str(" --force-new-deployment");
    }
    if let Some(config) = &update.deployment_config {
        // The whole configuration: the command replaces it, as UpdateService does.
        out.push_str(&format!(
            " --deployment-configuration {}",
            quote(&config.to_api_json().to_string())
        ));
    }
    out
}

/// `aws ecs run-task …` for `spec`.
pub fn run_task_cli(connection: &Connection, spec: &RunTaskSpec) -> String {
    let mut out = format!(
        "{} --cluster {} --task-definition {} --count 1 --started-by {}",
        aws_ecs(connection, "run-task"),
        quote(&spec.cluster),
        quote(&spec.task_definition),
        quote(&spec.started_by)
    );
    if let Some(launch_type) = &spec.launch_type {
        out.push_str(&format!(" --launch-type {}", quote(launch_type)));
    }
    if !spec.capacity_providers.is_empty() {
        let items: Vec<String> = spec
            .capacity_providers
            .iter()
            .map(|(p, w, b)| format!("capacityProvider={p},weight={w},base={b}"))
            .collect();
        out.push_str(&format!(
            " --capacity-provider-strategy {}",
            items.join(" ")
        ));
    }
    if let Some(network) = &spec.network {
        let value = format!(
            "awsvpcConfiguration={{subnets=[{}],securityGroups=[{}],assignPublicIp={}}}",
            network.subnets.join(","),
            network.security_groups.join(","),
            network.assign_public_ip.as_deref().unwrap_or("DISABLED")
        );
        out.push_str(&format!(" --network-configuration {}", quote(&value)));
    }
    if let Some((container, command)) = &spec.command {
        let overrides = serde_json::json!({
            "containerOverrides": [{"name": container, "command": command}]
        });
        out.push_str(&format!(" --overrides {}", quote(&overrides.to_string())));
    }
    out
}

/// `aws ecs stop-task … --reason R`.
pub fn stop_task_cli(connection: &Connection, cluster: &str, task: &str, reason: &str) -> String {
    format!(
        "{} --cluster {} --task {} --reason {}",
        aws_ecs(connection, "stop-task"),
        quote(cluster),
        quote(task),
        quote(reason)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ecs::Deployment;

    #[test]
    fn desired_counts_are_checked_with_a_reason() {
        assert_eq!(parse_desired(" 3 "), Ok(3));
        assert_eq!(parse_desired("0"), Ok(0));
        assert!(parse_desired("-1").unwrap_err().contains("negative"));
        assert!(
            parse_desired("three")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(parse_desired("2.5").is_err());
        assert!(parse_desired("5001").unwrap_err().contains("5000"));
        assert!(parse_desired("99999999999999").is_err());
        assert_eq!(parse_desired("5000"), Ok(5000));
    }

    #[test]
    fn risky_scaling_needs_a_confirmation() {
        assert!(
            scale_confirmation(4, 0)
                .unwrap()
                .contains("stops all 4 running tasks")
        );
        assert!(scale_confirmation(3, 7).unwrap().contains("twofold"));
        assert!(scale_confirmation(10, 4).unwrap().contains("twofold"));
        assert!(scale_confirmation(20, 31).unwrap().contains("by 11 tasks"));
        assert_eq!(scale_confirmation(3, 5), None);
        assert_eq!(scale_confirmation(20, 30), None);
        assert_eq!(scale_confirmation(6, 3), None);
        assert_eq!(scale_confirmation(0, 2), None);
        assert_eq!(scale_confirmation(2, 2), None);
    }

    fn service(td: u32, desired: i32, primary: &str) -> Service {
        Service {
            status: "ACTIVE".into(),
            task_definition: format!("arn:aws:ecs:us-east-1:1:task-definition/web:{td}"),
            desired,
            deployments: vec![Deployment {
                id: primary.into(),
                status: "PRIMARY".into(),
                ..Deployment::default()
            }],
            ..Service::default()
        }
    }

    #[test]
    fn a_preview_is_refused_when_someone_else_changed_the_service() {
        let preview = ServiceSnapshot::of(&service(4, 3, "ecs-svc/1"));
        assert_eq!(preview.stale_against(&service(4, 3, "ecs-svc/1")), None);
        let message = preview.stale_against(&service(5, 3, "ecs-svc/2")).unwrap();
        assert!(
            message.contains("it now runs web:5 (was web:4)"),
            "{message}"
        );
        assert!(message.contains("Nothing was changed"));
        let message = preview.stale_against(&service(4, 6, "ecs-svc/1")).unwrap();
        assert!(message.contains("desired count is 6 (was 3)"), "{message}");
        let message = preview.stale_against(&service(4, 3, "ecs-svc/9")).unwrap();
        assert!(message.contains("a new deployment started"), "{message}");
        let mut draining = service(4, 3, "ecs-svc/1");
        draining.status = "DRAINING".into();
        assert!(
            preview
                .stale_against(&draining)
                .unwrap()
                .contains("DRAINING")
        );
    }

    #[test]
    fn run_task_reuses_the_service_and_prints_its_cli() {
        let service = Service {
            cluster_arn: "prod".into(),
            task_definition: "arn:aws:ecs:us-east-1:1:task-definition/report:7".into(),
            launch_type: Some("FARGATE".into()),
            network: Some(crate::model::ecs::NetworkConfig {
                subnets: vec!["subnet-1".into(), "subnet-2".into()],
                security_groups: vec!["sg-1".into()],
                assign_public_ip: Some("DISABLED".into()),
            }),
            ..Service::default()
        };
        let mut spec = RunTaskSpec::like(&service);
        spec.command = Some(("report".into(), vec!["--since".into(), "2026-11-01".into()]));
        let connection = Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let cli = run_task_cli(&connection, &spec);
        assert!(cli.contains("--launch-type 'FARGATE'"), "{cli}");
        assert!(cli.contains("'awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=DISABLED}'"), "{cli}");
        assert!(cli.contains(r#"--overrides '{"containerOverrides":[{"name":"report","command":["--since","2026-11-01"]}]}'"#), "{cli}");
    }

    #[test]
    fn cli_equivalents_are_quoted() {
        let connection = Connection {
            profile: Some("prod".into()),
            region: "eu-west-1".into(),
            endpoint_url: None,
        };
        assert_eq!(
            scale_cli(&connection, "prod", "api", 0),
            "aws ecs update-service --profile 'prod' --region 'eu-west-1' --cluster 'prod' --service 'api' --desired-count 0"
        );
        assert!(
            deploy_cli(&connection, "prod", "api", "web:5", true)
                .ends_with("--task-definition 'web:5' --force-new-deployment")
        );
        assert!(
            stop_task_cli(&connection, "prod", "abc", "it's stuck")
                .ends_with("--reason 'it'\\''s stuck'")
        );
    }
}
