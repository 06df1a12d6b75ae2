//! The tokio runtime on its own thread: `WorkerCommand` in → SDK call → `Event` out → repaint.

pub mod exec;
pub mod log_tail;

use crate::aws::change_gate::SharedRules;
use crate::aws::throttle_meter::ThrottleMeter;
use crate::aws::{self, Ecs, ProfileSource};
use crate::model::changes::service_change::ServiceChange;
use crate::model::exec::terminal::SessionState;
use crate::model::logs::tail::{TailMode, TailStatus};
use crate::model::{
    AwsError, Connection, Event, Request, RequestId, ResourceKey, Response, WorkerCommand,
};
use crate::worker::log_tail::run_tail;
use futures::FutureExt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::mpsc;
use tokio::sync::{OnceCell, mpsc as tokio_mpsc};
use tokio::task::AbortHandle;

/// Called after every event is sent, so the UI wakes up to draw it.
pub use crate::model::messages::Repaint;

/// Runs inside a request's panic guard just before the request (tests inject faults with it).
pub type RequestHook = Arc<dyn Fn(&Request) + Send + Sync>;

/// Where the app sends commands and reads events: the real worker, or a test double.
pub trait Backend {
    /// Queues a command; never blocks.
    fn send(&self, command: WorkerCommand);
    /// The next finished event, if any; never blocks.
    fn try_recv(&self) -> Option<Event>;
    /// Calls AWS throttled in the last minute (retried by the SDK); never blocks for long.
    fn throttled_recently(&self) -> u32 {
        0
    }
    /// The change rules every AWS client of this backend enforces from now on.
    fn set_change_rules(&self, _rules: crate::model::changes::policy::ChangeRules) {}
}

/// Handle to the worker thread.
pub struct Worker {
    commands: tokio_mpsc::UnboundedSender<WorkerCommand>,
    events: mpsc::Receiver<Event>,
    meter: ThrottleMeter,
    rules: SharedRules,
}

/// Builds the clients of a connection: credentials from `source`, throttling counted in `meter`.
struct Connector {
    source: ProfileSource,
    meter: ThrottleMeter,
    rules: SharedRules,
    /// Wakes the UI from threads that outlive a request (exec sessions, port forwards).
    repaint: Repaint,
}

impl Connector {
    async fn connect(&self, connection: &Connection) -> Ecs {
        let (meter, rules) = (self.meter.clone(), self.rules.clone());
        aws::config::connect_metered(connection, &self.source, meter, rules).await
    }
}

impl Worker {
    /// Starts the worker thread with its own multi-threaded tokio runtime.
    pub fn spawn(repaint: Repaint) -> std::io::Result<Self> {
        Self::spawn_with(repaint, ProfileSource::default())
    }

    /// Like `spawn`, reading profiles and credentials from `source`.
    pub fn spawn_with(repaint: Repaint, source: ProfileSource) -> std::io::Result<Self> {
        Self::spawn_with_hook(repaint, source, Arc::new(|_| {}))
    }

    /// Like `spawn_with`, calling `hook` before each request inside the request's panic guard.
    pub fn spawn_with_hook(
        repaint: Repaint,
        source: ProfileSource,
        hook: RequestHook,
    ) -> std::io::Result<Self> {
        let meter = ThrottleMeter::default();
        // Refusing until the app says which rules hold: a change can never slip out first.
        let rules = SharedRules::default();
        let connector = Connector {
            source,
            meter: meter.clone(),
            rules: rules.clone(),
            repaint: repaint.clone(),
        };
        let (command_tx, command_rx) = tokio_mpsc::unbounded_channel();
        let (event_tx, event_rx) = mpsc::channel();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ecsdeck-io")
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("ecsdeck-worker".into())
            .spawn(move || runtime.block_on(run(command_rx, event_tx, repaint, connector, hook)))?;
        Ok(Self {
            commands: command_tx,
            events: event_rx,
            meter,
            rules,
        })
    }

    /// Waits up to `timeout` for the next event (tests and the CLI; never the UI thread).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Backend for Worker {
    fn send(&self, command: WorkerCommand) {
        // A closed channel means the worker thread is gone; the app shows requests as pending.
        if self.commands.send(command).is_err() {
            log::error!("worker thread has stopped");
        }
    }

    fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    fn throttled_recently(&self) -> u32 {
        self.meter.recent(std::time::Instant::now())
    }

    fn set_change_rules(&self, rules: crate::model::changes::policy::ChangeRules) {
        self.rules.set(rules);
    }
}

type ClientCell = Arc<OnceCell<Ecs>>;

