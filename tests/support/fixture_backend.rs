//! A `Backend` that answers the app's requests at once from the fixtures (per profile) and
//! records what was asked, for the kittest UI tests.

use super::fixtures::{REGION, clusters, instances, services, tasks};
use ecsdeck::model::ecs::Cluster;
use ecsdeck::model::profiles::{CredentialSource, ProfileInfo};
use ecsdeck::model::{
    AwsError, Connection, ErrorKind, Event, Request, ResourceKey, Response, WorkerCommand,
};
use ecsdeck::settings::Settings;
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
    inbox: Rc<RefCell<VecDeque<Event>>>,
}

impl FixtureBackend {
    /// A backend with the default sizes.
    pub fn new() -> Self {
        let backend = Self::default();
        backend.services_per_cluster.set(24);
        backend.tasks_per_scope.set(8);
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

    fn respond(&self, connection: &Connection, request: &Request) -> Response {
        if let Request::Load(key) = request
            && let Some(error) = self.failures.borrow().get(key).cloned()
        {
            return match key {
                ResourceKey::Clusters => Response::Clusters(Err(error)),
                ResourceKey::Services(_) => Response::Services(Err(error)),
                ResourceKey::Tasks(_) => Response::Tasks(Err(error)),
                ResourceKey::Instances(_) => Response::Instances(Err(error)),
            };
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
                Ok(services(c, self.services_per_cluster.get()))
            }),
            Request::Load(ResourceKey::Tasks(scope)) => Response::Tasks(if expired {
                Err(fail("ListTasks"))
            } else {
                Ok(tasks(scope, self.tasks_per_scope.get()))
            }),
            Request::Load(ResourceKey::Instances(c)) => Response::Instances(if expired {
                Err(fail("ListContainerInstances"))
            } else {
                Ok(instances(c))
            }),
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
        profile: Some("platform".into()),
        region: REGION.into(),
        endpoint_url: None,
        auto_refresh: true,
        refresh_interval_secs: 15,
        read_only: false,
    }
}
