//! The action journal: one line per change the app made to AWS — when, where, what, and how it
//! ended. No secrets: no credentials, no environment values, no request bodies.

use crate::model::connection::Connection;
use crate::model::{MutationKind, Outcome};
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// One change the app made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// When it ended.
    #[serde(with = "crate::model::time_format::opt")]
    pub at: Option<SystemTime>,
    /// The change's id within its process (two identical changes are two entries).
    #[serde(default)]
    pub id: u64,
    /// `app` or `cli`: which made it.
    #[serde(default = "app")]
    pub via: String,
    /// Profile (None: the default chain).
    pub profile: Option<String>,
    /// Region.
    pub region: String,
    /// The endpoint override, without any `user:password@`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The operation (`UpdateService`, `RegisterTaskDefinition`, …).
    pub operation: String,
    /// What it was about (service or task ARN, draft id, revision).
    pub resource: String,
    /// What was asked, in words.
    pub summary: String,
    /// `ok`, or the error code and message.
    pub result: String,
}

fn app() -> String {
    "app".to_owned()
}

impl JournalEntry {
    /// The entry for a change the CLI made: `operation` on `resource`, and how it ended.
    pub fn of_cli(
        connection: &Connection,
        operation: &str,
        resource: &str,
        summary: &str,
        result: Result<&str, &crate::model::AwsError>,
        at: SystemTime,
    ) -> Self {
        let connection = connection.without_secrets();
        Self {
            at: Some(at),
            id: u64::from(std::process::id()),
            via: "cli".to_owned(),
            profile: connection.profile,
            region: connection.region,
            endpoint: connection.endpoint_url,
            operation: operation.to_owned(),
            resource: resource.to_owned(),
            summary: summary.to_owned(),
            result: result_text(result),
        }
    }

    /// The entry for a finished change, naming where it was sent.
    pub fn of(outcome: &Outcome, at: SystemTime) -> Self {
        let resource = match &outcome.kind {
            MutationKind::Register { draft_id } => draft_id.clone(),
            MutationKind::Deregister { arn } => arn.clone(),
            MutationKind::UpdateService { service } => service.clone(),
            MutationKind::StopTask { task } => task.clone(),
            MutationKind::SetScaling { service } => service.clone(),
            MutationKind::RunTask { task_definition } => task_definition.clone(),
            MutationKind::ExecuteCommand { task, .. }
            | MutationKind::ExecWindow { task, .. }
            | MutationKind::StartPortForward { task, .. } => task.clone(),
            MutationKind::RollBackDeployment { service }
            | MutationKind::ContinueDeployment { service }
            | MutationKind::DeployImages { service } => service.clone(),
        };
        let connection = outcome.connection.without_secrets();
        Self {
            at: Some(at),
            id: outcome.id.0,
            via: app(),
            profile: connection.profile,
            region: connection.region,
            endpoint: connection.endpoint_url,
            operation: outcome.kind.operation().to_owned(),
            resource,
            summary: outcome.summary.clone(),
            result: result_text(outcome.result.as_ref().map(String::as_str)),
        }
    }
}

fn result_text(result: Result<&str, &crate::model::AwsError>) -> String {
    match result {
        Ok(arn) => format!("ok: {arn}"),
        Err(error) if error.code.is_empty() => format!("failed: {}", error.message),
        Err(error) => format!("failed: {}: {}", error.code, error.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AwsError;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn an_entry_names_the_place_the_change_and_its_result() {
        let outcome = Outcome {
            id: crate::model::RequestId(7),
            connection: Connection {
                profile: Some("prod".into()),
                region: "eu-west-1".into(),
                endpoint_url: None,
            },
            kind: MutationKind::UpdateService {
                service: "arn:aws:ecs:us-east-1:1:service/prod/api".into(),
            },
            summary: "desired count 3 → 0".into(),
            result: Err(AwsError {
                operation: "UpdateService".into(),
                code: "AccessDeniedException".into(),
                message: "not allowed".into(),
                request_id: Some("r-1".into()),
                kind: crate::model::ErrorKind::AccessDenied,
            }),
            sent: true,
        };
        let entry = JournalEntry::of(&outcome, UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(entry.region, "eu-west-1");
        assert_eq!(entry.operation, "UpdateService");
        assert_eq!(entry.result, "failed: AccessDeniedException: not allowed");
        let line = serde_json::to_string(&entry).unwrap();
        assert!(line.contains("\"at\":\"1970-01-01T00:00:01Z\""), "{line}");
        assert_eq!(serde_json::from_str::<JournalEntry>(&line).unwrap(), entry);
    }
}
