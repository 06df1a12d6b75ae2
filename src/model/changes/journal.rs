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
    /// Profile (None: the default chain).
    pub profile: Option<String>,
    /// Region.
    pub region: String,
    /// The operation (`UpdateService`, `RegisterTaskDefinition`, …).
    pub operation: String,
    /// What it was about (service or task ARN, draft id, revision).
    pub resource: String,
    /// What was asked, in words.
    pub summary: String,
    /// `ok`, or the error code and message.
    pub result: String,
}

impl JournalEntry {
    /// The entry for a finished change.
    pub fn of(outcome: &Outcome, connection: &Connection, at: SystemTime) -> Self {
        let resource = match &outcome.kind {
            MutationKind::Register { draft_id } => draft_id.clone(),
            MutationKind::Deregister { arn } => arn.clone(),
            MutationKind::UpdateService { service } => service.clone(),
            MutationKind::StopTask { task } => task.clone(),
            MutationKind::SetScaling { service } => service.clone(),
            MutationKind::RunTask { task_definition } => task_definition.clone(),
            MutationKind::RollBackDeployment { service } => service.clone(),
        };
        let result = match &outcome.result {
            Ok(arn) => format!("ok: {arn}"),
            Err(error) if error.code.is_empty() => format!("failed: {}", error.message),
            Err(error) => format!("failed: {}: {}", error.code, error.message),
        };
        Self {
            at: Some(at),
            profile: connection.profile.clone(),
            region: connection.region.clone(),
            operation: outcome.kind.operation().to_owned(),
            resource,
            summary: outcome.summary.clone(),
            result,
        }
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
        let connection = Connection {
            profile: Some("prod".into()),
            region: "eu-west-1".into(),
            endpoint_url: None,
        };
        let entry = JournalEntry::of(&outcome, &connection, UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(entry.operation, "UpdateService");
        assert_eq!(entry.result, "failed: AccessDeniedException: not allowed");
        let line = serde_json::to_string(&entry).unwrap();
        assert!(line.contains("\"at\":\"1970-01-01T00:00:01Z\""), "{line}");
        assert_eq!(serde_json::from_str::<JournalEntry>(&line).unwrap(), entry);
    }
}
