//! Finding any service: every cluster's service ARNs are listed behind the screen as soon as
//! the cluster list arrives, kept fresh every five minutes (not at every refresh), and not
//! for a cluster whose full service list is loaded anyway.

use super::tests::{act, answer, conn, loads, t};
use super::*;
use crate::model::ecs::Cluster;
use crate::model::{Loadable, SERVICE_ARNS_REFRESH};

fn cluster(name: &str) -> Cluster {
    Cluster {
        arn: format!("arn:aws:ecs:us-east-1:1:cluster/{name}"),
        name: name.into(),
        ..Cluster::default()
    }
}

fn arns_loads(commands: &[WorkerCommand]) -> Vec<String> {
    let mut arns: Vec<String> = loads(commands)
        .into_iter()
        .filter_map(|(_, k)| match k {
            ResourceKey::ServiceArns(c) => Some(c),
            _ => None,
        })
        .collect();
    arns.sort();
    arns
}

#[test]
fn service_arns_are_listed_for_every_cluster_behind_the_screen() {
    let mut m = Model::new(conn("dev"), true, 15);
    let start = act(&mut m, Action::Start, t(0));
    let (id, _) = loads(&start)[0].clone();
    let three = vec![cluster("prod"), cluster("staging"), cluster("dev")];
    let out = answer(&mut m, id, Response::Clusters(Ok(three)), t(1));
    assert_eq!(
        arns_loads(&out),
        [
            "arn:aws:ecs:us-east-1:1:cluster/dev",
            "arn:aws:ecs:us-east-1:1:cluster/prod",
            "arn:aws:ecs:us-east-1:1:cluster/staging",
        ]
    );
    // Answered, they are not listed again at the next refreshes, nor by a manual refresh...
    for (id, key) in loads(&out) {
        if let ResourceKey::ServiceArns(c) = key {
            answer(
                &mut m,
                id,
                Response::ServiceArns(Ok(vec![format!("{c}/svc")])),
                t(2),
            );
        }
    }
    assert!(arns_loads(&act(&mut m, Action::Tick, t(60))).is_empty());
    assert!(arns_loads(&act(&mut m, Action::Refresh, t(61))).is_empty());
    // ...but after five minutes.
    let later = t(2 + SERVICE_ARNS_REFRESH.as_secs());
    assert_eq!(arns_loads(&act(&mut m, Action::Tick, later)).len(), 3);
    assert_eq!(
        m.refresh_interval_for(&ResourceKey::ServiceArns("c".into())),
        SERVICE_ARNS_REFRESH
    );
}

fn fetched<T>(value: T) -> crate::model::Fetched<T> {
    crate::model::Fetched {
        value,
        fetched_at: t(0),
        version: 1,
    }
}

#[test]
fn a_cluster_whose_services_are_loaded_needs_no_background_list() {
    let mut m = Model::new(conn("dev"), true, 15);
    m.store.clusters = Loadable::Ready(fetched(vec![cluster("prod"), cluster("dev")]));
    let prod = "arn:aws:ecs:us-east-1:1:cluster/prod";
    m.store
        .services
        .insert(prod.into(), Loadable::Ready(fetched(Vec::new())));
    let keys = m.service_arn_keys();
    assert_eq!(
        keys,
        [ResourceKey::ServiceArns(
            "arn:aws:ecs:us-east-1:1:cluster/dev".into()
        )]
    );
    assert!(m.watched_keys().contains(&keys[0]));
    assert!(
        !m.watched_keys()
            .contains(&ResourceKey::ServiceArns(prod.into()))
    );
}
