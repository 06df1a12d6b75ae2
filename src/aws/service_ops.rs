//! Changes to services and tasks. Every service change re-describes the service first and is
//! refused, untouched, when it no longer matches what the user previewed.

use super::Ecs;
use super::ecs_convert as convert;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use crate::model::ecs::DeploymentConfig;
use crate::model::ecs::{Service, Task};
use aws_sdk_ecs::types::{
    CanaryConfiguration, DeploymentAlarms, DeploymentCircuitBreaker, DeploymentConfiguration,
    DeploymentStrategy, LinearConfiguration,
};

impl Ecs {
    /// One service, described.
    pub async fn describe_service(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Service, AwsError> {
        self.describe_service_raw(cluster, service)
            .await
            .map(|s| convert::service(&s))
    }

    /// One service as the SDK describes it (every field, known to the model or not).
    async fn describe_service_raw(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<aws_sdk_ecs::types::Service, AwsError> {
        const OPERATION: &str = "DescribeServices";
        let out = self
            .client
            .describe_services()
            .cluster(cluster)
            .services(service)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        if let Some(failure) = out.failures().first() {
            return Err(AwsError {
                operation: OPERATION.to_owned(),
                code: failure.reason().unwrap_or("MISSING").to_owned(),
                message: format!(
                    "{}: {}",
                    failure.arn().unwrap_or(service),
                    failure.detail().unwrap_or("the service was not found")
                ),
                request_id: None,
                kind: crate::model::ErrorKind::NotFound,
            });
        }
        out.services()
            .first()
            .cloned()
            .ok_or_else(|| AwsError::internal(OPERATION, format!("{service} was not returned")))
    }

    /// Applies `update` to the service if it still matches `expected`; returns the service as
    /// UpdateService left it.
    pub async fn update_service(
        &self,
        cluster: &str,
        service: &str,
        update: &ServiceUpdate,
        expected: &ServiceSnapshot,
    ) -> Result<Service, AwsError> {
        const OPERATION: &str = "UpdateService";
        self.gate.check(OPERATION)?;
        let raw = self.describe_service_raw(cluster, service).await?;
        if let Some(why) = expected.stale_against(&convert::service(&raw)) {
            return Err(AwsError::internal(OPERATION, why));
        }
        let mut call = self
            .client
            .update_service()
            .cluster(cluster)
            .service(service)
            .set_task_definition(update.task_definition.clone())
            .set_desired_count(update.desired)
            .set_enable_execute_command(update.enable_execute_command)
            .force_new_deployment(update.force_new_deployment);
        if let Some(config) = &update.deployment_config {
            call = call.deployment_configuration(carried_forward(&raw, config)?);
        }
        let out = call
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        out.service()
            .map(convert::service)
            .ok_or_else(|| AwsError::internal(OPERATION, "UpdateService returned no service"))
    }

    /// Stops a task with a reason (shown in the task's stopped reason).
    pub async fn stop_task(
        &self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, AwsError> {
        const OPERATION: &str = "StopTask";
        self.gate.check(OPERATION)?;
        let out = self
            .client
            .stop_task()
            .cluster(cluster)
            .task(task)
            .reason(reason)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        out.task()
            .map(convert::task)
            .ok_or_else(|| AwsError::internal(OPERATION, "StopTask returned no task"))
    }
}

/// The service's deployment configuration as described, with only the fields the user
/// changed (those where `edited` differs from the described configuration) set from
/// `edited`: everything else — lifecycle hooks, fields the app does not show, fields the SDK
/// adds later — goes back exactly as it was. UpdateService replaces the whole configuration
/// it is given.
pub(crate) fn carried_forward(
    described: &aws_sdk_ecs::types::Service,
    edited: &DeploymentConfig,
) -> Result<DeploymentConfiguration, AwsError> {
    let current = described.deployment_configuration();
    let before = convert::deployment_config(current);
    let mut config = current
        .cloned()
        .unwrap_or_else(|| DeploymentConfiguration::builder().build());
    if edited.minimum_healthy_percent != before.minimum_healthy_percent {
        config.minimum_healthy_percent = edited.minimum_healthy_percent;
    }
    if edited.maximum_percent != before.maximum_percent {
        config.maximum_percent = edited.maximum_percent;
    }
    if (
        edited.circuit_breaker_enable,
        edited.circuit_breaker_rollback,
    ) != (
        before.circuit_breaker_enable,
        before.circuit_breaker_rollback,
    ) {
        config.deployment_circuit_breaker = Some(
            DeploymentCircuitBreaker::builder()
                .enable(edited.circuit_breaker_enable)
                .rollback(edited.circuit_breaker_rollback)
                .build(),
        );
    }
    if edited.strategy != before.strategy {
        config.strategy = edited.strategy.as_deref().map(DeploymentStrategy::from);
    }
    if edited.bake_time_minutes != before.bake_time_minutes {
        config.bake_time_in_minutes = edited.bake_time_minutes;
    }
    if edited.linear != before.linear {
        config.linear_configuration = edited.linear.as_ref().map(|step| {
            LinearConfiguration::builder()
                .set_step_percent(step.percent)
                .set_step_bake_time_in_minutes(step.bake_minutes)
                .build()
        });
    }
    if edited.canary != before.canary {
        config.canary_configuration = edited.canary.as_ref().map(|step| {
            CanaryConfiguration::builder()
                .set_canary_percent(step.percent)
                .set_canary_bake_time_in_minutes(step.bake_minutes)
                .build()
        });
    }
    if edited.alarms != before.alarms {
        config.alarms = match &edited.alarms {
            Some(alarms) => Some(
                DeploymentAlarms::builder()
                    .set_alarm_names(Some(alarms.names.clone()))
                    .enable(alarms.enable)
                    .rollback(alarms.rollback)
                    .build()
                    .map_err(|e| AwsError::internal("UpdateService", e.to_string()))?,
            ),
            None => None,
        };
    }
    Ok(config)
}
