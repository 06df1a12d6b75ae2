//! The tokio runtime on its own thread: `WorkerCommand` in → SDK call → `Event` out → repaint.

pub mod exec;
mod execute;
pub mod log_tail;

use crate::aws::change_gate::SharedRules;
use crate::aws::throttle_meter::ThrottleMeter;
use crate::aws::{self, Ecs, ProfileSource};
use crate::model::logs::tail::{TailMode, TailStatus};
use crate::model::{AwsError, Connection, Event, Request, RequestId, Response, WorkerCommand};
use crate::worker::execute::execute;
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
