use super::*;
use crate::model::ecs::{Cluster, Service};
use crate::model::{ClusterTab, Connection, Loadable, Route, TaskScope};
use std::time::Duration;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";

pub(crate) fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

pub(crate) fn conn(profile: &str) -> Connection {
    Connection {
        profile: Some(profile.into()),
        region: "us-east-1".into(),
        endpoint_url: None,
    }
}

pub(crate) fn model() -> Model {
    Model::new(conn("dev"), true, 15)
}

pub(crate) fn act(model: &mut Model, action: Action, now: SystemTime) -> Vec<WorkerCommand> {
    reduce(model, Msg::Action(action), now)
}

pub(crate) fn loads(commands: &[WorkerCommand]) -> Vec<(RequestId, ResourceKey)> {
    commands
        .iter()
        .filter_map(|c| match c {
            WorkerCommand::Start {
                id,
                request: Request::Load(key),
                ..
            } => Some((*id, key.clone())),
            _ => None,
        })
        .collect()
}

/// Applies the worker's answer; returns what `reduce` asks next.
pub(crate) fn answer(
    model: &mut Model,
    id: RequestId,
    response: Response,
    now: SystemTime,
) -> Vec<WorkerCommand> {
    let generation = model.generation;
    reduce(
        model,
        Msg::Event(Event {
            id,
            generation,
            response,
        }),
        now,
    )
}

pub(crate) fn clusters(names: &[&str]) -> Response {
    Response::Clusters(Ok(names
        .iter()
        .map(|n| Cluster {
            name: (*n).into(),
            ..Cluster::default()
        })
        .collect()))
}

pub(crate) fn denied() -> AwsError {
    AwsError {
        operation: "ListClusters".into(),
        code: "ExpiredTokenException".into(),
        message: "The security token included in the request is expired".into(),
        request_id: Some("req-1".into()),
        kind: ErrorKind::Credentials,
    }
}

pub(crate) fn service_route() -> Route {
    Route::Service {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
    }
}

#[test]
fn start_reads_profiles_and_loads_clusters() {
    let mut m = model();
    let out = act(&mut m, Action::Start, t(0));
    assert!(out.iter().any(|c| matches!(
        c,
        WorkerCommand::Start {
            request: Request::ListProfiles,
            ..
        }
    )));
    assert_eq!(loads(&out).len(), 1);
    assert_eq!(loads(&out)[0].1, ResourceKey::Clusters);
    assert!(m.store.clusters.is_pending());
}

#[test]
fn a_superseded_response_is_dropped() {
    let mut m = model();
    let first = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    // The first load is still pending, so Refresh does not start a second one…
    assert!(loads(&act(&mut m, Action::Refresh, t(1))).is_empty());
    answer(&mut m, first, clusters(&["a"]), t(2));
    let second = loads(&act(&mut m, Action::Refresh, t(3)))[0].0;
    // …and an answer to an id that is no longer the latest is ignored.
    answer(&mut m, first, clusters(&["stale"]), t(4));
    assert_eq!(m.dropped_responses, 1);
    answer(&mut m, second, clusters(&["b"]), t(5));
    assert_eq!(
        m.store.clusters.value().map(|v| v[0].name.as_str()),
        Some("b")
    );
    assert_eq!(m.store.clusters.fetched_at(), Some(t(5)));
}

#[test]
fn refresh_keeps_showing_the_previous_value() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(1));
    act(&mut m, Action::Refresh, t(2));
    assert!(m.store.clusters.is_pending());
    assert_eq!(m.store.clusters.value().map(Vec::len), Some(1));
}

#[test]
fn switching_connection_cancels_everything_and_drops_old_answers() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    let out = act(&mut m, Action::SetConnection(conn("prod")), t(1));
    assert!(out.contains(&WorkerCommand::CancelAll));
    assert_eq!(m.generation, 1);
    let new_id = loads(&out)[0].0;
    // The old profile's answer arrives late, tagged with generation 0.
    reduce(
        &mut m,
        Msg::Event(Event {
            id,
            generation: 0,
            response: clusters(&["old"]),
        }),
        t(2),
    );
    assert_eq!(m.dropped_responses, 1);
    assert!(m.store.clusters.value().is_none());
    answer(&mut m, new_id, clusters(&["new"]), t(3));
    assert_eq!(
        m.store.clusters.value().map(|v| v[0].name.as_str()),
        Some("new")
    );
}

