//! A `Backend` that answers the app's requests at once from the fixtures (per profile) and
//! records what was asked, for the kittest UI tests.

use super::fixtures::{REGION, clusters, instances, services, tasks};
use ecsdeck::app::settings::Settings;
use ecsdeck::model::connection::profiles::{CredentialSource, ProfileInfo};
use ecsdeck::model::ecs::Cluster;
use ecsdeck::model::task_defs::revisions::{Family, RevisionSummary};
use ecsdeck::model::task_defs::task_def::TaskDefDocument;
use ecsdeck::model::{
    AwsError, Connection, ErrorKind, Event, Request, ResourceKey, Response, WorkerCommand,
};
use ecsdeck::worker::Backend;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// The one cluster the `sandbox` profile sees (the others see prod, staging and dev).
pub const SANDBOX_CLUSTER: &str = "playground";

/// An expired-token failure as ECS reports it.
pub fn expired_token(operation: &str) -> AwsError {
    AwsError {
        operation: operation.into(),
        code: "ExpiredTokenException".into(),
        message: "The security token included in the request is expired".into(),
        request_id: Some("5c4b5f2e-0d5e-4a4b-9d3e-8f1f7d5e6a7b".into()),
        kind: ErrorKind::Credentials,
    }
}

/// An AWS service error of `kind` as ECS reports it.
pub fn service_error(operation: &str, code: &str, message: &str, kind: ErrorKind) -> AwsError {
    AwsError {
        operation: operation.into(),
        code: code.into(),
        message: message.into(),
        request_id: Some("0f6b1a2c-3d4e-5f60-7182-93a4b5c6d7e8".into()),
        kind,
    }
}

/// Answers every request at once from the fixtures and records what was asked.
#[derive(Clone, Default)]
pub struct FixtureBackend {
    /// Every command the app sent.
    pub sent: Rc<RefCell<Vec<WorkerCommand>>>,
    /// While true, every load fails with ExpiredTokenException.
    pub credentials_expired: Rc<Cell<bool>>,
    /// Services per cluster (default 24).
    pub services_per_cluster: Rc<Cell<usize>>,
    /// Tasks per scope (default 8).
    pub tasks_per_scope: Rc<Cell<usize>>,
    /// Loads that fail, with the error they fail with.
    pub failures: Rc<RefCell<HashMap<ResourceKey, AwsError>>>,
    /// When set, RegisterTaskDefinition fails with this error.
    pub register_failure: Rc<RefCell<Option<AwsError>>>,
    /// register-task-definition inputs received.
    pub registered: Rc<RefCell<Vec<String>>>,
    /// Service changes received.
    pub updates: Rc<RefCell<Vec<ecsdeck::model::changes::service_change::ServiceChange>>>,
    /// Tasks stopped, with their reasons.
    pub stopped: Rc<RefCell<Vec<(String, String)>>>,
    /// Service deployments rolled back.
    pub rollbacks: Rc<RefCell<Vec<String>>>,
    /// ContinueServiceDeployment calls: deployment, hook, roll back.
    pub continued: Rc<RefCell<Vec<(String, String, bool)>>>,
    /// One-off tasks started.
    pub runs: Rc<RefCell<Vec<ecsdeck::model::changes::service_change::RunTaskSpec>>>,
    /// checkout-api's auto scaling bounds.
    pub bounds: Rc<Cell<(i32, i32)>>,
    /// While true, CloudWatch has no datapoints at all (a new service).
    pub no_metrics: Rc<Cell<bool>>,
    /// While true, exec preflights pass (exec on, agent running, plugin found).
    pub exec_ready: Rc<Cell<bool>>,
    /// Exec sessions and port forwards opened, by title.
    pub opened: Rc<RefCell<Vec<String>>>,
    /// Service events that happened since the start, by service name (newest last).
    pub new_events: Rc<RefCell<Vec<(String, ecsdeck::model::ecs::ServiceEvent)>>>,
    inbox: Rc<RefCell<VecDeque<Event>>>,
}

