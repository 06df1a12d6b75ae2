//! What to do about a fleet pair that failed: the fix shown in its row.

use crate::model::connection::profiles::{CredentialSource, credential_fix};
use crate::model::{AwsError, ErrorKind};

/// Error codes AWS answers with in a region the account has not enabled.
const REGION_DISABLED_CODES: [&str; 3] = [
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "AuthFailure",
];

/// The fix shown for pair `index` of `load` when it failed, its profile's kind of
/// credentials looked up in `profiles`.
pub fn fix_of(
    load: &super::load::FleetLoad,
    index: usize,
    profiles: &[crate::model::connection::profiles::ProfileInfo],
) -> Option<String> {
    use super::load::PairStatus;
    let pair = load.pairs.get(index)?;
    let PairStatus::Failed(error) = &pair.status else {
        return None;
    };
    let profile = pair.connection.profile.as_deref();
    let source = profile
        .and_then(|name| profiles.iter().find(|p| p.name == name))
        .map(|p| p.source);
    // The same keys read another region: this region is the one that refuses them.
    let works_elsewhere = load.pairs.iter().any(|other| {
        other.connection.profile.as_deref() == profile
            && matches!(other.status, PairStatus::Loaded | PairStatus::SameAs(_))
    });
    Some(pair_fix(
        error,
        (profile, source),
        &pair.connection.region,
        works_elsewhere,
    ))
}

/// The fix for `error` of the pair `profile` · `region`; `works_elsewhere`: the same
/// profile was read in another region.
pub fn pair_fix(
    error: &AwsError,
    (profile, source): (Option<&str>, Option<CredentialSource>),
    region: &str,
    works_elsewhere: bool,
) -> String {
    if works_elsewhere && REGION_DISABLED_CODES.contains(&error.code.as_str()) {
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
            (Some("prod"), Some(CredentialSource::Sso)),
            "us-east-1",
            false,
        );
        assert_eq!(sso, "aws sso login --profile prod");
        let denied = pair_fix(
            &error("AccessDeniedException", ErrorKind::AccessDenied),
            (Some("audit"), None),
            "us-east-1",
            false,
        );
        assert!(
            denied.contains("audit may not call ListClusters"),
            "{denied}"
        );
        let invalid = error("UnrecognizedClientException", ErrorKind::Credentials);
        let disabled = pair_fix(&invalid, (Some("prod"), None), "me-central-1", true);
        assert!(disabled.contains("opt-in region"), "{disabled}");
        assert!(disabled.contains("me-central-1"), "{disabled}");
        // Refused in every region: the keys themselves.
        let revoked = pair_fix(
            &invalid,
            (Some("prod"), Some(CredentialSource::Static)),
            "us-east-1",
            false,
        );
        assert_eq!(revoked, "aws configure --profile prod");
        let offline = pair_fix(
            &error("", ErrorKind::Network),
            (None, None),
            "ap-east-1",
            false,
        );
        assert!(offline.starts_with("no answer from ap-east-1"), "{offline}");
    }
}
