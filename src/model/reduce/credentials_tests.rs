//! Expired or missing credentials: the banner, cancelling the other loads, pausing refresh.
use super::tests::{act, answer, clusters, denied, loads, model, service_route, t};
use super::*;

#[test]
fn a_credentials_failure_cancels_the_other_loads() {
    let mut m = model();
    let ids = loads(&act(&mut m, Action::Navigate(service_route()), t(0)));
    assert_eq!(ids.len(), 4);
    let failed = AwsError {
        operation: "DescribeServices".into(),
        ..denied()
    };
    let out = answer(&mut m, ids[0].0, Response::Services(Err(failed)), t(1));
    let mut cancelled: Vec<RequestId> = out
        .iter()
        .filter_map(|c| match c {
            WorkerCommand::Cancel(id) => Some(*id),
            _ => None,
        })
        .collect();
    cancelled.sort_by_key(|id| id.0);
    let others: Vec<RequestId> = ids[1..].iter().map(|(id, _)| *id).collect();
    assert_eq!(
        cancelled, others,
        "the other three loads would fail the same way"
    );
    assert!(m.in_flight.is_empty());
    // A late answer to a cancelled load is dropped, not shown as a second failure.
    answer(&mut m, ids[1].0, Response::Services(Ok(Vec::new())), t(2));
    assert_eq!(m.dropped_responses, 1);
}

#[test]
fn expired_credentials_stop_auto_refresh_until_retry() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, Response::Clusters(Err(denied())), t(1));
    assert!(m.credentials_error.is_some());
    assert!(loads(&act(&mut m, Action::Tick, t(100))).is_empty());
    let retry = act(&mut m, Action::Reconnect, t(101));
    assert!(retry.contains(&WorkerCommand::ResetClients));
    assert_eq!(loads(&retry).len(), 1, "Retry reloads what is shown");
}

#[test]
fn credentials_failure_raises_the_banner_and_a_success_clears_it() {
    let mut m = model();
    let id = loads(&act(&mut m, Action::Start, t(0)))[0].0;
    answer(&mut m, id, Response::Clusters(Err(denied())), t(1));
    assert_eq!(
        m.credentials_error.as_ref().map(|e| e.code.as_str()),
        Some("ExpiredTokenException")
    );
    assert_eq!(
        m.store
            .clusters
            .error()
            .and_then(|e| e.request_id.as_deref()),
        Some("req-1")
    );
    let id = loads(&act(&mut m, Action::Refresh, t(2)))[0].0;
    answer(&mut m, id, clusters(&["a"]), t(3));
    assert!(m.credentials_error.is_none());
}
