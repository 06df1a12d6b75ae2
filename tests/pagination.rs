//! SDK-layer tests with `aws-smithy-mocks` (no network): pagination and Describe batching.
//! moto never pages, so these prove that every List call follows `nextToken` and that
//! Describe calls are batched at the API maximum.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::error::ErrorMetadata;
use aws_sdk_ecs::operation::describe_clusters::DescribeClustersOutput;
use aws_sdk_ecs::operation::describe_container_instances::DescribeContainerInstancesOutput;
use aws_sdk_ecs::operation::describe_services::{DescribeServicesError, DescribeServicesOutput};
use aws_sdk_ecs::operation::describe_tasks::DescribeTasksOutput;
use aws_sdk_ecs::operation::list_clusters::ListClustersOutput;
use aws_sdk_ecs::operation::list_container_instances::ListContainerInstancesOutput;
use aws_sdk_ecs::operation::list_services::ListServicesOutput;
use aws_sdk_ecs::operation::list_tasks::ListTasksOutput;
use aws_sdk_ecs::types::{self as sdk, DesiredStatus};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use ecsdeck::aws::Ecs;
use ecsdeck::model::{ErrorKind, TaskScope};

const PAGE: usize = 100;

/// `(items of this page, next token)` for a list of `total` ids paged by 100.
fn page(
    total: usize,
    token: Option<&str>,
    make: impl Fn(usize) -> String,
) -> (Vec<String>, Option<String>) {
    let start: usize = token.and_then(|t| t.parse().ok()).unwrap_or(0);
    let end = (start + PAGE).min(total);
    let items = (start..end).map(make).collect();
    (items, (end < total).then(|| end.to_string()))
}

fn service_arn(i: usize) -> String {
    format!("arn:aws:ecs:us-east-1:1:service/prod/svc-{i:04}")
}

fn list_services_rule(total: usize) -> Rule {
    mock!(Client::list_services).then_compute_output(move |req| {
        let (arns, next) = page(total, req.next_token(), service_arn);
        ListServicesOutput::builder()
            .set_service_arns(Some(arns))
            .set_next_token(next)
            .build()
    })
}

fn list_clusters_rule(total: usize) -> Rule {
    mock!(Client::list_clusters).then_compute_output(move |req| {
        let (arns, next) = page(total, req.next_token(), |i| {
            format!("arn:aws:ecs:us-east-1:1:cluster/c{i:03}")
        });
        ListClustersOutput::builder()
            .set_cluster_arns(Some(arns))
            .set_next_token(next)
            .build()
    })
}

fn describe_clusters_rule() -> Rule {
    mock!(Client::describe_clusters).then_compute_output(|req| {
        assert!(req.clusters().len() <= 100);
        DescribeClustersOutput::builder()
            .set_clusters(Some(
                req.clusters()
                    .iter()
                    .map(|arn| {
                        sdk::Cluster::builder()
                            .cluster_arn(arn)
                            .cluster_name(arn.rsplit('/').next().unwrap_or_default())
                            .status("ACTIVE")
                            .build()
                    })
                    .collect(),
            ))
            .build()
    })
}

fn describe_services_rule() -> Rule {
    mock!(Client::describe_services).then_compute_output(|req| {
        let names = req.services();
        assert!(
            names.len() <= 10,
            "DescribeServices takes at most 10, got {}",
            names.len()
        );
        DescribeServicesOutput::builder()
            .set_services(Some(
                names
                    .iter()
                    .map(|arn| {
                        sdk::Service::builder()
                            .service_arn(arn)
                            .service_name(arn.rsplit('/').next().unwrap_or_default())
                            .status("ACTIVE")
                            .desired_count(1)
                            .build()
                    })
                    .collect(),
            ))
            .build()
    })
}

#[tokio::test]
async fn loading_s_services_takes_ceil_s_over_10_describe_calls() {
    for total in [0usize, 1, 10, 11, 125, 1_000] {
        let list = list_services_rule(total);
        let describe = describe_services_rule();
        let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&list, &describe]);
        let services = Ecs::new(client, None)
            .services("prod")
            .await
            .expect("services");
        assert_eq!(services.len(), total);
        assert_eq!(
            describe.num_calls(),
            total.div_ceil(10),
            "DescribeServices calls for {total}"
        );
        assert_eq!(
            list.num_calls(),
            total.div_ceil(PAGE).max(1),
            "ListServices pages for {total}"
        );
        let names: std::collections::HashSet<&str> =
            services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), total, "no service lost or repeated");
    }
}

#[tokio::test]
async fn tasks_follow_every_page_and_describe_100_at_a_time() {
    let running = 250;
    let stopped = 30;
    let list = mock!(Client::list_tasks).then_compute_output(move |req| {
        let is_stopped = req.desired_status() == Some(&DesiredStatus::Stopped);
        let total = if is_stopped { stopped } else { running };
        let prefix = if is_stopped { "s" } else { "r" };
        let (arns, next) = page(total, req.next_token(), |i| {
            format!("arn:aws:ecs:us-east-1:1:task/prod/{prefix}{i:05}")
        });
        ListTasksOutput::builder()
            .set_task_arns(Some(arns))
            .set_next_token(next)
            .build()
    });
    let describe = mock!(Client::describe_tasks).then_compute_output(|req| {
        assert!(req.tasks().len() <= 100);
        DescribeTasksOutput::builder()
            .set_tasks(Some(
                req.tasks()
                    .iter()
                    .map(|arn| {
                        // An endpoint that ignores the filter (moto does) returns other
                        // services' tasks too; every tenth one here belongs elsewhere.
                        let foreign = arn.ends_with('0');
                        sdk::Task::builder()
                            .task_arn(arn)
                            .last_status("RUNNING")
                            .group(if foreign {
                                "service:worker"
                            } else {
                                "service:api"
                            })
                            .build()
                    })
                    .collect(),
            ))
            .build()
    });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&list, &describe]);
    let tasks = Ecs::new(client, None)
        .tasks(&TaskScope::service("prod", "api"))
        .await
        .expect("tasks");
    let foreign = (running + stopped).div_ceil(10);
    assert_eq!(tasks.len(), running + stopped - foreign);
    assert!(tasks.iter().all(|t| t.service_name() == Some("api")));
    // 3 pages of RUNNING + 1 page of STOPPED.
    assert_eq!(list.num_calls(), 4);
    assert_eq!(describe.num_calls(), (running + stopped).div_ceil(100));
}

