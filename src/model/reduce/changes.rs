//! The `reduce` half for changes to AWS: one at a time, refused in read-only mode, their
//! outcome kept for the UI, and the data they touched refreshed.

use super::{next_id, next_version};
use crate::model::messages::{Action, Request, Response, WorkerCommand};
use crate::model::route::ResourceKey;
use crate::model::task_defs::revisions::parse_arn;
use crate::model::{AwsError, Loadable, Model, Mutation, MutationKind, Outcome};
use std::time::SystemTime;

/// The change to AWS an action asks for, as its kind (for the outcome and the journal) and
/// its request; `None` for an action that changes nothing in AWS.
pub(crate) fn mutation_of(model: &Model, action: Action) -> Option<(MutationKind, Request)> {
    if matches!(
        action,
        Action::OpenExec { .. } | Action::StartForward(_) | Action::OpenExecWindow(_)
    ) {
        return super::exec::mutation_of(model, action);
    }
    Some(match action {
        Action::Register { draft_id, input } => (
            MutationKind::Register { draft_id },
            Request::Register { input },
        ),
        Action::Deregister { arn } => (
            MutationKind::Deregister { arn: arn.clone() },
            Request::Deregister { arn },
        ),
        Action::UpdateService(change) => (
            MutationKind::UpdateService {
                service: change.service.clone(),
            },
            Request::UpdateService(change),
        ),
        Action::StopTask {
            cluster,
            task,
            reason,
        } => (
            MutationKind::StopTask { task: task.clone() },
            Request::StopTask {
                cluster,
                task,
                reason,
            },
        ),
        Action::RollBackDeployment {
            service,
            deployment,
        } => (
            MutationKind::RollBackDeployment { service },
            Request::RollBackDeployment { deployment },
        ),
        Action::DeployImages { input, change } => (
            MutationKind::DeployImages {
                service: change.service.clone(),
            },
            Request::RegisterAndDeploy { input, change },
        ),
        Action::ContinueDeployment {
            service,
            deployment,
            hook_id,
            roll_back,
        } => (
            MutationKind::ContinueDeployment { service },
            Request::ContinueDeployment {
                deployment,
                hook_id,
                roll_back,
            },
        ),
        Action::RunTask(spec) => (
            MutationKind::RunTask {
                task_definition: spec.task_definition.clone(),
            },
            Request::RunTask(spec),
        ),
        Action::SetScalingBounds {
            cluster,
            service,
            min,
            max,
        } => (
            MutationKind::SetScaling {
                service: service.clone(),
            },
            Request::SetScalingBounds {
                cluster,
                service,
                min,
                max,
            },
        ),
        _ => return None,
    })
}

pub(crate) fn start_mutation(
    model: &mut Model,
    kind: MutationKind,
    request: Request,
    out: &mut Vec<WorkerCommand>,
) {
    let summary = summary_of(&request);
    if let Some(refusal) = model.refusal() {
        // The UI disables these; this is the guarantee behind it (and the AWS layer's gate
        // behind this one).
        model.outcome = Some(Outcome {
            id: next_id(model),
            connection: model.connection.clone(),
            result: Err(AwsError {
                operation: kind.operation().to_owned(),
                code: "ReadOnly".to_owned(),
                message: format!("{refusal}; nothing was sent"),
                request_id: None,
                kind: crate::model::ErrorKind::ReadOnly,
            }),
            kind,
            summary,
            sent: false,
        });
        return;
    }
    if model.mutation.is_some() {
        model.outcome = Some(Outcome {
            id: next_id(model),
            result: Err(AwsError::internal(
                kind.operation(),
                "another change is still being sent: wait for its answer, then try again; \
                 nothing was sent",
            )),
            connection: model.connection.clone(),
            kind,
            summary,
            sent: false,
        });
        return;
    }
    let id = next_id(model);
    let change = match &request {
        Request::UpdateService(change) => Some(change.clone()),
        _ => None,
    };
    model.mutation = Some(Mutation {
        id,
        kind,
        summary,
        change,
        connection: model.connection.clone(),
    });
    model.verifying = None;
    model.outcome = None;
    super::exec::track(model, id, &request);
    out.push(WorkerCommand::Start {
        id,
        generation: model.generation,
        connection: model.connection.clone(),
        request,
    });
}

