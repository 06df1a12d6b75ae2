//! One service deployment as DescribeServiceDeployments tells it: where it is on its
//! strategy's stage track, how traffic is split between the revisions, how long the bake
//! has left, which monitors and hooks are watching, and why it rolled back.

use super::deployment_config::DeploymentConfig;
use crate::model::time_format;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// Every lifecycle stage, in the order a deployment passes them.
pub const ALL_STAGES: [&str; 10] = [
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "BAKE_TIME",
    "CLEAN_UP",
];

/// The stages a strategy passes; a rolling update has no test traffic and no bake time.
pub fn stage_track(strategy: &str) -> Vec<&'static str> {
    ALL_STAGES
        .iter()
        .copied()
        .filter(|stage| *stage != "RECONCILE_SERVICE")
        .filter(|stage| {
            strategy != "ROLLING"
                || !matches!(
                    *stage,
                    "TEST_TRAFFIC_SHIFT" | "POST_TEST_TRAFFIC_SHIFT" | "BAKE_TIME"
                )
        })
        .collect()
}

/// "Production traffic shift" from `PRODUCTION_TRAFFIC_SHIFT`.
pub fn stage_label(stage: &str) -> String {
    let words = stage.to_lowercase().replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A service revision's part in a deployment: its tasks and its share of traffic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevisionShare {
    /// Service revision ARN.
    pub arn: String,
    /// Tasks asked for.
    pub requested: i32,
    /// Tasks running.
    pub running: i32,
    /// Tasks pending.
    pub pending: i32,
    /// Percent of test traffic asked for.
    pub test_weight: Option<f64>,
    /// Percent of production traffic asked for.
    pub production_weight: Option<f64>,
}

/// A lifecycle hook as it runs in this deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HookRun {
    /// The id ContinueServiceDeployment names.
    pub hook_id: String,
    /// AWS_LAMBDA or PAUSE.
    pub target_type: String,
    /// The Lambda function, if any.
    pub target_arn: Option<String>,
    /// AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED or TIMED_OUT.
    pub status: String,
    /// When the timeout action is taken.
    #[serde(with = "time_format::opt")]
    pub expires_at: Option<SystemTime>,
    /// CONTINUE or ROLLBACK at the timeout.
    pub timeout_action: Option<String>,
}

impl HookRun {
    /// True while it waits for someone to continue or roll back.
    pub fn is_waiting(&self) -> bool {
        self.status == "AWAITING_ACTION"
    }
}

/// A rollback monitor: the circuit breaker or the alarms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Monitor {
    /// TRIGGERED, MONITORING, MONITORING_COMPLETE or DISABLED.
    pub status: String,
    /// Alarms watched (alarms only).
    pub names: Vec<String>,
    /// Alarms that fired (alarms only).
    pub triggered: Vec<String>,
    /// Tasks failed so far, and the threshold (circuit breaker only).
    pub failures: Option<(i32, i32)>,
}

/// Why and when a deployment rolled back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RollbackInfo {
    /// The reason ECS gives.
    pub reason: Option<String>,
    /// When it started.
    #[serde(with = "time_format::opt")]
    pub started_at: Option<SystemTime>,
    /// The revision it rolls back to.
    pub revision_arn: Option<String>,
}

/// One service deployment in full.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceDeploymentDetail {
    /// Service deployment ARN.
    pub arn: String,
    /// Service ARN.
    pub service_arn: String,
    /// PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, ROLLBACK_IN_PROGRESS…
    pub status: String,
    /// Why it is in that status.
    pub status_reason: Option<String>,
    /// The lifecycle stage it is in.
    pub lifecycle_stage: Option<String>,
    /// Created.
    #[serde(with = "time_format::opt")]
    pub created_at: Option<SystemTime>,
    /// Started.
    #[serde(with = "time_format::opt")]
    pub started_at: Option<SystemTime>,
    /// Finished.
    #[serde(with = "time_format::opt")]
    pub finished_at: Option<SystemTime>,
    /// Last changed (ECS moves it when the stage changes).
    #[serde(with = "time_format::opt")]
    pub updated_at: Option<SystemTime>,
    /// The revisions being replaced (blue).
    pub sources: Vec<RevisionShare>,
    /// The revision being deployed (green).
    pub target: Option<RevisionShare>,
    /// Hooks of the current stage.
    pub hooks: Vec<HookRun>,
    /// The configuration it deploys with.
    pub config: DeploymentConfig,
    /// Set when it rolled back.
    pub rollback: Option<RollbackInfo>,
    /// The circuit breaker's watch.
    pub circuit_breaker: Option<Monitor>,
    /// The alarms' watch.
    pub alarms: Option<Monitor>,
}

