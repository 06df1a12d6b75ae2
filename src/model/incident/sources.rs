//! What an incident timeline is built from, as read from AWS (or from the recorder): the
//! services with their events and deployments, stopped tasks, scaling activities, alarm
//! changes, task-definition registrations, error counts and the CPU/memory charts. Each
//! source that could not be read is named with its AWS error, and the rest still shows.

use super::diagnosis::TaskFacts;
use crate::model::AwsError;
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::{Service, Task};
use crate::model::metrics::charts::MetricsData;
use std::collections::BTreeMap;
use std::time::SystemTime;

/// One Application Auto Scaling activity (DescribeScalingActivities).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScalingActivity {
    /// The service it scaled (name).
    pub service: String,
    /// When it started.
    pub started_at: Option<SystemTime>,
    /// When it ended.
    pub ended_at: Option<SystemTime>,
    /// "Setting desired count to 4."
    pub description: String,
    /// What triggered it (the alarm and policy).
    pub cause: String,
    /// Successful, InProgress, Failed…
    pub status: String,
    /// Why it failed, where it did.
    pub status_message: Option<String>,
}

/// One state change of a CloudWatch alarm (DescribeAlarmHistory, StateUpdate).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlarmChange {
    /// The alarm's name.
    pub alarm: String,
    /// When.
    pub at: Option<SystemTime>,
    /// The state before (OK, ALARM, INSUFFICIENT_DATA), when the history says.
    pub from: Option<String>,
    /// The state after.
    pub to: Option<String>,
    /// The history's summary ("Alarm updated from OK to ALARM").
    pub summary: String,
}

/// The lifecycle stage a deployment under way is in now (the API tells only the current one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageNow {
    /// The service (name).
    pub service: String,
    /// The service deployment's ARN.
    pub deployment: String,
    /// PRE_SCALE_UP, SCALE_UP, TEST_TRAFFIC_SHIFT, BAKE_TIME…
    pub stage: String,
    /// IN_PROGRESS, ROLLBACK_IN_PROGRESS…
    pub status: String,
    /// When ECS last moved it (the stage's start, as far as the API tells).
    pub since: Option<SystemTime>,
}

/// A task definition registered (its `registeredAt`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Registration {
    /// The revision's ARN.
    pub arn: String,
    /// When it was registered.
    pub at: Option<SystemTime>,
    /// Who registered it (`registeredBy`), where ECS says.
    pub by: Option<String>,
}

/// Where the per-minute error counts came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ErrorCountSource {
    /// Nothing counted (no log groups, or every way failed).
    #[default]
    None,
    /// A CloudWatch Logs Insights query.
    Insights,
    /// FilterLogEvents with this pattern, counted here (Insights was not available).
    FilterLogEvents(String),
    /// The log lines already loaded in the app's tail.
    Tail,
}

/// Error lines per minute over the window, with where they were counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorCounts {
    /// Minute start (epoch seconds) → error lines in that minute.
    pub per_minute: BTreeMap<i64, u32>,
    /// How they were counted.
    pub source: ErrorCountSource,
    /// The log groups counted.
    pub groups: Vec<String>,
    /// Why the first way failed, when a fallback was used.
    pub note: Option<String>,
}

/// A stopped task with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct StoppedSource {
    /// The task as ECS (or the recorder) described it.
    pub task: Task,
    /// Only the recorder still has it (ECS forgot it).
    pub recorded: bool,
}

/// A source that could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceProblem {
    /// What it was ("alarm history", "scaling activities"…).
    pub source: String,
    /// The AWS error.
    pub error: AwsError,
}

/// What the app saw itself that AWS no longer tells: recorded stopped tasks and the stages
/// deployments went through.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeenByApp {
    /// Recorded stopped tasks (ECS forgets them about an hour after they stop).
    pub recorded: Vec<Task>,
    /// Deployment stages seen go by (the API tells only the current one).
    pub stages: Vec<super::stages_seen::StageSeen>,
}

/// Everything read for one incident timeline.
#[derive(Clone, Debug, Default)]
pub struct IncidentSources {
    /// The window, epoch seconds.
    pub start_secs: i64,
    /// End of the window, epoch seconds.
    pub end_secs: i64,
    /// The services (with events and current deployments).
    pub services: Vec<Service>,
    /// Each service's deployment history (by service ARN).
    pub histories: BTreeMap<String, Vec<ServiceDeploymentSummary>>,
    /// Stopped tasks of those services.
    pub stopped: Vec<StoppedSource>,
    /// What the task definitions say about each stopped task's revision (by revision ARN).
    pub facts: BTreeMap<String, TaskFacts>,
    /// Scaling activities.
    pub scaling: Vec<ScalingActivity>,
    /// Alarm state changes of the alarms on the services.
    pub alarms: Vec<AlarmChange>,
    /// Task definitions registered in the window.
    pub registrations: Vec<Registration>,
    /// The stage of each deployment under way.
    pub stages: Vec<StageNow>,
    /// Error lines per minute.
    pub errors: ErrorCounts,
    /// CPU and memory charts of the scope.
    pub charts: Option<MetricsData>,
    /// The stages of deployments the app saw go by (any service of the cluster).
    pub stages_seen: Vec<super::stages_seen::StageSeen>,
    /// Each target group's health-check path (by target group ARN).
    pub health_check_paths: BTreeMap<String, String>,
    /// What each deployment changed: (previous revision, revision) → the diff's one line.
    pub changes: BTreeMap<(String, String), String>,
    /// Sources that failed.
    pub problems: Vec<SourceProblem>,
}

impl IncidentSources {
    /// Notes a failed source; the timeline still shows the others.
    pub fn failed(&mut self, source: &str, error: AwsError) {
        self.problems.push(SourceProblem {
            source: source.to_owned(),
            error,
        });
    }

    /// Adds recorded tasks ECS no longer lists (`recorded` are the recorder's tasks of these
    /// services), keeping ECS's own copy where both have one.
    pub fn add_recorded(&mut self, recorded: impl IntoIterator<Item = Task>) {
        let known: std::collections::HashSet<String> =
            self.stopped.iter().map(|s| s.task.arn.clone()).collect();
        let names: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).collect();
        let (start, end) = (self.start_secs, self.end_secs);
        let fresh: Vec<StoppedSource> = recorded
            .into_iter()
            .filter(|t| !known.contains(&t.arn))
            .filter(|t| t.service_name().is_some_and(|n| names.contains(&n)))
            .filter(|t| {
                t.stopped_at
                    .map(crate::model::time_format::epoch_secs)
                    .is_some_and(|at| at >= start && at <= end)
            })
            .map(|task| StoppedSource {
                task,
                recorded: true,
            })
            .collect();
        self.stopped.extend(fresh);
    }
}
