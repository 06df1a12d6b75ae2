//! Tasks of a cluster or service, and the full page of one task.

pub(crate) mod detail;
pub(crate) mod stop;

use super::widgets::table::{CellStyle, Column, SortKey, TableState, table_ui};
use super::widgets::{loadable_ui, time_text, with_detail_ui};
use crate::model::ecs::{Task, family_revision};
use crate::model::{Action, Model, Route, TaskScope};
use detail::task_detail_ui;
use egui::{RichText, Ui};

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("-").to_owned()
}

/// A cluster's tasks: every column, the group second.
fn columns() -> [Column<Task>; 11] {
    [
        Column {
            title: "Task",
            width: 80.0,
            text: |t| t.short_id().to_owned(),
            sort: |t| SortKey::text(t.id()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Service / group",
            width: 140.0,
            text: |t| opt(t.group.as_deref()),
            sort: |t| SortKey::text(t.group.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Last status",
            width: 95.0,
            text: |t| t.last_status.clone(),
            sort: |t| SortKey::text(&t.last_status),
            style: CellStyle::Status,
        },
        Column {
            title: "Desired",
            width: 85.0,
            text: |t| t.desired_status.clone(),
            sort: |t| SortKey::text(&t.desired_status),
            style: CellStyle::Plain,
        },
        Column {
            title: "Health",
            width: 90.0,
            text: |t| opt(t.health_status.as_deref()),
            sort: |t| SortKey::text(t.health_status.as_deref().unwrap_or_default()),
            style: CellStyle::Status,
        },
        Column {
            title: "Revision",
            width: 130.0,
            text: |t| family_revision(&t.task_definition).to_owned(),
            sort: |t| SortKey::text(family_revision(&t.task_definition)),
            style: CellStyle::Plain,
        },
        Column {
            title: "Launch",
            width: 70.0,
            text: |t| opt(t.launch_type.as_deref()),
            sort: |t| SortKey::text(t.launch_type.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "AZ",
            width: 80.0,
            text: |t| opt(t.availability_zone.as_deref()),
            sort: |t| SortKey::text(t.availability_zone.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Started",
            width: 135.0,
            text: |t| time_text(t.started_at),
            sort: |t| SortKey::Time(t.started_at),
            style: CellStyle::Plain,
        },
        Column {
            title: "Stopped",
            width: 135.0,
            text: |t| time_text(t.stopped_at),
            sort: |t| SortKey::Time(t.stopped_at),
            style: CellStyle::Plain,
        },
        Column {
            title: "Stopped reason",
            width: 200.0,
            text: |t| opt(t.stopped_reason.as_deref()),
            sort: |t| SortKey::text(t.stopped_reason.as_deref().unwrap_or_default()),
            style: CellStyle::Plain,
        },
    ]
}

/// A service's tasks: why each stopped next to its status, then when (the page opens sorted
/// with the stopped ones first, newest stop on top).
fn service_columns() -> Vec<Column<Task>> {
    const ORDER: [&str; 10] = [
        "Task",
        "Last status",
        "Health",
        "Stopped reason",
        "Stopped",
        "Started",
        "Revision",
        "AZ",
        "Launch",
        "Desired",
    ];
    let all = columns();
    ORDER
        .iter()
        .filter_map(|title| all.iter().find(|c| c.title == *title).copied())
        .map(|c| match c.title {
            "Stopped reason" => Column {
                title: "Why stopped",
                ..c
            },
            _ => c,
        })
        .collect()
}

/// Tasks of `scope`; `service` is the service ARN when scoped to one.
pub fn tasks_ui(
    model: &Model,
    state: &mut TableState,
    scope: &TaskScope,
    service: Option<&str>,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let Some(fetched) = loadable_ui(ui, model.tasks_of(scope), "tasks") else {
        return;
    };
    let tasks = &fetched.value;
    if tasks.is_empty() {
        ui.label("No running or recently stopped tasks.");
        return;
    }
    let open = |task: &Task| {
        Action::Navigate(Route::Task {
            cluster: scope.cluster.clone(),
            service: service.map(str::to_owned),
            task: task.arn.clone(),
        })
    };
    let selected = state
        .selected_row(tasks, fetched.version, |t| &t.arn)
        .map(|i| &tasks[i]);
    let detail = selected.map(|task| {
        move |ui: &mut Ui, actions: &mut Vec<Action>| {
            if ui
                .button("Open task ›")
                .on_hover_text("Open this task (Enter)")
                .clicked()
            {
                actions.push(open(task));
            }
            task_detail_ui(model, task, ui, actions);
        }
    });
    let output = with_detail_ui(ui, "task-detail", actions, detail, |ui, _| {
        if service.is_some() {
            let columns = service_columns();
            if state.sort.is_none() {
                // Stopped first: the newest stop on top, running tasks (no stop time) last.
                state.sort = columns
                    .iter()
                    .position(|c| c.title == "Stopped")
                    .map(|i| (i, false));
            }
            table_ui(
                ui,
                "service-tasks",
                state,
                tasks,
                fetched.version,
                |t| &t.arn,
                &columns,
            )
        } else {
            table_ui(
                ui,
                "tasks",
                state,
                tasks,
                fetched.version,
                |t| &t.arn,
                &columns(),
            )
        }
    });
    if let Some(index) = output.opened {
        actions.push(open(&tasks[index]));
    }
}

/// One task, full width.
pub fn task_page_ui(
    model: &Model,
    cluster: &str,
    service: Option<&str>,
    task_arn: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let scope = match service {
        Some(service) => TaskScope::service(cluster, service),
        None => TaskScope::cluster(cluster),
    };
    let Some(fetched) = loadable_ui(ui, model.tasks_of(&scope), "task") else {
        return;
    };
    match fetched.value.iter().find(|t| t.arn == task_arn) {
        Some(task) => {
            egui::ScrollArea::vertical().show(ui, |ui| task_detail_ui(model, task, ui, actions));
        }
        None => {
            ui.label(RichText::new(
                "This task is no longer listed: ECS forgets stopped tasks about an hour after they stop. Press Esc to go back.",
            ));
        }
    }
}
