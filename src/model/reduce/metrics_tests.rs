//! Metric charts and sparklines in `reduce`: when they load, reload and are kept.

use super::mutation_tests::started;
use super::tests::{act, answer, model, t};
use super::*;
use crate::model::ecs::Service;
use crate::model::metrics::charts::{MetricsData, MetricsKey, MetricsScope};
use crate::model::metrics::{MetricRange, Window};
use crate::model::{ClusterTab, Connection, Route};
use std::time::Duration;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";

fn services_answer(n: usize) -> Response {
    Response::Services(Ok((0..n)
        .map(|i| Service {
            arn: format!("arn:aws:ecs:us-east-1:1:service/prod/s{i}"),
            name: format!("s{i}"),
            ..Service::default()
        })
        .collect()))
}

fn key(range: MetricRange) -> MetricsKey {
    MetricsKey {
        scope: MetricsScope::Cluster {
            cluster: CLUSTER.into(),
        },
        range,
        period_secs: 60,
        insights: false,
        reservation: false,
    }
}

fn metrics() -> Response {
    let window = Window {
        start_secs: 0,
        end_secs: 60,
        period_secs: 60,
    };
    Response::Metrics(Ok(Box::new(MetricsData::assemble(window, Vec::new(), &[]))))
}

#[test]
fn sparklines_follow_the_services_list_with_its_names() {
    let mut m = model();
    let services_tab = Route::Cluster {
        cluster: CLUSTER.into(),
        tab: ClusterTab::Services,
    };
    let out = started(&act(&mut m, Action::Navigate(services_tab), t(0)));
    // Only the list: sparklines wait for its names.
    assert_eq!(out.len(), 1);
    let (id, _) = out[0].clone();
    let out = started(&answer(&mut m, id, services_answer(3), t(1)));
    let [(spark_id, Request::Sparklines { cluster, services })] = out.as_slice() else {
        panic!("expected one sparklines request, got {out:?}");
    };
    assert_eq!(cluster, CLUSTER);
    assert_eq!(services.len(), 3);
    answer(
        &mut m,
        *spark_id,
        Response::Sparklines(Ok(Box::default())),
        t(2),
    );
    assert!(m.sparklines_of(CLUSTER).value().is_some());
    // A refresh reloads the list first, then the sparklines again.
    let out = started(&act(&mut m, Action::Refresh, t(20)));
    assert_eq!(out.len(), 1, "{out:?}");
    let out = started(&answer(&mut m, out[0].0, services_answer(4), t(21)));
    assert!(matches!(&out[..], [(_, Request::Sparklines { services, .. })] if services.len() == 4));
    // A failed list does not ask for sparklines.
    let out = started(&act(&mut m, Action::Refresh, t(40)));
    let failed = Response::Services(Err(AwsError::internal("ListServices", "boom")));
    assert!(started(&answer(&mut m, out[0].0, failed, t(41))).is_empty());
}

#[test]
fn live_charts_reload_every_minute_and_past_windows_never() {
    let mut m = model();
    let live = key(MetricRange::Live(30));
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Metrics(live.clone())),
        t(0),
    ));
    assert!(matches!(&out[..], [(_, Request::Load(ResourceKey::Metrics(k)))] if *k == live));
    answer(&mut m, out[0].0, metrics(), t(1));
    assert!(
        started(&act(&mut m, Action::Tick, t(30))).is_empty(),
        "not before a minute"
    );
    assert_eq!(started(&act(&mut m, Action::Tick, t(62))).len(), 1);

    let past = key(MetricRange::Custom {
        start_secs: 1_799_990_000,
        end_secs: 1_799_995_000,
    });
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Metrics(past.clone())),
        t(100),
    ));
    answer(&mut m, out[0].0, metrics(), t(101));
    assert!(
        started(&act(&mut m, Action::Tick, t(100_000))).is_empty(),
        "a past window is final"
    );
    assert_eq!(
        m.refresh_interval_at(&ResourceKey::Metrics(past), t(0)),
        Duration::MAX
    );
    let day = key(MetricRange::Last(86_400));
    let day = MetricsKey {
        period_secs: 300,
        ..day
    };
    assert_eq!(
        m.refresh_interval_at(&ResourceKey::Metrics(day), t(0)),
        Duration::from_secs(300)
    );
}

#[test]
fn only_the_charts_on_screen_are_kept() {
    let mut m = model();
    let hour = key(MetricRange::Last(3_600));
    let day = key(MetricRange::Last(86_400));
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Metrics(hour.clone())),
        t(0),
    ));
    answer(&mut m, out[0].0, metrics(), t(1));
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Metrics(day.clone())),
        t(2),
    ));
    answer(&mut m, out[0].0, metrics(), t(3));
    assert!(m.metrics_of(&day).value().is_some());
    assert!(
        !m.store.metrics.contains_key(&hour),
        "the hour chart was dropped"
    );
    // A connection change forgets them all.
    act(
        &mut m,
        Action::SetConnection(Connection {
            profile: Some("other".into()),
            region: "eu-west-1".into(),
            endpoint_url: None,
        }),
        t(4),
    );
    assert!(m.store.metrics.is_empty() && m.store.sparklines.is_empty());
}