async fn run(
    mut commands: tokio_mpsc::UnboundedReceiver<WorkerCommand>,
    events: mpsc::Sender<Event>,
    repaint: Repaint,
    connector: Connector,
    hook: RequestHook,
) {
    let mut runner = Runner {
        source: Arc::new(connector),
        events,
        repaint,
        hook,
        clients: HashMap::new(),
        running: HashMap::new(),
        lasting: HashMap::new(),
        images: aws::fleet::ImageCache::default(),
    };
    while let Some(command) = commands.recv().await {
        runner.running.retain(|_, handle| !handle.is_finished());
        runner.lasting.retain(|_, handle| !handle.is_finished());
        match command {
            WorkerCommand::Start {
                id,
                generation,
                connection,
                request,
            } => runner.start(id, generation, connection, request),
            WorkerCommand::Cancel(id) => {
                if let Some(handle) = runner.running.remove(&id) {
                    handle.abort();
                }
                if let Some(handle) = runner.lasting.remove(&id) {
                    handle.abort();
                }
            }
            WorkerCommand::ResetClients => runner.clients.clear(),
            WorkerCommand::CancelAll => {
                for (_, handle) in runner.running.drain() {
                    handle.abort();
                }
                // New clients re-read the profile files, so a fixed config takes effect.
                runner.clients.clear();
            }
        }
    }
}

/// The worker loop's state: clients per connection and the requests running.
struct Runner {
    source: Arc<Connector>,
    events: mpsc::Sender<Event>,
    repaint: Repaint,
    hook: RequestHook,
    clients: HashMap<Connection, ClientCell>,
    /// Requests of the app's connection: a switch cancels them all.
    running: HashMap<RequestId, AbortHandle>,
    /// Requests that outlive the connection (sessions, fleets): cancelled one by one only.
    lasting: HashMap<RequestId, AbortHandle>,
    images: aws::fleet::ImageCache,
}

impl Runner {
    fn cell(&mut self, connection: &Connection) -> ClientCell {
        self.clients.entry(connection.clone()).or_default().clone()
    }

    fn start(&mut self, id: RequestId, generation: u64, connection: Connection, request: Request) {
        let lasting = request.outlives_connection();
        let task = match request {
            Request::Tail { spec, tail } => self.start_tail(id, generation, connection, spec, tail),
            Request::LoadFleet { pairs, images } => self.start_fleet(id, generation, pairs, images),
            request => self.start_request(id, generation, connection, request),
        };
        if lasting {
            self.lasting.insert(id, task);
        } else {
            self.running.insert(id, task);
        }
    }

    fn start_tail(
        &mut self,
        id: RequestId,
        generation: u64,
        connection: Connection,
        spec: Box<crate::model::logs::tail::TailSpec>,
        tail: crate::model::logs::tail::SharedTail,
    ) -> AbortHandle {
        let cell = self.cell(&connection);
        let report = reporter(id, generation, self.events.clone(), self.repaint.clone());
        let (source, hook) = (self.source.clone(), self.hook.clone());
        let task = tokio::spawn(async move {
            let request = Request::Tail { spec, tail };
            let work = AssertUnwindSafe(async {
                hook(&request);
                let ecs = cell.get_or_init(|| source.connect(&connection)).await;
                if let Request::Tail { spec, tail } = &request {
                    run_tail(ecs, spec, tail, &report).await;
                }
            });
            if let Err(panic) = work.catch_unwind().await {
                let what = panic_text(panic.as_ref());
                log::error!("log tail {id:?} panicked: {what}");
                report(TailStatus {
                    mode: TailMode::Failed,
                    error: Some(AwsError::internal(
                        "tail",
                        format!("internal error: {what}"),
                    )),
                    ..TailStatus::default()
                });
            }
        });
        task.abort_handle()
    }

    fn start_fleet(
        &mut self,
        id: RequestId,
        generation: u64,
        pairs: Vec<Connection>,
        images: bool,
    ) -> AbortHandle {
        let cells: HashMap<Connection, ClientCell> = pairs
            .iter()
            .map(|connection| (connection.clone(), self.cell(connection)))
            .collect();
        let (events, repaint) = (self.events.clone(), self.repaint.clone());
        let send = move |pair: usize, part: crate::model::fleet::load::FleetPart| {
            let _ = events.send(Event {
                id,
                generation,
                response: Response::FleetPart {
                    pair,
                    part: Box::new(part),
                },
            });
            repaint();
        };
        let (source, cache) = (self.source.clone(), self.images.clone());
        let task = tokio::spawn(async move {
            let connect = |connection: Connection| {
                let cell = cells.get(&connection).cloned().unwrap_or_default();
                let source = source.clone();
                async move {
                    cell.get_or_init(|| source.connect(&connection))
                        .await
                        .clone()
                }
            };
            aws::fleet::load_pairs(pairs, connect, &cache, images, &send).await;
        });
        task.abort_handle()
    }

