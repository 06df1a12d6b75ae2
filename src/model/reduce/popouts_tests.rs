//! Pop-out windows in `reduce`: what they load, where the main window goes, the one log tail.

use super::tests::{act, conn, model, t};
use super::*;
use crate::model::logs::tail::TailTarget;
use crate::model::metrics::MetricRange;
use crate::model::metrics::charts::{MetricsKey, MetricsScope};
use crate::model::workspace::popouts::POPOUTS_MAX;
use crate::model::{Connection, DiffSide, Route};

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
const API: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";
const WEB: &str = "arn:aws:ecs:us-east-1:1:service/prod/web";

fn logs(service: &str) -> Route {
    Route::Logs(TailTarget::Services {
        cluster: CLUSTER.into(),
        services: vec![service.into()],
    })
}

fn charts(minutes: u32) -> Route {
    Route::Metrics(MetricsKey {
        scope: MetricsScope::Cluster {
            cluster: CLUSTER.into(),
        },
        range: MetricRange::Live(minutes),
        period_secs: 60,
        insights: false,
        reservation: false,
    })
}

fn tails_started(commands: &[WorkerCommand]) -> usize {
    commands
        .iter()
        .filter(|c| {
            matches!(
                c,
                WorkerCommand::Start {
                    request: Request::Tail { .. },
                    ..
                }
            )
        })
        .count()
}

fn metric_loads(commands: &[WorkerCommand]) -> Vec<RequestId> {
    commands
        .iter()
        .filter_map(|c| match c {
            WorkerCommand::Start {
                id,
                request: Request::Load(ResourceKey::Metrics(_)),
                ..
            } => Some(*id),
            _ => None,
        })
        .collect()
}

#[test]
fn popping_out_the_logs_moves_them_to_a_window_and_keeps_one_tail() {
    let mut m = model();
    let commands = act(&mut m, Action::Navigate(logs(API)), t(0));
    assert_eq!(tails_started(&commands), 1);
    let commands = act(&mut m, Action::PopOut(logs(API)), t(1));
    assert_eq!(tails_started(&commands), 0, "the running tail is kept");
    assert_eq!(m.popouts.len(), 1);
    assert_eq!(m.popouts[0].route, logs(API));
    assert_eq!(
        m.route,
        Route::Service {
            cluster: CLUSTER.into(),
            service: API.into()
        },
        "the main window goes up a level"
    );
    // Logs of another service go to the window, which comes to the front.
    let raised = m.popouts[0].raised;
    let commands = act(&mut m, Action::Navigate(logs(WEB)), t(2));
    assert_eq!(tails_started(&commands), 1, "the tail follows the window");
    assert_eq!(m.popouts.len(), 1);
    assert_eq!(m.popouts[0].route, logs(WEB));
    assert!(m.popouts[0].raised > raised);
    assert!(matches!(m.route, Route::Service { .. }), "{:?}", m.route);
    // Closing the window leaves the tail running, as leaving the Logs screen does.
    let id = m.popouts[0].id;
    let commands = act(&mut m, Action::ClosePopout(id), t(3));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, WorkerCommand::Cancel(_)))
    );
    assert!(m.popouts.is_empty());
    assert!(m.log_tail.as_ref().is_some_and(|t| t.running));
}

#[test]
fn a_chart_window_is_loaded_and_refreshed_from_any_screen_and_keeps_its_own_range() {
    let mut m = model();
    let opened = metric_loads(&act(&mut m, Action::PopOut(charts(30)), t(0)));
    assert_eq!(opened.len(), 1, "the window's charts load at once");
    assert_eq!(m.route, Route::Clusters, "the main window stays");
    // Another screen in the main window does not cancel the window's load.
    let commands = act(&mut m, Action::Navigate(Route::TaskDefinitions), t(1));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, WorkerCommand::Cancel(id) if *id == opened[0])),
        "{commands:?}"
    );
    assert!(
        m.watched_keys()
            .iter()
            .any(|k| matches!(k, ResourceKey::Metrics(_)))
    );
    // The window's own range change stays in it and cancels the old range's load.
    let id = m.popouts[0].id;
    let commands = act(
        &mut m,
        Action::RetargetPopout {
            id,
            route: charts(60),
        },
        t(2),
    );
    assert_eq!(metric_loads(&commands).len(), 1);
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, WorkerCommand::Cancel(c) if *c == opened[0]))
    );
    assert_eq!(m.popouts[0].route, charts(60));
    assert_eq!(m.route, Route::TaskDefinitions);
    // A link to another kind of screen opens in the main window.
    let service = Route::Service {
        cluster: CLUSTER.into(),
        service: API.into(),
    };
    act(
        &mut m,
        Action::RetargetPopout {
            id,
            route: service.clone(),
        },
        t(3),
    );
    assert_eq!(m.route, service);
    assert_eq!(m.popouts[0].route, charts(60));
}

#[test]
fn the_same_screen_twice_raises_its_window_and_the_oldest_closes_beyond_the_limit() {
    let mut m = model();
    act(&mut m, Action::PopOut(charts(30)), t(0));
    act(&mut m, Action::PopOut(charts(30)), t(1));
    assert_eq!(m.popouts.len(), 1);
    assert_eq!(m.popouts[0].raised, 1);
    for n in 0..POPOUTS_MAX as u32 {
        let compare = Route::Compare {
            old: DiffSide::Revision(format!("web:{n}")),
            new: DiffSide::Revision(format!("web:{}", n + 1)),
        };
        act(&mut m, Action::PopOut(compare), t(2));
    }
    assert_eq!(m.popouts.len(), POPOUTS_MAX);
    assert!(m.popouts.iter().all(|p| p.route != charts(30)));
    let ids: std::collections::HashSet<u64> = m.popouts.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), POPOUTS_MAX, "ids stay unique");
    // Screens with no window of their own are refused.
    act(&mut m, Action::PopOut(Route::TaskDefinitions), t(3));
    assert!(m.popouts.iter().all(|p| p.route != Route::TaskDefinitions));
}

#[test]
fn restored_windows_start_their_tail_and_a_new_connection_closes_them() {
    let mut m = model();
    m.popouts = crate::model::workspace::popouts::of_connection(
        &[crate::model::workspace::popouts::Popout {
            id: 4,
            connection: m.connection.clone(),
            route: logs(API),
            geometry: Some([10, 20, 800, 600]),
            raised: 0,
        }],
        &m.connection,
    );
    let commands = act(&mut m, Action::Start, t(0));
    assert_eq!(tails_started(&commands), 1);
    act(
        &mut m,
        Action::SetPopoutGeometry {
            id: 4,
            geometry: [30, 40, 900, 700],
        },
        t(1),
    );
    assert_eq!(m.popouts[0].geometry, Some([30, 40, 900, 700]));
    act(&mut m, Action::SetConnection(conn("prod")), t(2));
    assert!(
        m.popouts.is_empty(),
        "another account's windows would show nothing true"
    );
}

#[test]
fn windows_of_another_connection_are_not_restored() {
    let m = model();
    let other = Connection {
        profile: Some("prod".into()),
        ..m.connection.clone()
    };
    let window = |connection: Connection, route: Route| crate::model::workspace::popouts::Popout {
        id: 1,
        connection,
        route,
        geometry: None,
        raised: 0,
    };
    let restored = crate::model::workspace::popouts::of_connection(
        &[
            window(other, charts(30)),
            window(m.connection.clone(), charts(60)),
            window(m.connection.clone(), Route::Journal),
        ],
        &m.connection,
    );
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].route, charts(60));
}
