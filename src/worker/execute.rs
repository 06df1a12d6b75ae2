//! What each one-shot request does: the SDK calls behind it and the response they make.

use crate::aws::{self, Ecs};
use crate::model::changes::service_change::ServiceChange;
use crate::model::exec::terminal::SessionState;
use crate::model::{AwsError, Connection, Request, ResourceKey, Response};
use crate::worker::exec;
use crate::worker::{ClientCell, Connector};
use std::sync::Arc;

/// Runs `request` on the clients of `connection` (made on first use) and answers it.
pub(super) async fn execute(
    cell: &ClientCell,
    connection: &Connection,
    source: &Arc<Connector>,
    request: &Request,
) -> Response {
    let ecs = || cell.get_or_init(|| source.connect(connection));
    match request {
        Request::ListProfiles => {
            let source = Arc::clone(source);
            let result = tokio::task::spawn_blocking(move || aws::list_profiles(&source.source))
                .await
                .unwrap_or_else(|e| Err(format!("reading profiles failed: {e}")));
            Response::Profiles(result)
        }
        Request::OpenExecWindow {
            spec,
            terminal,
            plugin,
            read_write,
        } => {
            let settings = (terminal.as_deref(), plugin.as_deref());
            Response::SessionOpened(exec::system_terminal::open(
                spec,
                connection,
                settings,
                *read_write,
            ))
        }
        // Tails and fleets report many times: `run` starts them with a reporter of their own.
        Request::Tail { .. } | Request::LoadFleet { .. } => request.failed(AwsError::internal(
            "worker",
            "a streaming request was started as a request",
        )),
        Request::Load(key) => load(ecs().await, key, request).await,
        Request::ExportIncidentLogs { .. }
        | Request::Incident { .. }
        | Request::Sparklines { .. }
        | Request::TailHistory { .. } => read_request(ecs().await, request).await,
        Request::Register { .. }
        | Request::UpdateService(_)
        | Request::RegisterAndDeploy { .. }
        | Request::StopTask { .. }
        | Request::RollBackDeployment { .. }
        | Request::ContinueDeployment { .. }
        | Request::RunTask(_)
        | Request::SetScalingBounds { .. }
        | Request::Deregister { .. } => change_request(ecs().await, request).await,
        Request::ExecPreflight { .. } | Request::OpenExec { .. } | Request::StartForward { .. } => {
            exec_request(ecs().await, connection, source, request).await
        }
    }
}

/// Reads the resource `key` names.
async fn load(ecs: &Ecs, key: &ResourceKey, request: &Request) -> Response {
    match key {
        ResourceKey::Clusters => Response::Clusters(ecs.clusters().await),
        ResourceKey::Services(cluster) => Response::Services(ecs.services(cluster).await),
        ResourceKey::Tasks(scope) => Response::Tasks(ecs.tasks(scope).await),
        ResourceKey::Instances(cluster) => {
            Response::Instances(ecs.container_instances(cluster).await)
        }
        ResourceKey::Families => Response::Families(ecs.families().await),
        ResourceKey::FamilyOverview => {
            Response::FamilyOverview(ecs.family_overview().await.map(Box::new))
        }
        ResourceKey::Revisions(family) => Response::Revisions(ecs.revisions(family).await),
        ResourceKey::TaskDefinition(arn) => {
            Response::TaskDefinition(ecs.task_definition(arn).await)
        }
        ResourceKey::Deployments(cluster, service) => {
            Response::ServiceDeployments(ecs.service_deployments(cluster, service).await)
        }
        ResourceKey::Scaling(cluster, service) => {
            Response::Scaling(ecs.scaling(cluster, service).await)
        }
        ResourceKey::Metrics(key) => {
            Response::Metrics(ecs.metrics(key, now_secs()).await.map(Box::new))
        }
        ResourceKey::DeploymentDetail(arn) => {
            Response::ServiceDeployment(ecs.service_deployment(arn).await.map(Box::new))
        }
        ResourceKey::ServiceRevisions(arns) => {
            Response::ServiceRevisions(ecs.service_revisions(arns).await)
        }
        ResourceKey::Alarms => Response::Alarms(ecs.alarms().await.map(Box::new)),
        ResourceKey::ImageTags(repository) => Response::ImageTags(ecs.image_tags(repository).await),
        ResourceKey::ServiceArns(cluster) => Response::ServiceArns(ecs.service_arns(cluster).await),
        ResourceKey::RangeLogs(range) => {
            Response::RangeLogs(ecs.range_logs(range).await.map(Box::new))
        }
        // Sparklines need the service list: reduce sends them as `Request::Sparklines`.
        ResourceKey::Sparklines(_) => request.failed(AwsError::internal(
            "GetMetricData",
            "sparklines are requested with their services",
        )),
        // Timelines carry the recorder's tasks: reduce sends them as `Request::Incident`.
        ResourceKey::Incident(_) => request.failed(AwsError::internal(
            "incident",
            "timelines are requested with their recorded tasks",
        )),
        // Preflights carry the plugin's path: reduce sends them as `Request::ExecPreflight`.
        ResourceKey::ExecPreflight(_) => request.failed(AwsError::internal(
            "preflight",
            "preflights are requested with the plugin's path",
        )),
    }
}

