//! Which services a service tail merges: one chip per service (× removes it) and "Add
//! service" with the cluster's other services, for following e.g. api and worker together.

use crate::model::ecs::short_id;
use crate::model::logs::tail::TailTarget;
use crate::model::{Action, Model, Route};
use egui::Ui;

/// The chips and the "Add service" menu of a service tail; nothing for other targets.
pub(crate) fn targets_bar_ui(
    model: &Model,
    target: &TailTarget,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let TailTarget::Services { cluster, services } = target else {
        return;
    };
    let with = |services: Vec<String>| {
        Action::Navigate(Route::Logs(TailTarget::Services {
            cluster: cluster.clone(),
            services,
        }))
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Services");
        for service in services {
            ui.group(|ui| {
                ui.label(short_id(service));
                if services.len() > 1
                    && ui
                        .small_button("×")
                        .on_hover_text(format!("Stop following {}", short_id(service)))
                        .clicked()
                {
                    actions.push(with(
                        services.iter().filter(|s| *s != service).cloned().collect(),
                    ));
                }
            });
        }
        let others: Vec<(String, String)> = model
            .services_of(cluster)
            .value()
            .map(|all| {
                all.iter()
                    .filter(|s| {
                        !services
                            .iter()
                            .any(|t| *t == s.arn || short_id(t) == s.name)
                    })
                    .map(|s| (s.arn.clone(), s.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if others.is_empty() {
            return;
        }
        ui.menu_button("Add service…", |ui| {
            for (arn, name) in others {
                if ui.button(&name).clicked() {
                    let mut merged = services.clone();
                    merged.push(arn);
                    actions.push(with(merged));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text("Merge another service's tasks into this tail (the tail restarts)");
    });
}
