//! A task in detail with its containers.

use crate::model::ecs::console::task_url;
use crate::model::ecs::{Task, short_id};
use crate::model::{Action, Model};
use crate::ui::widgets::{
    key_values_ui, resource_links_ui, revision_link_ui, status_ui, time_text,
};
use egui::{RichText, Ui};

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("-").to_owned()
}

/// Task fields and a block per container (name, image, status, exit code, reason, health).
pub fn task_detail_ui(model: &Model, task: &Task, ui: &mut Ui, actions: &mut Vec<Action>) {
    header_ui(model, task, ui, actions);
    crate::ui::tasks::stop::stop_task_ui(model, task, ui, actions);
    ui.horizontal(|ui| {
        status_ui(ui, &task.last_status);
        ui.label(RichText::new(format!("desired {}", task.desired_status)).weak());
        if let Some(health) = &task.health_status {
            status_ui(ui, health);
        }
    });
    resource_links_ui(
        ui,
        &task.arn,
        &task_url(&model.connection.region, &task.cluster_arn, &task.arn),
    );
    key_values_ui(
        ui,
        "task-kv",
        &[
            ("Group", opt(task.group.as_deref())),
            ("Launch type", opt(task.launch_type.as_deref())),
            ("Capacity provider", opt(task.capacity_provider.as_deref())),
            ("Availability zone", opt(task.availability_zone.as_deref())),
            (
                "Container instance",
                task.container_instance_arn
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |a| short_id(a).to_owned()),
            ),
            (
                "CPU / memory",
                format!(
                    "{} / {}",
                    opt(task.cpu.as_deref()),
                    opt(task.memory.as_deref())
                ),
            ),
            ("Created", time_text(task.created_at)),
            ("Started", time_text(task.started_at)),
            ("Stopped", time_text(task.stopped_at)),
            ("Stopped reason", opt(task.stopped_reason.as_deref())),
        ],
    );
    ui.add_space(crate::ui::widgets::theme::SECTION_GAP);
    ui.label(RichText::new(format!("Containers ({})", task.containers.len())).strong());
    for container in &task.containers {
        ui.group(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&container.name).strong());
                status_ui(ui, &container.last_status);
                if let Some(health) = &container.health_status {
                    status_ui(ui, health);
                }
                if ui
                    .small_button("Logs")
                    .on_hover_text(format!("Live logs of {} alone", container.name))
                    .clicked()
                {
                    actions.push(Action::Navigate(crate::model::Route::Logs(
                        crate::model::logs::tail::TailTarget::Task {
                            cluster: task.cluster_arn.clone(),
                            task: task.arn.clone(),
                            container: Some(container.name.clone()),
                        },
                    )));
                }
                exec_buttons_ui(model, task, &container.name, ui, actions);
            });
            ui.add(egui::Label::new(RichText::new(&container.image).monospace()).wrap());
            if let Some(code) = container.exit_code {
                ui.label(format!("exit code {code}"));
            }
            if let Some(reason) = &container.reason {
                ui.label(RichText::new(reason).small());
            }
        });
    }
}

/// "Exec…" and "Forward port…": the container's exec page (the preflight comes first).
fn exec_buttons_ui(
    model: &Model,
    task: &Task,
    container: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let running = task.last_status == "RUNNING";
    let open = ui
        .add_enabled(running, egui::Button::new("Exec…").small())
        .on_hover_text(format!(
            "A shell in {container} (ECS Exec), or a port forwarded through this task"
        ))
        .on_disabled_hover_text("The task is not running");
    if open.clicked() {
        actions.push(Action::Navigate(exec_route(model, task, container)));
    }
}

/// The exec page of a container of `task`, with the way back the task page has.
fn exec_route(model: &Model, task: &Task, container: &str) -> crate::model::Route {
    let service = match &model.route {
        crate::model::Route::Task { service, .. } => service.clone(),
        _ => None,
    };
    crate::model::Route::Exec {
        target: crate::model::exec::ExecTarget {
            cluster: task.cluster_arn.clone(),
            task: task.arn.clone(),
            container: container.to_owned(),
        },
        service,
    }
}

/// The task's name, its revision, Logs and "Forward a port…".
fn header_ui(model: &Model, task: &Task, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.heading(task.id());
    ui.horizontal(|ui| {
        ui.label("Task definition");
        revision_link_ui(ui, &task.task_definition, actions);
        if ui
            .button((
                crate::ui::widgets::icons::atom(crate::ui::widgets::icons::ResourceIcon::Log),
                "Logs",
            ))
            .on_hover_text("Live logs of this task's containers")
            .clicked()
        {
            actions.push(Action::Navigate(crate::model::Route::Logs(
                crate::model::logs::tail::TailTarget::Task {
                    cluster: task.cluster_arn.clone(),
                    task: task.arn.clone(),
                    container: None,
                },
            )));
        }
    });
    if let Some(first) = task.containers.first()
        && ui
            .add_enabled(
                task.last_status == "RUNNING",
                egui::Button::new("Forward a port…"),
            )
            .on_hover_text("A local port to a container's port or a host the task reaches")
            .clicked()
    {
        actions.push(Action::Navigate(exec_route(model, task, &first.name)));
    }
}
