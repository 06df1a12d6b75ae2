//! `ecsdeck services`: a cluster's services, by name.

use super::output::{Column, Output, opt, print_list};
use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::ecs::{Service, family_revision};

/// The table's columns.
const COLUMNS: &[Column<Service>] = &[
    Column {
        header: "NAME",
        cell: |s| s.name.clone(),
    },
    Column {
        header: "STATUS",
        cell: |s| s.status.clone(),
    },
    Column {
        header: "LAUNCH",
        cell: |s| s.capacity_label(),
    },
    Column {
        header: "DESIRED",
        cell: |s| s.desired.to_string(),
    },
    Column {
        header: "RUNNING",
        cell: |s| s.running.to_string(),
    },
    Column {
        header: "PENDING",
        cell: |s| s.pending.to_string(),
    },
    Column {
        header: "TASK DEFINITION",
        cell: |s| family_revision(&s.task_definition).to_owned(),
    },
    Column {
        header: "ROLLOUT",
        cell: |s| opt(s.rollout_state()),
    },
];

/// `ecsdeck services --cluster C`, by name.
pub(super) async fn run(ecs: &Ecs, cluster: &str, output: Output) -> Result<(), AwsError> {
    let mut services = ecs.services(cluster).await?;
    services.sort_by(|a, b| a.name.cmp(&b.name));
    print_list(&services, output, COLUMNS)
}
