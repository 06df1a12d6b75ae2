//! Task-definition calls. Reads keep the response body as JSON (see `raw_body`), so the
//! document shown and edited is exactly what ECS returned, fields the SDK does not know included.

use super::Ecs;
use super::error::from_sdk;
use super::raw_body::{CaptureBody, ReplaceBody};
use crate::model::AwsError;
use crate::model::task_defs::revisions::{Family, RevisionSummary};
use crate::model::task_defs::task_def::TaskDefDocument;
use aws_sdk_ecs::types::{
    ContainerDefinition, SortOrder, TaskDefinitionFamilyStatus, TaskDefinitionField,
    TaskDefinitionStatus,
};
use futures::{StreamExt, TryStreamExt, stream};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// How many of a family's newest revisions the list describes; older rows show their ARN
/// until opened, so a family with a thousand revisions costs 50 calls, not 1,000.
pub const DESCRIBED_REVISIONS: usize = 50;
/// DescribeTaskDefinition calls in flight at once.
pub const DESCRIBE_TASK_DEF_CONCURRENCY: usize = 4;

fn document_from(
    operation: &'static str,
    body: Option<Vec<u8>>,
) -> Result<TaskDefDocument, AwsError> {
    let body = body.ok_or_else(|| AwsError::internal(operation, "the response had no body"))?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| AwsError::internal(operation, format!("the response is not JSON: {e}")))?;
    TaskDefDocument::from_value(value).map_err(|e| AwsError::internal(operation, e.message))
}

impl Ecs {
    async fn family_names(
        &self,
        status: Option<TaskDefinitionFamilyStatus>,
    ) -> Result<Vec<String>, AwsError> {
        self.client
            .list_task_definition_families()
            .set_status(status)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListTaskDefinitionFamilies", self.hint(), e))
    }

    /// Every family, each marked active when it has an ACTIVE revision.
    pub async fn families(&self) -> Result<Vec<Family>, AwsError> {
        let (all, active) = futures::try_join!(
            self.family_names(Some(TaskDefinitionFamilyStatus::All)),
            self.family_names(Some(TaskDefinitionFamilyStatus::Active)),
        )?;
        let active: HashSet<String> = active.into_iter().collect();
        let mut families: Vec<Family> = all
            .into_iter()
            .map(|name| Family {
                active: active.contains(&name),
                name,
            })
            .collect();
        families.sort_by(|a, b| a.name.cmp(&b.name));
        families.dedup_by(|a, b| a.name == b.name);
        Ok(families)
    }

    pub(crate) async fn revision_arns(
        &self,
        family: &str,
        status: TaskDefinitionStatus,
    ) -> Result<Vec<String>, AwsError> {
        self.client
            .list_task_definitions()
            .family_prefix(family)
            .status(status)
            .sort(SortOrder::Desc)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListTaskDefinitions", self.hint(), e))
    }

    /// A family's revisions, newest first; the newest [`DESCRIBED_REVISIONS`] described, each
    /// with what changed from the one before it (one more is read for the last line).
    pub async fn revisions(&self, family: &str) -> Result<Vec<RevisionSummary>, AwsError> {
        let (active, inactive) = futures::try_join!(
            self.revision_arns(family, TaskDefinitionStatus::Active),
            self.revision_arns(family, TaskDefinitionStatus::Inactive),
        )?;
        let mut rows: Vec<RevisionSummary> = active
            .iter()
            .filter_map(|arn| RevisionSummary::from_arn(arn, "ACTIVE"))
            .chain(
                inactive
                    .iter()
                    .filter_map(|arn| RevisionSummary::from_arn(arn, "INACTIVE")),
            )
            // familyPrefix is a prefix on some endpoints: keep this family only.
            .filter(|row| row.family == family)
            .collect();
        rows.sort_by_key(|row| std::cmp::Reverse(row.revision));
        rows.dedup_by(|a, b| a.revision == b.revision);
        let calls: Vec<_> = rows
            .iter()
            .take(DESCRIBED_REVISIONS + 1)
            .map(|row| self.task_definition(&row.arn))
            .collect();
        let described: Vec<TaskDefDocument> = stream::iter(calls)
            .buffered(DESCRIBE_TASK_DEF_CONCURRENCY)
            .try_collect()
            .await?;
        for (row, doc) in rows.iter_mut().zip(&described) {
            if let Some(summary) = RevisionSummary::from_document(doc) {
                *row = summary;
            }
        }
        crate::model::task_defs::history::add_change_lines(&mut rows, &described);
        Ok(rows)
    }

    /// One revision (`family`, `family:rev` or an ARN) with its tags, as ECS wrote it.
    pub async fn task_definition(&self, reference: &str) -> Result<TaskDefDocument, AwsError> {
        const OPERATION: &str = "DescribeTaskDefinition";
        let capture = CaptureBody::default();
        self.client
            .describe_task_definition()
            .task_definition(reference)
            .include(TaskDefinitionField::Tags)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        document_from(OPERATION, capture.take())
    }

    /// Registers `input` (a register-task-definition input) exactly as given.
    pub async fn register_task_definition(
        &self,
        input: &Map<String, Value>,
    ) -> Result<TaskDefDocument, AwsError> {
        const OPERATION: &str = "RegisterTaskDefinition";
        self.gate.check(OPERATION)?;
        let body = serde_json::to_vec(input)
            .map_err(|e| AwsError::internal(OPERATION, format!("cannot encode: {e}")))?;
        let family = input.get("family").and_then(Value::as_str).unwrap_or("");
        let capture = CaptureBody::default();
        // The typed input only satisfies the builder; the body sent is `input` itself.
        self.client
            .register_task_definition()
            .family(family)
            .container_definitions(ContainerDefinition::builder().build())
            .customize()
            .interceptor(ReplaceBody::new(body))
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        document_from(OPERATION, capture.take())
    }

    /// Marks a revision INACTIVE.
    pub async fn deregister_task_definition(&self, arn: &str) -> Result<TaskDefDocument, AwsError> {
        const OPERATION: &str = "DeregisterTaskDefinition";
        self.gate.check(OPERATION)?;
        let capture = CaptureBody::default();
        self.client
            .deregister_task_definition()
            .task_definition(arn)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        document_from(OPERATION, capture.take())
    }
}
