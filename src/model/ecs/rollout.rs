//! What a service's rollout is doing, in plain words: in progress (with new-vs-old progress),
//! complete, failed by the circuit breaker (and rolling back), or stuck — judged from successive
//! DescribeServices answers, since ECS only reports the raw counts and states.

#[cfg(test)]
pub(crate) mod tests;

use super::{Deployment, Service};
use crate::model::task_defs::revisions::family_revision;
use std::time::{Duration, SystemTime};

/// How long a rollout may show no progress before it is called stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(10 * 60);
/// A rollout that finished this recently is reported as just completed.
const RECENT: Duration = Duration::from_secs(5 * 60);

/// The phase of a service's rollout.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// One deployment, all its tasks running.
    Steady,
    /// A deployment is replacing others.
    InProgress,
    /// The latest deployment finished.
    Completed,
    /// The circuit breaker failed the deployment; `rolling_back_to` when it rolls back.
    Failed {
        /// The revision a rollback is restoring, if one is underway.
        rolling_back_to: Option<String>,
    },
    /// No task started or stopped for `for_secs` while in progress.
    Stuck {
        /// Seconds without progress.
        for_secs: u64,
    },
}

/// A rollout as the service page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rollout {
    /// Phase.
    pub phase: Phase,
    /// Revision being rolled out (the PRIMARY's).
    pub target: String,
    /// Tasks of the PRIMARY deployment running, and wanted.
    pub new_running: i32,
    /// Tasks wanted.
    pub desired: i32,
    /// Tasks of older deployments still running.
    pub old_running: i32,
    /// Tasks of the PRIMARY that failed to start.
    pub failed: i32,
    /// One sentence for the page.
    pub message: String,
}

impl Rollout {
    /// New tasks running as a fraction of the desired count (0–1).
    pub fn progress(&self) -> f32 {
        if self.desired <= 0 {
            return 1.0;
        }
        (self.new_running as f32 / self.desired as f32).clamp(0.0, 1.0)
    }

    /// True while the page should poll fast.
    pub fn is_active(&self) -> bool {
        matches!(
            self.phase,
            Phase::InProgress
                | Phase::Stuck { .. }
                | Phase::Failed {
                    rolling_back_to: Some(_)
                }
        )
    }
}

/// Remembers when each rollout last moved, across refreshes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressClock {
    /// The counts at the last change, and when they changed.
    last: Option<(Counts, SystemTime)>,
}

/// (PRIMARY id, its running, pending and failed counts, old tasks running).
type Counts = (String, i32, i32, i32, i32);

impl ProgressClock {
    /// Records the PRIMARY's counts at `now`; returns how long they have been unchanged.
    fn unchanged_for(
        &mut self,
        primary: &Deployment,
        old_running: i32,
        now: SystemTime,
    ) -> Duration {
        let counts = (
            primary.id.clone(),
            primary.running,
            primary.pending,
            primary.failed,
            old_running,
        );
        match &self.last {
            Some((seen, since)) if *seen == counts => {
                now.duration_since(*since).unwrap_or_default()
            }
            _ => {
                // A deployment seen for the first time counts from its own update time.
                let since = primary
                    .updated_at
                    .filter(|t| *t <= now && self.last.is_none())
                    .unwrap_or(now);
                self.last = Some((counts, since));
                now.duration_since(since).unwrap_or_default()
            }
        }
    }
}

fn rollback_target(primary: &Deployment) -> Option<String> {
    // ECS starts the rollback as a new PRIMARY whose reason says so.
    let reason = primary.rollout_state_reason.as_deref()?;
    reason
        .contains("rolling back")
        .then(|| family_revision(&primary.task_definition).to_owned())
}

