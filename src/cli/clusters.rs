//! `ecsdeck clusters`: every cluster with its service, task and instance counts.

use super::output::{Column, Output, print_list};
use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::ecs::Cluster;

/// The table's columns.
const COLUMNS: &[Column<Cluster>] = &[
    Column {
        header: "NAME",
        cell: |c| c.name.clone(),
    },
    Column {
        header: "STATUS",
        cell: |c| c.status.clone(),
    },
    Column {
        header: "SERVICES",
        cell: |c| c.services_count.to_string(),
    },
    Column {
        header: "RUNNING",
        cell: |c| c.running_tasks.to_string(),
    },
    Column {
        header: "PENDING",
        cell: |c| c.pending_tasks.to_string(),
    },
    Column {
        header: "INSTANCES",
        cell: |c| c.container_instances.to_string(),
    },
    Column {
        header: "CAPACITY PROVIDERS",
        cell: |c| c.capacity_providers.join(","),
    },
];

/// `ecsdeck clusters`.
pub(super) async fn run(ecs: &Ecs, output: Output) -> Result<(), AwsError> {
    print_list(&ecs.clusters().await?, output, COLUMNS)
}
