//! Error lines per minute in the services' log groups: a Logs Insights `stats count(*) by
//! bin(1m)` query, or, where Insights is denied or does not aggregate, FilterLogEvents with
//! one term counted here.

use crate::aws::Ecs;
use crate::aws::error::from_sdk;
use crate::model::AwsError;
use crate::model::incident::error_counts::{
    FALLBACK_MAX_EVENTS, FALLBACK_PATTERN, INSIGHTS_QUERY, count_minutes, from_insights_rows,
};
use crate::model::incident::sources::{ErrorCountSource, ErrorCounts};
use aws_sdk_cloudwatchlogs::types::QueryStatus;
use std::collections::BTreeMap;
use std::time::Duration;

/// Most log groups one Insights query takes.
const MAX_GROUPS: usize = 50;
/// Time between two GetQueryResults calls.
const POLL_EVERY: Duration = Duration::from_millis(400);
/// A query still running after this many polls is cancelled and the fallback used.
const MAX_POLLS: u32 = 150;
/// Most FilterLogEvents pages read per log group.
const MAX_PAGES_PER_GROUP: usize = 1_000;

/// Why Insights gave nothing usable.
enum InsightsFailure {
    /// The call failed (denied, throttled…).
    Error(AwsError),
    /// It answered, but not with counts.
    NotAggregated(String),
}

impl Ecs {
    /// Error lines per minute in `groups` over `[start_secs, end_secs)`.
    pub async fn error_counts(
        &self,
        groups: &[String],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<ErrorCounts, AwsError> {
        let mut counts = ErrorCounts {
            groups: groups.iter().take(MAX_GROUPS).cloned().collect(),
            ..ErrorCounts::default()
        };
        if counts.groups.is_empty() {
            return Ok(counts);
        }
        match self
            .insights_counts(&counts.groups, start_secs, end_secs)
            .await
        {
            Ok(per_minute) => {
                counts.per_minute = per_minute;
                counts.source = ErrorCountSource::Insights;
                return Ok(counts);
            }
            Err(InsightsFailure::Error(error)) => {
                counts.note = Some(format!(
                    "Logs Insights failed ({}: {}); counted lines with “{FALLBACK_PATTERN}” instead",
                    error.code, error.message
                ));
            }
            Err(InsightsFailure::NotAggregated(why)) => {
                counts.note = Some(format!(
                    "Logs Insights {why}; counted lines with “{FALLBACK_PATTERN}” instead"
                ));
            }
        }
        let (per_minute, capped) = self
            .filtered_counts(&counts.groups, start_secs, end_secs)
            .await?;
        counts.per_minute = per_minute;
        counts.source = ErrorCountSource::FilterLogEvents(FALLBACK_PATTERN.to_owned());
        if capped {
            counts.note = Some(format!(
                "{} (stopped after {FALLBACK_MAX_EVENTS} lines: the counts are a lower bound)",
                counts.note.unwrap_or_default()
            ));
        }
        Ok(counts)
    }

    async fn insights_counts(
        &self,
        groups: &[String],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<BTreeMap<i64, u32>, InsightsFailure> {
        let client = self.logs.as_ref().ok_or_else(|| {
            InsightsFailure::Error(AwsError::internal(
                "StartQuery",
                "no CloudWatch Logs client",
            ))
        })?;
        let started = client
            .start_query()
            .set_log_group_names(Some(groups.to_vec()))
            .start_time(start_secs)
            .end_time(end_secs - 1)
            .query_string(INSIGHTS_QUERY)
            .send()
            .await
            .map_err(|e| InsightsFailure::Error(from_sdk("StartQuery", self.hint(), e)))?;
        let id = started.query_id().unwrap_or_default().to_owned();
        for _ in 0..MAX_POLLS {
            tokio::time::sleep(POLL_EVERY).await;
            let out = client
                .get_query_results()
                .query_id(&id)
                .send()
                .await
                .map_err(|e| InsightsFailure::Error(from_sdk("GetQueryResults", self.hint(), e)))?;
            match out.status() {
                Some(QueryStatus::Complete) => {
                    let rows: Vec<Vec<(String, String)>> = out
                        .results()
                        .iter()
                        .map(|row| {
                            row.iter()
                                .map(|f| {
                                    (
                                        f.field().unwrap_or_default().to_owned(),
                                        f.value().unwrap_or_default().to_owned(),
                                    )
                                })
                                .collect()
                        })
                        .collect();
                    return from_insights_rows(&rows).ok_or_else(|| {
                        InsightsFailure::NotAggregated("answered without per-minute counts".into())
                    });
                }
                Some(QueryStatus::Running | QueryStatus::Scheduled) | None => {}
                Some(other) => {
                    return Err(InsightsFailure::NotAggregated(format!(
                        "ended with status {}",
                        other.as_str()
                    )));
                }
            }
        }
        // Best effort: a query left running costs the account, but failing to stop it
        // changes nothing for the timeline.
        let _ = client.stop_query().query_id(&id).send().await;
        Err(InsightsFailure::NotAggregated(
            "did not finish in a minute".into(),
        ))
    }

    /// FilterLogEvents with [`FALLBACK_PATTERN`] over the window, counted per minute; true
    /// when it stopped at [`FALLBACK_MAX_EVENTS`].
    async fn filtered_counts(
        &self,
        groups: &[String],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<(BTreeMap<i64, u32>, bool), AwsError> {
        let client = self
            .logs
            .as_ref()
            .ok_or_else(|| AwsError::internal("FilterLogEvents", "no CloudWatch Logs client"))?;
        let mut per_minute = BTreeMap::new();
        let mut seen = 0;
        for group in groups {
            let mut token: Option<String> = None;
            let mut previous: Option<String> = None;
            // AWS may answer pages with no events but a token while it scans: follow them,
            // but never the same token twice.
            for _ in 0..MAX_PAGES_PER_GROUP {
                let out = client
                    .filter_log_events()
                    .log_group_name(group)
                    .start_time(start_secs * 1_000)
                    .end_time(end_secs * 1_000 - 1)
                    .filter_pattern(FALLBACK_PATTERN)
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| from_sdk("FilterLogEvents", self.hint(), e))?;
                let times = out.events().iter().filter_map(|e| e.timestamp());
                count_minutes(&mut per_minute, times.inspect(|_| seen += 1));
                if seen >= FALLBACK_MAX_EVENTS {
                    return Ok((per_minute, true));
                }
                match out.next_token() {
                    Some(next) if !next.is_empty() && Some(next) != previous.as_deref() => {
                        previous = Some(next.to_owned());
                        token = Some(next.to_owned());
                    }
                    _ => break,
                }
            }
        }
        Ok((per_minute, false))
    }
}