/// Applies the answer to a change; the revisions it touched are reloaded on the next visit.
pub(crate) fn finish_mutation(
    model: &mut Model,
    mutation: Mutation,
    response: Response,
    now: SystemTime,
) {
    let Mutation {
        id,
        kind,
        summary,
        connection,
        ..
    } = mutation;
    let result = match response {
        Response::ServiceUpdated(result) => result.map(|service| {
            let arn = service.arn.clone();
            store_service(model, *service);
            arn
        }),
        Response::ScalingUpdated(result) => {
            result.map(|target| store_scaling(model, &kind, target, now))
        }
        Response::DeploymentRolledBack(result) | Response::DeploymentContinued(result) => {
            if let MutationKind::RollBackDeployment { service }
            | MutationKind::ContinueDeployment { service } = &kind
            {
                reload_history_now(model, service);
            }
            if let Ok(deployment) = &result {
                // The cockpit shows the move at once rather than at the next poll.
                model
                    .last_attempt
                    .remove(&ResourceKey::DeploymentDetail(deployment.clone()));
            }
            result
        }
        // The task lists reload at once, so the new or STOPPING task shows.
        Response::TaskStarted(result) | Response::TaskStopped(result) => result.map(|task| {
            reload_tasks_of(model, &task.cluster_arn);
            task.arn.clone()
        }),
        Response::Registered(result) | Response::Deregistered(result) => {
            let result = result.map(|doc| store_registered(model, doc, now));
            if let (MutationKind::Register { .. }, Ok(arn)) = (&kind, &result) {
                model.route = crate::model::Route::Revision { arn: arn.clone() };
            }
            result
        }
        // The worker marks a failed session itself (its screen says why).
        Response::SessionOpened(result) => result,
        _ => Err(AwsError::internal(kind.operation(), "unexpected answer")),
    };
    model.outcome = Some(Outcome {
        id,
        connection,
        kind,
        summary,
        sent: true,
        result,
    });
}

/// Stores the scaling target a change returned; the service's ARN.
fn store_scaling(
    model: &mut Model,
    kind: &MutationKind,
    target: Option<crate::model::ecs::scaling::ScalingTarget>,
    now: SystemTime,
) -> String {
    let service = match kind {
        MutationKind::SetScaling { service } => service.clone(),
        _ => String::new(),
    };
    let version = next_version(model);
    let slot = model.store.scaling.entry(service.clone()).or_default();
    slot.finish(Ok(target), now, version);
    service
}

/// The service's deployment history and the service lists reload at once: a rollback starts
/// now.
fn reload_history_now(model: &mut Model, service: &str) {
    model.last_attempt.retain(|k, _| match k {
        ResourceKey::Deployments(_, s) => s != service,
        ResourceKey::Services(_) => false,
        _ => true,
    });
}

/// Stores a registered or deregistered revision and marks its family's lists stale; its ARN.
fn store_registered(
    model: &mut Model,
    doc: crate::model::task_defs::task_def::TaskDefDocument,
    now: SystemTime,
) -> String {
    let arn = doc
        .text("taskDefinitionArn")
        .unwrap_or_else(|| doc.family().unwrap_or_default().to_owned());
    if let Some((family, _)) = parse_arn(&arn) {
        model.store.revisions.remove(&family);
        model.last_attempt.remove(&ResourceKey::Revisions(family));
    }
    model.store.families = Loadable::NotRequested;
    model.last_attempt.remove(&ResourceKey::Families);
    let version = next_version(model);
    let slot = model.store.task_definitions.entry(arn.clone()).or_default();
    slot.finish(Ok(doc), now, version);
    arn
}

/// Puts the service UpdateService returned into the cached list (a new version), so the page
/// shows the change at once; the next refresh confirms it.
fn store_service(model: &mut Model, service: crate::model::ecs::Service) {
    let version = next_version(model);
    let cluster = service.cluster_arn.clone();
    if let Some(list) = model.store.services.get_mut(&cluster)
        && let Some(fetched) = list.fetched()
    {
        let mut services = fetched.value.clone();
        match services.iter_mut().find(|s| s.arn == service.arn) {
            Some(slot) => *slot = service,
            None => services.push(service),
        }
        let fetched_at = fetched.fetched_at;
        *list = Loadable::Ready(crate::model::Fetched {
            value: services,
            fetched_at,
            version,
        });
    }
    // Poll again soon: the rollout starts now.
    model.last_attempt.remove(&ResourceKey::Services(cluster));
}

