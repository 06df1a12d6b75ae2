//! A change waiting for the user: where it goes (profile · region · endpoint · account), what
//! it changes from what to what, what is worth reading first, and the equivalent `aws`
//! command. Every change the app makes is shown as one of these before it is sent.

pub mod exec;

use super::aws_cli::{continue_cli, roll_back_cli, scaling_bounds_cli};
use super::service_change::{
    RunTaskSpec, ServiceChange, run_task_cli, scale_confirmation, stop_task_cli, update_service_cli,
};
use crate::model::Model;
use crate::model::connection::without_userinfo;
use crate::model::ecs::service_deployment::stage_label;
use crate::model::ecs::{DeploymentConfig, Service, short_id};
use crate::model::messages::Action;
use crate::model::task_defs::editor::{deregister_cli_command, register_cli_command};
use crate::model::task_defs::revisions::family_revision;

/// Where a change goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// The profile really used (named, else the environment's, else `default`).
    pub profile: String,
    /// Region.
    pub region: String,
    /// The endpoint override without any `user:password@`; None is AWS itself.
    pub endpoint: Option<String>,
    /// The account, when an ARN involved names it.
    pub account: Option<String>,
}

impl Destination {
    /// `profile prod · region eu-west-1 · endpoint AWS · account 123456789012`.
    pub fn label(&self) -> String {
        let endpoint = self.endpoint.as_deref().unwrap_or("AWS (default endpoint)");
        let mut out = format!(
            "profile {} · region {} · endpoint {endpoint}",
            self.profile, self.region
        );
        if let Some(account) = &self.account {
            out.push_str(&format!(" · account {account}"));
        }
        out
    }
}

/// One field a change sets: from what, to what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    /// What.
    pub field: String,
    /// Now.
    pub before: String,
    /// After the change.
    pub after: String,
}

fn row(field: impl Into<String>, before: impl Into<String>, after: impl Into<String>) -> ChangeRow {
    ChangeRow {
        field: field.into(),
        before: before.into(),
        after: after.into(),
    }
}

/// A change shown for confirmation; confirming sends `action`, nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// The action confirming sends.
    pub action: Action,
    /// What it does, in a line.
    pub title: String,
    /// Where it goes.
    pub destination: Destination,
    /// Before → after, field by field.
    pub rows: Vec<ChangeRow>,
    /// What to know first (a large scale, auto scaling taking over, what a stop does).
    pub notes: Vec<String>,
    /// The equivalent `aws` command, when there is one.
    pub cli: Option<String>,
    /// Drawn as a warning: it stops tasks or takes capacity away.
    pub risky: bool,
}

/// `123456789012` from `arn:aws:ecs:us-east-1:123456789012:service/…`.
pub fn account_of(arn: &str) -> Option<String> {
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (!account.is_empty()).then(|| account.to_owned())
}

/// The proposal for `action`, or None when it changes nothing in AWS and needs no asking.
pub fn propose(model: &Model, action: Action) -> Option<Proposal> {
    let connection = &model.connection;
    let (title, arn, rows, notes, cli, risky) = match &action {
        Action::UpdateService(change) => {
            let (title, rows, notes, risky) = update_service(model, change);
            let cli = update_service_cli(connection, change);
            (
                title,
                Some(change.service.clone()),
                rows,
                notes,
                Some(cli),
                risky,
            )
        }
        Action::StopTask {
            cluster,
            task,
            reason,
        } => stop_task(model, cluster, task, reason),
        Action::RunTask(spec) => run_task(model, spec),
        Action::Register { input, .. } => register(input, model),
        Action::Deregister { arn } => deregister(model, arn),
        Action::RollBackDeployment {
            service,
            deployment,
        } => roll_back(model, service, deployment),
        Action::DeployImages { input, change } => deploy_images(model, input, change),
        Action::ContinueDeployment {
            service,
            deployment,
            hook_id,
            roll_back,
        } => continue_deployment(model, service, deployment, hook_id, *roll_back),
        Action::SetScalingBounds {
            cluster,
            service,
            min,
            max,
        } => scaling_bounds(model, cluster, service, *min, *max),
        Action::OpenExec { spec, reconnect } => exec::exec_session(model, spec, *reconnect),
        Action::StartForward(spec) => exec::forward(model, spec),
        Action::OpenExecWindow(spec) => exec::exec_window(model, spec),
        Action::SetReadOnly(false) => read_only_off(model)?,
        Action::SetReadOnlyProfiles(patterns) => patterns_lift(model, patterns)?,
        _ => return None,
    };
    let account = arn
        .as_deref()
        .and_then(account_of)
        .or_else(|| known_account(model));
    Some(Proposal {
        action,
        title,
        destination: Destination {
            profile: model.effective_profile(),
            region: connection.region.clone(),
            endpoint: connection.endpoint_url.as_deref().map(without_userinfo),
            account,
        },
        rows,
        notes,
        cli,
        risky,
    })
}

