//! Application Auto Scaling's activities on ECS services (DescribeScalingActivities): when
//! the desired count was changed, by which alarm and policy, and whether it worked.

use crate::aws::Ecs;
use crate::aws::ecs_convert::{free_text, time};
use crate::aws::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::scaling::resource_id;
use crate::model::ecs::short_id;
use crate::model::incident::sources::ScalingActivity;
use aws_sdk_applicationautoscaling::types::ServiceNamespace;

/// Most activities read per service (the API's page).
const ACTIVITIES_PER_SERVICE: i32 = 50;

impl Ecs {
    /// The scaling activities of `services` (ARNs) in `cluster` that started in
    /// `[start_secs, end_secs]`, oldest first; none when this connection has no Application
    /// Auto Scaling client.
    pub async fn scaling_activities(
        &self,
        cluster: &str,
        services: &[String],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<Vec<ScalingActivity>, AwsError> {
        let Some(client) = &self.scaling else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for service in services {
            let out = client
                .describe_scaling_activities()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(resource_id(cluster, service))
                .max_results(ACTIVITIES_PER_SERVICE)
                .send()
                .await
                .map_err(|e| from_sdk("DescribeScalingActivities", self.hint(), e))?;
            found.extend(out.scaling_activities().iter().map(|a| ScalingActivity {
                service: short_id(service).to_owned(),
                started_at: time(Some(a.start_time())),
                ended_at: time(a.end_time()),
                description: free_text(Some(a.description())).unwrap_or_default(),
                cause: free_text(Some(a.cause())).unwrap_or_default(),
                status: a.status_code().as_str().to_owned(),
                status_message: free_text(a.status_message()),
            }));
        }
        found.retain(|a| {
            a.started_at
                .map(crate::model::time_format::epoch_secs)
                .is_some_and(|at| at >= start_secs && at <= end_secs)
        });
        found.sort_by_key(|a| a.started_at);
        Ok(found)
    }
}
