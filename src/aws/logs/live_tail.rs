//! CloudWatch Logs Live Tail: one StartLiveTail session as a stream of [`LiveItem`]s, the
//! log group ARNs it needs, and the interceptor that lets it reach a custom endpoint.

use crate::aws::Ecs;
use crate::aws::error::{from_sdk, kind_of_code};
use crate::model::{AwsError, ErrorKind};
use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream;
use aws_sdk_cloudwatchlogs::types::error::StartLiveTailResponseStreamError;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::HashMap;

/// Most log groups one session can follow (an API limit).
pub const MAX_LIVE_GROUPS: usize = 10;
/// Most stream names or prefixes one session can filter on (an API limit).
pub const MAX_LIVE_STREAMS: usize = 100;

/// Which streams of the session's single log group to follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveStreams {
    /// Every stream (several groups, or a whole group).
    All,
    /// These streams.
    Names(Vec<String>),
    /// Streams starting with these prefixes.
    Prefixes(Vec<String>),
}

/// One event pushed by Live Tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveEvent {
    /// Log group, as the session names it (its ARN or name).
    pub group: String,
    /// Stream.
    pub stream: String,
    /// Event time, epoch ms.
    pub timestamp_ms: i64,
    /// When CloudWatch stored it, epoch ms (orders hand-overs between sessions).
    pub ingestion_ms: i64,
    /// The text.
    pub message: String,
}

/// What a session delivers next.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveItem {
    /// The session is open (`LiveTailSessionStart`).
    Started,
    /// One second's events; `sampled` when AWS kept only 500 of them.
    Update {
        /// The events.
        events: Vec<LiveEvent>,
        /// AWS sampled this update down.
        sampled: bool,
    },
    /// The session is over: closed by the endpoint (`None`) or ended with an error.
    Ended(Option<AwsError>),
}

/// An open Live Tail session.
pub struct LiveSession {
    receiver: aws_sdk_cloudwatchlogs::primitives::event_stream::EventReceiver<
        StartLiveTailResponseStream,
        StartLiveTailResponseStreamError,
    >,
    ended: bool,
}

impl LiveSession {
    /// Waits for the next item; after [`LiveItem::Ended`] it keeps answering `Ended(None)`.
    pub async fn next(&mut self) -> LiveItem {
        if self.ended {
            return LiveItem::Ended(None);
        }
        let item = match self.receiver.recv().await {
            Ok(Some(StartLiveTailResponseStream::SessionStart(_))) => LiveItem::Started,
            Ok(Some(StartLiveTailResponseStream::SessionUpdate(update))) => LiveItem::Update {
                sampled: update.session_metadata().is_some_and(|m| m.sampled()),
                events: update
                    .session_results()
                    .iter()
                    .map(|e| LiveEvent {
                        group: e.log_group_identifier().unwrap_or_default().to_owned(),
                        stream: e.log_stream_name().unwrap_or_default().to_owned(),
                        timestamp_ms: e.timestamp().unwrap_or_default(),
                        ingestion_ms: e.ingestion_time().unwrap_or_default(),
                        message: e.message().unwrap_or_default().to_owned(),
                    })
                    .collect(),
            },
            // A newer event type: nothing to show from it.
            Ok(Some(_)) => LiveItem::Update {
                events: Vec::new(),
                sampled: false,
            },
            Ok(None) => LiveItem::Ended(None),
            Err(e) => LiveItem::Ended(Some(stream_error(&e))),
        };
        self.ended = matches!(item, LiveItem::Ended(_));
        item
    }
}

/// An error inside the event stream (e.g. `SessionTimeoutException` after 3 hours).
fn stream_error<R: std::fmt::Debug>(
    err: &aws_smithy_runtime_api::client::result::SdkError<StartLiveTailResponseStreamError, R>,
) -> AwsError {
    let (code, message) = match err.as_service_error() {
        Some(StartLiveTailResponseStreamError::SessionTimeoutException(e)) => (
            "SessionTimeoutException".to_owned(),
            e.message.clone().unwrap_or_default(),
        ),
        Some(StartLiveTailResponseStreamError::SessionStreamingException(e)) => (
            "SessionStreamingException".to_owned(),
            e.message.clone().unwrap_or_default(),
        ),
        Some(other) => (
            other.code().unwrap_or("Unknown").to_owned(),
            other.message().unwrap_or_default().to_owned(),
        ),
        None => (
            String::new(),
            aws_smithy_types::error::display::DisplayErrorContext(err).to_string(),
        ),
    };
    let kind = if code.is_empty() {
        ErrorKind::Network
    } else {
        kind_of_code(&code)
    };
    AwsError {
        operation: "StartLiveTail".into(),
        code,
        message,
        request_id: None,
        kind,
    }
}

