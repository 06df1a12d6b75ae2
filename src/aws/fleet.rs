//! Reading one fleet pair (a profile in a region) within an API budget: every call waits
//! for one of [`PAIR_CALLS_IN_FLIGHT`] permits, each list is paged at its largest page size
//! and each describe sent in its largest batch, so the calls are the fewest the API allows.
//! Parts are reported as they are read: the clusters, then each cluster's services, the
//! alarms in ALARM, and the images of the task definitions the services run. Two profiles
//! that reach the same account and region are read once (the second stops after its first
//! list), so an account and region never has more than one pair's calls in flight.

use super::Ecs;
use super::ecs::{DESCRIBE_CLUSTERS_BATCH, DESCRIBE_SERVICES_BATCH};
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::fleet::load::FleetPart;
use crate::model::fleet::{FleetAlarm, FleetCluster, FleetService};
use aws_sdk_cloudwatch::types::StateValue;
use futures::{StreamExt, TryStreamExt, stream};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Calls one pair has in flight at most (AWS throttles per account and region).
pub const PAIR_CALLS_IN_FLIGHT: usize = 4;

/// The largest page of ListClusters and ListServices.
const LIST_PAGE: i32 = 100;

/// The largest page of DescribeAlarms.
const ALARMS_PAGE: i32 = 100;

/// Images of task definitions already read: a revision never changes, so it is read once
/// per run of the app, whatever fleet or pair asks again.
pub type ImageCache = Arc<Mutex<HashMap<String, Vec<String>>>>;

/// A pair's budget: calls in flight bounded, calls counted.
pub struct Budget {
    permits: Semaphore,
    calls: AtomicU32,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            permits: Semaphore::new(PAIR_CALLS_IN_FLIGHT),
            calls: AtomicU32::new(0),
        }
    }
}

impl Budget {
    /// Makes one call once a permit is free.
    async fn call<T>(&self, call: impl Future<Output = T>) -> T {
        // The semaphore is never closed, so acquiring cannot fail; without a permit the call
        // still goes (a bound missed is better than a pair never read).
        let _permit = self.permits.acquire().await.ok();
        self.calls.fetch_add(1, Ordering::Relaxed);
        call.await
    }

    /// Calls made so far.
    pub fn calls(&self) -> u32 {
        self.calls.load(Ordering::Relaxed)
    }
}

/// Pairs already read, by (account, region): a second profile that reaches the same account
/// and region is not read again (its rows would be the same, its calls doubled).
#[derive(Default)]
pub struct Claims(Mutex<HashMap<(String, String), usize>>);

impl Claims {
    /// The pair that claimed `account` in `region` first, if not `pair`.
    fn claim(&self, account: &str, region: &str, pair: usize) -> Option<usize> {
        let mut claims = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let first = *claims
            .entry((account.to_owned(), region.to_owned()))
            .or_insert(pair);
        (first != pair).then_some(first)
    }
}

/// What reading one pair needs besides its client.
pub struct PairRead<'a> {
    /// The pair's index in the load.
    pub index: usize,
    /// Its calls in flight, and their count.
    pub budget: &'a Budget,
    /// Images already read.
    pub cache: &'a ImageCache,
    /// Accounts and regions already claimed by another pair.
    pub claims: &'a Claims,
    /// Read the images of the services' task definitions too.
    pub images: bool,
    /// Where each part goes as it is read.
    pub report: &'a (dyn Fn(FleetPart) + Send + Sync),
}

/// How a pair's read ended.
pub enum PairEnd {
    /// Everything read.
    Read,
    /// The account and region are pair `0`'s: not read twice.
    SameAs(usize),
}

/// Loads every pair at once, each within its own budget, sending `(pair index, part)` as
/// each part is read and `Done`, `SameAs` or `Failed` last; returns when all have answered.
/// A pair that fails (or panics) keeps what it read and the others go on.
pub async fn load_pairs<C, F>(
    pairs: Vec<crate::model::Connection>,
    connect: C,
    cache: &ImageCache,
    images: bool,
    send: &(dyn Fn(usize, FleetPart) + Send + Sync),
) where
    C: Fn(crate::model::Connection) -> F,
    F: Future<Output = Ecs>,
{
    use futures::FutureExt;
    let claims = Claims::default();
    let claims = &claims;
    let loads: Vec<_> = pairs
        .into_iter()
        .enumerate()
        .map(|(index, connection)| {
            let connecting = connect(connection);
            async move {
                let ecs = connecting.await;
                let budget = Budget::default();
                let report = |part: FleetPart| send(index, part);
                let read = PairRead {
                    index,
                    budget: &budget,
                    cache,
                    claims,
                    images,
                    report: &report,
                };
                let ended = std::panic::AssertUnwindSafe(ecs.fleet_pair(&read))
                    .catch_unwind()
                    .await;
                let calls = budget.calls();
                let last = match ended {
                    Ok(Ok(PairEnd::Read)) => FleetPart::Done { calls },
                    Ok(Ok(PairEnd::SameAs(pair))) => FleetPart::SameAs { pair, calls },
                    Ok(Err(error)) => FleetPart::Failed(error),
                    Err(panic) => FleetPart::Failed(AwsError::internal(
                        "fleet",
                        format!(
                            "internal error: {}",
                            crate::model::error::panic_text(panic.as_ref())
                        ),
                    )),
                };
                send(index, last);
            }
        })
        .collect();
    futures::future::join_all(loads).await;
}