/// Reads that carry more than a resource key: log exports, timelines, sparklines, older lines.
async fn read_request(ecs: &Ecs, request: &Request) -> Response {
    match request {
        Request::ExportIncidentLogs { key, ranges } => {
            Response::ExportLogs(ecs.export_logs(key, ranges).await)
        }
        Request::Incident { key, seen, tail } => Response::Incident(
            incident_timeline(ecs, key, (**seen).clone(), tail.clone())
                .await
                .map(Box::new),
        ),
        Request::Sparklines { cluster, services } => Response::Sparklines(
            ecs.sparklines(cluster, services, now_secs())
                .await
                .map(Box::new),
        ),
        Request::TailHistory { tail, back_to_ms } => {
            let now_ms = crate::model::time_format::epoch_ms(std::time::SystemTime::now());
            Response::TailHistory(ecs.load_older(tail, *back_to_ms, now_ms).await)
        }
        _ => request.failed(AwsError::internal("worker", "not a read request")),
    }
}

/// Changes to AWS; each passes the change gate inside the client.
async fn change_request(ecs: &Ecs, request: &Request) -> Response {
    match request {
        Request::Register { input } => Response::Registered(match serde_json::from_str(input) {
            Ok(input) => ecs.register_task_definition(&input).await,
            Err(e) => Err(AwsError::internal(
                "RegisterTaskDefinition",
                format!("the draft is not a JSON object: {e}"),
            )),
        }),
        Request::UpdateService(change) => {
            let ServiceChange {
                cluster,
                service,
                update,
                expected,
            } = change.as_ref();
            Response::ServiceUpdated(
                ecs.update_service(cluster, service, update, expected)
                    .await
                    .map(Box::new),
            )
        }
        Request::RegisterAndDeploy { input, change } => {
            Response::ServiceUpdated(register_and_deploy(ecs, input, change).await.map(Box::new))
        }
        Request::StopTask {
            cluster,
            task,
            reason,
        } => Response::TaskStopped(ecs.stop_task(cluster, task, reason).await.map(Box::new)),
        Request::RollBackDeployment { deployment } => {
            Response::DeploymentRolledBack(ecs.roll_back_deployment(deployment).await)
        }
        Request::ContinueDeployment {
            deployment,
            hook_id,
            roll_back,
        } => Response::DeploymentContinued(
            ecs.continue_deployment(deployment, hook_id, *roll_back)
                .await,
        ),
        Request::RunTask(spec) => Response::TaskStarted(ecs.run_task(spec).await.map(Box::new)),
        Request::SetScalingBounds {
            cluster,
            service,
            min,
            max,
        } => Response::ScalingUpdated(ecs.set_scaling_bounds(cluster, service, *min, *max).await),
        Request::Deregister { arn } => {
            Response::Deregistered(ecs.deregister_task_definition(arn).await)
        }
        _ => request.failed(AwsError::internal("worker", "not a change request")),
    }
}