/// Assesses `service` at `now`, updating `clock` (keep one per service across refreshes).
pub fn assess(service: &Service, clock: &mut ProgressClock, now: SystemTime) -> Option<Rollout> {
    let primary = service.primary_deployment()?;
    let old: Vec<&Deployment> = service
        .deployments
        .iter()
        .filter(|d| d.status != "PRIMARY")
        .collect();
    let old_running: i32 = old.iter().map(|d| d.running).sum();
    let target = family_revision(&primary.task_definition).to_owned();
    let state = primary.rollout_state.as_deref().unwrap_or("");
    let unchanged = clock.unchanged_for(primary, old_running, now);
    let (new_running, desired, failed) = (primary.running, primary.desired, primary.failed);
    let failed_deployment = service
        .deployments
        .iter()
        .find(|d| d.rollout_state.as_deref() == Some("FAILED"));
    let settled = old.is_empty() && new_running == desired && primary.pending == 0;
    let (phase, message) = if state == "FAILED" || failed_deployment.is_some() {
        let reason = failed_deployment
            .and_then(|d| d.rollout_state_reason.clone())
            .or_else(|| primary.rollout_state_reason.clone())
            .unwrap_or_else(|| "no reason given".to_owned());
        let rolling_back_to = (state != "FAILED")
            .then(|| rollback_target(primary))
            .flatten();
        let message = match &rolling_back_to {
            Some(to) => format!(
                "The deployment failed and the circuit breaker is rolling back to {to}: {reason}"
            ),
            None => format!("The deployment failed: {reason}"),
        };
        (Phase::Failed { rolling_back_to }, message)
    } else if settled && state != "IN_PROGRESS" {
        let recent = primary
            .updated_at
            .is_some_and(|t| now.duration_since(t).unwrap_or_default() < RECENT);
        let phase = if recent {
            Phase::Completed
        } else {
            Phase::Steady
        };
        let message = if recent {
            format!("Rollout complete: {target} runs {new_running} of {desired} tasks.")
        } else {
            format!("{target} runs {new_running} of {desired} tasks.")
        };
        (phase, message)
    } else if settled {
        (
            Phase::InProgress,
            format!(
                "{new_running} of {desired} new tasks running; waiting for ECS to mark the \
                 deployment of {target} complete."
            ),
        )
    } else if unchanged >= STUCK_AFTER {
        let minutes = unchanged.as_secs() / 60;
        (
            Phase::Stuck {
                for_secs: unchanged.as_secs(),
            },
            format!(
                "No progress for {minutes} minutes: {new_running} of {desired} new tasks \
                 running, {failed} failed to start. The stopped tasks below say why."
            ),
        )
    } else if old.is_empty() {
        let (verb, pending) = if new_running > desired {
            ("in", String::new())
        } else {
            ("out", format!(", {} pending", primary.pending))
        };
        (
            Phase::InProgress,
            format!("Scaling {verb} to {desired}: {new_running} running{pending}."),
        )
    } else {
        (
            Phase::InProgress,
            in_progress_message(&target, new_running, desired, old_running),
        )
    };
    Some(Rollout {
        phase,
        target,
        new_running,
        desired,
        old_running,
        failed,
        message,
    })
}

fn in_progress_message(target: &str, new_running: i32, desired: i32, old_running: i32) -> String {
    format!(
        "Rolling out {target}: {new_running} of {desired} new tasks running, {old_running} old \
         task{} still running.",
        if old_running == 1 { "" } else { "s" }
    )
}

/// One entry of a service's deployment history (the service deployments API).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceDeploymentSummary {
    /// Service deployment ARN.
    pub arn: String,
    /// PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, STOP_REQUESTED, ROLLBACK_IN_PROGRESS,
    /// ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED…
    pub status: String,
    /// The service revision it deploys.
    pub target_revision: Option<String>,
    /// When it started.
    pub started_at: Option<SystemTime>,
    /// When it finished.
    pub finished_at: Option<SystemTime>,
    /// Why it ended as it did.
    pub reason: Option<String>,
}

impl ServiceDeploymentSummary {
    /// True while it can still be stopped and rolled back.
    pub fn can_roll_back(&self) -> bool {
        matches!(self.status.as_str(), "PENDING" | "IN_PROGRESS")
    }
}
