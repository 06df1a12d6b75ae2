//! The cluster list.

pub(crate) mod instances;

use super::widgets::table::{CellStyle, Column, SortKey, TableState, table_ui};
use super::widgets::{key_values_ui, loadable_ui, resource_links_ui, status_ui, with_detail_ui};
use crate::model::ecs::Cluster;
use crate::model::ecs::console::cluster_url;
use crate::model::{Action, ClusterTab, Model, Route};
use egui::{RichText, Ui};

fn columns() -> [Column<Cluster>; 7] {
    [
        Column {
            title: "Name",
            width: 200.0,
            text: |c| c.name.clone(),
            sort: |c| SortKey::text(&c.name),
            style: CellStyle::Plain,
        },
        Column {
            title: "Status",
            width: 100.0,
            text: |c| c.status.clone(),
            sort: |c| SortKey::text(&c.status),
            style: CellStyle::Status,
        },
        Column {
            title: "Services",
            width: 70.0,
            text: |c| c.services_count.to_string(),
            sort: |c| SortKey::Int(c.services_count.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Running",
            width: 70.0,
            text: |c| c.running_tasks.to_string(),
            sort: |c| SortKey::Int(c.running_tasks.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Pending",
            width: 70.0,
            text: |c| c.pending_tasks.to_string(),
            sort: |c| SortKey::Int(c.pending_tasks.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Instances",
            width: 70.0,
            text: |c| c.container_instances.to_string(),
            sort: |c| SortKey::Int(c.container_instances.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Capacity providers",
            width: 200.0,
            text: |c| c.capacity_providers.join(", "),
            sort: |c| SortKey::text(&c.capacity_providers.join(",")),
            style: CellStyle::Plain,
        },
    ]
}

fn open(cluster: &Cluster) -> Action {
    Action::Navigate(Route::Cluster {
        cluster: cluster.arn.clone(),
        tab: ClusterTab::Services,
    })
}

/// All clusters; Enter or double-click opens one.
pub fn clusters_ui(model: &Model, state: &mut TableState, ui: &mut Ui, actions: &mut Vec<Action>) {
    let Some(fetched) = loadable_ui(ui, &model.store.clusters, "clusters") else {
        return;
    };
    let clusters = &fetched.value;
    let selected = state
        .selected_row(clusters, fetched.version, |c| &c.arn)
        .map(|i| &clusters[i]);
    let detail = selected.map(|cluster| {
        move |ui: &mut Ui, actions: &mut Vec<Action>| {
            ui.heading(&cluster.name);
            status_ui(ui, &cluster.status);
            if ui.button("Open services ›").clicked() {
                actions.push(open(cluster));
            }
            key_values_ui(
                ui,
                "cluster-kv",
                &[
                    ("Services", cluster.services_count.to_string()),
                    ("Running tasks", cluster.running_tasks.to_string()),
                    ("Pending tasks", cluster.pending_tasks.to_string()),
                    (
                        "Container instances",
                        cluster.container_instances.to_string(),
                    ),
                    ("Capacity providers", cluster.capacity_providers.join(", ")),
                    (
                        "Container Insights",
                        cluster
                            .container_insights
                            .clone()
                            .unwrap_or_else(|| "-".into()),
                    ),
                ],
            );
            resource_links_ui(
                ui,
                &cluster.arn,
                &cluster_url(&model.connection.region, &cluster.arn),
            );
        }
    });
    if clusters.is_empty() {
        ui.label(RichText::new(format!("No clusters in {}.", model.connection.region)).weak());
        return;
    }
    let output = with_detail_ui(ui, "cluster-detail", actions, detail, |ui, _| {
        table_ui(
            ui,
            "clusters",
            state,
            clusters,
            fetched.version,
            |c| &c.arn,
            &columns(),
        )
    });
    if let Some(index) = output.opened {
        actions.push(open(&clusters[index]));
    }
}
