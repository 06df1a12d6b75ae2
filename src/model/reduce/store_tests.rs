//! The store and connection changes: nothing loaded for one account or region survives a
//! switch to another, whatever kind of resource it is.

use super::tests::{act, conn, model, t};
use super::*;
use crate::model::TaskScope;
use crate::model::metrics::MetricRange;
use crate::model::metrics::charts::{MetricsKey, MetricsScope};

/// One key of every kind. The match below stops compiling when a kind is added, so a new
/// kind cannot be left out of this test.
fn one_key_of_each_kind() -> Vec<ResourceKey> {
    let cluster = "arn:aws:ecs:us-east-1:1:cluster/prod".to_owned();
    let service = "arn:aws:ecs:us-east-1:1:service/prod/api".to_owned();
    let keys = vec![
        ResourceKey::Clusters,
        ResourceKey::Services(cluster.clone()),
        ResourceKey::Tasks(TaskScope::service(&cluster, &service)),
        ResourceKey::Instances(cluster.clone()),
        ResourceKey::Families,
        ResourceKey::FamilyOverview,
        ResourceKey::Revisions("web".into()),
        ResourceKey::TaskDefinition("web:7".into()),
        ResourceKey::Scaling(cluster.clone(), service.clone()),
        ResourceKey::Deployments(cluster.clone(), service.clone()),
        ResourceKey::Metrics(MetricsKey {
            scope: MetricsScope::Service {
                cluster: cluster.clone(),
                service,
            },
            range: MetricRange::Last(3_600),
            period_secs: 60,
            insights: true,
            reservation: false,
        }),
        ResourceKey::Sparklines(cluster),
        ResourceKey::DeploymentDetail(
            "arn:aws:ecs:us-east-1:1:service-deployment/prod/api/d".into(),
        ),
        ResourceKey::ServiceRevisions(vec!["rev/1".into(), "rev/2".into()]),
        ResourceKey::Alarms,
        ResourceKey::ImageTags("1/us-east-1/api".into()),
        ResourceKey::ServiceArns("arn:aws:ecs:us-east-1:1:cluster/prod".into()),
        ResourceKey::Incident(crate::model::incident::timeline::IncidentKey::service(
            "arn:aws:ecs:us-east-1:1:cluster/prod",
            "arn:aws:ecs:us-east-1:1:service/prod/api",
            3_600,
        )),
        ResourceKey::RangeLogs(crate::model::incident::range_logs::RangeLogsKey {
            cluster: "arn:aws:ecs:us-east-1:1:cluster/prod".into(),
            services: Vec::new(),
            start_ms: 0,
            end_ms: 60_000,
        }),
        ResourceKey::ExecPreflight(crate::model::exec::ExecTarget {
            cluster: "arn:aws:ecs:us-east-1:1:cluster/prod".into(),
            task: "arn:aws:ecs:us-east-1:1:task/prod/abc".into(),
            container: "web".into(),
        }),
    ];
    for key in &keys {
        match key {
            ResourceKey::Clusters
            | ResourceKey::Services(_)
            | ResourceKey::Tasks(_)
            | ResourceKey::Instances(_)
            | ResourceKey::Families
            | ResourceKey::FamilyOverview
            | ResourceKey::Revisions(_)
            | ResourceKey::TaskDefinition(_)
            | ResourceKey::Scaling(..)
            | ResourceKey::Deployments(..)
            | ResourceKey::Metrics(_)
            | ResourceKey::Sparklines(_)
            | ResourceKey::DeploymentDetail(_)
            | ResourceKey::ServiceRevisions(_)
            | ResourceKey::Alarms
            | ResourceKey::ImageTags(_)
            | ResourceKey::ServiceArns(_)
            | ResourceKey::Incident(_)
            | ResourceKey::RangeLogs(_)
            | ResourceKey::ExecPreflight(_) => {}
        }
    }
    keys
}

#[test]
fn no_resource_of_any_kind_survives_a_connection_change() {
    let mut model = model();
    let keys = one_key_of_each_kind();
    for key in &keys {
        let slot = model.store.slot(key);
        slot.start();
        slot.fail(AwsError::internal("test", "from the old account"), t(0));
        assert!(model.store.shows_anything(key), "{key:?} was not stored");
    }
    // What the new connection shows is loaded again (pending, with nothing of the old one).
    act(&mut model, Action::SetConnection(conn("prod")), t(1));
    for key in &keys {
        assert!(
            !model.store.shows_anything(key),
            "{key:?} survived the connection change"
        );
    }
}

#[test]
fn an_answer_of_the_old_connection_is_not_stored_in_the_new_one() {
    let mut model = model();
    let commands = act(&mut model, Action::Start, t(0));
    let (id, key) = super::tests::loads(&commands)
        .into_iter()
        .find(|(_, k)| *k == ResourceKey::Clusters)
        .expect("the cluster list loads at start");
    let generation = model.generation;
    act(&mut model, Action::SetConnection(conn("prod")), t(1));
    let event = Event {
        id,
        generation,
        response: Response::Clusters(Ok(Vec::new())),
    };
    reduce(&mut model, Msg::Event(event), t(2));
    assert!(
        model.store.clusters.value().is_none(),
        "{key:?} from the old account"
    );
    assert_eq!(model.dropped_responses, 1);
}
