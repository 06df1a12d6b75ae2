//! `SdkError` → `AwsError`, built once, here.

use crate::model::{AwsError, ErrorKind};
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_types::request_id::RequestId;
use std::error::Error;

type HttpResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "MissingAuthenticationToken",
    "IncompleteSignature",
    "RequestExpired",
];
pub(crate) const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
];
const NOT_FOUND_CODES: &[&str] = &[
    "ClusterNotFoundException",
    "ServiceNotFoundException",
    "ResourceNotFoundException",
    "TargetNotFoundException",
];

/// Classifies an AWS error code.
pub fn kind_of_code(code: &str) -> ErrorKind {
    if CREDENTIAL_CODES.contains(&code) {
        ErrorKind::Credentials
    } else if THROTTLING_CODES.contains(&code) {
        ErrorKind::Throttling
    } else if NOT_FOUND_CODES.contains(&code) {
        ErrorKind::NotFound
    } else if code.starts_with("AccessDenied") || code == "UnauthorizedOperation" {
        ErrorKind::AccessDenied
    } else {
        ErrorKind::Service
    }
}

/// True when a credentials provider failure is somewhere in the chain. A provider that
/// is too slow (MFA prompt, browser SSO, hung credential_process) fails with the identity
/// cache's private timeout error, recognisable only by its message.
fn is_credentials_failure(error: &(dyn Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<CredentialsError>().is_some()
            || e.to_string().starts_with("identity resolver timed out")
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// Converts any SDK operation error into an [`AwsError`].
pub fn from_sdk<E>(
    operation: &str,
    endpoint_hint: Option<&str>,
    err: SdkError<E, HttpResponse>,
) -> AwsError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    let request_id = err.request_id().map(str::to_owned);
    let (code, message, kind) = match &err {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            let code = inner.code().unwrap_or("Unknown").to_owned();
            let raw_status = service.raw().status().as_u16();
            let message = inner
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("HTTP {raw_status} with no message"));
            let kind = kind_of_code(&code);
            (code, message, kind)
        }
        SdkError::TimeoutError(_) => (
            String::new(),
            format!("timed out: {}", DisplayErrorContext(&err)),
            ErrorKind::Timeout,
        ),
        SdkError::DispatchFailure(dispatch) => {
            let full = DisplayErrorContext(&err).to_string();
            if is_credentials_failure(&err) {
                (String::new(), full, ErrorKind::Credentials)
            } else if dispatch.is_timeout() {
                (String::new(), full, ErrorKind::Timeout)
            } else {
                let hint = endpoint_hint.map_or_else(
                    || "check the network, and that the region offers ECS".to_owned(),
                    |url| format!("check that {url} is running"),
                );
                (
                    String::new(),
                    format!("cannot reach the endpoint ({hint}): {full}"),
                    ErrorKind::Network,
                )
            }
        }
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            let kind = if status == 429 {
                ErrorKind::Throttling
            } else {
                ErrorKind::Service
            };
            (
                format!("HTTP {status}"),
                format!("unreadable response: {}", DisplayErrorContext(&err)),
                kind,
            )
        }
        _ => {
            let kind = if is_credentials_failure(&err) {
                ErrorKind::Credentials
            } else {
                ErrorKind::Internal
            };
            (String::new(), DisplayErrorContext(&err).to_string(), kind)
        }
    };
    AwsError {
        operation: operation.to_owned(),
        code,
        message,
        request_id,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::error::ConnectorError;
    use aws_sdk_ecs::operation::list_clusters::ListClustersError;

    fn dispatch(source: ConnectorError) -> SdkError<ListClustersError, HttpResponse> {
        SdkError::dispatch_failure(source)
    }

    #[test]
    fn an_unreachable_aws_endpoint_names_the_region_as_a_suspect() {
        // What a region with no ECS endpoint (DNS failure) or no network looks like.
        let io = std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "dns error: failed to lookup address",
        );
        let error = from_sdk(
            "ListClusters",
            None,
            dispatch(ConnectorError::io(Box::new(io))),
        );
        assert_eq!(error.kind, ErrorKind::Network);
        assert!(
            error.message.contains("region offers ECS"),
            "{}",
            error.message
        );
        assert!(error.message.contains("dns error"), "{}", error.message);
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = from_sdk(
            "ListClusters",
            Some("http://127.0.0.1:9"),
            dispatch(ConnectorError::io(Box::new(refused))),
        );
        assert!(
            error
                .message
                .contains("check that http://127.0.0.1:9 is running"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_credentials_provider_failure_anywhere_in_the_chain_is_a_credentials_error() {
        let cause = CredentialsError::provider_error("Token has expired and refresh failed");
        let error = from_sdk(
            "ListClusters",
            None,
            dispatch(ConnectorError::other(Box::new(cause), None)),
        );
        assert_eq!(error.kind, ErrorKind::Credentials);
        assert!(
            error.message.contains("Token has expired"),
            "{}",
            error.message
        );
        assert!(error.request_id.is_none());
    }

    #[test]
    fn codes_are_classified() {
        assert_eq!(
            kind_of_code("ExpiredTokenException"),
            ErrorKind::Credentials
        );
        assert_eq!(kind_of_code("ThrottlingException"), ErrorKind::Throttling);
        assert_eq!(
            kind_of_code("ClusterNotFoundException"),
            ErrorKind::NotFound
        );
        assert_eq!(
            kind_of_code("AccessDeniedException"),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("InvalidParameterException"),
            ErrorKind::Service
        );
    }
}
