//! Which failures the SDK may retry on its own: only those where AWS answered "not now"
//! (throttling, 5xx). When the connection failed or timed out, the call may or may not have
//! reached AWS, so a blind retry could repeat a change (a second RunTask, a duplicate
//! revision); the failure goes to the app instead, which shows the endpoint offline and, for a
//! change, re-reads what happened.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// Forbids retrying connection failures, timeouts and broken responses.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoBlindRetry;

impl ClassifyRetry for NoBlindRetry {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.output_or_error() {
            Some(Err(error))
                if error.is_connector_error()
                    || error.is_timeout_error()
                    || error.is_response_error() =>
            {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "NoBlindRetry"
    }
}
