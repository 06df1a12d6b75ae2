//! CloudWatch Logs: one FilterLogEvents page for the polling tail.

pub mod history;
pub mod live_tail;
pub mod targets;

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::logs::poll::{FetchedEvent, LogPage, LogQuery, PollRequest};
use crate::model::logs::source::StreamSelection;

/// Events a page asks for (the API's maximum).
const PAGE_EVENTS: i32 = 10_000;

impl Ecs {
    /// Adds the CloudWatch Logs client of the same connection.
    pub fn with_logs(mut self, client: aws_sdk_cloudwatchlogs::Client) -> Self {
        self.logs = Some(client);
        self
    }

    /// One FilterLogEvents page of `query` from `request`'s window (and page token).
    pub async fn filter_log_events(
        &self,
        query: &LogQuery,
        request: &PollRequest,
    ) -> Result<LogPage, AwsError> {
        let Some(client) = &self.logs else {
            return Err(AwsError::internal(
                "FilterLogEvents",
                "this connection has no CloudWatch Logs client",
            ));
        };
        let mut call = client
            .filter_log_events()
            .log_group_name(&query.group)
            .start_time(request.start_ms)
            // FilterLogEvents' endTime is inclusive.
            .set_end_time(request.end_ms.map(|end| end - 1))
            .limit(PAGE_EVENTS)
            .set_next_token(request.next_token.clone())
            .set_filter_pattern(query.filter_pattern.clone());
        call = match &query.streams {
            StreamSelection::Exact(stream) => call.log_stream_names(stream),
            StreamSelection::Names(names) => call.set_log_stream_names(Some(names.clone())),
            StreamSelection::Prefix(prefix) => call.log_stream_name_prefix(prefix),
            StreamSelection::WholeGroup(_) => call,
        };
        let output = call
            .send()
            .await
            .map_err(|e| from_sdk("FilterLogEvents", self.hint(), e))?;
        // The stream is checked again here: an endpoint that ignores the prefix (moto does)
        // must not mix another container's lines into the tail.
        let events = output
            .events()
            .iter()
            .filter(|e| {
                query
                    .streams
                    .includes(e.log_stream_name().unwrap_or_default())
            })
            .map(|e| FetchedEvent {
                stream: e.log_stream_name().unwrap_or_default().to_owned(),
                event_id: e.event_id().map(str::to_owned),
                timestamp_ms: e.timestamp().unwrap_or_default(),
                message: e.message().unwrap_or_default().to_owned(),
                ingestion_ms: e.ingestion_time(),
            })
            .collect();
        Ok(LogPage {
            events,
            // An empty token would loop on the same page forever.
            next_token: output
                .next_token()
                .filter(|t| !t.is_empty() && Some(*t) != request.next_token.as_deref())
                .map(str::to_owned),
        })
    }
}
