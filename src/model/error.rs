//! The one error type every failed AWS call becomes (built in `aws::error`).

/// Attempts a read gets from the SDK when AWS throttles or fails it (adaptive retry).
pub const MAX_ATTEMPTS: u32 = 8;

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of failure an [`AwsError`] is, for the cases the UI treats specially.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// Credentials are missing, expired or rejected.
    Credentials,
    /// The caller is not allowed to make this call.
    AccessDenied,
    /// The resource (cluster, service, task…) does not exist.
    NotFound,
    /// AWS asked us to slow down.
    Throttling,
    /// The endpoint could not be reached (refused, DNS, TLS).
    Network,
    /// The call did not finish in time.
    Timeout,
    /// AWS answered with another error.
    Service,
    /// A failure inside ECS Deck itself (e.g. a worker task panicked).
    Internal,
    /// The change policy refused a change before anything was sent.
    ReadOnly,
}

/// A failed AWS call: which operation, AWS's error code, message and request id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsError {
    /// The API operation, e.g. `DescribeServices`.
    pub operation: String,
    /// AWS's error code, e.g. `ClusterNotFoundException`; empty when there was no response.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The request id AWS returned, for support cases.
    pub request_id: Option<String>,
    /// The classification the UI acts on.
    pub kind: ErrorKind,
}

impl AwsError {
    /// An error raised by ECS Deck itself rather than by AWS.
    pub fn internal(operation: &str, message: impl Into<String>) -> Self {
        Self {
            operation: operation.to_owned(),
            code: String::new(),
            message: message.into(),
            request_id: None,
            kind: ErrorKind::Internal,
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.operation)?;
        if !self.code.is_empty() {
            write!(f, ": {}", self.code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AwsError {}

/// A panic's message (what a caught panic becomes in an [`AwsError::internal`]).
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