#[test]
fn switching_connection_goes_back_to_the_cluster_list() {
    let mut m = model();
    act(&mut m, Action::Navigate(service_route()), t(0));
    act(&mut m, Action::SetConnection(conn("prod")), t(1));
    assert_eq!(m.route, Route::Clusters);
    assert!(m.store.services.is_empty());
    // The same connection again changes nothing.
    assert!(act(&mut m, Action::SetConnection(conn("prod")), t(2)).is_empty());
}

#[test]
fn leaving_a_view_cancels_its_loads_and_drops_their_answers() {
    let mut m = model();
    let out = act(&mut m, Action::Navigate(service_route()), t(0));
    let ids = loads(&out);
    assert_eq!(
        ids.len(),
        4,
        "services of the cluster, tasks, auto scaling and deployments of the service"
    );
    let out = act(&mut m, Action::Navigate(Route::Clusters), t(1));
    let cancelled: Vec<_> = out
        .iter()
        .filter(|c| matches!(c, WorkerCommand::Cancel(_)))
        .collect();
    assert_eq!(cancelled.len(), 4);
    answer(
        &mut m,
        ids[0].0,
        Response::Services(Ok(vec![Service::default()])),
        t(2),
    );
    assert_eq!(m.dropped_responses, 1);
    assert_eq!(*m.services_of(CLUSTER), Loadable::NotRequested);
}

#[test]
fn navigating_back_reuses_fresh_data_and_reloads_stale_data() {
    let mut m = model();
    let cluster = Route::Cluster {
        cluster: CLUSTER.into(),
        tab: ClusterTab::Services,
    };
    let id = loads(&act(&mut m, Action::Navigate(cluster.clone()), t(0)))[0].0;
    answer(&mut m, id, Response::Services(Ok(vec![])), t(1));
    act(&mut m, Action::Navigate(Route::Clusters), t(2));
    assert!(loads(&act(&mut m, Action::Navigate(cluster.clone()), t(5))).is_empty());
    act(&mut m, Action::Navigate(Route::Clusters), t(6));
    assert_eq!(
        loads(&act(&mut m, Action::Navigate(cluster), t(20))).len(),
        1
    );
}

#[test]
fn auto_refresh_fires_once_per_interval_and_not_when_paused() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(1));
    assert!(loads(&act(&mut m, Action::Tick, t(10))).is_empty());
    let due = loads(&act(&mut m, Action::Tick, t(16)));
    assert_eq!(due.len(), 1);
    assert!(
        loads(&act(&mut m, Action::Tick, t(16))).is_empty(),
        "already in flight"
    );
    answer(&mut m, due[0].0, clusters(&["a"]), t(16));
    act(&mut m, Action::SetAutoRefresh(false), t(17));
    assert!(loads(&act(&mut m, Action::Tick, t(100))).is_empty());
    act(&mut m, Action::SetRefreshInterval(60), t(100));
    act(&mut m, Action::SetAutoRefresh(true), t(100));
    assert!(loads(&act(&mut m, Action::Tick, t(60))).is_empty());
    assert_eq!(loads(&act(&mut m, Action::Tick, t(100))).len(), 1);
}

#[test]
fn a_failed_load_is_retried_by_auto_refresh() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    let unavailable = AwsError {
        code: "ServiceUnavailableException".into(),
        kind: ErrorKind::Service,
        ..denied()
    };
    answer(&mut m, id, Response::Clusters(Err(unavailable)), t(1));
    assert!(loads(&act(&mut m, Action::Tick, t(5))).is_empty());
    assert_eq!(loads(&act(&mut m, Action::Tick, t(16))).len(), 1);
}

#[test]
fn profiles_answer_is_stored_and_an_unasked_one_dropped() {
    let mut m = model();
    let out = act(&mut m, Action::Start, t(0));
    let Some(WorkerCommand::Start { id, .. }) = out.first() else {
        panic!("profiles first");
    };
    answer(
        &mut m,
        *id,
        Response::Profiles(Err("config unreadable".into())),
        t(1),
    );
    assert_eq!(
        m.profiles.error().map(|e| e.message.as_str()),
        Some("config unreadable")
    );
    answer(&mut m, RequestId(999), Response::Profiles(Ok(vec![])), t(2));
    assert_eq!(m.dropped_responses, 1);
}

