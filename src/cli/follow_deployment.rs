//! `--wait` on a change that starts a deployment: follows the service deployment ECS started
//! (DescribeServiceDeployments), printing each lifecycle stage as it is reached, traffic
//! steps and hooks waiting for a decision. Exit codes: 0 succeeded (or `--wait-until` reached),
//! 1 failed, stopped or rolled back, 2 still going when `--timeout-secs` ran out.

use super::service::ChangeArgs;
use crate::aws::Ecs;
use crate::model::changes::aws_cli::continue_cli;
use crate::model::ecs::deployment_config::percent_text;
use crate::model::ecs::service_deployment::{ALL_STAGES, ServiceDeploymentDetail, stage_label};
use crate::model::ecs::short_id;
use crate::model::untrusted_text::untrusted;
use crate::model::{AwsError, Connection};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Exit code when the wait timed out.
const EXIT_TIMEOUT: u8 = 2;

/// The newest deployment of the service before a change, so the one it starts can be told
/// apart; None where the service deployments API is not available.
pub async fn newest_before(ecs: &Ecs, args: &ChangeArgs) -> Option<Option<String>> {
    let list = ecs
        .service_deployments(&args.cluster, &args.service)
        .await
        .ok()?;
    Some(list.first().map(|d| d.arn.clone()))
}

/// Checks `--wait-until`: a lifecycle stage ECS knows.
pub fn parse_stage(text: &str) -> Result<String, String> {
    let stage = text.trim().to_uppercase().replace('-', "_");
    if ALL_STAGES.contains(&stage.as_str()) {
        Ok(stage)
    } else {
        Err(format!(
            "unknown lifecycle stage {text}; one of {}",
            ALL_STAGES.join(", ")
        ))
    }
}

/// What was last printed, so each line says something new.
#[derive(Default)]
struct Seen {
    stage: Option<String>,
    traffic: Option<f64>,
    hooks: Vec<String>,
}

fn poll_interval(args: &ChangeArgs) -> Duration {
    Duration::from_secs_f64(args.poll_secs.clamp(0.05, 3_600.0))
}

/// Follows the deployment the change started (the newest one other than `before`).
pub async fn follow(
    ecs: &Ecs,
    args: &ChangeArgs,
    connection: &Connection,
    before: Option<String>,
) -> Result<ExitCode, AwsError> {
    let started = Instant::now();
    let timeout = Duration::from_secs(args.timeout_secs);
    let arn = loop {
        let list = ecs
            .service_deployments(&args.cluster, &args.service)
            .await?;
        if let Some(newest) = list.first().filter(|d| Some(&d.arn) != before.as_ref()) {
            break newest.arn.clone();
        }
        if started.elapsed() >= timeout {
            println!(
                "ECS has not started a deployment after {} s.",
                args.timeout_secs
            );
            return Ok(ExitCode::from(EXIT_TIMEOUT));
        }
        tokio::time::sleep(poll_interval(args)).await;
    };
    println!("Following deployment {}.", untrusted(short_id(&arn)));
    let mut seen = Seen::default();
    loop {
        let detail = ecs.service_deployment(&arn).await?;
        report(&detail, &mut seen, connection);
        if let Some(code) = verdict(&detail, args) {
            return Ok(code);
        }
        if started.elapsed() >= timeout {
            println!(
                "Still {} after {} s; the deployment goes on without us.",
                detail.status, args.timeout_secs
            );
            return Ok(ExitCode::from(EXIT_TIMEOUT));
        }
        tokio::time::sleep(poll_interval(args)).await;
    }
}

/// Prints what changed since the last look.
fn report(detail: &ServiceDeploymentDetail, seen: &mut Seen, connection: &Connection) {
    if let Some(stage) = &detail.lifecycle_stage
        && seen.stage.as_ref() != Some(stage)
    {
        println!("stage: {} ({stage})", stage_label(stage));
        seen.stage = Some(stage.clone());
    }
    let traffic = detail
        .production_to_target()
        .filter(|_| detail.config.shifts_traffic());
    if let Some(green) = traffic
        && seen.traffic != Some(green)
    {
        println!(
            "traffic: new {} % · old {} %",
            percent_text(green),
            percent_text(100.0 - green)
        );
        seen.traffic = Some(green);
    }
    for hook in detail.waiting_hooks() {
        if !seen.hooks.contains(&hook.hook_id) {
            println!(
                "waiting at a pause hook; continue with: {}",
                untrusted(&continue_cli(connection, &detail.arn, &hook.hook_id, false))
            );
            seen.hooks.push(hook.hook_id.clone());
        }
    }
}

/// The exit code once the wait is over, None while it goes on.
fn verdict(detail: &ServiceDeploymentDetail, args: &ChangeArgs) -> Option<ExitCode> {
    if detail.status == "SUCCESSFUL" {
        println!("Deployment succeeded.");
        return Some(ExitCode::SUCCESS);
    }
    // Rolling back already counts as failed: the new revision will not stay.
    if !detail.is_active() || detail.rolled_back() {
        let reason = detail
            .rollback
            .as_ref()
            .and_then(|r| r.reason.clone())
            .or_else(|| detail.status_reason.clone())
            .unwrap_or_else(|| "no reason given".to_owned());
        println!("Deployment {}: {}", detail.status, untrusted(&reason));
        return Some(ExitCode::FAILURE);
    }
    let until = args.wait_until.as_deref()?;
    let at = ALL_STAGES
        .iter()
        .position(|s| Some(*s) == detail.lifecycle_stage.as_deref())?;
    let target = ALL_STAGES.iter().position(|s| *s == until)?;
    (at >= target).then(|| {
        println!("Reached {until}; not waiting for the rest.");
        ExitCode::SUCCESS
    })
}
