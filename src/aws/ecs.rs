//! ECS reads: paginated List calls, Describe calls batched at the API maximum with bounded concurrency.

use super::ecs_convert as convert;
use super::error::from_sdk;
use crate::model::ecs::{Cluster, ContainerInstance, Service, Task};
use crate::model::{AwsError, TaskScope};
use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{ClusterField, DesiredStatus};
use futures::{StreamExt, TryStreamExt, stream};
use std::future::Future;

/// DescribeClusters takes at most 100 clusters.
pub const DESCRIBE_CLUSTERS_BATCH: usize = 100;
/// DescribeServices takes at most 10 services.
pub const DESCRIBE_SERVICES_BATCH: usize = 10;
/// DescribeTasks takes at most 100 tasks.
pub const DESCRIBE_TASKS_BATCH: usize = 100;
/// DescribeContainerInstances takes at most 100 instances.
pub const DESCRIBE_INSTANCES_BATCH: usize = 100;
/// Describe calls in flight at once per load, to stay clear of ECS's rate limits.
pub const DESCRIBE_CONCURRENCY: usize = 4;

/// ECS calls for one connection.
#[derive(Clone, Debug)]
pub struct Ecs {
    pub(crate) client: Client,
    pub(crate) scaling: Option<aws_sdk_applicationautoscaling::Client>,
    pub(crate) metrics: Option<aws_sdk_cloudwatch::Client>,
    pub(crate) logs: Option<aws_sdk_cloudwatchlogs::Client>,
    pub(crate) ecr: Option<aws_sdk_ecr::Client>,
    pub(crate) elb: Option<aws_sdk_elasticloadbalancingv2::Client>,
    pub(crate) ssm: Option<aws_sdk_ssm::Client>,
    pub(crate) iam: Option<aws_sdk_iam::Client>,
    endpoint_hint: Option<String>,
    /// Asked by every method that changes AWS, before anything is sent.
    pub(crate) gate: super::change_gate::ChangeGate,
}

pub(crate) async fn in_batches<T, F, Fut>(
    ids: &[String],
    size: usize,
    describe: F,
) -> Result<Vec<T>, AwsError>
where
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, AwsError>>,
{
    // Collected first: a closure inside the stream's type trips rustc's Send inference.
    let calls: Vec<Fut> = ids
        .chunks(size)
        .map(|chunk| describe(chunk.to_vec()))
        .collect();
    let batches: Vec<Vec<T>> = stream::iter(calls)
        .buffered(DESCRIBE_CONCURRENCY)
        .try_collect()
        .await?;
    Ok(batches.into_iter().flatten().collect())
}

impl Ecs {
    /// Wraps a client; `endpoint_hint` is the endpoint override, named in network errors
    /// (without any `user:password@`). Every change is refused until [`Self::with_gate`]
    /// gives it rules.
    pub fn new(client: Client, endpoint_hint: Option<String>) -> Self {
        Self {
            client,
            scaling: None,
            metrics: None,
            logs: None,
            ecr: None,
            elb: None,
            ssm: None,
            iam: None,
            endpoint_hint: endpoint_hint
                .map(|url| crate::model::connection::without_userinfo(&url)),
            gate: super::change_gate::ChangeGate::default(),
        }
    }

    /// Puts every change through `gate` (the change policy of this connection).
    pub fn with_gate(mut self, gate: super::change_gate::ChangeGate) -> Self {
        self.gate = gate;
        self
    }

    /// Adds the Application Auto Scaling client of the same connection.
    pub fn with_scaling(mut self, client: aws_sdk_applicationautoscaling::Client) -> Self {
        self.scaling = Some(client);
        self
    }

    /// Adds the ECR client of the same connection (image tags for "Deploy image…").
    pub fn with_ecr(mut self, client: aws_sdk_ecr::Client) -> Self {
        self.ecr = Some(client);
        self
    }

    /// Adds the load-balancing (ELBv2) client of the same connection (health-check paths).
    pub fn with_elb(mut self, client: aws_sdk_elasticloadbalancingv2::Client) -> Self {
        self.elb = Some(client);
        self
    }

    /// Adds the SSM client of the same connection (port-forwarding sessions, ending sessions).
    pub fn with_ssm(mut self, client: aws_sdk_ssm::Client) -> Self {
        self.ssm = Some(client);
        self
    }

    /// Adds the IAM client of the same connection (the exec preflight's permission check).
    pub fn with_iam(mut self, client: aws_sdk_iam::Client) -> Self {
        self.iam = Some(client);
        self
    }

    /// Adds the CloudWatch client of the same connection.
    pub fn with_metrics(mut self, client: aws_sdk_cloudwatch::Client) -> Self {
        self.metrics = Some(client);
        self
    }

    pub(crate) fn hint(&self) -> Option<&str> {
        self.endpoint_hint.as_deref()
    }

