//! The service deployments API: the history, one deployment in full (the rollout cockpit),
//! the service revisions it moves between ("what changed"), and the changes — stop and roll
//! back, continue or roll back at a paused hook. Accounts and emulators without it answer
//! with an error, which the app shows as "not available" and then falls back to
//! UpdateService with the previous revision.

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::service_deployment::ServiceDeploymentDetail;
use crate::model::ecs::service_revision::ServiceRevision;
use aws_sdk_ecs::types::{DeploymentLifecycleHookAction, StopServiceDeploymentStopType};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How many recent deployments the history shows.
pub const HISTORY: i32 = 20;

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<SystemTime> {
    let t = t?;
    let secs = u64::try_from(t.secs()).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, t.subsec_nanos()))
}

impl Ecs {
    /// The service's most recent deployments, newest first.
    pub async fn service_deployments(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Vec<ServiceDeploymentSummary>, AwsError> {
        let out = self
            .client
            .list_service_deployments()
            .cluster(cluster)
            .service(service)
            .max_results(HISTORY)
            .send()
            .await
            .map_err(|e| from_sdk("ListServiceDeployments", self.hint(), e))?;
        let mut list: Vec<ServiceDeploymentSummary> = out
            .service_deployments()
            .iter()
            .map(|d| ServiceDeploymentSummary {
                arn: d.service_deployment_arn().unwrap_or_default().to_owned(),
                status: d
                    .status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                target_revision: d.target_service_revision_arn().map(str::to_owned),
                started_at: time(d.started_at().or(d.created_at())),
                finished_at: time(d.finished_at()),
                reason: super::ecs_convert::free_text(d.status_reason()),
            })
            .collect();
        list.sort_by_key(|d| std::cmp::Reverse(d.started_at));
        Ok(list)
    }

    /// Stops a deployment in progress and rolls the service back to what it ran before.
    pub async fn roll_back_deployment(&self, arn: &str) -> Result<String, AwsError> {
        self.gate.check("StopServiceDeployment")?;
        let out = self
            .client
            .stop_service_deployment()
            .service_deployment_arn(arn)
            .stop_type(StopServiceDeploymentStopType::Rollback)
            .send()
            .await
            .map_err(|e| from_sdk("StopServiceDeployment", self.hint(), e))?;
        Ok(out.service_deployment_arn().unwrap_or(arn).to_owned())
    }

    /// One service deployment in full.
    pub async fn service_deployment(&self, arn: &str) -> Result<ServiceDeploymentDetail, AwsError> {
        const OPERATION: &str = "DescribeServiceDeployments";
        let out = self
            .client
            .describe_service_deployments()
            .service_deployment_arns(arn)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        if let Some(found) = out.service_deployments().first() {
            return Ok(super::deployment_convert::service_deployment(found));
        }
        Err(missing(OPERATION, arn, out.failures().first()))
    }

    /// Service revisions as ECS returned them (the response body, so fields newer than the
    /// SDK are compared too), in the order asked.
    pub async fn service_revisions(
        &self,
        arns: &[String],
    ) -> Result<Vec<ServiceRevision>, AwsError> {
        const OPERATION: &str = "DescribeServiceRevisions";
        let capture = super::raw_body::CaptureBody::default();
        let out = self
            .client
            .describe_service_revisions()
            .set_service_revision_arns(Some(arns.to_vec()))
            .customize()
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        let body = capture
            .take()
            .ok_or_else(|| AwsError::internal(OPERATION, "the response had no body"))?;
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| AwsError::internal(OPERATION, format!("the response is not JSON: {e}")))?;
        let found: Vec<ServiceRevision> = value
            .get("serviceRevisions")
            .and_then(serde_json::Value::as_array)
            .map(|list| {
                list.iter()
                    .cloned()
                    .map(ServiceRevision::from_json)
                    .collect()
            })
            .unwrap_or_default();
        arns.iter()
            .map(|arn| {
                found
                    .iter()
                    .find(|r| &r.arn == arn)
                    .cloned()
                    .ok_or_else(|| missing(OPERATION, arn, out.failures().first()))
            })
            .collect()
    }

    /// Continues a deployment paused at hook `hook_id`, or rolls it back.
    pub async fn continue_deployment(
        &self,
        arn: &str,
        hook_id: &str,
        roll_back: bool,
    ) -> Result<String, AwsError> {
        const OPERATION: &str = "ContinueServiceDeployment";
        self.gate.check(OPERATION)?;
        let action = if roll_back {
            DeploymentLifecycleHookAction::Rollback
        } else {
            DeploymentLifecycleHookAction::Continue
        };
        let out = self
            .client
            .continue_service_deployment()
            .service_deployment_arn(arn)
            .hook_id(hook_id)
            .action(action)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        Ok(out.service_deployment_arn().unwrap_or(arn).to_owned())
    }
}

/// The error for an ARN the answer did not include.
fn missing(operation: &str, arn: &str, failure: Option<&aws_sdk_ecs::types::Failure>) -> AwsError {
    AwsError {
        operation: operation.to_owned(),
        code: failure
            .and_then(|f| f.reason())
            .unwrap_or("MISSING")
            .to_owned(),
        message: format!(
            "{arn}: {}",
            failure
                .and_then(|f| f.detail())
                .unwrap_or("not found in the answer")
        ),
        request_id: None,
        kind: crate::model::ErrorKind::NotFound,
    }
}