type Parts = (
    String,
    Option<String>,
    Vec<ChangeRow>,
    Vec<String>,
    Option<String>,
    bool,
);

/// Any account an ARN in the store names (every ARN of one connection names the same).
fn known_account(model: &Model) -> Option<String> {
    let clusters = model.store.clusters.fetched()?;
    clusters.value.iter().find_map(|c| account_of(&c.arn))
}

fn service_in_store<'a>(model: &'a Model, cluster: &str, arn: &str) -> Option<&'a Service> {
    model
        .services_of(cluster)
        .value()?
        .iter()
        .find(|s| s.arn == arn)
}

fn update_service(
    model: &Model,
    change: &ServiceChange,
) -> (String, Vec<ChangeRow>, Vec<String>, bool) {
    let name = short_id(&change.service).to_owned();
    let (update, expected) = (&change.update, &change.expected);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut risky = false;
    let mut verbs = Vec::new();
    if let Some(td) = &update.task_definition {
        verbs.push(format!("deploy {}", family_revision(td)));
        rows.push(row(
            "Task definition",
            family_revision(&expected.task_definition),
            family_revision(td),
        ));
    }
    if let Some(desired) = update.desired {
        verbs.push(format!("scale to {desired}"));
        rows.push(row(
            "Desired tasks",
            expected.desired.to_string(),
            desired.to_string(),
        ));
        if let Some(why) = scale_confirmation(expected.desired, desired) {
            notes.push(why);
            risky = true;
        }
        if let Some(Some(target)) = model.scaling_of(&change.service).value()
            && let Some(warning) = target.override_warning(desired)
        {
            notes.push(warning);
        }
    }
    if let Some(on) = update.enable_execute_command {
        verbs.push(format!("turn ECS Exec {}", if on { "on" } else { "off" }));
        let before =
            service_in_store(model, &change.cluster, &change.service).map_or("unknown", |s| {
                if s.enable_execute_command {
                    "on"
                } else {
                    "off"
                }
            });
        rows.push(row(
            "ECS Exec (new tasks)",
            before,
            if on { "on" } else { "off" },
        ));
        notes.push(
            "Only tasks started after this accept exec: the new deployment replaces the \
             running ones."
                .to_owned(),
        );
    }
    if update.force_new_deployment {
        verbs.push("force a new deployment".to_owned());
        rows.push(row("New deployment", "no", "yes: every task is replaced"));
    }
    if let Some(after) = &update.deployment_config {
        verbs.push("change deployment settings".to_owned());
        let before = service_in_store(model, &change.cluster, &change.service)
            .map(|s| s.deployment_config.clone())
            .unwrap_or_default();
        rows.extend(deployment_rows(&before, after));
    }
    let title = match (&update.task_definition, update.desired, verbs.len()) {
        (None, Some(desired), 1) => format!(
            "Scale {name} from {} to {desired} task{}",
            expected.desired,
            if desired == 1 { "" } else { "s" }
        ),
        (Some(td), None, 1) => format!("Deploy {} to {name}", family_revision(td)),
        _ => format!("Change {name}: {}", verbs.join(", ")),
    };
    (title, rows, notes, risky)
}

fn deployment_rows(before: &DeploymentConfig, after: &DeploymentConfig) -> Vec<ChangeRow> {
    after
        .changes_from(before)
        .into_iter()
        .map(|(field, b, a)| row(field, b, a))
        .collect()
}