impl ServiceDeploymentDetail {
    /// True until it has settled; only then may polling stop.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status.as_str(),
            "PENDING"
                | "IN_PROGRESS"
                | "STOP_REQUESTED"
                | "ROLLBACK_REQUESTED"
                | "ROLLBACK_IN_PROGRESS"
        )
    }

    /// True when it ended by rolling back (or is rolling back).
    pub fn rolled_back(&self) -> bool {
        self.status.starts_with("ROLLBACK") || self.rollback.is_some()
    }

    /// The stages of its strategy, with RECONCILE_SERVICE first when it reconciles.
    pub fn track(&self) -> Vec<&'static str> {
        let mut track = stage_track(self.config.strategy_name());
        if self.sources.len() > 1 || self.lifecycle_stage.as_deref() == Some("RECONCILE_SERVICE") {
            track.insert(0, "RECONCILE_SERVICE");
        }
        track
    }

    /// Where the current stage is on [`Self::track`]; past the end once it succeeded.
    pub fn stage_index(&self) -> Option<usize> {
        if self.status == "SUCCESSFUL" {
            return Some(self.track().len());
        }
        let stage = self.lifecycle_stage.as_deref()?;
        self.track().iter().position(|s| *s == stage)
    }

    /// Production traffic on the new revision, percent (None before ECS says).
    pub fn production_to_target(&self) -> Option<f64> {
        self.target.as_ref()?.production_weight
    }

    /// Test traffic on the new revision, percent.
    pub fn test_to_target(&self) -> Option<f64> {
        self.target.as_ref()?.test_weight
    }

    /// Time left in BAKE_TIME at `now`: the bake time less the time since the stage began
    /// (ECS moves `updatedAt` when the stage changes).
    pub fn bake_remaining(&self, now: SystemTime) -> Option<Duration> {
        if self.lifecycle_stage.as_deref() != Some("BAKE_TIME") || !self.is_active() {
            return None;
        }
        let total = Duration::from_secs(u64::try_from(self.config.bake_time_minutes?).ok()? * 60);
        let since = now.duration_since(self.updated_at?).unwrap_or_default();
        Some(total.saturating_sub(since))
    }

    /// The hooks waiting for a decision.
    pub fn waiting_hooks(&self) -> impl Iterator<Item = &HookRun> {
        self.hooks.iter().filter(|h| h.is_waiting())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(strategy: &str, stage: &str) -> ServiceDeploymentDetail {
        ServiceDeploymentDetail {
            status: "IN_PROGRESS".into(),
            lifecycle_stage: Some(stage.into()),
            config: DeploymentConfig {
                strategy: Some(strategy.into()),
                bake_time_minutes: Some(10),
                ..DeploymentConfig::default()
            },
            sources: vec![RevisionShare::default()],
            ..ServiceDeploymentDetail::default()
        }
    }

    #[test]
    fn tracks_follow_the_strategy() {
        assert_eq!(
            stage_track("ROLLING"),
            [
                "PRE_SCALE_UP",
                "SCALE_UP",
                "POST_SCALE_UP",
                "PRODUCTION_TRAFFIC_SHIFT",
                "POST_PRODUCTION_TRAFFIC_SHIFT",
                "CLEAN_UP"
            ]
        );
        assert_eq!(stage_track("CANARY").len(), 9);
        let bake = deployment("BLUE_GREEN", "BAKE_TIME");
        assert_eq!(bake.stage_index(), Some(7));
        let mut reconcile = deployment("LINEAR", "RECONCILE_SERVICE");
        assert_eq!(reconcile.stage_index(), Some(0));
        reconcile.status = "SUCCESSFUL".into();
        assert_eq!(reconcile.stage_index(), Some(10));
        assert!(!reconcile.is_active());
        assert_eq!(
            stage_label("POST_TEST_TRAFFIC_SHIFT"),
            "Post test traffic shift"
        );
    }

    #[test]
    fn bake_counts_down_from_the_stage_start() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut bake = deployment("BLUE_GREEN", "BAKE_TIME");
        bake.updated_at = Some(start);
        assert_eq!(
            bake.bake_remaining(start + Duration::from_secs(150)),
            Some(Duration::from_secs(450))
        );
        assert_eq!(
            bake.bake_remaining(start + Duration::from_secs(3_000)),
            Some(Duration::ZERO)
        );
        bake.lifecycle_stage = Some("CLEAN_UP".into());
        assert_eq!(bake.bake_remaining(start), None);
    }
}
