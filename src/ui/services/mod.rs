//! The services of a cluster, with the selected service's detail pane.

pub(crate) mod actions;
pub(crate) mod auto_scaling;
pub(crate) mod changes;
pub(crate) mod cockpit;
pub(crate) mod deploy;
pub(crate) mod deploy_image;
pub(crate) mod deployment_config;
pub(crate) mod deployment_settings;
pub(crate) mod detail;
pub(crate) mod glance;
pub(crate) mod history;
pub(crate) mod run_task;

use super::metrics::sparkline::{SparkBatch, sparkline_ui};
use super::widgets::table::{CellStyle, Column, SortKey, TableState, table_with_cells_ui};
use super::widgets::{loadable_ui, time_text, with_detail_ui};
use crate::model::ecs::{Service, family_revision};
use crate::model::{Action, Model, Route};
use detail::service_detail_ui;
use egui::Ui;

fn load_balancers(s: &Service) -> String {
    s.load_balancers
        .iter()
        .map(|lb| {
            let target = lb
                .target_group_arn
                .as_deref()
                .and_then(|arn| arn.split('/').nth(1))
                .or(lb.load_balancer_name.as_deref())
                .unwrap_or("?");
            match (&lb.container_name, lb.container_port) {
                (Some(name), Some(port)) => format!("{target} → {name}:{port}"),
                _ => target.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rollout(s: &Service) -> String {
    s.rollout_state().unwrap_or("-").to_owned()
}

/// Titles of the sparkline columns.
const CPU_TITLE: &str = "CPU 1h";
const MEMORY_TITLE: &str = "Memory 1h";

fn columns() -> [Column<Service>; 13] {
    [
        Column {
            title: "Name",
            width: 180.0,
            text: |s| s.name.clone(),
            sort: |s| SortKey::text(&s.name),
            style: CellStyle::Plain,
        },
        Column {
            title: "Status",
            width: 90.0,
            text: |s| s.status.clone(),
            sort: |s| SortKey::text(&s.status),
            style: CellStyle::Status,
        },
        Column {
            title: "Launch",
            width: 110.0,
            text: Service::capacity_label,
            sort: |s| SortKey::Text(s.capacity_label()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Desired",
            width: 55.0,
            text: |s| s.desired.to_string(),
            sort: |s| SortKey::Int(s.desired.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Running",
            width: 55.0,
            text: |s| s.running.to_string(),
            sort: |s| SortKey::Int(s.running.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Pending",
            width: 55.0,
            text: |s| s.pending.to_string(),
            sort: |s| SortKey::Int(s.pending.into()),
            style: CellStyle::Plain,
        },
        Column {
            title: CPU_TITLE,
            width: 105.0,
            text: |_| String::new(),
            sort: |_| SortKey::Int(0),
            style: CellStyle::Custom,
        },
        Column {
            title: MEMORY_TITLE,
            width: 105.0,
            text: |_| String::new(),
            sort: |_| SortKey::Int(0),
            style: CellStyle::Custom,
        },
        Column {
            title: "Task definition",
            width: 150.0,
            text: |s| family_revision(&s.task_definition).to_owned(),
            sort: |s| SortKey::text(family_revision(&s.task_definition)),
            style: CellStyle::Plain,
        },
        Column {
            title: "Rollout",
            width: 100.0,
            text: rollout,
            sort: |s| SortKey::Text(rollout(s)),
            style: CellStyle::Status,
        },
        Column {
            title: "Created",
            width: 135.0,
            text: |s| time_text(s.created_at),
            sort: |s| SortKey::Time(s.created_at),
            style: CellStyle::Plain,
        },
        Column {
            title: "Updated",
            width: 135.0,
            text: |s| time_text(s.updated_at()),
            sort: |s| SortKey::Time(s.updated_at()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Load balancers",
            width: 160.0,
            text: load_balancers,
            sort: |s| SortKey::Text(load_balancers(s)),
            style: CellStyle::Plain,
        },
    ]
}

fn open(cluster: &str, service: &Service) -> Action {
    Action::Navigate(Route::Service {
        cluster: cluster.to_owned(),
        service: service.arn.clone(),
    })
}

/// Services of `cluster`; Enter or double-click opens the service's tasks.
pub fn services_ui(
    model: &Model,
    state: &mut TableState,
    cluster: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let Some(fetched) = loadable_ui(ui, model.services_of(cluster), "services") else {
        return;
    };
    let services = &fetched.value;
    if services.is_empty() {
        ui.label("No services in this cluster.");
        return;
    }
    let selected = state
        .selected_row(services, fetched.version, |s| &s.arn)
        .map(|i| &services[i]);
    let detail = selected.map(|service| {
        move |ui: &mut Ui, actions: &mut Vec<Action>| {
            if ui
                .button("Tasks ›")
                .on_hover_text("Open the tasks of this service (Enter)")
                .clicked()
            {
                actions.push(open(cluster, service));
            }
            service_detail_ui(model, service, ui, actions);
        }
    });
    let sparks = model.sparklines_of(cluster).value();
    let batch = SparkBatch::new(ui.ctx());
    let cell = |ui: &mut Ui, title: &str, service: &Service| {
        let pair = sparks.and_then(|s| s.of(&service.arn));
        match title {
            CPU_TITLE => sparkline_ui(ui, pair.map(|(cpu, _)| cpu), "CPU", &batch),
            _ => sparkline_ui(ui, pair.map(|(_, memory)| memory), "Memory", &batch),
        }
    };
    let output = with_detail_ui(ui, "service-detail", actions, detail, |ui, _| {
        table_with_cells_ui(
            ui,
            "services",
            state,
            services,
            fetched.version,
            |s| &s.arn,
            &columns(),
            &cell,
        )
    });
    batch.paint();
    if let Some(index) = output.opened {
        actions.push(open(cluster, &services[index]));
    }
}