/// Exec preflights and the openings of exec sessions and port forwards; a failed opening is
/// also written where the session shows (its terminal, its forward's state).
async fn exec_request(
    ecs: &Ecs,
    connection: &Connection,
    source: &Arc<Connector>,
    request: &Request,
) -> Response {
    let repaint = source.repaint.clone();
    let now = std::time::SystemTime::now;
    match request {
        Request::ExecPreflight { target, plugin } => Response::ExecPreflight(
            exec::preflight(ecs, target, plugin.clone())
                .await
                .map(Box::new),
        ),
        Request::OpenExec {
            spec,
            terminal,
            plugin,
        } => {
            let opened =
                exec::open_exec(ecs, connection, spec, terminal, plugin.clone(), repaint).await;
            if let Err(e) = &opened {
                terminal.process(format!("\r\n\x1b[31m{e}\x1b[0m\r\n").as_bytes());
                terminal.set_state(SessionState::Ended {
                    at: now(),
                    why: e.to_string(),
                    asked: false,
                });
            }
            Response::SessionOpened(opened)
        }
        Request::StartForward {
            spec,
            forward,
            plugin,
        } => {
            let opened =
                exec::open_forward(ecs, connection, spec, forward, plugin.clone(), repaint).await;
            if let Err(e) = &opened {
                forward.set_state(SessionState::Ended {
                    at: now(),
                    why: e.to_string(),
                    asked: false,
                });
            }
            Response::SessionOpened(opened)
        }
        _ => request.failed(AwsError::internal("exec", "not an exec request")),
    }
}

/// Reads the sources of `key`, adds what the app saw itself — the recorded stopped tasks ECS
/// no longer lists and the deployment stages gone by — and builds the timeline on a blocking
/// thread (a day of a busy cluster is thousands of rows).
async fn incident_timeline(
    ecs: &Ecs,
    key: &crate::model::incident::timeline::IncidentKey,
    seen: crate::model::incident::sources::SeenByApp,
    tail: Option<crate::model::logs::tail::SharedTail>,
) -> Result<crate::model::incident::timeline::Timeline, AwsError> {
    // A million lines are counted on a blocking thread, under the tail's read lock.
    let counted = match tail {
        Some(tail) => tokio::task::spawn_blocking(move || {
            crate::model::incident::error_counts::count_tail(&tail.read())
        })
        .await
        .ok(),
        None => None,
    };
    let mut sources = ecs.incident_sources(key, now_secs(), counted).await?;
    sources.add_recorded(seen.recorded);
    sources.stages_seen = seen.stages;
    tokio::task::spawn_blocking(move || crate::model::incident::build::build_timeline(sources))
        .await
        .map_err(|e| AwsError::internal("incident", format!("building the timeline failed: {e}")))
}

/// Now in epoch seconds (metric windows end now).
fn now_secs() -> i64 {
    crate::model::time_format::epoch_secs(std::time::SystemTime::now())
}

/// Registers `input`, then deploys the new revision with `change`; a failed deploy names the
/// revision that was registered, so nothing is left unexplained.
async fn register_and_deploy(
    ecs: &Ecs,
    input: &str,
    change: &ServiceChange,
) -> Result<crate::model::ecs::Service, AwsError> {
    let input: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(input).map_err(|e| {
            AwsError::internal("RegisterTaskDefinition", format!("not a JSON object: {e}"))
        })?;
    let registered = ecs.register_task_definition(&input).await?;
    let arn = registered.text("taskDefinitionArn").unwrap_or_default();
    let update = crate::model::changes::service_change::ServiceUpdate {
        task_definition: Some(arn.clone()),
        ..change.update.clone()
    };
    ecs.update_service(&change.cluster, &change.service, &update, &change.expected)
        .await
        .map_err(|mut error| {
            error.message = format!(
                "{} was registered, but the deploy failed: {}",
                crate::model::task_defs::revisions::family_revision(&arn),
                error.message
            );
            error
        })
}
