//! The service deployments API (history, roll back by stopping a deployment). Accounts and
//! emulators without it answer with an error, which the app shows as "not available" and then
//! falls back to UpdateService with the previous revision.

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use aws_sdk_ecs::types::StopServiceDeploymentStopType;
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
}
