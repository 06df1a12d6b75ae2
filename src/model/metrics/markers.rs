//! Deployment markers on metric charts: when each deployment started, completed, failed or
//! rolled back, from the service's deployments, its events and its deployment history.

#[cfg(test)]
pub(crate) mod tests;

use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::{Service, short_id};
use crate::model::task_defs::revisions::{parse_arn, previous_revision};
use crate::model::time_format::epoch_secs as secs;
use std::time::SystemTime;

/// Markers of one kind and revision closer than this are one marker.
const SAME_MARKER_SECS: i64 = 60;

/// What happened at a marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    /// A deployment began.
    Started,
    /// It reached its desired state.
    Completed,
    /// It failed (circuit breaker, stopped).
    Failed,
    /// ECS rolled back to an earlier revision.
    RolledBack,
}

impl MarkerKind {
    /// `deploy`, `done`, `failed`, `rollback`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Started => "deploy",
            Self::Completed => "done",
            Self::Failed => "failed",
            Self::RolledBack => "rollback",
        }
    }
}

/// A vertical line on the charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartMarker {
    /// When, epoch seconds.
    pub at_secs: i64,
    /// What.
    pub kind: MarkerKind,
    /// The revision deployed (task definition ARN or `family:revision`; a service revision ARN
    /// when only the deployment history tells).
    pub revision: String,
    /// The revision it replaced, when known (for the diff).
    pub previous: Option<String>,
    /// The service deployment it belongs to, when the deployment history names it ("what
    /// changed" opens its service revisions side by side).
    pub deployment: Option<String>,
}

impl ChartMarker {
    /// Where clicking it leads: "what changed" in its service deployment when the history
    /// names one, else the task-definition diff of the revisions it moved between.
    pub fn destination(&self, scope: &super::charts::MetricsScope) -> Option<crate::model::Route> {
        use crate::model::{DiffSide, Route};
        if let (Some(deployment), super::charts::MetricsScope::Service { cluster, service }) =
            (&self.deployment, scope)
        {
            return Some(Route::DeploymentChanges {
                cluster: cluster.clone(),
                service: service.clone(),
                deployment: deployment.clone(),
            });
        }
        let (old, new) = self.diff_pair()?;
        Some(Route::Compare {
            old: DiffSide::Revision(old),
            new: DiffSide::Revision(new),
        })
    }

    /// `deploy web:42`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind.label(), short_id(&self.revision))
    }

    /// The two revisions to compare: the one before, and this one. Without a known previous
    /// revision, the revision number before this one.
    pub fn diff_pair(&self) -> Option<(String, String)> {
        let previous = self
            .previous
            .clone()
            .or_else(|| previous_revision(&self.revision))?;
        (previous != self.revision).then(|| (previous, self.revision.clone()))
    }
}

