//! `ecsdeck instances`: a cluster's container instances (EC2 and EXTERNAL).

use super::output::{Column, Output, opt, print_list};
use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::ecs::{ContainerInstance, short_id};

/// The table's columns.
const COLUMNS: &[Column<ContainerInstance>] = &[
    Column {
        header: "ID",
        cell: |i| short_id(&i.arn).to_owned(),
    },
    Column {
        header: "INSTANCE",
        cell: |i| opt(i.ec2_instance_id.as_deref()),
    },
    Column {
        header: "STATUS",
        cell: |i| i.status.clone(),
    },
    Column {
        header: "AGENT",
        cell: |i| {
            if i.agent_connected {
                "connected"
            } else {
                "disconnected"
            }
            .to_owned()
        },
    },
    Column {
        header: "VERSION",
        cell: |i| opt(i.agent_version.as_deref()),
    },
    Column {
        header: "TASKS",
        cell: |i| i.running_tasks.to_string(),
    },
    Column {
        header: "CPU FREE/TOTAL",
        cell: |i| format!("{}/{}", i.remaining_cpu, i.registered_cpu),
    },
    Column {
        header: "MEMORY FREE/TOTAL",
        cell: |i| format!("{}/{}", i.remaining_memory_mib, i.registered_memory_mib),
    },
];

/// `ecsdeck instances --cluster C`.
pub(super) async fn run(ecs: &Ecs, cluster: &str, output: Output) -> Result<(), AwsError> {
    print_list(&ecs.container_instances(cluster).await?, output, COLUMNS)
}