impl FixtureBackend {
    /// A backend with the default sizes.
    pub fn new() -> Self {
        let backend = Self::default();
        backend.services_per_cluster.set(24);
        backend.tasks_per_scope.set(8);
        backend.bounds.set((2, 10));
        backend
    }

    /// How many loads of `key` were started.
    pub fn loads_of(&self, key: &ResourceKey) -> usize {
        self.sent
            .borrow()
            .iter()
            .filter(
                |c| matches!(c, WorkerCommand::Start { request: Request::Load(k), .. } if k == key),
            )
            .count()
    }

    /// The family list's overview: storefront-web :140–142 and batch-report :1–3 active, the
    /// services of every cluster by the family they run.
    fn family_overview(&self) -> ecsdeck::model::task_defs::family_overview::FamilyOverview {
        let arns: Vec<String> = (140..=142)
            .map(|r| revision_arn(FAMILY, r))
            .chain((1..=3).map(|r| revision_arn("batch-report", r)))
            .collect();
        let mut overview =
            ecsdeck::model::task_defs::family_overview::FamilyOverview::from_active_arns(&arns);
        for cluster in clusters() {
            overview.add_services(&services(&cluster.arn, self.services_per_cluster.get()));
        }
        let storefront = |cluster: &str, revision| ecsdeck::model::ecs::Service {
            name: "storefront".into(),
            cluster_arn: super::fixtures::cluster_arn(cluster),
            task_definition: revision_arn(FAMILY, revision),
            ..Default::default()
        };
        overview.add_services(&[storefront("prod", 142), storefront("staging", 141)]);
        for (family, facts) in overview.families.iter_mut() {
            facts.newest_registered_at =
                RevisionSummary::from_document(&revision_doc(family, facts.newest_revision))
                    .and_then(|r| r.registered_at);
        }
        overview
    }

