//! RunTask: a one-off task, by default configured like a service's.

use super::Ecs;
use super::ecs_convert as convert;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::changes::service_change::RunTaskSpec;
use crate::model::ecs::Task;
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, ContainerOverride,
    LaunchType, NetworkConfiguration, TaskOverride,
};

impl Ecs {
    /// Starts one task; a placement failure comes back as an error naming its reason.
    pub async fn run_task(&self, spec: &RunTaskSpec) -> Result<Task, AwsError> {
        const OPERATION: &str = "RunTask";
        self.gate.check(OPERATION)?;
        let mut call = self
            .client
            .run_task()
            .cluster(&spec.cluster)
            .task_definition(&spec.task_definition)
            .started_by(&spec.started_by)
            .count(1);
        if let Some(launch_type) = &spec.launch_type {
            call = call.launch_type(LaunchType::from(launch_type.as_str()));
        }
        for (provider, weight, base) in &spec.capacity_providers {
            let item = CapacityProviderStrategyItem::builder()
                .capacity_provider(provider)
                .weight(*weight)
                .base(*base)
                .build()
                .map_err(|e| AwsError::internal(OPERATION, e.to_string()))?;
            call = call.capacity_provider_strategy(item);
        }
        if let Some(network) = &spec.network {
            let vpc = AwsVpcConfiguration::builder()
                .set_subnets(Some(network.subnets.clone()))
                .set_security_groups(Some(network.security_groups.clone()))
                .set_assign_public_ip(
                    network
                        .assign_public_ip
                        .as_deref()
                        .map(AssignPublicIp::from),
                )
                .build()
                .map_err(|e| AwsError::internal(OPERATION, e.to_string()))?;
            call = call.network_configuration(
                NetworkConfiguration::builder()
                    .awsvpc_configuration(vpc)
                    .build(),
            );
        }
        if let Some((container, command)) = &spec.command {
            call = call.overrides(
                TaskOverride::builder()
                    .container_overrides(
                        ContainerOverride::builder()
                            .name(container)
                            .set_command(Some(command.clone()))
                            .build(),
                    )
                    .build(),
            );
        }
        let out = call
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        if let Some(failure) = out.failures().first() {
            return Err(AwsError {
                operation: OPERATION.to_owned(),
                code: failure.reason().unwrap_or("FAILED").to_owned(),
                message: failure
                    .detail()
                    .unwrap_or("the task could not be placed")
                    .to_owned(),
                request_id: None,
                kind: crate::model::ErrorKind::Service,
            });
        }
        out.tasks().first().map(convert::task).ok_or_else(|| {
            AwsError::internal(
                OPERATION,
                "RunTask started no task and gave no reason: most often no container \
                     instance has room (CPU, memory or a fixed host port)",
            )
        })
    }
}
