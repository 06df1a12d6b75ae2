//! The lifecycle stages of service deployments as the app saw them go by. The API tells only
//! the stage a deployment is in now, so each stage a deployment passes through is noted the
//! first time an answer shows it; the timeline then marks every stage seen, not only the last.

use crate::model::ecs::service_deployment::ServiceDeploymentDetail;
use std::collections::VecDeque;
use std::time::SystemTime;

/// Stages kept; the oldest go first (a day of busy blue/green deployments is a few hundred).
pub const MAX_STAGES_SEEN: usize = 2_000;

/// One stage of one service deployment, and when it began as far as the app can tell.
#[derive(Clone, Debug, PartialEq)]
pub struct StageSeen {
    /// The service deployment's ARN.
    pub deployment: String,
    /// The service's ARN.
    pub service_arn: String,
    /// PRE_SCALE_UP, SCALE_UP, TEST_TRAFFIC_SHIFT, BAKE_TIME…
    pub stage: String,
    /// The deployment's status then (IN_PROGRESS, ROLLBACK_IN_PROGRESS…).
    pub status: String,
    /// When ECS moved the deployment into it (`updatedAt`), else when the app first saw it.
    pub at: SystemTime,
    /// True when `at` is ECS's `updatedAt`; false when it is only when the app first saw it.
    pub at_from_ecs: bool,
}

/// Every stage seen this session, in the order they were seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StagesSeen {
    seen: VecDeque<StageSeen>,
}

impl StagesSeen {
    /// Notes the stage `detail` is in at `now`, when this deployment was not seen in it yet.
    pub fn observe(&mut self, detail: &ServiceDeploymentDetail, now: SystemTime) {
        let Some(stage) = detail.lifecycle_stage.as_deref() else {
            return;
        };
        let mut earlier = self.seen.iter().filter(|s| s.deployment == detail.arn);
        if earlier.clone().any(|s| s.stage == stage) {
            return;
        }
        let previous = earlier.next_back().map(|s| s.at);
        // `updatedAt` is the stage's start only when it moved since the stage before.
        let moved = detail
            .updated_at
            .filter(|u| *u <= now && previous.is_none_or(|p| *u > p));
        if self.seen.len() == MAX_STAGES_SEEN {
            self.seen.pop_front();
        }
        self.seen.push_back(StageSeen {
            deployment: detail.arn.clone(),
            service_arn: detail.service_arn.clone(),
            stage: stage.to_owned(),
            status: detail.status.clone(),
            at: moved.unwrap_or(now),
            at_from_ecs: moved.is_some(),
        });
    }

    /// The stages seen of deployments of services in `cluster` (the cluster's name or ARN).
    pub fn of_cluster(&self, cluster: &str) -> Vec<StageSeen> {
        let name = crate::model::ecs::short_id(cluster);
        self.seen
            .iter()
            .filter(|s| service_cluster(&s.service_arn) == Some(name))
            .cloned()
            .collect()
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when none has been seen.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// The cluster name in a service ARN (`…:service/CLUSTER/NAME`); None for the old format
/// without one.
fn service_cluster(service_arn: &str) -> Option<&str> {
    let resource = service_arn.rsplit_once(":service/")?.1;
    resource.split_once('/').map(|(cluster, _)| cluster)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_780_000_000 + secs)
    }

    fn detail(stage: &str, updated: Option<u64>) -> ServiceDeploymentDetail {
        ServiceDeploymentDetail {
            arn: "arn:aws:ecs:us-east-1:1:service-deployment/prod/web/d1".into(),
            service_arn: "arn:aws:ecs:us-east-1:1:service/prod/web".into(),
            status: "IN_PROGRESS".into(),
            lifecycle_stage: Some(stage.into()),
            updated_at: updated.map(at),
            ..ServiceDeploymentDetail::default()
        }
    }

    #[test]
    fn each_stage_is_noted_once_at_the_time_ecs_moved_it() {
        let mut seen = StagesSeen::default();
        seen.observe(&detail("SCALE_UP", Some(10)), at(30));
        seen.observe(&detail("SCALE_UP", Some(10)), at(60));
        seen.observe(&detail("BAKE_TIME", Some(90)), at(95));
        // updatedAt did not move: the stage began at the latest by the time it was seen.
        seen.observe(&detail("CLEAN_UP", Some(90)), at(200));
        // A clock ahead of ours is not believed.
        seen.observe(&detail("TEST_TRAFFIC_SHIFT", Some(900)), at(300));
        let stages = seen.of_cluster("arn:aws:ecs:us-east-1:1:cluster/prod");
        let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
        let times: Vec<SystemTime> = stages.iter().map(|s| s.at).collect();
        assert_eq!(
            names,
            ["SCALE_UP", "BAKE_TIME", "CLEAN_UP", "TEST_TRAFFIC_SHIFT"]
        );
        assert_eq!(times, [at(10), at(90), at(200), at(300)]);
        let from_ecs: Vec<bool> = stages.iter().map(|s| s.at_from_ecs).collect();
        assert_eq!(from_ecs, [true, true, false, false]);
        assert!(seen.of_cluster("staging").is_empty());
    }

    #[test]
    fn no_stage_is_nothing_and_the_oldest_go_past_the_limit() {
        let mut seen = StagesSeen::default();
        let mut none = detail("SCALE_UP", None);
        none.lifecycle_stage = None;
        seen.observe(&none, at(1));
        assert!(seen.is_empty());
        for n in 0..=MAX_STAGES_SEEN {
            let mut d = detail("SCALE_UP", Some(n as u64));
            d.arn = format!("d{n}");
            seen.observe(&d, at(5_000));
        }
        assert_eq!(seen.len(), MAX_STAGES_SEEN);
        assert_eq!(seen.of_cluster("prod")[0].deployment, "d1");
    }
}
