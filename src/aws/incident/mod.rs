//! Reads everything an incident timeline needs, each source on its own so that one denied or
//! failed call is named on the timeline while the rest still shows: the services with their
//! events, their deployment history, stopped tasks and the revisions they ran, registrations,
//! scaling activities, alarm changes, error counts and the CPU/memory charts.

pub mod alarm_history;
pub mod error_counts;
pub mod range_logs;
pub mod scaling_activities;
pub mod target_groups;

use super::Ecs;
use crate::model::ecs::{Service, Task};
use crate::model::incident::error_counts::{TailCounts, merge_tail, tail_first_minute};
use crate::model::incident::facts::facts_of_revision;
use crate::model::incident::sources::{
    ErrorCountSource, ErrorCounts, IncidentSources, Registration, StageNow, StoppedSource,
};
use crate::model::incident::timeline::{IncidentKey, MAX_SERVICES};
use crate::model::logs::source::{LogTarget, resolve};
use crate::model::metrics::charts::{MetricsKey, MetricsScope};
use crate::model::metrics::choose_period;
use crate::model::metrics::markers::deployment_markers;
use crate::model::task_defs::revisions::{RevisionSummary, parse_arn};
use crate::model::time_format::epoch_secs;
use crate::model::{AwsError, TaskScope};
use aws_sdk_ecs::types::TaskDefinitionStatus;
use ecsdeck_core::task_def::TaskDefDocument;
use std::collections::{BTreeMap, BTreeSet};

/// Revisions of a family looked at for registrations (the newest).
const REGISTRATIONS_PER_FAMILY: usize = 5;
/// Revisions described for the facts of stopped tasks.
const MAX_FACT_REVISIONS: usize = 10;
/// Deployments under way whose stage is read for one timeline.
const MAX_STAGES: usize = 5;
/// Deployments whose "what changed" is read for one timeline.
const MAX_CHANGE_PAIRS: usize = 8;
/// Points across the charts (the period follows it).
const CHART_POINTS: u32 = 720;

impl Ecs {
    /// Everything the timeline of `key` needs at `now_secs`. Fails only when the services
    /// themselves cannot be read; any other failed source is listed in `problems`.
    pub async fn incident_sources(
        &self,
        key: &IncidentKey,
        now_secs: i64,
        tail: Option<TailCounts>,
    ) -> Result<IncidentSources, AwsError> {
        let (start_secs, end_secs) = key.range.window(now_secs);
        let services = self.incident_services(key).await?;
        let arns: Vec<String> = services.iter().map(|s| s.arn.clone()).collect();
        let mut sources = IncidentSources {
            start_secs,
            end_secs,
            ..IncidentSources::default()
        };
        let (histories, stopped, documents, scaling, alarms, charts, paths) = futures::join!(
            self.histories(&key.cluster, &arns),
            self.stopped_tasks(&key.cluster, &services, key.services.is_empty()),
            self.current_revisions(&services),
            self.scaling_activities(&key.cluster, &arns, start_secs, end_secs),
            self.alarm_changes(&key.cluster, &key.services, start_secs, end_secs),
            self.incident_charts(key, now_secs),
            self.health_check_paths(&services),
        );
        for (arn, history) in histories {
            match history {
                Ok(list) => {
                    sources.histories.insert(arn, list);
                }
                Err(e) => sources.failed(&format!("deployment history of {}", short(&arn)), e),
            }
        }
        match stopped {
            Ok(tasks) => sources.stopped = tasks,
            Err(e) => sources.failed("stopped tasks", e),
        }
        let groups = log_groups(&documents);
        let (errors, registrations, facts) = futures::join!(
            self.errors_with_tail(&groups, (start_secs, end_secs), tail.as_ref()),
            self.registrations(&services, start_secs, end_secs),
            self.stopped_facts(&sources.stopped, &documents),
        );
        keep(&mut sources, "scaling activities", scaling, |s, v| {
            s.scaling = v
        });
        keep(&mut sources, "alarm history", alarms, |s, v| s.alarms = v);
        keep(&mut sources, "CPU and memory", charts, |s, v| {
            s.charts = Some(v)
        });
        keep(&mut sources, "target group health checks", paths, |s, v| {
            s.health_check_paths = v
        });
        keep(&mut sources, "error counts", errors, |s, v| s.errors = v);
        keep(&mut sources, "registrations", registrations, |s, v| {
            s.registrations = v
        });
        sources.facts = facts;
        sources.changes = self.deployment_changes(&services, &sources).await;
        sources.stages = self.stages_now(&sources).await;
        sources.services = services;
        Ok(sources)
    }