    fn respond(&self, connection: &Connection, request: &Request) -> Response {
        if let Request::Load(key) = request
            && let Some(error) = self.failures.borrow().get(key).cloned()
        {
            return request.failed(error);
        }
        let expired = self.credentials_expired.get();
        let fail = |op: &str| expired_token(op);
        match request {
            Request::ListProfiles => Response::Profiles(Ok(vec![
                ProfileInfo {
                    name: "platform".into(),
                    region: Some(REGION.into()),
                    source: CredentialSource::Sso,
                },
                ProfileInfo {
                    name: "sandbox".into(),
                    region: Some(REGION.into()),
                    source: CredentialSource::Static,
                },
            ])),
            Request::Load(ResourceKey::Clusters) if expired => {
                Response::Clusters(Err(fail("ListClusters")))
            }
            Request::Load(ResourceKey::Clusters)
                if connection.profile.as_deref() == Some("sandbox") =>
            {
                Response::Clusters(Ok(vec![Cluster {
                    arn: super::fixtures::cluster_arn(SANDBOX_CLUSTER),
                    name: SANDBOX_CLUSTER.into(),
                    status: "ACTIVE".into(),
                    ..Cluster::default()
                }]))
            }
            Request::Load(ResourceKey::Clusters) => Response::Clusters(Ok(clusters())),
            Request::Load(ResourceKey::Services(c)) => Response::Services(if expired {
                Err(fail("ListServices"))
            } else {
                let mut list = services(c, self.services_per_cluster.get());
                // Changes made earlier stick, as they would in ECS.
                for change in self.updates.borrow().iter() {
                    if let Some(service) = list.iter_mut().find(|s| s.arn == change.service) {
                        apply(service, &change.update);
                    }
                }
                for (name, event) in self.new_events.borrow().iter() {
                    if let Some(service) = list.iter_mut().find(|s| s.name == *name) {
                        service.events.insert(0, event.clone());
                    }
                }
                Ok(list)
            }),
            Request::Load(ResourceKey::Tasks(scope)) => Response::Tasks(if expired {
                Err(fail("ListTasks"))
            } else {
                Ok(tasks(scope, self.tasks_per_scope.get()))
            }),
            // Every cluster's service ARNs, as ListServices lists them.
            Request::Load(ResourceKey::ServiceArns(c)) => Response::ServiceArns(if expired {
                Err(fail("ListServices"))
            } else {
                Ok(services(c, self.services_per_cluster.get())
                    .into_iter()
                    .map(|s| s.arn)
                    .collect())
            }),
            Request::Load(ResourceKey::Instances(c)) => Response::Instances(if expired {
                Err(fail("ListContainerInstances"))
            } else {
                Ok(instances(c))
            }),
            Request::Load(ResourceKey::Families) => Response::Families(Ok(vec![
                Family {
                    name: FAMILY.into(),
                    active: true,
                },
                Family {
                    name: "batch-report".into(),
                    active: true,
                },
                Family {
                    name: "legacy-worker".into(),
                    active: false,
                },
            ])),
            Request::Load(ResourceKey::FamilyOverview) => {
                Response::FamilyOverview(Ok(Box::new(self.family_overview())))
            }
            Request::Load(ResourceKey::Revisions(family)) => {
                // 139 is read for 140's line, as the worker reads one more than it lists.
                let docs: Vec<TaskDefDocument> =
                    (139..=142).rev().map(|r| revision_doc(family, r)).collect();
                let mut rows: Vec<RevisionSummary> = docs[..3]
                    .iter()
                    .filter_map(RevisionSummary::from_document)
                    .collect();
                ecsdeck::model::task_defs::history::add_change_lines(&mut rows, &docs);
                Response::Revisions(Ok(rows))
            }
            Request::Load(ResourceKey::TaskDefinition(arn)) => {
                // A family alone means its newest revision, 142 here.
                let (family, revision) = ecsdeck::model::task_defs::revisions::parse_arn(arn)
                    .unwrap_or_else(|| (arn.rsplit('/').next().unwrap_or(arn).into(), 142));
                Response::TaskDefinition(Ok(revision_doc(&family, revision)))
            }
            Request::Register { input } => {
                self.registered.borrow_mut().push(input.clone());
                if let Some(error) = self.register_failure.borrow().clone() {
                    return Response::Registered(Err(error));
                }
                let mut doc = TaskDefDocument::parse(input).expect("register input");
                let family = doc.family().unwrap_or(FAMILY).to_owned();
                doc.set_text("taskDefinitionArn", Some(&revision_arn(&family, 143)));
                doc.set_text("status", Some("ACTIVE"));
                Response::Registered(Ok(doc))
            }
            // checkout-api scales between 2 and 10 on CPU; the others have no target.
            Request::Load(ResourceKey::Scaling(cluster, service)) => {
                let target = service
                    .ends_with("/checkout-api")
                    .then(|| scaling_target(cluster, service, self.bounds.get()));
                Response::Scaling(Ok(target))
            }
            Request::SetScalingBounds {
                cluster,
                service,
                min,
                max,
            } => {
                self.bounds.set((*min, *max));
                let target = scaling_target(cluster, service, (*min, *max));
                Response::ScalingUpdated(Ok(Some(target)))
            }
            // The service deployments API answers for checkout-api only: a rollout in progress
            // over a successful one. Other services see an account without the API.
            Request::Load(ResourceKey::Deployments(_, service)) => {
                if service.ends_with("/checkout-api") {
                    let entry = |n: u32, status: &str| {
                        ecsdeck::model::ecs::rollout::ServiceDeploymentSummary {
                            arn: format!(
                                "arn:aws:ecs:{REGION}:123456789012:service-deployment/prod/checkout-api/d{n}"
                            ),
                            status: status.into(),
                            target_revision: None,
                            started_at: Some(
                                super::fixtures::now()
                                    - std::time::Duration::from_secs(600 * u64::from(3 - n)),
                            ),
                            finished_at: None,
                            reason: None,
                        }
                    };
                    Response::ServiceDeployments(Ok(vec![
                        entry(2, "IN_PROGRESS"),
                        entry(1, "SUCCESSFUL"),
                    ]))
                } else {
                    Response::ServiceDeployments(Err(service_error(
                        "ListServiceDeployments",
                        "InvalidAction",
                        "not available",
                        ErrorKind::Service,
                    )))
                }
            }
            Request::RollBackDeployment { deployment } => {
                self.rollbacks.borrow_mut().push(deployment.clone());
                Response::DeploymentRolledBack(Ok(deployment.clone()))
            }
            Request::ContinueDeployment {
                deployment,
                hook_id,
                roll_back,
            } => {
                self.continued
                    .borrow_mut()
                    .push((deployment.clone(), hook_id.clone(), *roll_back));
                Response::DeploymentContinued(Ok(deployment.clone()))
            }
            Request::Load(ResourceKey::DeploymentDetail(arn)) => {
                Response::ServiceDeployment(Ok(Box::new(super::deployment_fixtures::detail(arn))))
            }
            Request::Load(ResourceKey::ServiceRevisions(arns)) => {
                Response::ServiceRevisions(Ok(super::deployment_fixtures::revisions(arns)))
            }
            // checkout-api's image is in this account's ECR: three tags, newest first.
            Request::Load(ResourceKey::ImageTags(_)) => {
                Response::ImageTags(Ok(super::deployment_fixtures::image_tags()))
            }
            Request::RegisterAndDeploy { input, change } => {
                self.registered.borrow_mut().push(input.clone());
                let mut update = change.update.clone();
                update.task_definition = Some(revision_arn(FAMILY, 143));
                let mut service = services(&change.cluster, self.services_per_cluster.get())
                    .into_iter()
                    .find(|s| s.arn == change.service)
                    .expect("fixture service");
                let sent = ecsdeck::model::changes::service_change::ServiceChange {
                    update: update.clone(),
                    ..(**change).clone()
                };
                self.updates.borrow_mut().push(sent);
                apply(&mut service, &update);
                Response::ServiceUpdated(Ok(Box::new(service)))
            }
            Request::Load(ResourceKey::Alarms) => {
                Response::Alarms(Ok(Box::new(super::deployment_fixtures::alarms())))
            }
            Request::Incident { key, seen, .. } => {
                let mut sources = super::incident_fixtures::sources(key);
                sources.add_recorded(seen.recorded.clone());
                sources.stages_seen = seen.stages.clone();
                Response::Incident(Ok(Box::new(
                    ecsdeck::model::incident::build::build_timeline(sources),
                )))
            }
            Request::ExportIncidentLogs { key, ranges } => Response::ExportLogs(Ok(ranges
                .iter()
                .map(|range| {
                    let logs = super::incident_fixtures::range_logs(
                        &ecsdeck::model::incident::range_logs::RangeLogsKey {
                            cluster: key.cluster.clone(),
                            services: key.services.clone(),
                            start_ms: range.start_ms,
                            end_ms: range.end_ms,
                        },
                    );
                    (range.clone(), logs)
                })
                .collect())),
            Request::Load(ResourceKey::ExecPreflight(_)) => {
                panic!("preflights are requested with the plugin's path")
            }
            Request::Load(ResourceKey::Incident(_)) => request.failed(AwsError::internal(
                "incident",
                "timelines are requested with their recorded tasks",
            )),
            Request::Load(ResourceKey::RangeLogs(range)) => {
                Response::RangeLogs(Ok(Box::new(super::incident_fixtures::range_logs(range))))
            }
            Request::RunTask(spec) => {
                self.runs.borrow_mut().push((**spec).clone());
                Response::TaskStarted(Ok(Box::new(ecsdeck::model::ecs::Task {
                    arn: format!(
                        "{}/ffff0000111122223333444455556666",
                        spec.cluster.replace(":cluster/", ":task/")
                    ),
                    cluster_arn: spec.cluster.clone(),
                    task_definition: spec.task_definition.clone(),
                    last_status: "PROVISIONING".into(),
                    desired_status: "RUNNING".into(),
                    ..Default::default()
                })))
            }
            Request::UpdateService(change) => {
                let mut service = services(&change.cluster, self.services_per_cluster.get())
                    .into_iter()
                    .find(|s| s.arn == change.service)
                    .expect("fixture service");
                for earlier in self
                    .updates
                    .borrow()
                    .iter()
                    .filter(|u| u.service == change.service)
                {
                    apply(&mut service, &earlier.update);
                }
                // Like the real worker: described again, refused if it moved since the preview.
                if let Some(why) = change.expected.stale_against(&service) {
                    return Response::ServiceUpdated(Err(AwsError::internal("UpdateService", why)));
                }
                self.updates.borrow_mut().push((**change).clone());
                apply(&mut service, &change.update);
                Response::ServiceUpdated(Ok(Box::new(service)))
            }
            Request::StopTask {
                cluster,
                task,
                reason,
            } => {
                self.stopped
                    .borrow_mut()
                    .push((task.clone(), reason.clone()));
                Response::TaskStopped(Ok(Box::new(ecsdeck::model::ecs::Task {
                    arn: task.clone(),
                    cluster_arn: cluster.clone(),
                    desired_status: "STOPPED".into(),
                    last_status: "RUNNING".into(),
                    ..Default::default()
                })))
            }
            Request::Load(ResourceKey::Metrics(key)) if self.no_metrics.get() => {
                Response::Metrics(Ok(Box::new(super::metric_fixtures::empty(key))))
            }
            Request::Load(ResourceKey::Metrics(key)) => {
                Response::Metrics(Ok(Box::new(super::metric_fixtures::metrics(key))))
            }
            Request::Sparklines { cluster, services } => Response::Sparklines(Ok(Box::new(
                super::metric_fixtures::sparklines(cluster, services),
            ))),
            Request::Load(ResourceKey::Sparklines(_)) => {
                panic!("sparklines are requested with their services")
            }
            // Answered part by part in `send`.
            Request::LoadFleet { .. } => request.failed(AwsError::internal("fixture", "fleet")),
            Request::Tail { tail, .. } => {
                super::log_fixtures::fill(tail, 0, 40);
                Response::TailStatus(Box::new(super::log_fixtures::status()))
            }
            Request::TailHistory { tail, .. } => {
                Response::TailHistory(Ok(super::log_fixtures::older(tail, 20)))
            }
            Request::ExecPreflight { target, .. } => Response::ExecPreflight(Ok(Box::new(
                super::exec_fixtures::report(target, self.exec_ready.get()),
            ))),
            Request::OpenExec { spec, terminal, .. } => {
                self.opened.borrow_mut().push(spec.title());
                super::exec_fixtures::fill(terminal);
                Response::SessionOpened(Ok(super::exec_fixtures::SESSION_ID.into()))
            }
            Request::OpenExecWindow { spec, .. } => {
                self.opened
                    .borrow_mut()
                    .push(format!("window: {}", spec.title()));
                Response::SessionOpened(Ok("a terminal window (xterm)".into()))
            }
            Request::StartForward { spec, forward, .. } => {
                self.opened.borrow_mut().push(spec.title());
                super::exec_fixtures::listen(forward);
                Response::SessionOpened(Ok("ecsdeck-0a1b2c3d4e5f6071".into()))
            }
            Request::Deregister { arn } => {
                let (family, revision) =
                    ecsdeck::model::task_defs::revisions::parse_arn(arn).expect("arn");
                let mut doc = revision_doc(&family, revision);
                doc.set_text("status", Some("INACTIVE"));
                Response::Deregistered(Ok(doc))
            }
        }
    }
}

