//! `Loadable<T>`: an async value that keeps its previous value while refreshing or failing.

use crate::model::error::AwsError;
use std::time::SystemTime;

/// A value together with when it was fetched.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched<T> {
    /// The data.
    pub value: T,
    /// When the response arrived.
    pub fetched_at: SystemTime,
    /// Unique per stored response, so views can cache work derived from this exact value.
    pub version: u64,
}

/// The state of one piece of remote data.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loadable<T> {
    /// Nobody asked for it yet.
    #[default]
    NotRequested,
    /// A request is in flight; the last good value, if any, stays visible.
    Pending {
        /// The value shown meanwhile.
        previous: Option<Fetched<T>>,
    },
    /// The latest request succeeded.
    Ready(Fetched<T>),
    /// The latest request failed; the last good value, if any, stays visible.
    Failed {
        /// The value shown meanwhile.
        previous: Option<Fetched<T>>,
        /// Why the latest request failed.
        error: AwsError,
    },
}

impl<T> Loadable<T> {
    /// The newest good value and its fetch time, whatever the current state.
    pub fn fetched(&self) -> Option<&Fetched<T>> {
        match self {
            Self::NotRequested => None,
            Self::Pending { previous } | Self::Failed { previous, .. } => previous.as_ref(),
            Self::Ready(fetched) => Some(fetched),
        }
    }

    /// The newest good value, whatever the current state.
    pub fn value(&self) -> Option<&T> {
        self.fetched().map(|f| &f.value)
    }

    /// When the newest good value was fetched.
    pub fn fetched_at(&self) -> Option<SystemTime> {
        self.fetched().map(|f| f.fetched_at)
    }

    /// The error of the latest request, if it failed.
    pub fn error(&self) -> Option<&AwsError> {
        match self {
            Self::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// True while a request is in flight.
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending { .. })
    }

    /// Moves to `Pending`, keeping the last good value.
    pub fn start(&mut self) {
        let previous = self.take_fetched();
        *self = Self::Pending { previous };
    }

    /// Leaves `Pending` without a result (the request was cancelled).
    pub fn cancel(&mut self) {
        if let Self::Pending { previous } = self {
            *self = match previous.take() {
                Some(fetched) => Self::Ready(fetched),
                None => Self::NotRequested,
            };
        }
    }

    /// Stores the result of a request; `version` must be unique among stored responses.
    pub fn finish(&mut self, result: Result<T, AwsError>, now: SystemTime, version: u64) {
        *self = match result {
            Ok(value) => Self::Ready(Fetched {
                value,
                fetched_at: now,
                version,
            }),
            Err(error) => Self::Failed {
                previous: self.take_fetched(),
                error,
            },
        };
    }

    fn take_fetched(&mut self) -> Option<Fetched<T>> {
        match std::mem::take(self) {
            Self::NotRequested => None,
            Self::Pending { previous } | Self::Failed { previous, .. } => previous,
            Self::Ready(fetched) => Some(fetched),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error::ErrorKind;
    use std::time::Duration;

    fn err() -> AwsError {
        AwsError {
            operation: "ListClusters".into(),
            code: "ThrottlingException".into(),
            message: "Rate exceeded".into(),
            request_id: Some("r-1".into()),
            kind: ErrorKind::Throttling,
        }
    }

    #[test]
    fn refresh_keeps_previous_value_while_pending_and_after_failure() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        let mut value: Loadable<u32> = Loadable::NotRequested;
        value.start();
        assert!(value.is_pending());
        assert_eq!(value.value(), None);
        value.finish(Ok(7), t0, 1);
        value.start();
        assert_eq!(value.value(), Some(&7));
        value.finish(Err(err()), t0 + Duration::from_secs(5), 2);
        assert_eq!(value.value(), Some(&7));
        assert_eq!(value.fetched_at(), Some(t0));
        assert_eq!(
            value.error().map(|e| e.code.as_str()),
            Some("ThrottlingException")
        );
    }

    #[test]
    fn cancel_returns_to_the_previous_state() {
        let mut value: Loadable<u32> = Loadable::NotRequested;
        value.start();
        value.cancel();
        assert_eq!(value, Loadable::NotRequested);
        value.finish(Ok(1), SystemTime::UNIX_EPOCH, 1);
        value.start();
        value.cancel();
        assert_eq!(value.value(), Some(&1));
        assert!(!value.is_pending());
    }
}
