//! `ecsdeck diff OLD NEW`: the semantic diff of two task definitions, each a revision
//! (`FAMILY`, `FAMILY:REV`, an ARN) or a JSON file. Exit code 0 when equal, 1 when different,
//! 2 on error — like `diff`.

use super::ConnectionArgs;
use super::output::print_untrusted;
use crate::aws::{self, Ecs};
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::task_def_ref::TaskDefRef;
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::{to_json, to_markdown, to_text};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum DiffOutput {
    /// A summary line, then one line per change.
    #[default]
    Text,
    /// A JSON object with the summary and every change.
    Json,
    /// A Markdown table, for pull requests and chat.
    Markdown,
}

/// Runs `diff`.
pub fn run(
    old: &str,
    new: &str,
    output: DiffOutput,
    mask_env: bool,
    connection: &ConnectionArgs,
) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = runtime.block_on(async {
        let needs_aws = [old, new].iter().any(|s| !Path::new(s).is_file());
        let ecs = if needs_aws {
            Some(aws::connect(&connection.resolve(), &aws::ProfileSource::default()).await)
        } else {
            None
        };
        let a = load(old, ecs.as_ref()).await?;
        let b = load(new, ecs.as_ref()).await?;
        Ok::<_, String>((a, b))
    });
    let (a, b) = match loaded {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!(
                "error: {}",
                crate::model::untrusted_text::untrusted(&message)
            );
            return ExitCode::from(2);
        }
    };
    let changes = diff(&a, &b);
    let title = format!("{old} → {new}");
    match output {
        DiffOutput::Text => print_untrusted(&to_text(&changes, &title, mask_env)),
        DiffOutput::Markdown => print_untrusted(&to_markdown(&changes, &title, mask_env)),
        DiffOutput::Json => {
            let value = to_json(&changes, old, new, mask_env);
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            println!("{}", crate::model::untrusted_text::json_safe(&text));
        }
    }
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A file on disk, or a revision from ECS.
async fn load(reference: &str, ecs: Option<&Ecs>) -> Result<TaskDefDocument, String> {
    let path = Path::new(reference);
    if path.is_file() {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {reference}: {e}"))?;
        return TaskDefDocument::parse(&text).map_err(|e| {
            format!(
                "{reference}:{}:{}: not a task definition: {}",
                e.line, e.column, e.message
            )
        });
    }
    let parsed =
        TaskDefRef::parse(reference).map_err(|e| format!("{reference}: no such file, and {e}"))?;
    let ecs = ecs.ok_or_else(|| format!("{reference}: no such file"))?;
    ecs.task_definition(&parsed.to_string())
        .await
        .map_err(|e| e.to_string())
}
