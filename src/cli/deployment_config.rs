//! `ecsdeck deployment-config`: prints a service's deployment configuration, or changes just
//! the fields named on the command line — checked as ECS would check them, shown before →
//! after with the equivalent `aws` command, confirmed unless `--yes`, under the change policy,
//! journalled. Everything not named is sent back exactly as described.
//! Exit codes: 0 printed or changed, 1 error, invalid or declined, 3 refused by the policy.

use super::ConnectionArgs;
use super::service::{journal, may_apply, run_with_rules};
use crate::aws::Ecs;
use crate::model::changes::policy::ChangeRules;
use crate::model::changes::service_change::{
    ServiceChange, ServiceSnapshot, ServiceUpdate, update_service_cli,
};
use crate::model::ecs::deployment_config::{DeploymentAlarms, DeploymentConfig, TrafficStep};
use crate::model::ecs::{DeploymentConfig as Config, Service};
use crate::model::untrusted_text::untrusted;
use crate::model::{AwsError, Connection};
use clap::{Args, ValueEnum};
use std::process::ExitCode;

/// How the configuration is printed.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ConfigOutput {
    /// One field per line.
    #[default]
    Text,
    /// The API's JSON.
    Json,
}

/// A deployment strategy, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StrategyArg {
    /// Rolling update.
    Rolling,
    /// Blue/green, all traffic at once.
    BlueGreen,
    /// Traffic in equal steps.
    Linear,
    /// A small share first, then the rest.
    Canary,
}

/// The circuit breaker, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BreakerArg {
    /// Off.
    Off,
    /// On, failing the deployment without rollback.
    On,
    /// On, rolling back.
    Rollback,
}

/// On or off.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// `deployment-config`'s options.
#[derive(Debug, Clone, Args)]
pub struct DeploymentConfigArgs {
    /// Cluster name or ARN.
    #[arg(long)]
    pub cluster: String,
    /// Service name or ARN.
    #[arg(long)]
    pub service: String,
    /// How to print the configuration.
    #[arg(long, value_enum, default_value_t)]
    pub output: ConfigOutput,
    /// Deployment strategy.
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyArg>,
    /// Minutes both revisions run after production traffic moved.
    #[arg(long)]
    pub bake_minutes: Option<i32>,
    /// Minimum healthy percent of the desired count during a deployment.
    #[arg(long)]
    pub min_healthy_percent: Option<i32>,
    /// Maximum percent of the desired count during a deployment.
    #[arg(long)]
    pub max_percent: Option<i32>,
    /// Linear: percent of traffic moved per step (3–100).
    #[arg(long)]
    pub step_percent: Option<f64>,
    /// Linear: minutes to wait after each step.
    #[arg(long)]
    pub step_bake_minutes: Option<i32>,
    /// Canary: percent of traffic moved first (0.1–100).
    #[arg(long)]
    pub canary_percent: Option<f64>,
    /// Canary: minutes to wait before the rest.
    #[arg(long)]
    pub canary_bake_minutes: Option<i32>,
    /// The deployment circuit breaker.
    #[arg(long, value_enum)]
    pub circuit_breaker: Option<BreakerArg>,
    /// CloudWatch alarms that stop a deployment, comma-separated ("" for none).
    #[arg(long)]
    pub alarms: Option<String>,
    /// Roll back when one of the alarms fires.
    #[arg(long, value_enum)]
    pub alarm_rollback: Option<Switch>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Accepted for symmetry with deploy: a settings change starts no deployment.
    #[arg(long)]
    pub wait: bool,
}

impl DeploymentConfigArgs {
    /// True when any field is to change.
    fn changes_anything(&self) -> bool {
        self.strategy.is_some()
            || self.bake_minutes.is_some()
            || self.min_healthy_percent.is_some()
            || self.max_percent.is_some()
            || self.step_percent.is_some()
            || self.step_bake_minutes.is_some()
            || self.canary_percent.is_some()
            || self.canary_bake_minutes.is_some()
            || self.circuit_breaker.is_some()
            || self.alarms.is_some()
            || self.alarm_rollback.is_some()
    }

    /// `config` with the fields named on the command line set.
    fn applied_to(&self, mut config: Config) -> Config {
        if let Some(strategy) = self.strategy {
            config.strategy = Some(
                match strategy {
                    StrategyArg::Rolling => "ROLLING",
                    StrategyArg::BlueGreen => "BLUE_GREEN",
                    StrategyArg::Linear => "LINEAR",
                    StrategyArg::Canary => "CANARY",
                }
                .to_owned(),
            );
        }
        config.bake_time_minutes = self.bake_minutes.or(config.bake_time_minutes);
        config.minimum_healthy_percent =
            self.min_healthy_percent.or(config.minimum_healthy_percent);
        config.maximum_percent = self.max_percent.or(config.maximum_percent);
        let step = |old: Option<TrafficStep>, percent: Option<f64>, bake: Option<i32>| {
            if percent.is_none() && bake.is_none() {
                return old;
            }
            let old = old.unwrap_or_default();
            Some(TrafficStep {
                percent: percent.or(old.percent),
                bake_minutes: bake.or(old.bake_minutes),
            })
        };
        config.linear = step(config.linear, self.step_percent, self.step_bake_minutes);
        config.canary = step(config.canary, self.canary_percent, self.canary_bake_minutes);
        if let Some(breaker) = self.circuit_breaker {
            (
                config.circuit_breaker_enable,
                config.circuit_breaker_rollback,
            ) = match breaker {
                BreakerArg::Off => (false, false),
                BreakerArg::On => (true, false),
                BreakerArg::Rollback => (true, true),
            };
        }
        self.apply_alarms(&mut config);
        config
    }

