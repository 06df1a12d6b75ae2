//! Application Auto Scaling of ECS services: read the scalable target and its policies, change
//! its bounds.

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::scaling::{ScalingPolicy, ScalingTarget, resource_id};
use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};

const DIMENSION: ScalableDimension = ScalableDimension::EcsServiceDesiredCount;

impl Ecs {
    fn scaling_client(&self) -> Result<&aws_sdk_applicationautoscaling::Client, AwsError> {
        self.scaling
            .as_ref()
            .ok_or_else(|| AwsError::internal("ApplicationAutoScaling", "no client"))
    }

    /// The service's scalable target with its policies; None when it has none.
    pub async fn scaling(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Option<ScalingTarget>, AwsError> {
        let Ok(client) = self.scaling_client() else {
            return Ok(None);
        };
        let id = resource_id(cluster, service);
        let targets = client
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_ids(&id)
            .scalable_dimension(DIMENSION)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeScalableTargets", self.hint(), e))?;
        let Some(target) = targets.scalable_targets().first() else {
            return Ok(None);
        };
        let policies: Vec<_> = client
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(&id)
            .scalable_dimension(DIMENSION)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("DescribeScalingPolicies", self.hint(), e))?;
        let suspended = target.suspended_state().is_some_and(|s| {
            s.dynamic_scaling_in_suspended().unwrap_or(false)
                || s.dynamic_scaling_out_suspended().unwrap_or(false)
        });
        Ok(Some(ScalingTarget {
            resource_id: id,
            min: target.min_capacity(),
            max: target.max_capacity(),
            suspended,
            policies: policies
                .iter()
                .map(|p| {
                    let tracking = p.target_tracking_scaling_policy_configuration();
                    ScalingPolicy {
                        name: p.policy_name().to_owned(),
                        kind: p.policy_type().as_str().to_owned(),
                        metric: tracking.and_then(|t| {
                            t.predefined_metric_specification()
                                .map(|m| m.predefined_metric_type().as_str().to_owned())
                                .or_else(|| {
                                    t.customized_metric_specification()
                                        .and_then(|c| c.metric_name())
                                        .map(str::to_owned)
                                })
                        }),
                        target: tracking.map(|t| t.target_value()),
                    }
                })
                .collect(),
        }))
    }

    /// Sets the bounds of the service's scalable target (RegisterScalableTarget).
    pub async fn set_scaling_bounds(
        &self,
        cluster: &str,
        service: &str,
        min: i32,
        max: i32,
    ) -> Result<Option<ScalingTarget>, AwsError> {
        self.gate.check("RegisterScalableTarget")?;
        if min > max {
            return Err(AwsError::internal(
                "RegisterScalableTarget",
                format!("the minimum ({min}) is above the maximum ({max})"),
            ));
        }
        self.scaling_client()?
            .register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(resource_id(cluster, service))
            .scalable_dimension(DIMENSION)
            .min_capacity(min)
            .max_capacity(max)
            .send()
            .await
            .map_err(|e| from_sdk("RegisterScalableTarget", self.hint(), e))?;
        self.scaling(cluster, service).await
    }
}
