//! `ecsdeck logs`: the tail engine of the Logs view, printing lines as they are committed.

use crate::aws;

use crate::model::AwsError;
use crate::model::logs::export::{LineFormat, write_line};
use crate::model::logs::tail::{
    SharedTail, TailData, TailMode, TailSpec, TailStatus, TailTarget, parse_since,
};
use crate::model::time_format::epoch_ms;
use crate::worker::log_tail::run_tail;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Output format of `logs`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum LogOutput {
    /// `TIME SOURCE MESSAGE`, one line per event.
    #[default]
    Text,
    /// One JSON object per event (NDJSON).
    Json,
}

/// `ecsdeck logs` arguments.
#[derive(Debug, Clone, Args)]
pub struct LogsArgs {
    /// Cluster name or ARN (with --service or --task).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Service name or ARN; repeat (or separate with commas) to merge several.
    #[arg(long, value_delimiter = ',')]
    pub service: Vec<String>,
    /// One task (id or ARN) instead of services.
    #[arg(long)]
    pub task: Option<String>,
    /// Only this container (with --task).
    #[arg(long)]
    pub container: Option<String>,
    /// A log group instead of ECS resources.
    #[arg(long, conflicts_with_all = ["cluster", "service", "task"])]
    pub group: Option<String>,
    /// Stream-name prefix within --group.
    #[arg(long, requires = "group")]
    pub prefix: Option<String>,
    /// Start this far back (10m, 1h, 2d) or at a time (2026-12-01T10:00:00Z).
    #[arg(long, default_value = "10m")]
    pub since: String,
    /// Keep printing new lines until interrupted.
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// CloudWatch filter pattern, applied by the service.
    #[arg(long)]
    pub filter: Option<String>,
    /// Poll FilterLogEvents even where Live Tail is available.
    #[arg(long)]
    pub polling: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub output: LogOutput,
    /// Lines kept in memory while printing (a slow terminal drops the oldest beyond this).
    #[arg(long, default_value_t = crate::model::logs::buffer::DEFAULT_CAPACITY_LINES)]
    pub buffer_lines: usize,
}

impl LogsArgs {
    /// The tail these arguments ask for.
    pub fn spec(&self, now_ms: i64) -> Result<TailSpec, String> {
        let target = if let Some(group) = &self.group {
            TailTarget::Group {
                group: group.clone(),
                prefix: self.prefix.clone(),
            }
        } else {
            let cluster = self
                .cluster
                .clone()
                .ok_or("--cluster is needed with --service or --task (or use --group)")?;
            match &self.task {
                Some(task) => TailTarget::Task {
                    cluster,
                    task: task.clone(),
                    container: self.container.clone(),
                },
                None if self.service.is_empty() => {
                    return Err("say what to tail: --service, --task or --group".into());
                }
                None => TailTarget::Services {
                    cluster,
                    services: self.service.clone(),
                },
            }
        };
        Ok(TailSpec {
            target,
            since_ms: parse_since(&self.since, now_ms)?,
            filter_pattern: self.filter.clone(),
            live: !self.polling,
            follow: self.follow,
        })
    }
}

/// Runs the tail, printing as lines arrive; statuses and errors go to stderr.
pub async fn run(ecs: &aws::Ecs, args: LogsArgs) -> Result<(), AwsError> {
    let spec = args
        .spec(epoch_ms(SystemTime::now()))
        .map_err(|e| AwsError::internal("logs", e))?;
    let tail = SharedTail::new(args.buffer_lines.max(1));
    let last = Arc::new(std::sync::Mutex::new(String::new()));
    let report = {
        let last = Arc::clone(&last);
        move |status: TailStatus| report_status(&status, &last)
    };
    let engine = run_tail(ecs, &spec, &tail, &report);
    tokio::pin!(engine);
    let mut printed = 0_i64;
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let status = loop {
        tokio::select! {
            status = &mut engine => break status,
            _ = ticker.tick() => {
                if !print_new(&tail.read(), &mut printed, args.output) {
                    return Ok(());
                }
            }
        }
    };
    print_new(&tail.read(), &mut printed, args.output);
    match status.mode {
        TailMode::Failed => Err(status
            .error
            .unwrap_or_else(|| AwsError::internal("logs", status.notices.join(" ")))),
        _ => Ok(()),
    }
}

/// Status changes on stderr, once each.
fn report_status(status: &TailStatus, last: &std::sync::Mutex<String>) {
    let mut line = status.mode.label();
    if let Some(e) = &status.error {
        line.push_str(&format!(
            " — {}",
            crate::model::untrusted_text::untrusted(&e.to_string())
        ));
    }
    let Ok(mut last) = last.lock() else {
        return;
    };
    if *last != line {
        if last.is_empty() {
            for notice in &status.notices {
                eprintln!("note: {}", crate::model::untrusted_text::untrusted(notice));
            }
        }
        eprintln!("[{line}]");
        *last = line;
    }
}

/// Prints lines committed since `printed`; false when stdout is closed (`| head`).
fn print_new(data: &TailData, printed: &mut i64, output: LogOutput) -> bool {
    let buffer = &data.buffer;
    if *printed < buffer.first_index() && *printed > 0 {
        eprintln!(
            "note: {} lines were dropped from the buffer before they could be printed",
            buffer.first_index() - *printed
        );
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let format = match output {
        LogOutput::Text => LineFormat::Text,
        LogOutput::Json => LineFormat::Json,
    };
    for (index, meta, text) in buffer.iter_from(*printed) {
        *printed = index + 1;
        if write_line(&mut out, data, meta, text, format).is_err() {
            return false;
        }
    }
    *printed = (*printed).max(buffer.end_index());
    out.flush().is_ok()
}