    fn apply_alarms(&self, config: &mut Config) {
        if self.alarms.is_none() && self.alarm_rollback.is_none() {
            return;
        }
        let mut alarms = config.alarms.clone().unwrap_or_default();
        if let Some(list) = &self.alarms {
            alarms.names = list
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect();
            alarms.enable = !alarms.names.is_empty();
        }
        if let Some(rollback) = self.alarm_rollback {
            alarms.rollback = matches!(rollback, Switch::On);
        }
        config.alarms = (alarms != DeploymentAlarms::default()).then_some(alarms);
    }
}

/// Runs `deployment-config`.
pub fn run(args: &DeploymentConfigArgs, connection: &ConnectionArgs) -> ExitCode {
    run_with_rules(connection, async |ecs, connection, rules| {
        let service = ecs.describe_service(&args.cluster, &args.service).await?;
        if !args.changes_anything() {
            print_config(&service, args.output);
            return Ok(ExitCode::SUCCESS);
        }
        change(ecs, args, &service, connection, rules).await
    })
}

/// The configuration, one field per line or as the API's JSON.
pub fn print_config(service: &Service, output: ConfigOutput) {
    let config = &service.deployment_config;
    match output {
        ConfigOutput::Json => {
            let value = serde_json::json!({
                "service": service.name,
                "deploymentController": service.deployment_controller,
                "deploymentConfiguration": config.to_api_json(),
            });
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            println!("{}", crate::model::untrusted_text::json_safe(&text));
        }
        ConfigOutput::Text => {
            for (field, value) in config_lines(service) {
                println!("{field:<16} {}", untrusted(&value));
            }
        }
    }
}

fn config_lines(service: &Service) -> Vec<(&'static str, String)> {
    let config = &service.deployment_config;
    let mut lines = config.rows(&service.deployment_controller);
    lines.push(("Alarms", config.alarms_text()));
    if config.lifecycle_hooks.is_empty() {
        lines.push(("Lifecycle hooks", "none".to_owned()));
    }
    for hook in &config.lifecycle_hooks {
        lines.push(("Lifecycle hook", hook.describe()));
    }
    lines
}

async fn change(
    ecs: &Ecs,
    args: &DeploymentConfigArgs,
    service: &Service,
    connection: &Connection,
    rules: &ChangeRules,
) -> Result<ExitCode, AwsError> {
    let before = &service.deployment_config;
    let after: DeploymentConfig = args.applied_to(before.clone());
    let problems = after.problems(&service.traits());
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("error: {}", untrusted(problem));
        }
        println!("Nothing changed: ECS would refuse this configuration.");
        return Ok(ExitCode::FAILURE);
    }
    let rows = after.changes_from(before);
    if rows.is_empty() {
        println!(
            "Nothing to change: {} already has these settings.",
            untrusted(&service.name)
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Change the deployment settings of {}:",
        untrusted(&service.name)
    );
    for (field, was, now) in &rows {
        println!("  {field}: {} → {}", untrusted(was), untrusted(now));
    }
    println!("Everything else (lifecycle hooks included) is sent back as it is.");
    let change = ServiceChange {
        cluster: args.cluster.clone(),
        service: args.service.clone(),
        update: ServiceUpdate {
            deployment_config: Some(after),
            ..ServiceUpdate::default()
        },
        expected: ServiceSnapshot::of(service),
    };
    println!(
        "Equivalent: {}",
        untrusted(&update_service_cli(connection, &change))
    );
    if let Some(stop) = may_apply(rules, connection, args.yes) {
        return Ok(stop);
    }
    let sent = ecs
        .update_service(
            &args.cluster,
            &args.service,
            &change.update,
            &change.expected,
        )
        .await;
    let summary = format!(
        "deployment settings: {}",
        rows.iter()
            .map(|(field, _, now)| format!("{field} {now}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    journal(
        connection,
        "UpdateService",
        &service.arn,
        &summary,
        sent.as_ref().map(|s| s.arn.as_str()),
    );
    sent?;
    println!("Sent. The settings apply to the next deployment.");
    if args.wait {
        println!("No deployment was started, so there is nothing to wait for.");
    }
    Ok(ExitCode::SUCCESS)
}
