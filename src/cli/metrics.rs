//! `ecsdeck metrics`: a cluster's or service's CloudWatch CPU and memory (and Container
//! Insights) over a range, as CSV or JSON, through the same code as the charts.

use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::metrics::charts::{MetricsKey, MetricsScope};
use crate::model::metrics::export::{to_csv, to_json};
use crate::model::metrics::{MetricRange, choose_period};
use crate::model::time_format::epoch_secs;
use crate::model::untrusted_text::{json_safe, untrusted, untrusted_block};
use clap::{Args, ValueEnum};
use std::time::SystemTime;

/// Points per series when no period is given: a day at one minute.
const DEFAULT_POINTS: u32 = 1_440;

/// Output format of `metrics`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum MetricsOutput {
    /// A `timestamp` column, then one column per chart and statistic; gaps are empty.
    #[default]
    Csv,
    /// Charts, series and their datapoints.
    Json,
}

/// What `metrics` reads.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Cluster name or ARN.
    #[arg(long)]
    pub cluster: String,
    /// Service name or ARN (without it, the cluster's metrics).
    #[arg(long)]
    pub service: Option<String>,
    /// How far back: 1h, 3h, 12h, 24h, 3d, 7d, any NNm/NNh/NNd, or live (30 minutes).
    #[arg(long, default_value = "3h")]
    pub range: String,
    /// Seconds per datapoint (default: the finest that gives at most 1440 points, within
    /// CloudWatch's retention).
    #[arg(long)]
    pub period_secs: Option<u32>,
    /// Add Container Insights metrics (task count, network, storage, per-task CPU/memory).
    #[arg(long)]
    pub insights: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub output: MetricsOutput,
}

/// Runs `metrics`.
pub async fn run(ecs: &Ecs, args: MetricsArgs) -> Result<(), AwsError> {
    let invalid = |message: String| AwsError::internal("metrics", message);
    let range = MetricRange::parse(&args.range).map_err(invalid)?;
    let now = epoch_secs(SystemTime::now());
    let period_secs = match args.period_secs {
        Some(period) if period == 0 || period % 60 != 0 => {
            return Err(invalid(format!(
                "--period-secs must be a whole number of minutes, not {period}"
            )));
        }
        Some(period) => period,
        None => choose_period(&range, now, DEFAULT_POINTS).map_err(|e| invalid(e.to_string()))?,
    };
    let scope = match args.service {
        Some(service) => MetricsScope::Service {
            cluster: args.cluster,
            service,
        },
        None => MetricsScope::Cluster {
            cluster: args.cluster,
        },
    };
    let key = MetricsKey {
        reservation: matches!(scope, MetricsScope::Cluster { .. }),
        scope,
        range,
        period_secs,
        insights: args.insights,
    };
    let data = ecs.metrics(&key, now).await?;
    for note in &data.notes {
        eprintln!("note: {}", untrusted(note));
    }
    if data.is_empty() {
        eprintln!(
            "note: no datapoints in this range (a new service, no running tasks, or the wrong region?)"
        );
    }
    match args.output {
        MetricsOutput::Csv => print!(
            "{}",
            untrusted_block(&to_csv(&data, f64::MIN, f64::MAX, true))
        ),
        MetricsOutput::Json => {
            let text = serde_json::to_string_pretty(&to_json(&data))
                .map_err(|e| invalid(format!("cannot write JSON: {e}")))?;
            println!("{}", json_safe(&text));
        }
    }
    Ok(())
}