impl Ecs {
    /// Reads the pair this client is connected to, reporting each part as it is read. Alarms
    /// and images are extras: when they cannot be read the pair says so (a warning) and its
    /// clusters and services still show.
    pub async fn fleet_pair(&self, read: &PairRead<'_>) -> Result<PairEnd, AwsError> {
        let (budget, report) = (read.budget, read.report);
        let clusters = self.fleet_clusters(budget).await?;
        if let Some(first) = clusters.first() {
            let mut parts = first.arn.split(':');
            let (region, account) = (parts.nth(3).unwrap_or(""), parts.next().unwrap_or(""));
            if let Some(pair) = read.claims.claim(account, region, read.index) {
                return Ok(PairEnd::SameAs(pair));
            }
        }
        let arns: Vec<String> = clusters.iter().map(|c| c.arn.clone()).collect();
        report(FleetPart::Clusters(clusters));
        let services = async {
            let per_cluster: Vec<_> = arns
                .iter()
                .map(|arn| async move {
                    let services = self.fleet_services(budget, arn).await?;
                    let definitions: Vec<String> =
                        services.iter().map(|s| s.task_definition.clone()).collect();
                    report(FleetPart::Services(services));
                    Ok::<_, AwsError>(definitions)
                })
                .collect();
            let definitions: Vec<Vec<String>> = stream::iter(per_cluster)
                .buffer_unordered(PAIR_CALLS_IN_FLIGHT)
                .try_collect()
                .await?;
            Ok::<_, AwsError>(definitions.into_iter().flatten().collect::<BTreeSet<_>>())
        };
        let (definitions, alarms) = futures::join!(services, self.fleet_alarms(budget));
        match alarms {
            Ok(alarms) => report(FleetPart::Alarms(alarms)),
            Err(error) => report(FleetPart::Warning(error)),
        }
        let definitions = definitions?;
        if read.images {
            let (images, failed) = self.fleet_images(budget, read.cache, definitions).await;
            report(FleetPart::Images(images));
            if let Some(error) = failed {
                report(FleetPart::Warning(error));
            }
        }
        Ok(PairEnd::Read)
    }

    async fn fleet_clusters(&self, budget: &Budget) -> Result<Vec<FleetCluster>, AwsError> {
        let arns = every_page(budget, |token| async move {
            let page = self
                .client
                .list_clusters()
                .max_results(LIST_PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| from_sdk("ListClusters", self.hint(), e))?;
            Ok((
                page.cluster_arns().to_vec(),
                page.next_token().map(str::to_owned),
            ))
        })
        .await?;
        let batches: Vec<_> = arns
            .chunks(DESCRIBE_CLUSTERS_BATCH)
            .map(|batch| async move {
                let out = budget
                    .call(
                        self.client
                            .describe_clusters()
                            .set_clusters(Some(batch.to_vec()))
                            .send(),
                    )
                    .await
                    .map_err(|e| from_sdk("DescribeClusters", self.hint(), e))?;
                Ok::<_, AwsError>(out.clusters().iter().map(fleet_cluster).collect::<Vec<_>>())
            })
            .collect();
        let described: Vec<Vec<FleetCluster>> = stream::iter(batches)
            .buffered(PAIR_CALLS_IN_FLIGHT)
            .try_collect()
            .await?;
        let mut clusters: Vec<FleetCluster> = described.into_iter().flatten().collect();
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(clusters)
    }

