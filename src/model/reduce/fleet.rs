//! The `reduce` half of the fleet: loading a saved fleet (its pairs read by the worker,
//! streamed in part by part), and going from a row to that profile, region and service.

use super::next_id;
use crate::model::fleet::FleetDef;
use crate::model::fleet::load::{FleetLoad, FleetPart};
use crate::model::messages::{Action, Request, RequestId, WorkerCommand};
use crate::model::{Model, Route};
use std::time::SystemTime;

/// The fleet actions.
pub(crate) fn apply(
    model: &mut Model,
    action: Action,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    match action {
        Action::OpenFleet(name) => {
            model.route = Route::Fleet;
            let loaded = model.fleet.as_ref().map(|f| f.name.clone());
            let wanted = name
                .or_else(|| loaded.clone())
                .or_else(|| model.fleets.first().map(|f| f.name.clone()));
            if let Some(wanted) = wanted
                && loaded.as_ref() != Some(&wanted)
            {
                load(model, &wanted, now, out);
            }
        }
        Action::ReloadFleet => {
            if let Some(name) = model.fleet.as_ref().map(|f| f.name.clone()) {
                // New clients re-read the profile files: a profile fixed since (a login, a
                // corrected config) is read with what it has now.
                out.push(WorkerCommand::ResetClients);
                load(model, &name, now, out);
            }
        }
        Action::SetFleets(fleets) => model.fleets = fleets,
        Action::OpenFleetService { pair, service } => open_service(model, pair, service, now, out),
        _ => {}
    }
}

/// Starts loading fleet `name` (a load in flight is cancelled first).
fn load(model: &mut Model, name: &str, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    let Some(def) = model.fleets.iter().find(|f| f.name == name).cloned() else {
        return;
    };
    start(model, &def, now, out);
}

/// Starts loading `def`, the pairs at the app's endpoint (the emulator's, or AWS's).
pub(crate) fn start(
    model: &mut Model,
    def: &FleetDef,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    if let Some(old) = model.fleet.take()
        && !old.finished()
    {
        out.push(WorkerCommand::Cancel(old.id));
    }
    let pairs = def.pairs(model.connection.endpoint_url.as_deref());
    let id = next_id(model);
    model.fleet = Some(FleetLoad::new(id, def.name.clone(), pairs.clone(), now));
    out.push(WorkerCommand::Start {
        id,
        generation: model.generation,
        connection: model.connection.clone(),
        request: Request::LoadFleet {
            pairs,
            images: true,
        },
    });
}

/// A part of the load `id`; a part of an older load is dropped.
pub(crate) fn apply_part(
    model: &mut Model,
    id: RequestId,
    pair: usize,
    part: FleetPart,
    now: SystemTime,
) {
    match model.fleet.as_mut() {
        Some(fleet) if fleet.id == id => fleet.apply(pair, part, now),
        _ => model.dropped_responses += 1,
    }
}

/// Switches the app to the row's profile and region and opens its service.
fn open_service(
    model: &mut Model,
    pair: usize,
    service: usize,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    let Some(fleet) = model.fleet.as_ref() else {
        return;
    };
    let Some(state) = fleet.pairs.get(pair) else {
        return;
    };
    let Some(row) = state.services.get(service) else {
        return;
    };
    let route = Route::Service {
        cluster: row.cluster_arn.clone(),
        service: row.arn.clone(),
    };
    let connection = state.connection.clone();
    super::apply_action(model, Action::SetConnection(connection), now, out);
    super::apply_action(model, Action::Navigate(route), now, out);
}
