//! The log lines of a timeline's services in a range: each container's streams (all of its
//! tasks, by the awslogs stream prefix) read with FilterLogEvents over the range, merged.

use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::incident::export::ExportRange;
use crate::model::incident::range_logs::{MAX_RANGE_LINES, RangeLogs, RangeLogsKey, merge};
use crate::model::incident::timeline::IncidentKey;
use crate::model::logs::poll::{LogQuery, PollRequest};
use crate::model::logs::source::{LogTarget, resolve};
use crate::model::metrics::MetricRange;

/// Pages read per container (each up to 10,000 events).
const MAX_PAGES: usize = 5;

impl Ecs {
    /// The merged lines of `key`'s services in its range.
    pub async fn range_logs(&self, key: &RangeLogsKey) -> Result<RangeLogs, AwsError> {
        let incident = IncidentKey {
            cluster: key.cluster.clone(),
            services: key.services.clone(),
            range: MetricRange::Custom {
                start_secs: key.start_ms / 1_000,
                end_secs: key.end_ms / 1_000,
            },
        };
        let services = self.incident_services(&incident).await?;
        let documents = self.current_revisions(&services).await;
        let mut per_source = Vec::new();
        let mut groups = Vec::new();
        let mut notes = Vec::new();
        for service in &services {
            let Some(document) = documents.get(&service.task_definition) else {
                notes.push(format!(
                    "{}: its task definition could not be read",
                    service.name
                ));
                continue;
            };
            let json = serde_json::Value::Object(document.as_map().clone());
            for (container, target) in resolve(&json, None) {
                let target = match target {
                    LogTarget::CloudWatch(target) => target,
                    LogTarget::Elsewhere(why) => {
                        notes.push(format!("{}/{container}: {why}", service.name));
                        continue;
                    }
                };
                let query = LogQuery {
                    group: target.group.clone(),
                    streams: target.streams,
                    filter_pattern: None,
                };
                let events = self
                    .events_between(&query, key.start_ms, key.end_ms)
                    .await?;
                if !groups.contains(&target.group) {
                    groups.push(target.group);
                }
                per_source.push((format!("{}/{container}", service.name), events));
            }
        }
        let mut logs = merge(per_source);
        logs.groups = groups;
        logs.notes = notes;
        Ok(logs)
    }

    /// The lines around each of `ranges` (an export's marks), read one range after another.
    pub async fn export_logs(
        &self,
        key: &IncidentKey,
        ranges: &[ExportRange],
    ) -> Result<Vec<(ExportRange, RangeLogs)>, AwsError> {
        let mut found = Vec::new();
        for range in ranges {
            let logs = self
                .range_logs(&RangeLogsKey {
                    cluster: key.cluster.clone(),
                    services: key.services.clone(),
                    start_ms: range.start_ms,
                    end_ms: range.end_ms,
                })
                .await?;
            found.push((range.clone(), logs));
        }
        Ok(found)
    }

    /// Events of `query` in `[start_ms, end_ms)`, oldest first, at most a range's bound.
    async fn events_between(
        &self,
        query: &LogQuery,
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<crate::model::logs::poll::FetchedEvent>, AwsError> {
        let mut request = PollRequest {
            start_ms,
            end_ms: Some(end_ms),
            next_token: None,
        };
        let mut events = Vec::new();
        for _ in 0..MAX_PAGES {
            let page = self.filter_log_events(query, &request).await?;
            events.extend(page.events);
            match page.next_token {
                Some(token) if events.len() <= MAX_RANGE_LINES => request.next_token = Some(token),
                _ => break,
            }
        }
        Ok(events)
    }
}
