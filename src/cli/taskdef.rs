//! `ecsdeck taskdef …`: show a revision, a family's history, validate a file.

use super::output::print_table;
use super::{ConnectionArgs, block_on};
use crate::aws;
use crate::model::AwsError;
use crate::model::task_defs::revisions::RevisionSummary;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::task_def_lint::lint;
use crate::model::task_defs::task_def_validate::validate;
use crate::model::time_format::short_utc;
use clap::{Subcommand, ValueEnum};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output format of `taskdef show`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ShowOutput {
    /// A readable summary with a row per container.
    #[default]
    Text,
    /// The describe-task-definition document as ECS returned it.
    Json,
}

/// Task-definition subcommands.
#[derive(Debug, Subcommand)]
pub enum TaskdefCommand {
    /// Print a revision: FAMILY (latest ACTIVE), FAMILY:REV or an ARN.
    Show {
        /// Which revision.
        reference: crate::model::task_defs::task_def_ref::TaskDefRef,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: ShowOutput,
    },
    /// A family's revisions, newest first, each with what changed from the one before it.
    History {
        /// The family.
        family: String,
        /// Output format: aligned columns, or every revision as JSON.
        #[arg(long, value_enum, default_value_t)]
        output: ShowOutput,
    },
    /// Check a task definition file (describe-task-definition output or
    /// register-task-definition input): errors and warnings go to stderr, and the exit code
    /// is 1 when it could not be registered.
    Validate {
        /// The JSON file.
        file: PathBuf,
    },
}

/// Runs a task-definition subcommand.
pub fn run(command: TaskdefCommand, connection: &ConnectionArgs) -> ExitCode {
    match command {
        TaskdefCommand::Validate { file } => validate_file(&file),
        TaskdefCommand::History { family, output } => {
            let connection = connection.resolve();
            block_on(async move {
                let ecs = aws::connect(&connection, &aws::ProfileSource::default()).await;
                let rows = ecs.revisions(&family).await?;
                if rows.is_empty() {
                    return Err(AwsError::internal(
                        "ListTaskDefinitions",
                        format!("{family} has no revisions"),
                    ));
                }
                history(&rows, output)
            })
        }
        TaskdefCommand::Show { reference, output } => {
            let connection = connection.resolve();
            block_on(async move {
                let ecs = aws::connect(&connection, &aws::ProfileSource::default()).await;
                let doc = ecs.task_definition(&reference.to_string()).await?;
                show(&doc, output)
            })
        }
    }
}

/// `println!` for text holding AWS data: hostile characters escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", crate::model::untrusted_text::untrusted_block(&format!($($arg)*)))
    };
}

fn show(doc: &TaskDefDocument, output: ShowOutput) -> Result<(), AwsError> {
    if let ShowOutput::Json = output {
        println!(
            "{}",
            crate::model::untrusted_text::json_safe(&doc.to_pretty_json())
        );
        return Ok(());
    }
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    if let Some(summary) = RevisionSummary::from_document(doc) {
        say!(
            "{}:{}  {}",
            summary.family,
            summary.revision,
            summary.status
        );
        say!("ARN          {}", summary.arn);
        say!(
            "Registered   {} by {}",
            summary
                .registered_at
                .map_or_else(|| "-".to_owned(), short_utc),
            dash(summary.registered_by)
        );
    }
    let list = |key: &str| {
        doc.as_map()
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .filter(|s| !s.is_empty())
    };
    say!(
        "Size         {} CPU units, {} MiB",
        dash(doc.text("cpu")),
        dash(doc.text("memory"))
    );
    say!(
        "Network      {}   launch types {}",
        dash(doc.text("networkMode")),
        dash(list("requiresCompatibilities"))
    );
    say!("Task role    {}", dash(doc.text("taskRoleArn")));
    say!("Exec role    {}", dash(doc.text("executionRoleArn")));
    println!();
    let rows = (0..doc.containers().len())
        .map(|i| {
            let text = |key: &str| dash(doc.container_text(i, key));
            let ports = doc.containers()[i]
                .get("portMappings")
                .and_then(Value::as_array)
                .map(|ports| {
                    ports
                        .iter()
                        .filter_map(|p| p.get("containerPort").map(Value::to_string))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .filter(|s| !s.is_empty());
            vec![
                text("name"),
                text("image"),
                doc.container_text(i, "essential")
                    .unwrap_or_else(|| "true".to_owned()),
                text("cpu"),
                text("memory"),
                text("memoryReservation"),
                dash(ports),
            ]
        })
        .collect();
    print_table(
        &[
            "CONTAINER",
            "IMAGE",
            "ESSENTIAL",
            "CPU",
            "MEMORY",
            "RESERVATION",
            "PORTS",
        ],
        rows,
    );
    Ok(())
}

/// The history as aligned columns, or every row as JSON.
fn history(rows: &[RevisionSummary], output: ShowOutput) -> Result<(), AwsError> {
    if let ShowOutput::Json = output {
        return super::output::print_json(&rows);
    }
    let dash = |v: Option<&str>| v.unwrap_or("-").to_owned();
    let table = rows
        .iter()
        .map(|r| {
            vec![
                r.revision.to_string(),
                r.status.clone(),
                r.registered_at.map_or_else(|| "-".to_owned(), short_utc),
                dash(
                    r.registered_by
                        .as_deref()
                        .map(|b| b.rsplit('/').next().unwrap_or(b)),
                ),
                dash(r.changes.as_deref()),
            ]
        })
        .collect();
    print_table(
        &["REVISION", "STATUS", "REGISTERED", "BY", "WHAT CHANGED"],
        table,
    );
    Ok(())
}

fn validate_file(file: &Path) -> ExitCode {
    let name = file.display();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let doc = match TaskDefDocument::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{name}:{}:{}: error: {}", e.line, e.column, e.message);
            return ExitCode::FAILURE;
        }
    };
    let errors = validate(&doc);
    let warnings = lint(&doc);
    for finding in &errors {
        let at = doc.display_path(&finding.path);
        eprintln!("{name}: error: {at}: {}", finding.message);
    }
    for finding in &warnings {
        let at = doc.display_path(&finding.path);
        eprintln!("{name}: warning: {at}: {}", finding.message);
    }
    let family = doc.family().unwrap_or("(no family)");
    if errors.is_empty() {
        println!("{name}: {family} is valid ({} warnings)", warnings.len());
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{name}: {family} has {} errors and {} warnings",
            errors.len(),
            warnings.len()
        );
        ExitCode::FAILURE
    }
}