    /// The current stage of each deployment under way (DescribeServiceDeployments); one that
    /// cannot be described is left out: its start and end are on the timeline anyway.
    async fn stages_now(&self, sources: &IncidentSources) -> Vec<StageNow> {
        let under_way: Vec<(&String, &str)> = sources
            .histories
            .iter()
            .flat_map(|(service, history)| history.iter().map(move |h| (service, h)))
            .filter(|(_, h)| {
                matches!(
                    h.status.as_str(),
                    "PENDING" | "IN_PROGRESS" | "ROLLBACK_IN_PROGRESS"
                )
            })
            .map(|(service, h)| (service, h.arn.as_str()))
            .take(MAX_STAGES)
            .collect();
        let calls = under_way.into_iter().map(|(service, arn)| async move {
            let detail = self.service_deployment(arn).await.ok()?;
            Some(StageNow {
                service: short(service).to_owned(),
                deployment: arn.to_owned(),
                stage: detail.lifecycle_stage?,
                status: detail.status,
                since: detail.updated_at.or(detail.started_at),
            })
        });
        futures::future::join_all(calls)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    /// The one-line diff of each deployment in the window whose two task-definition
    /// revisions are known (a revision that cannot be read is left out, not guessed).
    async fn deployment_changes(
        &self,
        services: &[Service],
        sources: &IncidentSources,
    ) -> BTreeMap<(String, String), String> {
        let pairs: BTreeSet<(String, String)> = services
            .iter()
            .flat_map(|s| {
                let history = sources.histories.get(&s.arn).map_or(&[][..], Vec::as_slice);
                deployment_markers(s, history, sources.start_secs, sources.end_secs)
            })
            .filter_map(|m| m.diff_pair())
            .filter(|(old, new)| parse_arn(old).is_some() && parse_arn(new).is_some())
            .take(MAX_CHANGE_PAIRS)
            .collect();
        let calls = pairs.into_iter().map(|(old, new)| async move {
            let (a, b) = futures::join!(self.task_definition(&old), self.task_definition(&new));
            let summary = match (a, b) {
                (Ok(a), Ok(b)) => Some(ecsdeck_core::td_diff::diff(&a, &b).summary()),
                _ => None,
            };
            summary.map(|s| ((old, new), s))
        });
        futures::future::join_all(calls)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    /// Error counts from the loaded tail where it reaches, from CloudWatch before that (not
    /// asked at all when the tail holds the whole window).
    async fn errors_with_tail(
        &self,
        groups: &[String],
        (start_secs, end_secs): (i64, i64),
        tail: Option<&TailCounts>,
    ) -> Result<ErrorCounts, AwsError> {
        let Some(tail) = tail else {
            return self.error_counts(groups, start_secs, end_secs).await;
        };
        let from = tail_first_minute(tail);
        if from <= start_secs {
            let mut counts = ErrorCounts {
                source: ErrorCountSource::Tail,
                groups: groups.to_vec(),
                ..ErrorCounts::default()
            };
            merge_tail(&mut counts, tail);
            return Ok(counts);
        }
        let mut counts = self
            .error_counts(groups, start_secs, from.min(end_secs))
            .await?;
        merge_tail(&mut counts, tail);
        let since = crate::model::time_format::rfc3339(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(from.max(0) as u64),
        );
        let note = format!("from {since} counted in the loaded log tail");
        counts.note = Some(match counts.note.take() {
            Some(earlier) => format!("{earlier}; {note}"),
            None => note,
        });
        Ok(counts)
    }

    /// The key's services described, or the cluster's most recently changed.
    pub(crate) async fn incident_services(
        &self,
        key: &IncidentKey,
    ) -> Result<Vec<Service>, AwsError> {
        if key.services.is_empty() {
            let mut all = self.services(&key.cluster).await?;
            let latest = |s: &Service| s.deployments.iter().filter_map(|d| d.updated_at).max();
            all.sort_by_key(|s| std::cmp::Reverse(latest(s)));
            all.truncate(MAX_SERVICES);
            return Ok(all);
        }
        let wanted: Vec<String> = key.services.iter().take(MAX_SERVICES).cloned().collect();
        let found = self.describe_services(&key.cluster, &wanted).await?;
        let missing: Vec<&str> = wanted
            .iter()
            .filter(|w| !found.iter().any(|s| s.arn == **w || s.name == **w))
            .map(|w| short(w))
            .collect();
        if !missing.is_empty() {
            return Err(AwsError::internal(
                "DescribeServices",
                format!(
                    "not found in cluster {}: {}",
                    short(&key.cluster),
                    missing.join(", ")
                ),
            ));
        }
        Ok(found)
    }

    async fn histories(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Vec<(
        String,
        Result<Vec<crate::model::ecs::rollout::ServiceDeploymentSummary>, AwsError>,
    )> {
        let calls = services
            .iter()
            .map(|arn| async move { (arn.clone(), self.service_deployments(cluster, arn).await) });
        futures::future::join_all(calls).await
    }

    /// Stopped tasks ECS still lists: the cluster's at once, or each service's.
    async fn stopped_tasks(
        &self,
        cluster: &str,
        services: &[Service],
        whole_cluster: bool,
    ) -> Result<Vec<StoppedSource>, AwsError> {
        let scopes: Vec<TaskScope> = if whole_cluster {
            vec![TaskScope::cluster(cluster)]
        } else {
            services
                .iter()
                .map(|s| TaskScope {
                    cluster: cluster.to_owned(),
                    service_name: Some(s.name.clone()),
                })
                .collect()
        };
        let mut stopped = Vec::new();
        for scope in scopes {
            let tasks: Vec<Task> = self.tasks(&scope).await?;
            stopped.extend(
                tasks
                    .into_iter()
                    .filter(|t| t.last_status == "STOPPED" || t.stopped_at.is_some())
                    .map(|task| StoppedSource {
                        task,
                        recorded: false,
                    }),
            );
        }
        Ok(stopped)
    }

    /// The task definition each service runs now (for its log groups), by ARN.
    pub(crate) async fn current_revisions(
        &self,
        services: &[Service],
    ) -> BTreeMap<String, TaskDefDocument> {
        let arns: BTreeSet<&str> = services
            .iter()
            .map(|s| s.task_definition.as_str())
            .collect();
        let calls = arns
            .into_iter()
            .map(|arn| async move { (arn.to_owned(), self.task_definition(arn).await) });
        futures::future::join_all(calls)
            .await
            .into_iter()
            .filter_map(|(arn, doc)| doc.ok().map(|d| (arn, d)))
            .collect()
    }

    /// What the revisions the stopped tasks ran say about them.
    async fn stopped_facts(
        &self,
        stopped: &[StoppedSource],
        known: &BTreeMap<String, TaskDefDocument>,
    ) -> BTreeMap<String, crate::model::incident::diagnosis::TaskFacts> {
        let arns: BTreeSet<&str> = stopped
            .iter()
            .map(|s| s.task.task_definition.as_str())
            .filter(|a| !a.is_empty())
            .collect();
        let calls = arns
            .into_iter()
            .take(MAX_FACT_REVISIONS)
            .map(|arn| async move {
                let doc = match known.get(arn) {
                    Some(doc) => Ok(doc.clone()),
                    None => self.task_definition(arn).await,
                };
                (arn.to_owned(), doc)
            });
        futures::future::join_all(calls)
            .await
            .into_iter()
            .filter_map(|(arn, doc)| Some((arn, facts_of_revision(&doc.ok()?))))
            .collect()
    }

    /// Revisions of the services' families registered in the window.
    async fn registrations(
        &self,
        services: &[Service],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<Vec<Registration>, AwsError> {
        let families: BTreeSet<String> = services
            .iter()
            .filter_map(|s| parse_arn(&s.task_definition).map(|(family, _)| family))
            .collect();
        let mut found = Vec::new();
        for family in families {
            let mut arns = self
                .revision_arns(&family, TaskDefinitionStatus::Active)
                .await?;
            arns.sort_by_key(|arn| std::cmp::Reverse(parse_arn(arn).map(|(_, r)| r)));
            for arn in arns.iter().take(REGISTRATIONS_PER_FAMILY) {
                let doc = self.task_definition(arn).await?;
                let Some(summary) = RevisionSummary::from_document(&doc) else {
                    continue;
                };
                let at = summary.registered_at.map(epoch_secs);
                if at.is_some_and(|at| at >= start_secs && at <= end_secs) {
                    found.push(Registration {
                        arn: summary.arn,
                        at: summary.registered_at,
                        by: summary.registered_by,
                    });
                }
            }
        }
        found.sort_by_key(|r| r.at);
        Ok(found)
    }

    /// CPU and memory of the one service, or of the cluster.
    async fn incident_charts(
        &self,
        key: &IncidentKey,
        now_secs: i64,
    ) -> Result<crate::model::metrics::charts::MetricsData, AwsError> {
        let scope = match key.services.as_slice() {
            [service] => MetricsScope::Service {
                cluster: key.cluster.clone(),
                service: service.clone(),
            },
            _ => MetricsScope::Cluster {
                cluster: key.cluster.clone(),
            },
        };
        let period_secs = choose_period(&key.range, now_secs, CHART_POINTS)
            .map_err(|e| AwsError::internal("GetMetricData", e.to_string()))?;
        let metrics_key = MetricsKey {
            scope,
            range: key.range,
            period_secs,
            insights: false,
            reservation: false,
        };
        self.metrics(&metrics_key, now_secs).await
    }
}

/// Puts a source's value in place, or names its failure.
fn keep<T>(
    sources: &mut IncidentSources,
    name: &str,
    result: Result<T, AwsError>,
    put: impl FnOnce(&mut IncidentSources, T),
) {
    match result {
        Ok(value) => put(sources, value),
        Err(error) => sources.failed(name, error),
    }
}

fn short(arn: &str) -> &str {
    crate::model::ecs::short_id(arn)
}

/// The CloudWatch log groups the services' containers write to.
pub fn log_groups(documents: &BTreeMap<String, TaskDefDocument>) -> Vec<String> {
    let groups: BTreeSet<String> = documents
        .values()
        .flat_map(|doc| resolve(&serde_json::Value::Object(doc.as_map().clone()), None))
        .filter_map(|(_, target)| match target {
            LogTarget::CloudWatch(target) => Some(target.group),
            LogTarget::Elsewhere(_) => None,
        })
        .collect();
    groups.into_iter().collect()
}