    async fn fleet_services(
        &self,
        budget: &Budget,
        cluster: &str,
    ) -> Result<Vec<FleetService>, AwsError> {
        let arns = every_page(budget, |token| async move {
            let page = self
                .client
                .list_services()
                .cluster(cluster)
                .max_results(LIST_PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| from_sdk("ListServices", self.hint(), e))?;
            Ok((
                page.service_arns().to_vec(),
                page.next_token().map(str::to_owned),
            ))
        })
        .await?;
        let batches: Vec<_> = arns
            .chunks(DESCRIBE_SERVICES_BATCH)
            .map(|batch| async move {
                let out = budget
                    .call(
                        self.client
                            .describe_services()
                            .cluster(cluster)
                            .set_services(Some(batch.to_vec()))
                            .send(),
                    )
                    .await
                    .map_err(|e| from_sdk("DescribeServices", self.hint(), e))?;
                Ok::<_, AwsError>(
                    out.services()
                        .iter()
                        .map(|s| FleetService::of(&super::ecs_convert::service(s)))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let described: Vec<Vec<FleetService>> = stream::iter(batches)
            .buffered(PAIR_CALLS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(described.into_iter().flatten().collect())
    }

    async fn fleet_alarms(&self, budget: &Budget) -> Result<Vec<FleetAlarm>, AwsError> {
        const OPERATION: &str = "DescribeAlarms";
        let Some(client) = self.metrics.as_ref() else {
            return Ok(Vec::new());
        };
        every_page(budget, |token| async move {
            let page = client
                .describe_alarms()
                .state_value(StateValue::Alarm)
                .max_records(ALARMS_PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
            let alarms = page.metric_alarms().iter().map(fleet_alarm).collect();
            Ok((alarms, page.next_token().map(str::to_owned)))
        })
        .await
    }

    /// The images of `definitions` (cached ones from the cache); every one that could be
    /// read, and the first error of those that could not.
    async fn fleet_images(
        &self,
        budget: &Budget,
        cache: &ImageCache,
        definitions: BTreeSet<String>,
    ) -> (BTreeMap<String, Vec<String>>, Option<AwsError>) {
        let mut known = BTreeMap::new();
        let mut unread = Vec::new();
        {
            let cached = cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for arn in definitions {
                match cached.get(&arn) {
                    Some(images) => {
                        known.insert(arn, images.clone());
                    }
                    None => unread.push(arn),
                }
            }
        }
        let reads: Vec<_> = unread
            .into_iter()
            .map(|arn| async move {
                let out = budget
                    .call(
                        self.client
                            .describe_task_definition()
                            .task_definition(&arn)
                            .send(),
                    )
                    .await
                    .map_err(|e| from_sdk("DescribeTaskDefinition", self.hint(), e))?;
                let images: Vec<String> = out
                    .task_definition()
                    .map(|d| {
                        d.container_definitions()
                            .iter()
                            .filter_map(|c| c.image().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                Ok::<_, AwsError>((arn, images))
            })
            .collect();
        let read: Vec<Result<(String, Vec<String>), AwsError>> = stream::iter(reads)
            .buffer_unordered(PAIR_CALLS_IN_FLIGHT)
            .collect()
            .await;
        let mut failed = None;
        let mut cached = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for result in read {
            match result {
                Ok((arn, images)) => {
                    cached.insert(arn.clone(), images.clone());
                    known.insert(arn, images);
                }
                Err(error) => {
                    failed.get_or_insert(error);
                }
            }
        }
        (known, failed)
    }
}

/// Every item of a paged list, each page one call within `budget`: `page(token)` answers
/// a page's items and the next token.
async fn every_page<T, F, Fut>(budget: &Budget, mut page: F) -> Result<Vec<T>, AwsError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), AwsError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (mut got, next) = budget.call(page(token.take())).await?;
        items.append(&mut got);
        match next {
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
}

fn fleet_cluster(cluster: &aws_sdk_ecs::types::Cluster) -> FleetCluster {
    let converted = super::ecs_convert::cluster(cluster);
    FleetCluster {
        arn: converted.arn,
        name: converted.name,
        status: converted.status,
        container_instances: converted.container_instances,
        capacity_providers: converted.capacity_providers,
        running_tasks: converted.running_tasks,
        pending_tasks: converted.pending_tasks,
    }
}

fn fleet_alarm(alarm: &aws_sdk_cloudwatch::types::MetricAlarm) -> FleetAlarm {
    let dimension = |name: &str| {
        alarm
            .dimensions()
            .iter()
            .find(|d| d.name() == Some(name))
            .and_then(|d| d.value().map(str::to_owned))
    };
    FleetAlarm {
        name: super::ecs_convert::free_text(alarm.alarm_name()).unwrap_or_default(),
        cluster: dimension("ClusterName"),
        service: dimension("ServiceName"),
        reason: super::ecs_convert::free_text(alarm.state_reason()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[tokio::test]
    async fn no_more_calls_than_the_budget_are_in_flight_and_each_is_counted() {
        let budget = Budget::default();
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let calls: Vec<_> = (0..20)
            .map(|_| {
                budget.call(async {
                    let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(in_flight, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        futures::future::join_all(calls).await;
        assert_eq!(most.load(Ordering::SeqCst), PAIR_CALLS_IN_FLIGHT);
        assert_eq!(budget.calls(), 20);
    }
}
