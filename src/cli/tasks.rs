//! `ecsdeck tasks`: a cluster's or a service's tasks, running and recently stopped.

use super::output::{Column, Output, opt, print_list};
use crate::aws::Ecs;
use crate::model::ecs::{Task, family_revision};
use crate::model::time_format::short_utc;
use crate::model::{AwsError, TaskScope};

/// The table's columns.
const COLUMNS: &[Column<Task>] = &[
    Column {
        header: "ID",
        cell: |t| t.id().to_owned(),
    },
    Column {
        header: "LAST",
        cell: |t| t.last_status.clone(),
    },
    Column {
        header: "DESIRED",
        cell: |t| t.desired_status.clone(),
    },
    Column {
        header: "HEALTH",
        cell: |t| opt(t.health_status.as_deref()),
    },
    Column {
        header: "TASK DEFINITION",
        cell: |t| family_revision(&t.task_definition).to_owned(),
    },
    Column {
        header: "LAUNCH",
        cell: |t| opt(t.launch_type.as_deref()),
    },
    Column {
        header: "AZ",
        cell: |t| opt(t.availability_zone.as_deref()),
    },
    Column {
        header: "STARTED",
        cell: |t| t.started_at.map_or_else(|| "-".to_owned(), short_utc),
    },
    Column {
        header: "STOPPED REASON",
        cell: |t| opt(t.stopped_reason.as_deref()),
    },
];

/// `ecsdeck tasks --cluster C [--service S]`, by ARN.
pub(super) async fn run(
    ecs: &Ecs,
    cluster: &str,
    service: Option<&str>,
    output: Output,
) -> Result<(), AwsError> {
    let scope = match service {
        Some(service) => TaskScope::service(cluster, service),
        None => TaskScope::cluster(cluster),
    };
    let mut tasks = ecs.tasks(&scope).await?;
    tasks.sort_by(|a, b| a.arn.cmp(&b.arn));
    print_list(&tasks, output, COLUMNS)
}