impl Ecs {
    /// Opens a Live Tail session on `group_arns`, optionally narrowed to streams and a
    /// CloudWatch filter pattern.
    pub async fn start_live_tail(
        &self,
        group_arns: &[String],
        streams: &LiveStreams,
        filter_pattern: Option<&str>,
    ) -> Result<LiveSession, AwsError> {
        let client = self.logs_client("StartLiveTail")?;
        let mut call = client
            .start_live_tail()
            .set_log_group_identifiers(Some(group_arns.to_vec()))
            .set_log_event_filter_pattern(filter_pattern.map(str::to_owned));
        call = match streams {
            LiveStreams::All => call,
            LiveStreams::Names(names) => call.set_log_stream_names(Some(names.clone())),
            LiveStreams::Prefixes(p) => call.set_log_stream_name_prefixes(Some(p.clone())),
        };
        let output = call
            .send()
            .await
            .map_err(|e| from_sdk("StartLiveTail", self.hint(), e))?;
        Ok(LiveSession {
            receiver: output.response_stream,
            ended: false,
        })
    }

    /// The ARN of each named log group (Live Tail takes ARNs); a missing group is NotFound.
    pub async fn log_group_arns(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, String>, AwsError> {
        let client = self.logs_client("DescribeLogGroups")?;
        let mut arns = HashMap::new();
        for name in names {
            let output = client
                .describe_log_groups()
                .log_group_name_prefix(name)
                .send()
                .await
                .map_err(|e| from_sdk("DescribeLogGroups", self.hint(), e))?;
            let group = output
                .log_groups()
                .iter()
                .find(|g| g.log_group_name() == Some(name.as_str()));
            let arn = group.and_then(|g| {
                g.log_group_arn()
                    .map(str::to_owned)
                    .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_owned()))
            });
            let Some(arn) = arn else {
                return Err(AwsError {
                    operation: "DescribeLogGroups".into(),
                    code: "ResourceNotFoundException".into(),
                    message: format!("log group {name} does not exist"),
                    request_id: None,
                    kind: ErrorKind::NotFound,
                });
            };
            arns.insert(name.clone(), arn);
        }
        Ok(arns)
    }

    pub(crate) fn logs_client(
        &self,
        operation: &str,
    ) -> Result<&aws_sdk_cloudwatchlogs::Client, AwsError> {
        self.logs.as_ref().ok_or_else(|| {
            AwsError::internal(operation, "this connection has no CloudWatch Logs client")
        })
    }
}

/// Sends Live Tail to the configured endpoint itself: the SDK puts `stream-` in front of the
/// host, which exists for AWS but not for an endpoint override (a local emulator or proxy).
#[derive(Debug, Default)]
pub struct StripStreamHost;

impl Intercept for StripStreamHost {
    fn name(&self) -> &'static str {
        "StripStreamHost"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        let uri = request.uri().to_owned();
        if let Some((scheme, rest)) = uri.split_once("://")
            && let Some(host) = rest.strip_prefix("stream-")
        {
            request.set_uri(format!("{scheme}://{host}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_error_keeps_the_code_and_kind() {
        use aws_sdk_cloudwatchlogs::types::error::SessionTimeoutException;
        let inner = StartLiveTailResponseStreamError::SessionTimeoutException(
            SessionTimeoutException::builder()
                .message("session timed out")
                .build(),
        );
        let err: aws_smithy_runtime_api::client::result::SdkError<_, ()> =
            aws_smithy_runtime_api::client::result::SdkError::service_error(inner, ());
        let error = stream_error(&err);
        assert_eq!(error.operation, "StartLiveTail");
        assert_eq!(error.code, "SessionTimeoutException");
        assert_eq!(error.message, "session timed out");
        assert_eq!(error.kind, ErrorKind::Service);
    }
}