    /// Every cluster's ARN, all pages.
    pub(crate) async fn cluster_arns(&self) -> Result<Vec<String>, AwsError> {
        self.client
            .list_clusters()
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListClusters", self.hint(), e))
    }

    /// All clusters, with service counts from ListServices.
    pub async fn clusters(&self) -> Result<Vec<Cluster>, AwsError> {
        let arns = self.cluster_arns().await?;
        let mut clusters = in_batches(&arns, DESCRIBE_CLUSTERS_BATCH, |batch| async move {
            let out = self
                .client
                .describe_clusters()
                .set_clusters(Some(batch))
                .include(ClusterField::Settings)
                .send()
                .await
                .map_err(|e| from_sdk("DescribeClusters", self.hint(), e))?;
            Ok(out.clusters().iter().map(convert::cluster).collect())
        })
        .await?;
        // The API's activeServicesCount can be absent or stale: count what ListServices returns.
        let calls: Vec<_> = clusters
            .iter()
            .map(|c| self.count_services(&c.arn))
            .collect();
        let counts: Vec<Option<u32>> = stream::iter(calls)
            .buffered(DESCRIBE_CONCURRENCY)
            .collect()
            .await;
        for (cluster, count) in clusters.iter_mut().zip(counts) {
            if let Some(count) = count {
                cluster.services_count = count;
            }
        }
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(clusters)
    }

    /// Service ARNs of a cluster, all pages.
    pub async fn service_arns(&self, cluster: &str) -> Result<Vec<String>, AwsError> {
        self.client
            .list_services()
            .cluster(cluster)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListServices", self.hint(), e))
    }

    async fn count_services(&self, cluster: &str) -> Option<u32> {
        // A failure here keeps the API's own count rather than failing the whole list.
        let arns = self.service_arns(cluster).await.ok()?;
        u32::try_from(arns.len()).ok()
    }

    /// All services of a cluster, described.
    pub async fn services(&self, cluster: &str) -> Result<Vec<Service>, AwsError> {
        let arns = self.service_arns(cluster).await?;
        self.describe_services(cluster, &arns).await
    }

    /// The services `arns` (or names) of `cluster`, described; one ECS no longer has is
    /// left out.
    pub(crate) async fn describe_services(
        &self,
        cluster: &str,
        arns: &[String],
    ) -> Result<Vec<Service>, AwsError> {
        in_batches(arns, DESCRIBE_SERVICES_BATCH, |batch| async move {
            let out = self
                .client
                .describe_services()
                .cluster(cluster)
                .set_services(Some(batch))
                .send()
                .await
                .map_err(|e| from_sdk("DescribeServices", self.hint(), e))?;
            Ok(out.services().iter().map(convert::service).collect())
        })
        .await
    }

    async fn task_arns(
        &self,
        scope: &TaskScope,
        status: DesiredStatus,
    ) -> Result<Vec<String>, AwsError> {
        self.client
            .list_tasks()
            .cluster(&scope.cluster)
            .set_service_name(scope.service_name.clone())
            .desired_status(status)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListTasks", self.hint(), e))
    }

    /// Running and recently stopped tasks of a cluster or service, described.
    pub async fn tasks(&self, scope: &TaskScope) -> Result<Vec<Task>, AwsError> {
        let (mut arns, stopped) = futures::try_join!(
            self.task_arns(scope, DesiredStatus::Running),
            self.task_arns(scope, DesiredStatus::Stopped),
        )?;
        arns.extend(stopped);
        arns.sort();
        arns.dedup();
        let cluster = scope.cluster.as_str();
        let mut tasks = in_batches(&arns, DESCRIBE_TASKS_BATCH, |batch| async move {
            let out = self
                .client
                .describe_tasks()
                .cluster(cluster)
                .set_tasks(Some(batch))
                .send()
                .await
                .map_err(|e| from_sdk("DescribeTasks", self.hint(), e))?;
            Ok(out.tasks().iter().map(convert::task).collect::<Vec<Task>>())
        })
        .await?;
        // Belt and braces: some ECS emulators ignore the serviceName filter.
        if let Some(service) = &scope.service_name {
            tasks.retain(|t| t.service_name() == Some(service.as_str()));
        }
        Ok(tasks)
    }

    /// Container instances of a cluster, described.
    pub async fn container_instances(
        &self,
        cluster: &str,
    ) -> Result<Vec<ContainerInstance>, AwsError> {
        let arns: Vec<String> = self
            .client
            .list_container_instances()
            .cluster(cluster)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListContainerInstances", self.hint(), e))?;
        in_batches(&arns, DESCRIBE_INSTANCES_BATCH, |batch| async move {
            let out = self
                .client
                .describe_container_instances()
                .cluster(cluster)
                .set_container_instances(Some(batch))
                .send()
                .await
                .map_err(|e| from_sdk("DescribeContainerInstances", self.hint(), e))?;
            Ok(out
                .container_instances()
                .iter()
                .map(convert::container_instance)
                .collect())
        })
        .await
    }
}