#[tokio::test]
async fn container_instances_and_clusters_are_paged_and_batched() {
    let instances_list = mock!(Client::list_container_instances).then_compute_output(|req| {
        let (arns, next) = page(150, req.next_token(), |i| {
            format!("arn:aws:ecs:us-east-1:1:container-instance/prod/{i:032}")
        });
        ListContainerInstancesOutput::builder()
            .set_container_instance_arns(Some(arns))
            .set_next_token(next)
            .build()
    });
    let instances_describe =
        mock!(Client::describe_container_instances).then_compute_output(|req| {
            assert!(req.container_instances().len() <= 100);
            DescribeContainerInstancesOutput::builder()
                .set_container_instances(Some(
                    req.container_instances()
                        .iter()
                        .map(|arn| {
                            sdk::ContainerInstance::builder()
                                .container_instance_arn(arn)
                                .status("ACTIVE")
                                .build()
                        })
                        .collect(),
                ))
                .build()
        });
    let clusters_list = list_clusters_rule(230);
    let clusters_describe = describe_clusters_rule();
    let services_list = list_services_rule(3);
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [
            &instances_list,
            &instances_describe,
            &clusters_list,
            &clusters_describe,
            &services_list
        ]
    );
    let ecs = Ecs::new(client, None);
    assert_eq!(
        ecs.container_instances("prod")
            .await
            .expect("instances")
            .len(),
        150
    );
    assert_eq!(instances_list.num_calls(), 2);
    assert_eq!(instances_describe.num_calls(), 2);
    let clusters = ecs.clusters().await.expect("clusters");
    assert_eq!(clusters.len(), 230);
    assert_eq!(clusters_list.num_calls(), 3);
    assert_eq!(clusters_describe.num_calls(), 3);
    // Service counts come from ListServices, one page per cluster here.
    assert_eq!(services_list.num_calls(), 230);
    assert!(clusters.iter().all(|c| c.services_count == 3));
}

#[tokio::test]
async fn a_describe_failure_becomes_an_aws_error_with_code_and_kind() {
    let list = list_services_rule(25);
    let describe = mock!(Client::describe_services).then_error(|| {
        DescribeServicesError::ClusterNotFoundException(
            sdk::error::ClusterNotFoundException::builder()
                .message("Cluster not found.")
                // A real response carries the code in the error metadata; the mock must too.
                .meta(
                    ErrorMetadata::builder()
                        .code("ClusterNotFoundException")
                        .message("Cluster not found.")
                        .build(),
                )
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&list, &describe]);
    let error = Ecs::new(client, None)
        .services("prod")
        .await
        .expect_err("must fail");
    assert_eq!(error.operation, "DescribeServices");
    assert_eq!(error.code, "ClusterNotFoundException");
    assert_eq!(error.message, "Cluster not found.");
    assert_eq!(error.kind, ErrorKind::NotFound);
}

/// A fleet pair follows every page and batches at the maximum: 120 clusters of 125 services
/// each are 2 ListClusters pages, 2 DescribeClusters, 2 ListServices pages and 13
/// DescribeServices per cluster — each cluster's services reported as soon as read.
#[tokio::test]
async fn a_fleet_pair_pages_every_list_and_batches_every_describe() {
    let clusters_list = list_clusters_rule(120);
    let clusters_describe = describe_clusters_rule();
    let services_list = list_services_rule(125);
    let services_describe = describe_services_rule();
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [
            &clusters_list,
            &clusters_describe,
            &services_list,
            &services_describe
        ]
    );
    let ecs = Ecs::new(client, None);
    let budget = ecsdeck::aws::fleet::Budget::default();
    let parts = std::sync::Mutex::new(Vec::new());
    let report = |part| parts.lock().unwrap().push(part);
    let (cache, claims) = (Default::default(), Default::default());
    let read = ecsdeck::aws::fleet::PairRead {
        index: 0,
        budget: &budget,
        cache: &cache,
        claims: &claims,
        images: false,
        report: &report,
    };
    ecs.fleet_pair(&read).await.expect("the pair");
    assert_eq!(clusters_list.num_calls(), 2);
    assert_eq!(clusters_describe.num_calls(), 2);
    assert_eq!(services_list.num_calls(), 120 * 2);
    assert_eq!(services_describe.num_calls(), 120 * 13);
    assert_eq!(budget.calls() as usize, 2 + 2 + 120 * (2 + 13));
    let parts = parts.into_inner().unwrap();
    use ecsdeck::model::fleet::load::FleetPart;
    assert!(matches!(&parts[0], FleetPart::Clusters(c) if c.len() == 120));
    let services: Vec<usize> = parts
        .iter()
        .filter_map(|p| match p {
            FleetPart::Services(s) => Some(s.len()),
            _ => None,
        })
        .collect();
    assert_eq!(services, vec![125; 120], "one part per cluster, as read");
}
