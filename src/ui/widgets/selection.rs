//! The selected resource of the current screen, for Copy ARN and Open in console.

use super::table::TableState;
use crate::model::{ClusterTab, Model, Route};
use crate::ui::ViewState;

/// Builds a console link from region, cluster and resource.
type ConsoleUrl = fn(&str, &str, &str) -> String;

/// The selected resource's ARN and console URL, for Copy ARN / Open in console.
pub fn selected_resource(model: &Model, view: &ViewState) -> Option<(String, String)> {
    let region = &model.connection.region;
    match &model.route {
        Route::Clusters => {
            let arn = view.clusters.selected.clone()?;
            let url = crate::model::ecs::console::cluster_url(region, &arn);
            Some((arn, url))
        }
        Route::Cluster { cluster, tab } => {
            let (state, url): (&TableState, ConsoleUrl) = match tab {
                ClusterTab::Services => (&view.services, crate::model::ecs::console::service_url),
                ClusterTab::Tasks => (&view.tasks, crate::model::ecs::console::task_url),
                ClusterTab::Instances => (
                    &view.instances,
                    crate::model::ecs::console::container_instance_url,
                ),
            };
            let arn = state.selected.clone()?;
            let url = url(region, cluster, &arn);
            Some((arn, url))
        }
        Route::Service { cluster, .. } => {
            let arn = view.tasks.selected.clone()?;
            let url = crate::model::ecs::console::task_url(region, cluster, &arn);
            Some((arn, url))
        }
        Route::Task { cluster, task, .. } => Some((
            task.clone(),
            crate::model::ecs::console::task_url(region, cluster, task),
        )),
        Route::Exec { target, .. } => Some((
            target.task.clone(),
            crate::model::ecs::console::task_url(region, &target.cluster, &target.task),
        )),
        Route::Family { .. } => {
            let arn = view.task_defs.revisions.selected.clone()?;
            let url = crate::model::ecs::console::task_definition_url(region, &arn);
            Some((arn, url))
        }
        Route::Revision { arn } => Some((
            arn.clone(),
            crate::model::ecs::console::task_definition_url(region, arn),
        )),
        Route::TaskDefinitions
        | Route::Draft { .. }
        | Route::Compare { .. }
        | Route::Journal
        | Route::Settings
        | Route::Sessions
        | Route::Fleet
        | Route::Logs(_)
        | Route::Metrics(_)
        | Route::Incident(_) => None,
        Route::Deploy {
            cluster, service, ..
        }
        | Route::DeploymentChanges {
            cluster, service, ..
        } => Some((
            service.clone(),
            crate::model::ecs::console::service_url(region, cluster, service),
        )),
    }
}
