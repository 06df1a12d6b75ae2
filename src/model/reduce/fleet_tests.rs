//! `reduce` for the fleet (model level, no AWS): a saved fleet loads once at the app's
//! endpoint, a new one cancels the old, parts of an old load are dropped, the fleet outlives
//! a connection switch, and a row switches the app to its profile, region and service.

use super::*;
use crate::model::fleet::load::FleetPart;
use crate::model::fleet::{FleetCluster, FleetDef, FleetMember, FleetService};
use crate::model::{Connection, Route};
use std::time::Duration;

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn def(name: &str, profiles: &[&str]) -> FleetDef {
    FleetDef {
        name: name.into(),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        members: profiles
            .iter()
            .map(|p| FleetMember {
                profile: Some((*p).into()),
                regions: Vec::new(),
            })
            .collect(),
    }
}

fn model() -> Model {
    let mut m = Model::new(
        Connection {
            profile: Some("dev".into()),
            region: "us-east-1".into(),
            endpoint_url: Some("http://127.0.0.1:5000".into()),
        },
        false,
        15,
    );
    m.fleets = vec![def("all", &["prod", "staging"]), def("prod", &["prod"])];
    m
}

fn act(m: &mut Model, action: Action) -> Vec<WorkerCommand> {
    reduce(m, Msg::Action(action), t(0))
}

fn fleet_requests(out: &[WorkerCommand]) -> Vec<(RequestId, Vec<Connection>)> {
    out.iter()
        .filter_map(|c| match c {
            WorkerCommand::Start {
                id,
                request: Request::LoadFleet { pairs, images },
                ..
            } => {
                assert!(images, "the app reads images for its search");
                Some((*id, pairs.clone()))
            }
            _ => None,
        })
        .collect()
}

fn part(m: &mut Model, id: RequestId, pair: usize, part: FleetPart) {
    let event = Event {
        id,
        generation: m.generation,
        response: Response::FleetPart {
            pair,
            part: Box::new(part),
        },
    };
    reduce(m, Msg::Event(event), t(1));
}

#[test]
fn a_fleet_loads_once_at_the_apps_endpoint_and_a_new_one_cancels_the_old() {
    let mut m = model();
    let out = act(&mut m, Action::OpenFleet(None));
    assert_eq!(m.route, Route::Fleet);
    let [(first, pairs)] = &fleet_requests(&out)[..] else {
        panic!("{out:?}");
    };
    assert_eq!(pairs.len(), 4);
    assert!(
        pairs
            .iter()
            .all(|p| p.endpoint_url.as_deref() == Some("http://127.0.0.1:5000"))
    );
    assert!(fleet_requests(&act(&mut m, Action::OpenFleet(None))).is_empty());
    assert!(fleet_requests(&act(&mut m, Action::OpenFleet(Some("all".into())))).is_empty());
    let out = act(&mut m, Action::OpenFleet(Some("prod".into())));
    assert!(out.contains(&WorkerCommand::Cancel(*first)));
    let [(second, pairs)] = &fleet_requests(&out)[..] else {
        panic!("{out:?}");
    };
    assert_eq!(pairs.len(), 2);
    let dropped = m.dropped_responses;
    part(&mut m, *first, 0, FleetPart::Done { calls: 1 });
    assert_eq!(m.dropped_responses, dropped + 1, "the old load's part");
    part(&mut m, *second, 0, FleetPart::Done { calls: 1 });
    assert_eq!(m.fleet.as_ref().unwrap().pairs[0].calls, Some(1));
    // Reloading cancels the load still in flight (pair 1 never answered).
    let out = act(&mut m, Action::ReloadFleet);
    assert_eq!(fleet_requests(&out).len(), 1);
    assert!(out.contains(&WorkerCommand::Cancel(*second)));
}

#[test]
fn a_row_switches_to_its_profile_and_region_and_the_fleet_stays() {
    let mut m = model();
    let out = act(&mut m, Action::OpenFleet(Some("prod".into())));
    let [(id, _)] = &fleet_requests(&out)[..] else {
        panic!("{out:?}");
    };
    let cluster = FleetCluster {
        arn: "arn:aws:ecs:eu-west-1:111111111111:cluster/prod-eu".into(),
        name: "prod-eu".into(),
        ..FleetCluster::default()
    };
    let service = FleetService {
        arn: "arn:aws:ecs:eu-west-1:111111111111:service/prod-eu/api".into(),
        name: "api".into(),
        cluster_arn: cluster.arn.clone(),
        ..FleetService::default()
    };
    part(&mut m, *id, 1, FleetPart::Clusters(vec![cluster.clone()]));
    part(&mut m, *id, 1, FleetPart::Services(vec![service.clone()]));
    let out = act(
        &mut m,
        Action::OpenFleetService {
            pair: 1,
            service: 0,
        },
    );
    assert_eq!(m.connection.profile.as_deref(), Some("prod"));
    assert_eq!(m.connection.region, "eu-west-1");
    assert_eq!(
        m.connection.endpoint_url.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert_eq!(
        m.route,
        Route::Service {
            cluster: cluster.arn,
            service: service.arn,
        }
    );
    assert!(out.contains(&WorkerCommand::CancelAll));
    assert!(m.fleet.is_some(), "the fleet outlives the switch");
    // Its parts still arrive after the switch (they name their own load, not a generation).
    part(&mut m, *id, 1, FleetPart::Done { calls: 3 });
    assert_eq!(m.fleet.as_ref().unwrap().pairs[1].calls, Some(3));
    // A row that is not there changes nothing.
    let before = m.connection.clone();
    act(
        &mut m,
        Action::OpenFleetService {
            pair: 5,
            service: 0,
        },
    );
    assert_eq!(m.connection, before);
}

#[test]
fn refresh_on_the_fleet_reads_the_fleet_again() {
    let mut m = model();
    act(&mut m, Action::OpenFleet(None));
    let out = act(&mut m, Action::Refresh);
    assert_eq!(fleet_requests(&out).len(), 1);
    act(&mut m, Action::Navigate(Route::Clusters));
    assert!(fleet_requests(&act(&mut m, Action::Refresh)).is_empty());
}
