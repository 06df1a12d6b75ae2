//! ELBv2 DescribeTargetGroups: the health-check path of each target group the services send
//! traffic through, so a task stopped by failed load-balancer health checks names the path.

use crate::aws::Ecs;
use crate::aws::ecs::in_batches;
use crate::aws::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::Service;
use std::collections::{BTreeMap, BTreeSet};

/// DescribeTargetGroups takes at most 20 target groups by ARN.
const DESCRIBE_TARGET_GROUPS_BATCH: usize = 20;

impl Ecs {
    /// The health-check path of each of the services' target groups, by target group ARN.
    /// Target groups checked over TCP have no path and are left out; so is everything when
    /// this connection has no load-balancing client.
    pub(crate) async fn health_check_paths(
        &self,
        services: &[Service],
    ) -> Result<BTreeMap<String, String>, AwsError> {
        const OPERATION: &str = "DescribeTargetGroups";
        let arns: Vec<String> = services
            .iter()
            .flat_map(|s| &s.load_balancers)
            .filter_map(|lb| lb.target_group_arn.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let Some(client) = self.elb.as_ref().filter(|_| !arns.is_empty()) else {
            return Ok(BTreeMap::new());
        };
        let pairs = in_batches(&arns, DESCRIBE_TARGET_GROUPS_BATCH, |batch| async move {
            let out = client
                .describe_target_groups()
                .set_target_group_arns(Some(batch))
                .send()
                .await
                .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
            Ok(out
                .target_groups()
                .iter()
                .filter_map(|g| {
                    let arn = g.target_group_arn()?.to_owned();
                    Some((arn, g.health_check_path()?.to_owned()))
                })
                .collect::<Vec<_>>())
        })
        .await?;
        Ok(pairs.into_iter().collect())
    }
}
