//! CloudWatch GetMetricData (queries batched up to the API's limits, calls in parallel, every
//! page followed) and ListMetrics (which tasks Container Insights knows).

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::metrics::charts::{
    InsightsTask, MetricsData, MetricsKey, MetricsScope, NS_INSIGHTS, chart_plan, plan_queries,
};
use crate::model::metrics::sparklines::Sparklines;
use crate::model::metrics::{MetricQuery, QueryResult, Window, queries_per_call, window};
use aws_sdk_cloudwatch::types::{
    Dimension, DimensionFilter, Metric, MetricDataQuery, MetricStat, ScanBy, StatusCode,
};
use aws_smithy_types::DateTime;
use futures::{StreamExt, TryStreamExt, stream};
use std::collections::HashMap;

/// GetMetricData calls in flight at once.
const METRIC_CALL_CONCURRENCY: usize = 4;
/// Per-task lines drawn at most (a legend of hundreds of tasks helps nobody).
pub const MAX_TASK_SERIES: usize = 40;

fn sdk_query(id: String, query: &MetricQuery, period_secs: u32) -> MetricDataQuery {
    let dimensions = query
        .dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build());
    let metric = Metric::builder()
        .namespace(&query.namespace)
        .metric_name(&query.metric)
        .set_dimensions(Some(dimensions.collect()))
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(i32::try_from(period_secs).unwrap_or(i32::MAX))
                .stat(query.stat.as_str())
                .build(),
        )
        .return_data(true)
        .build()
}

impl Ecs {
    fn metrics_client(&self) -> Result<&aws_sdk_cloudwatch::Client, AwsError> {
        self.metrics
            .as_ref()
            .ok_or_else(|| AwsError::internal("GetMetricData", "no CloudWatch client"))
    }

    /// Runs `queries` over `window`: as many per call as the datapoint and query limits allow,
    /// up to 4 calls at once, every page. Returns one result per query, in order, and the
    /// number of calls made.
    pub async fn metric_data(
        &self,
        queries: &[MetricQuery],
        window: &Window,
    ) -> Result<(Vec<QueryResult>, usize), AwsError> {
        let client = self.metrics_client()?;
        let per_call = queries_per_call(window.points());
        let calls: Vec<_> = queries
            .chunks(per_call)
            .map(|chunk| self.metric_call(client, chunk, window))
            .collect();
        let count = calls.len();
        let chunks: Vec<Vec<QueryResult>> = stream::iter(calls)
            .buffered(METRIC_CALL_CONCURRENCY)
            .try_collect()
            .await?;
        Ok((chunks.into_iter().flatten().collect(), count))
    }

    async fn metric_call(
        &self,
        client: &aws_sdk_cloudwatch::Client,
        chunk: &[MetricQuery],
        window: &Window,
    ) -> Result<Vec<QueryResult>, AwsError> {
        let sdk_queries = chunk
            .iter()
            .enumerate()
            .map(|(i, q)| sdk_query(format!("q{i}"), q, window.period_secs))
            .collect();
        let pages: Vec<_> = client
            .get_metric_data()
            .set_metric_data_queries(Some(sdk_queries))
            .start_time(DateTime::from_secs(window.start_secs))
            .end_time(DateTime::from_secs(window.end_secs))
            .scan_by(ScanBy::TimestampAscending)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("GetMetricData", self.hint(), e))?;
        let mut by_id: HashMap<String, QueryResult> = HashMap::new();
        for page in &pages {
            for result in page.metric_data_results() {
                let entry = by_id
                    .entry(result.id().unwrap_or_default().to_owned())
                    .or_default();
                entry
                    .timestamps
                    .extend(result.timestamps().iter().map(DateTime::secs));
                entry.values.extend_from_slice(result.values());
                // Every page but the last says PartialData while more pages follow.
                entry.complete = matches!(result.status_code(), Some(StatusCode::Complete) | None);
            }
        }
        Ok((0..chunk.len())
            .map(|i| by_id.remove(&format!("q{i}")).unwrap_or_default())
            .collect())
    }

    /// Tasks with Container Insights CPU metrics in `scope` (task-level metrics come with
    /// enhanced observability), at most [`MAX_TASK_SERIES`].
    pub async fn insights_tasks(
        &self,
        scope: &MetricsScope,
    ) -> Result<Vec<InsightsTask>, AwsError> {
        let client = self.metrics_client()?;
        let filters = scope
            .dimensions()
            .into_iter()
            .map(|(name, value)| DimensionFilter::builder().name(name).value(value).build());
        let metrics: Vec<Metric> = client
            .list_metrics()
            .namespace(NS_INSIGHTS)
            .metric_name("CpuUtilized")
            .set_dimensions(Some(filters.collect()))
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListMetrics", self.hint(), e))?
            .into_iter()
            .flat_map(|page| page.metrics.unwrap_or_default())
            .collect();
        let mut tasks: Vec<InsightsTask> = metrics
            .iter()
            .filter_map(|metric| {
                let dimensions: Vec<(String, String)> = metric
                    .dimensions()
                    .iter()
                    .map(|d| {
                        let name = d.name().unwrap_or_default().to_owned();
                        (name, d.value().unwrap_or_default().to_owned())
                    })
                    .collect();
                let task_id = dimensions.iter().find(|(n, _)| n == "TaskId")?.1.clone();
                Some(InsightsTask {
                    task_id,
                    dimensions,
                })
            })
            .collect();
        tasks.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        tasks.dedup_by(|a, b| a.task_id == b.task_id);
        tasks.truncate(MAX_TASK_SERIES);
        Ok(tasks)
    }

    /// The charts of `key` at `now_secs`.
    pub async fn metrics(&self, key: &MetricsKey, now_secs: i64) -> Result<MetricsData, AwsError> {
        let window = window(&key.range, now_secs, key.period_secs)
            .map_err(|e| AwsError::internal("GetMetricData", e.to_string()))?;
        let mut notes = Vec::new();
        let tasks = if key.insights {
            match self.insights_tasks(&key.scope).await {
                Ok(tasks) => {
                    if tasks.len() == MAX_TASK_SERIES {
                        notes.push(format!(
                            "Per-task lines: the first {MAX_TASK_SERIES} tasks."
                        ));
                    }
                    tasks
                }
                // The main charts are still worth drawing.
                Err(e) => {
                    notes.push(format!("Per-task metrics unavailable: {}", e));
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let plan = chart_plan(key, &tasks);
        let (results, calls) = self.metric_data(&plan_queries(&plan), &window).await?;
        let mut data = MetricsData::assemble(window, plan, &results);
        data.calls = calls;
        data.notes = notes;
        Ok(data)
    }

    /// The last hour of CPU and memory of `services` (ARNs or names) of `cluster`.
    pub async fn sparklines(
        &self,
        cluster: &str,
        services: &[String],
        now_secs: i64,
    ) -> Result<Sparklines, AwsError> {
        let window = crate::model::metrics::sparklines::spark_window(now_secs);
        let queries = crate::model::metrics::sparklines::spark_queries(cluster, services);
        let (results, calls) = self.metric_data(&queries, &window).await?;
        Ok(crate::model::metrics::sparklines::assemble(
            window, services, &results, calls,
        ))
    }
}