impl Backend for FixtureBackend {
    fn send(&self, command: WorkerCommand) {
        if let WorkerCommand::Start {
            id,
            generation,
            request,
            connection,
        } = &command
        {
            if let Request::LoadFleet { pairs, .. } = request {
                for (pair, part) in super::fleet_fixtures::parts(pairs) {
                    self.inbox.borrow_mut().push_back(Event {
                        id: *id,
                        generation: *generation,
                        response: Response::FleetPart {
                            pair,
                            part: Box::new(part),
                        },
                    });
                }
                self.sent.borrow_mut().push(command);
                return;
            }
            let response = self.respond(connection, request);
            self.inbox.borrow_mut().push_back(Event {
                id: *id,
                generation: *generation,
                response,
            });
        }
        self.sent.borrow_mut().push(command);
    }

    fn try_recv(&self) -> Option<Event> {
        self.inbox.borrow_mut().pop_front()
    }
}

/// Settings for the UI tests: SSO profile `platform`, us-east-1, no endpoint.
pub fn settings() -> Settings {
    Settings {
        connection: ecsdeck::model::Connection {
            profile: Some("platform".into()),
            region: REGION.into(),
            endpoint_url: None,
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            auto_refresh: true,
            refresh_interval_secs: 15,
            read_only_profiles: vec!["*prod*".into()],
            ..Default::default()
        },
        read_only: false,
        // What the screens show is pinned here, not taken from the caller's environment
        // (TZ, HOME, XDG_*): any contributor's machine draws the same pictures.
        prefs: ecsdeck::model::workspace::prefs::Prefs {
            time_zone: Some("UTC".into()),
            save_dir: Some("/home/dev/Downloads".into()),
            ..Default::default()
        }
        .checked(),
        ..Settings::default()
    }
}