fn stop_task(model: &Model, cluster: &str, task: &str, reason: &str) -> Parts {
    (
        format!("Stop task {}", short_id(task)),
        Some(task.to_owned()),
        vec![
            row("Task", "RUNNING", "STOPPED"),
            row("Stopped reason", "", reason),
        ],
        vec!["A service starts a replacement; a task run on its own is gone.".to_owned()],
        Some(stop_task_cli(&model.connection, cluster, task, reason)),
        true,
    )
}

fn deregister(model: &Model, arn: &str) -> Parts {
    (
        format!("Deregister {}", family_revision(arn)),
        Some(arn.to_owned()),
        vec![row(family_revision(arn), "ACTIVE", "INACTIVE")],
        vec![
            "Services that run it keep running; new deployments and tasks can no longer use it."
                .to_owned(),
        ],
        Some(deregister_cli_command(arn, &model.connection)),
        true,
    )
}

fn roll_back(model: &Model, service: &str, deployment: &str) -> Parts {
    (
        format!("Stop deployment {} and roll back", short_id(deployment)),
        Some(service.to_owned()),
        vec![row(
            format!("Deployment {}", short_id(deployment)),
            "IN_PROGRESS",
            "stopped, rolled back",
        )],
        vec!["ECS puts the service back on the revision it ran before this deployment.".to_owned()],
        Some(roll_back_cli(&model.connection, deployment)),
        true,
    )
}

fn deploy_images(model: &Model, input: &str, change: &ServiceChange) -> Parts {
    use crate::model::task_defs::new_image::container_images;
    use crate::model::task_defs::task_def::TaskDefDocument;
    let running = &change.expected.task_definition;
    let before = model
        .task_definition(running)
        .value()
        .map(container_images)
        .unwrap_or_default();
    let after = TaskDefDocument::parse(input)
        .map(|doc| container_images(&doc))
        .unwrap_or_default();
    let rows = after
        .iter()
        .filter(|(name, image)| !before.iter().any(|b| b.0 == *name && b.1 == *image))
        .map(|(name, image)| {
            let was = before
                .iter()
                .find(|b| b.0 == *name)
                .map_or_else(String::new, |b| b.1.clone());
            row(format!("Image of {name}"), was, image.clone())
        })
        .collect();
    let family = crate::model::task_defs::revisions::parse_arn(running)
        .map_or_else(|| family_revision(running).to_owned(), |(family, _)| family);
    let cli = format!(
        "{} && {}",
        register_cli_command(input, &model.connection),
        super::service_change::deploy_cli(
            &model.connection,
            &change.cluster,
            &change.service,
            &format!("{family}:<new revision>"),
            false
        )
    );
    (
        format!("Deploy new images to {}", short_id(&change.service)),
        Some(change.service.clone()),
        rows,
        vec![format!(
            "Registers a new revision of {family} from {} with only these images changed, then \
             deploys it; every other field is kept.",
            family_revision(running)
        )],
        Some(cli),
        false,
    )
}

fn continue_deployment(
    model: &Model,
    service: &str,
    deployment: &str,
    hook_id: &str,
    roll_back: bool,
) -> Parts {
    let detail = model.deployment_detail(deployment).value();
    let stage = detail
        .and_then(|d| d.lifecycle_stage.as_deref())
        .map_or_else(|| "its paused stage".to_owned(), stage_label);
    let (title, after, note) = if roll_back {
        (
            format!("Roll back deployment {} at {stage}", short_id(deployment)),
            "rolled back",
            "ECS shifts all traffic back to the revision that ran before and stops the new tasks.",
        )
    } else {
        (
            format!("Continue deployment {} past {stage}", short_id(deployment)),
            "continues to the next stage",
            "ECS moves on to the next lifecycle stage; later stages may shift production traffic.",
        )
    };
    (
        title,
        Some(service.to_owned()),
        vec![row(
            format!("Deployment {}", short_id(deployment)),
            "waiting at a pause hook",
            after,
        )],
        vec![note.to_owned()],
        Some(continue_cli(
            &model.connection,
            deployment,
            hook_id,
            roll_back,
        )),
        roll_back,
    )
}