/// Markers for `service` between `start_secs` and `end_secs`, in time order.
pub fn deployment_markers(
    service: &Service,
    history: &[ServiceDeploymentSummary],
    start_secs: i64,
    end_secs: i64,
) -> Vec<ChartMarker> {
    let mut markers = Vec::new();
    // Deployments newest first: the next one in the list is the one each replaced.
    let mut deployments: Vec<_> = service.deployments.iter().collect();
    deployments.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    for (i, deployment) in deployments.iter().enumerate() {
        let previous = deployments.get(i + 1).map(|d| d.task_definition.clone());
        let mut push = |at: Option<SystemTime>, kind| {
            if let Some(at) = at {
                markers.push(ChartMarker {
                    at_secs: secs(at),
                    kind,
                    revision: deployment.task_definition.clone(),
                    previous: previous.clone(),
                    deployment: None,
                });
            }
        };
        push(deployment.created_at, MarkerKind::Started);
        match deployment.rollout_state.as_deref() {
            Some("COMPLETED") => push(deployment.updated_at, MarkerKind::Completed),
            Some("FAILED") => push(deployment.updated_at, MarkerKind::Failed),
            _ => {}
        }
    }
    for entry in history {
        let Some(revision) = entry.target_revision.clone() else {
            continue;
        };
        let mut push = |at: Option<SystemTime>, kind| {
            if let Some(at) = at {
                markers.push(ChartMarker {
                    at_secs: secs(at),
                    kind,
                    revision: revision.clone(),
                    previous: None,
                    deployment: Some(entry.arn.clone()),
                });
            }
        };
        push(entry.started_at, MarkerKind::Started);
        match entry.status.as_str() {
            "SUCCESSFUL" => push(entry.finished_at, MarkerKind::Completed),
            "ROLLBACK_REQUESTED" | "ROLLBACK_IN_PROGRESS" | "ROLLBACK_SUCCESSFUL" => push(
                entry.finished_at.or(entry.started_at),
                MarkerKind::RolledBack,
            ),
            "FAILED" | "STOPPED" => push(entry.finished_at, MarkerKind::Failed),
            _ => {}
        }
    }
    markers.extend(event_markers(service));
    markers.retain(|m| m.at_secs >= start_secs && m.at_secs <= end_secs);
    markers.sort_by_key(|m| (m.at_secs, m.kind));
    dedup(markers)
}

/// Rollbacks and circuit-breaker failures that only the service events tell.
fn event_markers(service: &Service) -> Vec<ChartMarker> {
    service
        .events
        .iter()
        .filter_map(|event| {
            let at = secs(event.created_at?);
            let message = event.message.to_lowercase();
            let kind = if message.contains("rolling back") || message.contains("rolled back") {
                MarkerKind::RolledBack
            } else if message.contains("deployment failed") || message.contains("circuit breaker") {
                MarkerKind::Failed
            } else {
                return None;
            };
            let revision =
                revision_in(&event.message).unwrap_or_else(|| service.task_definition.clone());
            Some(ChartMarker {
                at_secs: at,
                kind,
                revision,
                previous: None,
                deployment: None,
            })
        })
        .collect()
}

/// The `family:N` a service event names (`…rolling back to taskDefinition web:41`).
fn revision_in(message: &str) -> Option<String> {
    message
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .map(|word| word.trim_end_matches('.'))
        .find(|word| parse_arn(word).is_some())
        .map(str::to_owned)
}

/// Merges markers of the same kind and revision within a minute of each other, keeping the
/// first, the task-definition revision over a service revision, and a known previous one.
fn dedup(markers: Vec<ChartMarker>) -> Vec<ChartMarker> {
    let mut out: Vec<ChartMarker> = Vec::with_capacity(markers.len());
    for marker in markers {
        let same = out.iter_mut().rev().take(8).find(|m| {
            m.kind == marker.kind
                && same_revision(&m.revision, &marker.revision)
                && (marker.at_secs - m.at_secs).abs() <= SAME_MARKER_SECS
        });
        match same {
            Some(existing) => {
                if parse_arn(&existing.revision).is_none() {
                    existing.revision = marker.revision;
                }
                if existing.previous.is_none() {
                    existing.previous = marker.previous;
                }
                if existing.deployment.is_none() {
                    existing.deployment = marker.deployment;
                }
            }
            None => out.push(marker),
        }
    }
    out
}

/// Equal revisions, or one of them a service revision (history) that names no task definition.
fn same_revision(a: &str, b: &str) -> bool {
    short_id(a) == short_id(b) || parse_arn(a).is_none() || parse_arn(b).is_none()
}

/// The marker nearest to `x_secs` within `tolerance_secs`, for clicks.
pub fn marker_near(
    markers: &[ChartMarker],
    x_secs: f64,
    tolerance_secs: f64,
) -> Option<&ChartMarker> {
    markers
        .iter()
        .map(|m| (m, (m.at_secs as f64 - x_secs).abs()))
        .filter(|(_, d)| *d <= tolerance_secs)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(m, _)| m)
}
