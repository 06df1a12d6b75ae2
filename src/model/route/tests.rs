use super::*;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";
const TASK: &str = "arn:aws:ecs:us-east-1:1:task/prod/abc";

#[test]
fn task_route_walks_up_through_its_service() {
    let task = Route::Task {
        cluster: CLUSTER.into(),
        service: Some(SERVICE.into()),
        task: TASK.into(),
    };
    let crumbs: Vec<String> = task.crumbs().into_iter().map(|c| c.0).collect();
    assert_eq!(crumbs, ["prod", "api", "abc"]);
    let service = task.parent().expect("parent");
    assert!(matches!(service, Route::Service { .. }));
    let cluster = service.parent().expect("parent");
    assert_eq!(
        cluster,
        Route::Cluster {
            cluster: CLUSTER.into(),
            tab: ClusterTab::Services
        }
    );
    assert_eq!(cluster.parent(), Some(Route::Clusters));
    assert_eq!(Route::Clusters.parent(), None);
}

#[test]
fn service_route_needs_its_cluster_services_and_its_tasks() {
    let route = Route::Service {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
    };
    assert_eq!(
        route.visible_keys(),
        vec![
            ResourceKey::Services(CLUSTER.into()),
            ResourceKey::Sparklines(CLUSTER.into()),
            ResourceKey::Tasks(TaskScope {
                cluster: CLUSTER.into(),
                service_name: Some("api".into())
            }),
            ResourceKey::Scaling(CLUSTER.into(), SERVICE.into()),
            ResourceKey::Deployments(CLUSTER.into(), SERVICE.into()),
        ]
    );
}