fn run_task(model: &Model, spec: &RunTaskSpec) -> Parts {
    let mut rows = vec![row(
        "Tasks of ".to_owned() + family_revision(&spec.task_definition),
        "",
        "1 new task",
    )];
    if let Some(launch) = &spec.launch_type {
        rows.push(row("Launch type", "", launch.clone()));
    }
    if let Some((container, command)) = &spec.command {
        rows.push(row(
            format!("Command of {container}"),
            "",
            command.join(" "),
        ));
    }
    (
        format!("Run a task of {}", family_revision(&spec.task_definition)),
        Some(spec.cluster.clone()),
        rows,
        Vec::new(),
        Some(run_task_cli(&model.connection, spec)),
        false,
    )
}

fn register(input: &str, model: &Model) -> Parts {
    let family = serde_json::from_str::<serde_json::Value>(input)
        .ok()
        .and_then(|v| v.get("family").and_then(|f| f.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    let latest = model
        .revisions_of(&family)
        .value()
        .and_then(|list| list.iter().map(|r| r.revision).max());
    let before = latest.map_or_else(
        || "no revision known".to_owned(),
        |r| format!("{family}:{r}"),
    );
    let after = latest.map_or_else(
        || "a new revision".to_owned(),
        |r| format!("{family}:{}", r + 1),
    );
    (
        format!("Register a new revision of {family}"),
        None,
        vec![row("Newest revision", before, after)],
        vec!["Nothing runs it until it is deployed.".to_owned()],
        Some(register_cli_command(input, &model.connection)),
        false,
    )
}

fn scaling_bounds(model: &Model, cluster: &str, service: &str, min: i32, max: i32) -> Parts {
    let current = model.scaling_of(service).value().cloned().flatten();
    let (before_min, before_max) = current
        .as_ref()
        .map_or(("none".to_owned(), "none".to_owned()), |t| {
            (t.min.to_string(), t.max.to_string())
        });
    let mut notes = Vec::new();
    let mut risky = false;
    if let Some(desired) = service_in_store(model, cluster, service).map(|s| s.desired) {
        if max < desired {
            risky = true;
            notes.push(format!(
                "The maximum ({max}) is below the desired count ({desired}): Application Auto \
                 Scaling will scale the service in to {max} task{}, stopping {} of them.",
                if max == 1 { "" } else { "s" },
                desired - max
            ));
        } else if min > desired {
            notes.push(format!(
                "The minimum ({min}) is above the desired count ({desired}): Application Auto \
                 Scaling will scale the service out to {min} tasks."
            ));
        }
    }
    let resource_id = crate::model::ecs::scaling::resource_id(cluster, service);
    (
        format!("Set the auto scaling bounds of {}", short_id(service)),
        Some(service.to_owned()),
        vec![
            row("Minimum tasks", before_min, min.to_string()),
            row("Maximum tasks", before_max, max.to_string()),
        ],
        notes,
        Some(scaling_bounds_cli(
            &model.connection,
            &resource_id,
            min,
            max,
        )),
        risky,
    )
}

/// Turning read-only off is a change too: it names the profile it opens to changes.
fn read_only_off(model: &Model) -> Option<Parts> {
    let refusal = model.refusal()?;
    if !refusal.can_override() {
        return None;
    }
    let profile = model.effective_profile();
    Some((
        format!("Allow changes to AWS with profile {profile}"),
        None,
        vec![row("Read-only", "on", "off")],
        vec![
            format!("Now {refusal}."),
            "Deploy, scale, stop, run and register become possible from this window, each \
             after a confirmation like this one."
                .to_owned(),
        ],
        None,
        true,
    ))
}

/// Removing the pattern that keeps this profile read-only turns read-only off: it asks too.
fn patterns_lift(model: &Model, patterns: &[String]) -> Option<Parts> {
    let refusal @ crate::model::changes::policy::Refusal::Pattern { .. } = model.refusal()? else {
        return None;
    };
    let rules = crate::model::changes::policy::ChangeRules {
        patterns: patterns.to_vec(),
        ..model.change_rules.clone()
    };
    crate::model::changes::policy::decide(&rules, model.connection.profile.as_deref()).ok()?;
    let profile = model.effective_profile();
    Some((
        format!("Allow changes to AWS with profile {profile}"),
        None,
        vec![row(
            "Read-only patterns",
            model.change_rules.patterns.join(", "),
            patterns.join(", "),
        )],
        vec![format!(
            "Now {refusal}; without that pattern, changes are allowed."
        )],
        None,
        true,
    ))
}

#[cfg(test)]
mod tests;
