//! Profiles found in the AWS config and credentials files.

use serde::{Deserialize, Serialize};

/// How a profile gets its credentials; decides what the expired-credentials banner says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CredentialSource {
    /// IAM Identity Center (SSO).
    Sso,
    /// An external `credential_process`.
    Process,
    /// Access keys in the file.
    Static,
    /// Role assumption (`role_arn`).
    AssumeRole,
    /// Anything else (web identity, login, …).
    Other,
}

/// One named profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// Profile name.
    pub name: String,
    /// Its default region, if set.
    pub region: Option<String>,
    /// How it gets credentials.
    pub source: CredentialSource,
}

/// What to run to fix missing or expired credentials for `profile`.
pub fn credential_fix(profile: Option<&str>, source: Option<CredentialSource>) -> String {
    match (profile, source) {
        (Some(name), Some(CredentialSource::Sso)) => format!("aws sso login --profile {name}"),
        (Some(name), Some(CredentialSource::Process)) => format!(
            "the credential_process of profile {name} failed: run it by hand to see why, then retry"
        ),
        (Some(name), Some(CredentialSource::AssumeRole)) => format!(
            "refresh the source credentials of profile {name} (e.g. aws sso login --profile {name})"
        ),
        (Some(name), None) => format!(
            "profile {name} is not in your AWS config: pick another profile or run aws configure --profile {name}"
        ),
        (Some(name), _) => format!("aws configure --profile {name}"),
        (None, _) => "aws configure, or export AWS_PROFILE / AWS_ACCESS_KEY_ID".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_depends_on_the_credential_source() {
        assert_eq!(
            credential_fix(Some("prod"), Some(CredentialSource::Sso)),
            "aws sso login --profile prod"
        );
        assert!(
            credential_fix(Some("x"), Some(CredentialSource::Process))
                .contains("credential_process")
        );
        assert!(credential_fix(Some("ghost"), None).contains("not in your AWS config"));
        assert!(credential_fix(None, None).contains("aws configure"));
    }
}