    fn start_request(
        &mut self,
        id: RequestId,
        generation: u64,
        connection: Connection,
        request: Request,
    ) -> AbortHandle {
        let cell = self.cell(&connection);
        let (events, repaint) = (self.events.clone(), self.repaint.clone());
        let (source, hook) = (self.source.clone(), self.hook.clone());
        let task = tokio::spawn(async move {
            let work = AssertUnwindSafe(async {
                hook(&request);
                execute(&cell, &connection, &source, &request).await
            });
            let response = work.catch_unwind().await.unwrap_or_else(|panic| {
                let what = panic_text(panic.as_ref());
                log::error!("request {id:?} panicked: {what}");
                request.failed(AwsError::internal(
                    "worker",
                    format!("internal error: {what}"),
                ))
            });
            // The receiver is gone only when the app is closing.
            let _ = events.send(Event {
                id,
                generation,
                response,
            });
            repaint();
        });
        task.abort_handle()
    }
}

use crate::model::error::panic_text;

/// Sends each status of tail `id` as an event and wakes the UI.
fn reporter(
    id: RequestId,
    generation: u64,
    events: mpsc::Sender<Event>,
    repaint: Repaint,
) -> impl Fn(TailStatus) + Send + Sync {
    move |status| {
        let _ = events.send(Event {
            id,
            generation,
            response: Response::TailStatus(Box::new(status)),
        });
        repaint();
    }
}

async fn execute(
    cell: &ClientCell,
    connection: &Connection,
    source: &Arc<Connector>,
    request: &Request,
) -> Response {
    let key = match request {
        Request::ListProfiles => {
            let source = Arc::clone(source);
            let result = tokio::task::spawn_blocking(move || aws::list_profiles(&source.source))
                .await
                .unwrap_or_else(|e| Err(format!("reading profiles failed: {e}")));
            return Response::Profiles(result);
        }
        Request::Load(key) => key,
        Request::ExportIncidentLogs { key, ranges } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::ExportLogs(ecs.export_logs(key, ranges).await);
        }
        Request::Incident { key, seen, tail } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::Incident(
                incident_timeline(ecs, key, (**seen).clone(), tail.clone())
                    .await
                    .map(Box::new),
            );
        }
        Request::Sparklines { cluster, services } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::Sparklines(
                ecs.sparklines(cluster, services, now_secs())
                    .await
                    .map(Box::new),
            );
        }
        Request::Register { input } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            let result = match serde_json::from_str(input) {
                Ok(input) => ecs.register_task_definition(&input).await,
                Err(e) => Err(AwsError::internal(
                    "RegisterTaskDefinition",
                    format!("the draft is not a JSON object: {e}"),
                )),
            };
            return Response::Registered(result);
        }
        Request::UpdateService(change) => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            let ServiceChange {
                cluster,
                service,
                update,
                expected,
            } = change.as_ref();
            return Response::ServiceUpdated(
                ecs.update_service(cluster, service, update, expected)
                    .await
                    .map(Box::new),
            );
        }
        Request::RegisterAndDeploy { input, change } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::ServiceUpdated(
                register_and_deploy(ecs, input, change).await.map(Box::new),
            );
        }
        Request::StopTask {
            cluster,
            task,
            reason,
        } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::TaskStopped(ecs.stop_task(cluster, task, reason).await.map(Box::new));
        }
        Request::RollBackDeployment { deployment } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::DeploymentRolledBack(ecs.roll_back_deployment(deployment).await);
        }
        Request::ContinueDeployment {
            deployment,
            hook_id,
            roll_back,
        } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::DeploymentContinued(
                ecs.continue_deployment(deployment, hook_id, *roll_back)
                    .await,
            );
        }
        Request::RunTask(spec) => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::TaskStarted(ecs.run_task(spec).await.map(Box::new));
        }
        Request::SetScalingBounds {
            cluster,
            service,
            min,
            max,
        } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::ScalingUpdated(
                ecs.set_scaling_bounds(cluster, service, *min, *max).await,
            );
        }
        Request::Deregister { arn } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return Response::Deregistered(ecs.deregister_task_definition(arn).await);
        }
        Request::OpenExecWindow {
            spec,
            terminal,
            plugin,
            read_write,
        } => {
            let settings = (terminal.as_deref(), plugin.as_deref());
            return Response::SessionOpened(exec::system_terminal::open(
                spec,
                connection,
                settings,
                *read_write,
            ));
        }
        Request::ExecPreflight { .. } | Request::OpenExec { .. } | Request::StartForward { .. } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            return exec_request(ecs, connection, source, request).await;
        }
        Request::TailHistory { tail, back_to_ms } => {
            let ecs = cell.get_or_init(|| source.connect(connection)).await;
            let now_ms = crate::model::time_format::epoch_ms(std::time::SystemTime::now());
            return Response::TailHistory(ecs.load_older(tail, *back_to_ms, now_ms).await);
        }
        // Tails and fleets report many times: `run` starts them with a reporter of their own.
        Request::Tail { .. } | Request::LoadFleet { .. } => {
            return request.failed(AwsError::internal(
                "worker",
                "a streaming request was started as a request",
            ));
        }
    };
    let ecs = cell.get_or_init(|| source.connect(connection)).await;
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
    ecs: &crate::aws::Ecs,
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
    ecs: &crate::aws::Ecs,
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
