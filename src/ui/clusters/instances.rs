//! Container instances of a cluster (EC2 and ECS Anywhere).

use crate::model::Model;
use crate::model::ecs::ContainerInstance;
use crate::model::ecs::console::container_instance_url;
use crate::ui::widgets::table::{CellStyle, Column, SortKey, TableState, table_ui};
use crate::ui::widgets::{
    key_values_ui, loadable_ui, resource_links_ui, status_ui, with_detail_ui,
};
use egui::Ui;

fn kind(i: &ContainerInstance) -> String {
    if i.is_external() { "EXTERNAL" } else { "EC2" }.to_owned()
}

fn agent(i: &ContainerInstance) -> String {
    if i.agent_connected {
        "connected"
    } else {
        "disconnected"
    }
    .to_owned()
}

fn columns() -> [Column<ContainerInstance>; 9] {
    [
        Column {
            title: "ID",
            width: 120.0,
            text: |i| i.id().get(..12).unwrap_or(i.id()).to_owned(),
            sort: |i| SortKey::text(i.id()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Instance",
            width: 150.0,
            text: |i| i.ec2_instance_id.clone().unwrap_or_default(),
            sort: |i| SortKey::text(i.ec2_instance_id.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Type",
            width: 70.0,
            text: kind,
            sort: |i| SortKey::Text(kind(i)),
            style: CellStyle::Plain,
        },
        Column {
            title: "Status",
            width: 90.0,
            text: |i| i.status.clone(),
            sort: |i| SortKey::text(&i.status),
            style: CellStyle::Status,
        },
        Column {
            title: "Agent",
            width: 100.0,
            text: agent,
            sort: |i| SortKey::Text(agent(i)),
            style: CellStyle::Status,
        },
        Column {
            title: "Version",
            width: 70.0,
            text: |i| i.agent_version.clone().unwrap_or_default(),
            sort: |i| SortKey::text(i.agent_version.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Tasks",
            width: 50.0,
            text: |i| i.running_tasks.to_string(),
            sort: |i| SortKey::Int(i.running_tasks.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "CPU free / total",
            width: 110.0,
            text: |i| format!("{} / {}", i.remaining_cpu, i.registered_cpu),
            sort: |i| SortKey::Int(i.remaining_cpu),
            style: CellStyle::Plain,
        },
        Column {
            title: "Memory free / total (MiB)",
            width: 150.0,
            text: |i| format!("{} / {}", i.remaining_memory_mib, i.registered_memory_mib),
            sort: |i| SortKey::Int(i.remaining_memory_mib),
            style: CellStyle::Plain,
        },
    ]
}

fn percent_used(remaining: i64, registered: i64) -> String {
    if registered <= 0 {
        return "-".to_owned();
    }
    format!(
        "{:.0}% used",
        100.0 * (registered - remaining) as f64 / registered as f64
    )
}

/// Container instances with a detail pane.
pub fn instances_ui(model: &Model, state: &mut TableState, cluster: &str, ui: &mut Ui) {
    let Some(fetched) = loadable_ui(ui, model.instances_of(cluster), "container instances") else {
        return;
    };
    let instances = &fetched.value;
    if instances.is_empty() {
        ui.label(
            "No container instances: this cluster runs on Fargate only, or none are registered.",
        );
        return;
    }
    let selected = state
        .selected_row(instances, fetched.version, |i| &i.arn)
        .map(|i| &instances[i]);
    let detail = selected.map(|instance| {
        move |ui: &mut Ui, _: &mut ()| {
            ui.heading(instance.id());
            status_ui(ui, &instance.status);
            key_values_ui(
                ui,
                "instance-kv",
                &[
                    (
                        "Instance",
                        instance
                            .ec2_instance_id
                            .clone()
                            .unwrap_or_else(|| "-".into()),
                    ),
                    ("Type", kind(instance)),
                    (
                        "Agent",
                        format!(
                            "{} {}",
                            agent(instance),
                            instance.agent_version.as_deref().unwrap_or("")
                        ),
                    ),
                    ("Running tasks", instance.running_tasks.to_string()),
                    ("Pending tasks", instance.pending_tasks.to_string()),
                    (
                        "CPU",
                        format!(
                            "{} of {} units free ({})",
                            instance.remaining_cpu,
                            instance.registered_cpu,
                            percent_used(instance.remaining_cpu, instance.registered_cpu)
                        ),
                    ),
                    (
                        "Memory",
                        format!(
                            "{} of {} MiB free ({})",
                            instance.remaining_memory_mib,
                            instance.registered_memory_mib,
                            percent_used(
                                instance.remaining_memory_mib,
                                instance.registered_memory_mib
                            )
                        ),
                    ),
                    (
                        "Capacity provider",
                        instance
                            .capacity_provider
                            .clone()
                            .unwrap_or_else(|| "-".into()),
                    ),
                ],
            );
            resource_links_ui(
                ui,
                &instance.arn,
                &container_instance_url(&model.connection.region, cluster, &instance.arn),
            );
        }
    });
    with_detail_ui(ui, "instance-detail", &mut (), detail, |ui, _| {
        table_ui(
            ui,
            "instances",
            state,
            instances,
            fetched.version,
            |i| &i.arn,
            &columns(),
        )
    });
}
