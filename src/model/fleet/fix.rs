//! What to do about a fleet pair that failed: the fix shown in its row.

use crate::model::connection::profiles::{CredentialSource, credential_fix};
use crate::model::{AwsError, ErrorKind};

/// Error codes AWS answers with in a region the account has not enabled.
const REGION_DISABLED_CODES: [&str; 3] = [
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "AuthFailure",
];

/// The fix for `error` of the pair `profile` · `region`.
pub fn pair_fix(
    error: &AwsError,
    profile: Option<&str>,
    source: Option<CredentialSource>,
    region: &str,
) -> String {
    if REGION_DISABLED_CODES.contains(&error.code.as_str()) {
        return format!(
            "the keys are not valid in {region}: it may be an opt-in region not enabled for \
             this account (enable it under Account → AWS Regions, or take it out of the fleet)"
        );
    }
    match error.kind {
        ErrorKind::Credentials => credential_fix(profile, source),
        ErrorKind::AccessDenied => format!(
            "the identity of {} may not call {}: grant read access to ECS (and \
             cloudwatch:DescribeAlarms), or take this pair out of the fleet",
            profile.unwrap_or("the default chain"),
            error.operation
        ),
        ErrorKind::Network | ErrorKind::Timeout => format!(
            "no answer from {region}'s endpoint: check the network, or whether the region \
             exists and is enabled"
        ),
        ErrorKind::Throttling => {
            "AWS throttled this account and region: reload the fleet in a minute".to_owned()
        }
        _ => "reload the fleet; if it fails again, the error above names the call".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: &str, kind: ErrorKind) -> AwsError {
        AwsError {
            operation: "ListClusters".into(),
            code: code.into(),
            message: String::new(),
            request_id: None,
            kind,
        }
    }

    #[test]
    fn each_failure_names_its_fix() {
        let sso = pair_fix(
            &error("ExpiredToken", ErrorKind::Credentials),
            Some("prod"),
            Some(CredentialSource::Sso),
            "us-east-1",
        );
        assert_eq!(sso, "aws sso login --profile prod");
        let denied = pair_fix(
            &error("AccessDeniedException", ErrorKind::AccessDenied),
            Some("audit"),
            None,
            "us-east-1",
        );
        assert!(
            denied.contains("audit may not call ListClusters"),
            "{denied}"
        );
        let disabled = pair_fix(
            &error("UnrecognizedClientException", ErrorKind::Service),
            Some("prod"),
            None,
            "me-central-1",
        );
        assert!(disabled.contains("opt-in region"), "{disabled}");
        assert!(disabled.contains("me-central-1"), "{disabled}");
        let offline = pair_fix(&error("", ErrorKind::Network), None, None, "ap-east-1");
        assert!(offline.starts_with("no answer from ap-east-1"), "{offline}");
    }
}
