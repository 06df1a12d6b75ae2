//! Changes to services and tasks. Every service change re-describes the service first and is
//! refused, untouched, when it no longer matches what the user previewed.

use super::Ecs;
use super::ecs_convert as convert;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use crate::model::ecs::{Service, Task};
use aws_sdk_ecs::types::{DeploymentCircuitBreaker, DeploymentConfiguration};

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
            .force_new_deployment(update.force_new_deployment);
        if let Some(config) = &update.deployment_config {
            call = call.deployment_configuration(carried_forward(&raw, config));
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

/// The service's deployment configuration as described, with only the fields the app edits
/// (minimum healthy, maximum, circuit breaker) set from `edited`: strategy, bake time,
/// linear and canary settings, alarms, lifecycle hooks and anything the SDK adds later go
/// back exactly as they were. UpdateService replaces the whole configuration it is given.
pub(crate) fn carried_forward(
    described: &aws_sdk_ecs::types::Service,
    edited: &crate::model::ecs::DeploymentConfig,
) -> DeploymentConfiguration {
    let mut config = described
        .deployment_configuration()
        .cloned()
        .unwrap_or_else(|| DeploymentConfiguration::builder().build());
    if edited.minimum_healthy_percent.is_some() {
        config.minimum_healthy_percent = edited.minimum_healthy_percent;
    }
    if edited.maximum_percent.is_some() {
        config.maximum_percent = edited.maximum_percent;
    }
    config.deployment_circuit_breaker = Some(
        DeploymentCircuitBreaker::builder()
            .enable(edited.circuit_breaker_enable)
            .rollback(edited.circuit_breaker_rollback)
            .build(),
    );
    config
}