/// What a service update changes, in words: each part it sets, joined.
fn update_summary(change: &crate::model::changes::service_change::ServiceChange) -> String {
    let update = &change.update;
    let mut parts = Vec::new();
    if let Some(td) = &update.task_definition {
        parts.push(format!(
            "deploy {}",
            crate::model::task_defs::revisions::family_revision(td)
        ));
    }
    if let Some(desired) = update.desired {
        parts.push(format!(
            "desired count {} → {desired}",
            change.expected.desired
        ));
    }
    if let Some(on) = update.enable_execute_command {
        parts.push(format!("ECS Exec {}", if on { "on" } else { "off" }));
    }
    if update.force_new_deployment {
        parts.push("force a new deployment".to_owned());
    }
    if update.deployment_config.is_some() {
        parts.push("change deployment settings".to_owned());
    }
    parts.join("; ")
}

/// What a request asks, in words, for the journal.
fn summary_of(request: &Request) -> String {
    match request {
        Request::Tail { spec, .. } => format!("tail the logs of {}", spec.target.label()),
        Request::TailHistory { .. } => "load older log lines".to_owned(),
        Request::Register { input } => {
            let family = serde_json::from_str::<serde_json::Value>(input)
                .ok()
                .and_then(|v| v.get("family").and_then(|f| f.as_str()).map(str::to_owned))
                .unwrap_or_else(|| "?".to_owned());
            format!("register a new revision of {family}")
        }
        Request::Deregister { arn } => format!(
            "deregister {}",
            crate::model::task_defs::revisions::family_revision(arn)
        ),
        Request::UpdateService(change) => update_summary(change),
        Request::StopTask { task, reason, .. } => {
            format!("stop task {}: {reason}", crate::model::ecs::short_id(task))
        }
        Request::RollBackDeployment { deployment } => format!(
            "stop deployment {} and roll back",
            crate::model::ecs::short_id(deployment)
        ),
        Request::RegisterAndDeploy { change, .. } => format!(
            "register a revision of {} with new images and deploy it",
            crate::model::task_defs::revisions::family_revision(&change.expected.task_definition)
        ),
        Request::ContinueDeployment {
            deployment,
            roll_back,
            ..
        } => format!(
            "{} deployment {} at its paused hook",
            if *roll_back { "roll back" } else { "continue" },
            crate::model::ecs::short_id(deployment)
        ),
        Request::RunTask(spec) => {
            let command = spec
                .command
                .as_ref()
                .map(|(container, args)| format!(" with {container} running {}", args.join(" ")))
                .unwrap_or_default();
            format!(
                "run a task of {}{command}",
                crate::model::task_defs::revisions::family_revision(&spec.task_definition)
            )
        }
        Request::SetScalingBounds { min, max, .. } => {
            format!("auto scaling bounds min {min} · max {max}")
        }
        Request::OpenExec { spec, .. } => format!("open `{}` in {}", spec.command, spec.title()),
        Request::OpenExecWindow { spec, .. } => format!(
            "open `{}` in {} in a terminal window",
            spec.command,
            spec.title()
        ),
        Request::StartForward { spec, .. } => {
            let local = spec.local_port.map_or("a free local port".to_owned(), |p| {
                format!("local port {p}")
            });
            format!(
                "forward {local} → {} via {}",
                spec.remote_label(),
                spec.title()
            )
        }
        Request::ListProfiles
        | Request::ExecPreflight { .. }
        | Request::LoadFleet { .. }
        | Request::Load(_)
        | Request::Sparklines { .. }
        | Request::Incident { .. }
        | Request::ExportIncidentLogs { .. } => String::new(),
    }
}

/// Makes the task lists of `cluster` due at once, so a started or stopped task shows.
fn reload_tasks_of(model: &mut Model, cluster: &str) {
    let stale: Vec<ResourceKey> = model
        .store
        .tasks
        .keys()
        .filter(|scope| scope.cluster == cluster)
        .map(|scope| ResourceKey::Tasks(scope.clone()))
        .collect();
    for key in stale {
        model.last_attempt.remove(&key);
    }
}