fn scaling_target(
    cluster: &str,
    service: &str,
    (min, max): (i32, i32),
) -> ecsdeck::model::ecs::scaling::ScalingTarget {
    ecsdeck::model::ecs::scaling::ScalingTarget {
        resource_id: ecsdeck::model::ecs::scaling::resource_id(cluster, service),
        min,
        max,
        suspended: false,
        policies: vec![ecsdeck::model::ecs::scaling::ScalingPolicy {
            name: "cpu-60".into(),
            kind: "TargetTrackingScaling".into(),
            metric: Some("ECSServiceAverageCPUUtilization".into()),
            target: Some(60.0),
        }],
    }
}

fn apply(
    service: &mut ecsdeck::model::ecs::Service,
    update: &ecsdeck::model::changes::service_change::ServiceUpdate,
) {
    if let Some(desired) = update.desired {
        service.desired = desired;
    }
    if let Some(td) = &update.task_definition {
        service.task_definition.clone_from(td);
    }
}

/// The family the task-definition fixtures describe (corpus file 01).
pub const FAMILY: &str = "storefront-web";

/// `arn:aws:ecs:us-east-1:123456789012:task-definition/<family>:<revision>`.
pub fn revision_arn(family: &str, revision: u32) -> String {
    format!("arn:aws:ecs:{REGION}:123456789012:task-definition/{family}:{revision}")
}

/// Corpus file 01 as revision `revision` of `family`, registered a day apart per revision.
pub fn revision_doc(family: &str, revision: u32) -> TaskDefDocument {
    let path = format!(
        "{}/tests/fixtures/task-definitions/01-fargate-web-app.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("corpus file");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let root = &mut value["taskDefinition"];
    root["taskDefinitionArn"] = revision_arn(family, revision).into();
    root["family"] = family.into();
    root["revision"] = revision.into();
    root["registeredAt"] = (1_763_000_000.0 + f64::from(revision) * 86_400.0).into();
    root["containerDefinitions"][0]["image"] = format!(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/{family}:1.4.{}",
        revision.saturating_sub(140)
    )
    .into();
    if revision >= 142 {
        // The newest revision also swaps a feature flag and doubles the memory.
        let root = &mut value["taskDefinition"];
        root["memory"] = "2048".into();
        root["containerDefinitions"][0]["environment"][4] =
            serde_json::json!({"name": "FEATURE_CHECKOUT_V2", "value": "on"});
    }
    TaskDefDocument::from_value(value).expect("document")
}