#[test]
fn tasks_of_a_service_are_kept_apart_from_the_cluster_tasks() {
    let mut m = model();
    let out = act(&mut m, Action::Navigate(service_route()), t(0));
    let (id, key) = loads(&out)[1].clone();
    assert_eq!(key, ResourceKey::Tasks(TaskScope::service(CLUSTER, "api")));
    answer(&mut m, id, Response::Tasks(Ok(vec![])), t(1));
    assert!(
        m.tasks_of(&TaskScope::service(CLUSTER, "api"))
            .value()
            .is_some()
    );
    assert!(m.tasks_of(&TaskScope::cluster(CLUSTER)).value().is_none());
}

#[test]
fn a_clock_going_backwards_neither_reloads_at_once_nor_stalls() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(1_000)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(1_000));
    // The clock jumps back an hour: nothing is due now…
    assert!(
        loads(&act(
            &mut m,
            Action::Tick,
            t(1_000) - Duration::from_secs(3_600)
        ))
        .is_empty()
    );
    // …and the next refresh comes one interval after the new "now", not an hour later.
    let back = t(1_000) - Duration::from_secs(3_600);
    assert!(loads(&act(&mut m, Action::Tick, back + Duration::from_secs(14))).is_empty());
    assert_eq!(
        loads(&act(&mut m, Action::Tick, back + Duration::from_secs(15))).len(),
        1
    );
}

#[test]
fn the_refresh_interval_runs_from_the_answer_so_slow_loads_do_not_loop() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    // The load takes 40 s, longer than the 15 s interval.
    answer(&mut m, id, clusters(&["a"]), t(40));
    assert!(loads(&act(&mut m, Action::Tick, t(41))).is_empty());
    assert!(loads(&act(&mut m, Action::Tick, t(54))).is_empty());
    assert_eq!(loads(&act(&mut m, Action::Tick, t(55))).len(), 1);
}

#[test]
fn reconnect_drops_cached_clients_then_reloads() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, Response::Clusters(Err(denied())), t(1));
    let out = act(&mut m, Action::Reconnect, t(2));
    assert_eq!(out.first(), Some(&WorkerCommand::ResetClients));
    assert_eq!(loads(&out).len(), 1);
    assert_eq!(
        m.generation, 0,
        "same connection: answers already in flight stay valid"
    );
}

#[test]
fn every_stored_answer_gets_a_new_version() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(0));
    let first = m.store.clusters.fetched().map(|f| f.version);
    let id = loads(&act(&mut m, Action::Refresh, t(0)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(0));
    let second = m.store.clusters.fetched().map(|f| f.version);
    assert!(first.is_some() && second.is_some() && first != second);
}

#[test]
fn a_pinned_services_cluster_list_is_loaded_and_refreshed_from_any_screen() {
    let mut m = model();
    let started = loads(&act(&mut m, Action::Start, t(0)));
    assert_eq!(started.len(), 1, "{started:?}");
    let pin = crate::model::workspace::pins::Pin {
        connection: conn("dev"),
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
        name: "api".into(),
    };
    let pinned = loads(&act(&mut m, Action::Pin(pin.clone()), t(1)));
    assert_eq!(
        pinned.iter().map(|(_, k)| k.clone()).collect::<Vec<_>>(),
        vec![ResourceKey::Services(CLUSTER.into())]
    );
    // Leaving a cluster does not cancel what the sidebar needs.
    let commands = act(&mut m, Action::Navigate(Route::TaskDefinitions), t(2));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, WorkerCommand::Cancel(id) if *id == pinned[0].0)),
        "{commands:?}"
    );
    // A pin of another profile loads nothing here; unpinning stops the refresh.
    let elsewhere = crate::model::workspace::pins::Pin {
        connection: conn("prod"),
        ..pin.clone()
    };
    act(&mut m, Action::Pin(elsewhere), t(3));
    assert_eq!(m.watched_keys().len(), 3, "{:?}", m.watched_keys());
    act(&mut m, Action::Unpin(pin), t(4));
    assert_eq!(
        m.watched_keys(),
        vec![ResourceKey::Families, ResourceKey::FamilyOverview]
    );
    assert_eq!(m.pins.len(), 1);
}
