//! What the palette can find, read from the model: commands, screens, clusters, services,
//! task-definition families, and the log groups of loaded task definitions.

use super::{Entry, EntryKind, Target};
use crate::model::ecs::short_id;
use crate::model::logs::source::LogTarget;
use crate::model::logs::tail::TailTarget;
use crate::model::{ClusterTab, Model, Route};
use crate::ui::shell::command::UiCommand;
use std::collections::BTreeSet;

/// Generation, counts of clusters, services, families and task definitions, and the saved
/// fleets' names.
pub type Fingerprint = (u64, usize, usize, usize, usize, Vec<String>);

/// A cheap summary of what the model has loaded: the index is rebuilt when it changes.
pub fn fingerprint(model: &Model) -> Fingerprint {
    let clusters = model.store.clusters.value().map_or(0, Vec::len);
    let services = model
        .store
        .services
        .values()
        .filter_map(|s| s.value())
        .map(Vec::len)
        .sum::<usize>()
        + model
            .store
            .service_arns
            .values()
            .filter_map(|s| s.value())
            .map(Vec::len)
            .sum::<usize>();
    let families = model.store.families.value().map_or(0, Vec::len);
    (
        model.generation,
        clusters,
        services,
        families,
        model.store.task_definitions.len(),
        model.fleets.iter().map(|f| f.name.clone()).collect(),
    )
}

/// Services of clusters whose service list is not loaded, known by the ARNs listed in the
/// background: found by name, opened like any other.
fn listed_only_services(model: &Model) -> Vec<Entry> {
    let mut clusters: Vec<&String> = model.store.service_arns.keys().collect();
    clusters.sort();
    let mut out = Vec::new();
    for cluster in clusters {
        if model.services_of(cluster).value().is_some() {
            continue;
        }
        let arns = model
            .store
            .service_arns
            .get(cluster)
            .and_then(|l| l.value());
        for arn in arns.into_iter().flatten() {
            out.push(Entry::new(
                format!("service:{arn}"),
                EntryKind::Service,
                short_id(arn).to_owned(),
                short_id(cluster).to_owned(),
                Target::Navigate(Route::Service {
                    cluster: cluster.clone(),
                    service: arn.clone(),
                }),
            ));
        }
    }
    out
}

/// The Fleet screen and each saved fleet.
fn fleet_entries(model: &Model) -> Vec<Entry> {
    let screen = Entry::new(
        "screen:Fleet".to_owned(),
        EntryKind::Screen,
        "Fleet".to_owned(),
        String::new(),
        Target::Act(crate::model::Action::OpenFleet(None)),
    );
    let fleets = model.fleets.iter().map(|fleet| {
        Entry::new(
            format!("fleet:{}", fleet.name),
            EntryKind::Fleet,
            fleet.name.clone(),
            format!("{} profile × region pairs", fleet.pairs(None).len()),
            Target::Act(crate::model::Action::OpenFleet(Some(fleet.name.clone()))),
        )
    });
    std::iter::once(screen).chain(fleets).collect()
}

/// Every command but the palette's own, and the top screens.
fn command_and_screen_entries(out: &mut Vec<Entry>) {
    for command in UiCommand::all() {
        if command == UiCommand::OpenPalette {
            continue;
        }
        out.push(Entry::new(
            format!("command:{command:?}"),
            EntryKind::Command,
            command.label().to_owned(),
            String::new(),
            Target::Command(command),
        ));
    }
    for (label, route) in [
        ("Clusters", Route::Clusters),
        ("Task definitions", Route::TaskDefinitions),
    ] {
        out.push(Entry::new(
            format!("screen:{label}"),
            EntryKind::Screen,
            label.to_owned(),
            String::new(),
            Target::Navigate(route),
        ));
    }
}

/// The log groups the loaded task definitions write to, each a tail.
fn log_group_entries(model: &Model, out: &mut Vec<Entry>) {
    let groups: BTreeSet<String> = model
        .store
        .task_definitions
        .values()
        .filter_map(|d| d.value())
        .flat_map(|doc| crate::model::logs::source::resolve_containers(doc.containers(), None))
        .filter_map(|(_, target)| match target {
            LogTarget::CloudWatch(t) => Some(t.group),
            LogTarget::Elsewhere(_) => None,
        })
        .collect();
    for group in groups {
        out.push(Entry::new(
            format!("group:{group}"),
            EntryKind::LogGroup,
            group.clone(),
            "tail".to_owned(),
            Target::Navigate(Route::Logs(TailTarget::Group {
                group,
                prefix: None,
            })),
        ));
    }
}

/// Commands, screens and every resource `model` has loaded.
pub(crate) fn from_model(model: &Model) -> Vec<Entry> {
    let mut out = Vec::new();
    command_and_screen_entries(&mut out);
    out.extend(fleet_entries(model));
    for cluster in model.store.clusters.value().into_iter().flatten() {
        out.push(Entry::new(
            format!("cluster:{}", cluster.arn),
            EntryKind::Cluster,
            cluster.name.clone(),
            format!(
                "{} services, {} tasks",
                cluster.services_count, cluster.running_tasks
            ),
            Target::Navigate(Route::Cluster {
                cluster: cluster.arn.clone(),
                tab: ClusterTab::Services,
            }),
        ));
    }
    let mut clusters: Vec<&String> = model.store.services.keys().collect();
    clusters.sort();
    for cluster in clusters {
        let Some(services) = model.store.services.get(cluster).and_then(|s| s.value()) else {
            continue;
        };
        for service in services {
            out.push(Entry::new(
                format!("service:{}", service.arn),
                EntryKind::Service,
                service.name.clone(),
                short_id(cluster).to_owned(),
                Target::Navigate(Route::Service {
                    cluster: cluster.clone(),
                    service: service.arn.clone(),
                }),
            ));
        }
    }
    out.extend(listed_only_services(model));
    for family in model.store.families.value().into_iter().flatten() {
        out.push(Entry::new(
            format!("family:{}", family.name),
            EntryKind::Family,
            family.name.clone(),
            String::from(if family.active { "" } else { "inactive" }),
            Target::Navigate(Route::Family {
                family: family.name.clone(),
            }),
        ));
    }
    log_group_entries(model, &mut out);
    out
}
