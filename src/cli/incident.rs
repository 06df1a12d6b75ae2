//! `ecsdeck incident`: the postmortem report of a service, several services or a cluster
//! over a range, headless — the same sources, timeline and report as the cockpit's export,
//! with the stopped tasks the app recorded after ECS forgot them.

use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::incident::build::build_timeline;
use crate::model::incident::report::{report, to_markdown, to_text};
use crate::model::incident::timeline::IncidentKey;
use crate::model::logs::tail::parse_since;
use crate::model::metrics::MetricRange;
use crate::model::time_format::epoch_ms;
use crate::model::untrusted_text::{json_safe, untrusted_block};
use clap::{Args, ValueEnum};
use std::time::SystemTime;

/// Output format of `incident`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum IncidentOutput {
    /// Sections and the timeline for a terminal.
    #[default]
    Text,
    /// Every field, for scripts.
    Json,
    /// The postmortem document (the export's report.md).
    Markdown,
}

/// What `incident` reports on.
#[derive(Debug, Args)]
pub struct IncidentArgs {
    /// Cluster name or ARN.
    #[arg(long)]
    pub cluster: String,
    /// Service names or ARNs, comma-separated (without it, the cluster's most recently
    /// changed services).
    #[arg(long, value_delimiter = ',')]
    pub service: Vec<String>,
    /// Start: a span back from now (2h, 90m), a time (2026-12-06T14:00:00Z) or epoch ms.
    #[arg(long, default_value = "2h")]
    pub since: String,
    /// End, written the same way (default: now).
    #[arg(long)]
    pub until: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub output: IncidentOutput,
}

/// The range `args` name, at `now_ms`.
pub fn range_of(args: &IncidentArgs, now_ms: i64) -> Result<MetricRange, String> {
    let start_ms = parse_since(&args.since, now_ms)?;
    let end_ms = match &args.until {
        Some(until) => parse_since(until, now_ms)?,
        None => now_ms,
    };
    if end_ms <= start_ms {
        return Err(format!(
            "--until ({}) is not after --since ({})",
            args.until.as_deref().unwrap_or("now"),
            args.since
        ));
    }
    Ok(MetricRange::Custom {
        start_secs: start_ms / 1_000,
        end_secs: end_ms / 1_000,
    })
}

/// Runs `incident`.
pub async fn run(ecs: &Ecs, args: IncidentArgs) -> Result<(), AwsError> {
    let now = SystemTime::now();
    let range = range_of(&args, epoch_ms(now)).map_err(|e| AwsError::internal("incident", e))?;
    let key = IncidentKey {
        cluster: args.cluster.clone(),
        services: args.service.clone(),
        range,
    };
    let (_, end_secs) = range.window(0);
    let mut sources = ecs.incident_sources(&key, end_secs, None).await?;
    if let Some(path) = crate::jobs::stopped_tasks::default_path() {
        match crate::jobs::stopped_tasks::read_only(&path) {
            Ok(records) => sources.add_recorded(records.into_iter().map(|r| r.task)),
            Err(why) => eprintln!("ecsdeck: recorded stopped tasks not read: {why}"),
        }
    }
    let timeline = build_timeline(sources);
    let report = report(&key.label(), &key.cluster, &timeline);
    let text = match args.output {
        IncidentOutput::Text => untrusted_block(&to_text(&report)).into_owned(),
        IncidentOutput::Markdown => untrusted_block(&to_markdown(&report)).into_owned(),
        IncidentOutput::Json => {
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| AwsError::internal("incident", e.to_string()))?;
            json_safe(&json).into_owned()
        }
    };
    println!("{text}");
    Ok(())
}
