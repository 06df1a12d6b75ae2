//! Counts the attempts AWS throttled, across every client of the worker: the SDK retries
//! them on its own (adaptive retry), so without this the user would only see slowness.

use super::error::THROTTLING_CODES;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How far back "recently" reaches.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Throttled attempts remembered at most (older ones are forgotten first).
const MAX_REMEMBERED: usize = 10_000;

/// An interceptor that remembers when attempts were throttled; clones share the record.
#[derive(Clone, Debug, Default)]
pub struct ThrottleMeter {
    throttled_at: Arc<Mutex<VecDeque<Instant>>>,
}

impl ThrottleMeter {
    /// Throttled attempts in the last [`WINDOW`] before `now`.
    pub fn recent(&self, now: Instant) -> u32 {
        let Ok(mut times) = self.throttled_at.lock() else {
            return 0;
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) > WINDOW)
        {
            times.pop_front();
        }
        u32::try_from(times.len()).unwrap_or(u32::MAX)
    }

    fn record(&self, at: Instant) {
        if let Ok(mut times) = self.throttled_at.lock() {
            if times.len() == MAX_REMEMBERED {
                times.pop_front();
            }
            times.push_back(at);
        }
    }
}

/// Whether an HTTP answer is AWS saying "slow down": 429, or a throttling error code in the body.
pub fn is_throttled(status: u16, body: &[u8]) -> bool {
    if status == 429 {
        return true;
    }
    if !(400..600).contains(&status) {
        return false;
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(2_048)]);
    THROTTLING_CODES.iter().any(|code| text.contains(code))
}

impl Intercept for ThrottleMeter {
    fn name(&self) -> &'static str {
        "ThrottleMeter"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(response) = context.response()
            && is_throttled(
                response.status().as_u16(),
                response.body().bytes().unwrap_or_default(),
            )
        {
            self.record(Instant::now());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_answers_are_recognised() {
        assert!(is_throttled(
            400,
            br#"{"__type":"ThrottlingException","message":"x"}"#
        ));
        assert!(is_throttled(
            400,
            b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>"
        ));
        assert!(is_throttled(429, b""));
        assert!(!is_throttled(400, br#"{"__type":"ClientException"}"#));
        assert!(!is_throttled(200, b"ThrottlingException"));
    }

    #[test]
    fn only_the_last_minute_counts() {
        let meter = ThrottleMeter::default();
        let start = Instant::now();
        meter.record(start);
        meter.record(start + Duration::from_secs(30));
        assert_eq!(meter.recent(start + Duration::from_secs(31)), 2);
        assert_eq!(meter.recent(start + Duration::from_secs(61)), 1);
        assert_eq!(meter.recent(start + Duration::from_secs(200)), 0);
    }
}
