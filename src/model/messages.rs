//! What flows between the UI, `reduce` and the worker.

use super::changes::service_change::{RunTaskSpec, ServiceChange};
use super::connection::Connection;
use super::connection::profiles::ProfileInfo;
use super::ecs::rollout::ServiceDeploymentSummary;
use super::ecs::scaling::ScalingTarget;
use super::ecs::service_deployment::ServiceDeploymentDetail;
use super::ecs::service_revision::ServiceRevision;
use super::ecs::{Cluster, ContainerInstance, Service, Task};
use super::error::AwsError;
use super::logs::tail::{HistoryLoaded, SharedTail, TailMode, TailSpec, TailStatus};
use super::metrics::alarms::Alarms;
use super::metrics::charts::MetricsData;
use super::metrics::sparklines::Sparklines;
use super::route::{ResourceKey, Route};
use super::task_defs::revisions::{Family, RevisionSummary};
use super::task_defs::task_def::TaskDefDocument;

/// Numbers each request, so late and superseded responses can be told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Wakes the UI thread after a worker or job has sent something (egui's repaint request).
pub type Repaint = std::sync::Arc<dyn Fn() + Send + Sync>;

/// Something the user did.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The app started: read the profile list and load the first screen.
    Start,
    /// Switch profile, region or endpoint.
    SetConnection(Connection),
    /// Go somewhere.
    Navigate(Route),
    /// Reload everything on screen (F5 / Ctrl+R).
    Refresh,
    /// Load `key` once if it never was (data a dialog needs, such as the alarms to pick from).
    LoadOnce(ResourceKey),
    /// Re-read credentials and config (new SDK clients), then reload: the banner's Retry.
    Reconnect,
    /// Turn auto-refresh on or off.
    SetAutoRefresh(bool),
    /// Change the auto-refresh interval.
    SetRefreshInterval(u64),
    /// Re-read the profile files.
    ReloadProfiles,
    /// Time passed (called every frame; cheap).
    Tick,
    /// Register a draft as a new revision (`input`: register-task-definition JSON).
    Register {
        /// The draft it comes from.
        draft_id: String,
        /// The request body.
        input: String,
    },
    /// Mark a revision INACTIVE.
    Deregister {
        /// Task-definition ARN.
        arn: String,
    },
    /// Change a service (deploy, roll back, scale), if it still matches the preview.
    UpdateService(Box<ServiceChange>),
    /// Register `input` (the running revision with new images), then deploy it with `change`.
    DeployImages {
        /// RegisterTaskDefinition's input, as JSON.
        input: String,
        /// The service change; its task definition is the registered revision's.
        change: Box<ServiceChange>,
    },
    /// Stop a task.
    StopTask {
        /// Cluster ARN.
        cluster: String,
        /// Task ARN.
        task: String,
        /// Why (kept in the task's stopped reason).
        reason: String,
    },
    /// Start a one-off task.
    RunTask(Box<RunTaskSpec>),
    /// Stop a service deployment in progress and roll back (service deployments API).
    RollBackDeployment {
        /// Service ARN.
        service: String,
        /// Service deployment ARN.
        deployment: String,
    },
    /// Continue a deployment paused at a lifecycle hook, or roll it back there.
    ContinueDeployment {
        /// Service ARN.
        service: String,
        /// Service deployment ARN.
        deployment: String,
        /// The waiting hook.
        hook_id: String,
        /// Roll back instead of continuing.
        roll_back: bool,
    },
    /// Set the bounds of a service's auto scaling target.
    SetScalingBounds {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
        /// Minimum tasks.
        min: i32,
        /// Maximum tasks.
        max: i32,
    },
    /// Turn read-only mode on, or off (off is shown for confirmation first).
    SetReadOnly(bool),
    /// Send the change shown for confirmation.
    ConfirmChange,
    /// Drop the change shown for confirmation; nothing is sent.
    CancelChange,
    /// Profile patterns that turn read-only mode on (applied to the current profile now).
    SetReadOnlyProfiles(Vec<String>),
    /// Lines a new log tail keeps.
    SetLogCapacity(usize),
    /// MiB of text a new log tail keeps.
    SetLogCapacityMib(usize),
    /// How long and how much the stopped-task recorder keeps (applied from the next start).
    SetRecorderLimits(crate::model::incident::recorder::RecorderLimits),
    /// Which desktop notifications pinned services send.
    SetNotifications(crate::model::incident::notify::NoticePrefs),
    /// Stopped tasks the recorder holds: those read at start, then each one newly recorded.
    StoppedTasksRecorded(Vec<crate::model::incident::recorder::RecordedTask>),
    /// Read the logs around each marked event of an incident, for its export.
    ExportIncidentLogs {
        /// Whose timeline.
        key: super::incident::timeline::IncidentKey,
        /// The ranges to read.
        ranges: Vec<super::incident::export::ExportRange>,
    },
    /// Show the merged logs of this range of the incident timeline (None: close them).
    ShowRangeLogs(Option<crate::model::incident::range_logs::RangeLogsKey>),
    /// Pin a service to the sidebar.
    Pin(crate::model::workspace::pins::Pin),
    /// Take a service off the sidebar.
    Unpin(crate::model::workspace::pins::Pin),
    /// Open a Logs, Metrics or Compare screen in a window of its own.
    PopOut(super::Route),
    /// A pop-out window's own navigation.
    RetargetPopout {
        /// The window.
        id: u64,
        /// Where it goes (another kind of screen opens in the main window).
        route: super::Route,
    },
    /// Close a pop-out window.
    ClosePopout(u64),
    /// Where a pop-out window is now: outer left, top, inner width, height, in points.
    SetPopoutGeometry {
        /// The window.
        id: u64,
        /// Left, top, width, height.
        geometry: [i32; 4],
    },
    /// Forget the outcome of the last change (the user closed its message).
    DismissOutcome,
    /// Writing the journal or the settings failed: why (shown in the status bar); None when
    /// the user has read it.
    WriteFailed(Option<String>),
    /// Start (or restart) the log tail with this spec; the previous one stops.
    StartTail(TailSpec),
    /// Stop the log tail (its lines stay).
    StopTail,
    /// Load lines older than the tail's oldest: a page of them, or all back to a time.
    LoadOlderLogs {
        /// Load back to this time, epoch ms (a jump to a time before the oldest line).
        back_to_ms: Option<i64>,
    },
    /// Open a shell (or another command) in a container: a change, confirmed first. With
    /// `reconnect`, in the terminal of that ended session.
    OpenExec {
        /// What, where.
        spec: Box<super::exec::ExecSpec>,
        /// The session whose terminal it reuses.
        reconnect: Option<u64>,
    },
    /// Open the shell in a terminal window of the operating system (running `ecsdeck exec`):
    /// confirmed first, as in a tab.
    OpenExecWindow(Box<super::exec::ExecSpec>),
    /// Forward a local port through a task: a change, confirmed first.
    StartForward(Box<super::exec::ForwardSpec>),
    /// End a session (exec or forward); its tab stays with why it ended.
    CloseSession(u64),
    /// Bring a session's tab to the front.
    FocusSession(u64),
    /// Forget an ended session (its tab closes).
    RemoveSession(u64),
    /// The session-manager-plugin's path (None: look on PATH and AWS's install locations).
    SetSessionPlugin(Option<String>),
    /// The terminal program for exec in a window (None: the platform's).
    SetSystemTerminal(Option<String>),
    /// Show the fleet screen, loading the fleet named (None: the one loaded, else the first
    /// saved) unless it is loaded already.
    OpenFleet(Option<String>),
    /// Load the shown fleet again.
    ReloadFleet,
    /// The saved fleets, as edited in Settings.
    SetFleets(Vec<crate::model::fleet::FleetDef>),
    /// Switch to a fleet row's profile and region and open its service.
    OpenFleetService {
        /// Index of the pair in the loaded fleet.
        pair: usize,
        /// Index of the service in its pair.
        service: usize,
    },
    /// Open a fleet row's service in another ECS Deck window, on its profile and region
    /// (the app starts the process; the model does not change).
    OpenFleetServiceWindow {
        /// Index of the pair in the loaded fleet.
        pair: usize,
        /// Index of the service in its pair.
        service: usize,
    },
}

/// Work for the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Read profiles from the AWS config and credentials files.
    ListProfiles,
    /// Read the logs around each marked event of an incident (for its export).
    ExportIncidentLogs {
        /// Whose timeline.
        key: super::incident::timeline::IncidentKey,
        /// The ranges to read.
        ranges: Vec<super::incident::export::ExportRange>,
    },
    /// Read and build an incident timeline (`ResourceKey::Incident`), with the stopped tasks
    /// the recorder kept for its cluster.
    Incident {
        /// Whose timeline, over which range.
        key: super::incident::timeline::IncidentKey,
        /// What the app saw itself in that cluster: stopped tasks ECS may have forgotten, and
        /// deployment stages gone by.
        seen: Box<super::incident::sources::SeenByApp>,
        /// The running log tail of the same services, whose loaded lines count errors.
        tail: Option<super::logs::tail::SharedTail>,
    },
    /// Load one piece of remote data.
    Load(ResourceKey),
    /// The last hour of CPU and memory of these services (`ResourceKey::Sparklines`).
    Sparklines {
        /// Cluster ARN.
        cluster: String,
        /// Service ARNs or names.
        services: Vec<String>,
    },
    /// RegisterTaskDefinition with this JSON body.
    Register {
        /// register-task-definition input JSON.
        input: String,
    },
    /// DeregisterTaskDefinition.
    Deregister {
        /// Task-definition ARN.
        arn: String,
    },
    /// Re-describe the service, then UpdateService unless it changed since the preview.
    UpdateService(Box<ServiceChange>),
    /// StopTask.
    StopTask {
        /// Cluster ARN.
        cluster: String,
        /// Task ARN.
        task: String,
        /// Why.
        reason: String,
    },
    /// RunTask.
    RunTask(Box<RunTaskSpec>),
    /// StopServiceDeployment with ROLLBACK.
    RollBackDeployment {
        /// Service deployment ARN.
        deployment: String,
    },
    /// RegisterTaskDefinition, then UpdateService with the new revision.
    RegisterAndDeploy {
        /// RegisterTaskDefinition's input, as JSON.
        input: String,
        /// The service change.
        change: Box<ServiceChange>,
    },
    /// ContinueServiceDeployment with CONTINUE or ROLLBACK.
    ContinueDeployment {
        /// Service deployment ARN.
        deployment: String,
        /// The waiting hook.
        hook_id: String,
        /// Roll back instead of continuing.
        roll_back: bool,
    },
    /// RegisterScalableTarget with new bounds.
    SetScalingBounds {
        /// Cluster ARN.
        cluster: String,
        /// Service ARN.
        service: String,
        /// Minimum tasks.
        min: i32,
        /// Maximum tasks.
        max: i32,
    },
    /// Read every pair of a fleet, answering with each part as it is read.
    LoadFleet {
        /// The profile × region pairs.
        pairs: Vec<Connection>,
        /// Also read the images of the services' task definitions.
        images: bool,
    },
    /// Run a log tail into `tail` until cancelled; answers with a status at every change.
    Tail {
        /// What to follow.
        spec: Box<TailSpec>,
        /// Where the lines go.
        tail: SharedTail,
    },
    /// Prepend older lines to `tail` (see `Action::LoadOlderLogs`).
    TailHistory {
        /// The tail.
        tail: SharedTail,
        /// Back to this time, epoch ms.
        back_to_ms: Option<i64>,
    },
    /// The preflight of an exec target (`ResourceKey::ExecPreflight`), with the plugin path set.
    ExecPreflight {
        /// The container.
        target: super::exec::ExecTarget,
        /// The plugin's path from Settings.
        plugin: Option<String>,
    },
    /// ExecuteCommand, then the plugin on a terminal.
    OpenExec {
        /// What, where.
        spec: Box<super::exec::ExecSpec>,
        /// Where the session's screen and keys are.
        terminal: super::exec::terminal::SharedTerminal,
        /// The plugin's path from Settings.
        plugin: Option<String>,
    },
    /// A terminal window of the operating system running `ecsdeck exec` for `spec`.
    OpenExecWindow {
        /// What, where.
        spec: Box<super::exec::ExecSpec>,
        /// The terminal program from Settings (None: the platform's).
        terminal: Option<String>,
        /// The plugin's path from Settings.
        plugin: Option<String>,
        /// Read-only was lifted in the app for this connection: the window's CLI may change.
        read_write: bool,
    },
    /// SSM StartSession with a port-forwarding document, then the plugin and the relay.
    StartForward {
        /// What to forward.
        spec: Box<super::exec::ForwardSpec>,
        /// Its counters.
        forward: super::exec::forward::SharedForward,
        /// The plugin's path from Settings.
        plugin: Option<String>,
    },
}

/// A command to the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerCommand {
    /// Run a request against a connection.
    Start {
        /// Request id, echoed in the event.
        id: RequestId,
        /// Connection generation, echoed in the event.
        generation: u64,
        /// Which AWS to call.
        connection: Connection,
        /// What to do.
        request: Request,
    },
    /// Abandon one request.
    Cancel(RequestId),
    /// Abandon every request (the connection changed).
    CancelAll,
    /// Drop cached SDK clients so the next request re-reads profiles and credentials.
    ResetClients,
}

/// The result of a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// Profiles read from disk, or why they could not be read.
    Profiles(Result<Vec<ProfileInfo>, String>),
    /// The cluster list.
    Clusters(Result<Vec<Cluster>, AwsError>),
    /// Services of a cluster.
    Services(Result<Vec<Service>, AwsError>),
    /// Tasks of a cluster or service.
    Tasks(Result<Vec<Task>, AwsError>),
    /// Container instances of a cluster.
    Instances(Result<Vec<ContainerInstance>, AwsError>),
    /// Task-definition families.
    Families(Result<Vec<Family>, AwsError>),
    /// The family list's extra columns.
    FamilyOverview(Result<Box<crate::model::task_defs::family_overview::FamilyOverview>, AwsError>),
    /// Revisions of a family, newest first.
    Revisions(Result<Vec<RevisionSummary>, AwsError>),
    /// One task definition.
    TaskDefinition(Result<TaskDefDocument, AwsError>),
    /// The revision RegisterTaskDefinition created.
    Registered(Result<TaskDefDocument, AwsError>),
    /// The revision DeregisterTaskDefinition marked INACTIVE.
    Deregistered(Result<TaskDefDocument, AwsError>),
    /// The service as UpdateService left it.
    ServiceUpdated(Result<Box<Service>, AwsError>),
    /// The task StopTask stopped.
    TaskStopped(Result<Box<Task>, AwsError>),
    /// A service's deployment history.
    ServiceDeployments(Result<Vec<ServiceDeploymentSummary>, AwsError>),
    /// The deployment StopServiceDeployment is rolling back.
    DeploymentRolledBack(Result<String, AwsError>),
    /// The deployment ContinueServiceDeployment moved on (or is rolling back).
    DeploymentContinued(Result<String, AwsError>),
    /// One service deployment in full.
    ServiceDeployment(Result<Box<ServiceDeploymentDetail>, AwsError>),
    /// Service revisions, in the order asked.
    ServiceRevisions(Result<Vec<ServiceRevision>, AwsError>),
    /// The region's metric alarms.
    Alarms(Result<Box<Alarms>, AwsError>),
    /// An ECR repository's tags, newest first.
    ImageTags(Result<Vec<super::task_defs::new_image::ImageTag>, AwsError>),
    /// A cluster's service ARNs.
    ServiceArns(Result<Vec<String>, AwsError>),
    /// The task RunTask started.
    TaskStarted(Result<Box<Task>, AwsError>),
    /// A service's auto scaling target (None: it has none).
    Scaling(Result<Option<ScalingTarget>, AwsError>),
    /// The target as RegisterScalableTarget left it.
    ScalingUpdated(Result<Option<ScalingTarget>, AwsError>),
    /// Metric charts.
    Metrics(Result<Box<MetricsData>, AwsError>),
    /// Sparklines of a cluster's services.
    Sparklines(Result<Box<Sparklines>, AwsError>),
    /// An incident timeline, built.
    Incident(Result<Box<super::incident::timeline::Timeline>, AwsError>),
    /// The logs around each marked event, for an export.
    ExportLogs(
        Result<
            Vec<(
                super::incident::export::ExportRange,
                super::incident::range_logs::RangeLogs,
            )>,
            AwsError,
        >,
    ),
    /// Log lines of a range.
    RangeLogs(Result<Box<super::incident::range_logs::RangeLogs>, AwsError>),
    /// A log tail's status (many per request).
    TailStatus(Box<TailStatus>),
    /// What loading older lines added.
    TailHistory(Result<HistoryLoaded, AwsError>),
    /// An exec preflight.
    ExecPreflight(Result<Box<super::exec::preflight::ExecReport>, AwsError>),
    /// An exec session or port forward opened: the SSM session's ID.
    SessionOpened(Result<String, AwsError>),
    /// One part of a fleet pair's load.
    FleetPart {
        /// Index of the pair in the request.
        pair: usize,
        /// What was read.
        part: Box<crate::model::fleet::load::FleetPart>,
    },
}

impl Response {
    /// The AWS error carried, if the request failed.
    pub fn error(&self) -> Option<&AwsError> {
        match self {
            Self::Profiles(_) => None,
            Self::Clusters(r) => r.as_ref().err(),
            Self::Services(r) => r.as_ref().err(),
            Self::Tasks(r) => r.as_ref().err(),
            Self::Instances(r) => r.as_ref().err(),
            Self::Families(r) => r.as_ref().err(),
            Self::FamilyOverview(r) => r.as_ref().err(),
            Self::Revisions(r) => r.as_ref().err(),
            Self::TaskDefinition(r) | Self::Registered(r) | Self::Deregistered(r) => {
                r.as_ref().err()
            }
            Self::ServiceUpdated(r) => r.as_ref().err(),
            Self::TaskStopped(r) | Self::TaskStarted(r) => r.as_ref().err(),
            Self::Scaling(r) | Self::ScalingUpdated(r) => r.as_ref().err(),
            Self::ServiceDeployments(r) => r.as_ref().err(),
            Self::DeploymentRolledBack(r) | Self::DeploymentContinued(r) => r.as_ref().err(),
            Self::ServiceDeployment(r) => r.as_ref().err(),
            Self::ServiceRevisions(r) => r.as_ref().err(),
            Self::Alarms(r) => r.as_ref().err(),
            Self::ImageTags(r) => r.as_ref().err(),
            Self::ServiceArns(r) => r.as_ref().err(),
            Self::Metrics(r) => r.as_ref().err(),
            Self::Sparklines(r) => r.as_ref().err(),
            Self::Incident(r) => r.as_ref().err(),
            Self::RangeLogs(r) => r.as_ref().err(),
            Self::ExportLogs(r) => r.as_ref().err(),
            Self::TailStatus(status) => status.error.as_ref(),
            Self::TailHistory(r) => r.as_ref().err(),
            Self::ExecPreflight(r) => r.as_ref().err(),
            Self::SessionOpened(r) => r.as_ref().err(),
            // A fleet pair's failure is its own, not the app's connection's.
            Self::FleetPart { .. } => None,
        }
    }
}

impl Request {
    /// Whether this opens an exec session, a forward or a terminal window: work that lives on
    /// with the connection it was started on.
    pub fn opens_session(&self) -> bool {
        matches!(
            self,
            Self::OpenExec { .. } | Self::StartForward { .. } | Self::OpenExecWindow { .. }
        )
    }

    /// Whether switching the app's connection leaves this running: sessions, and fleet loads
    /// (which name their own connections).
    pub fn outlives_connection(&self) -> bool {
        self.opens_session() || matches!(self, Self::LoadFleet { .. })
    }

    /// The failed response of the right type for this request.
    pub fn failed(&self, error: AwsError) -> Response {
        match self {
            Self::ListProfiles => Response::Profiles(Err(error.message)),
            Self::Load(key) => match key {
                ResourceKey::Clusters => Response::Clusters(Err(error)),
                ResourceKey::Services(_) => Response::Services(Err(error)),
                ResourceKey::Tasks(_) => Response::Tasks(Err(error)),
                ResourceKey::Instances(_) => Response::Instances(Err(error)),
                ResourceKey::Families => Response::Families(Err(error)),
                ResourceKey::FamilyOverview => Response::FamilyOverview(Err(error)),
                ResourceKey::Revisions(_) => Response::Revisions(Err(error)),
                ResourceKey::TaskDefinition(_) => Response::TaskDefinition(Err(error)),
                ResourceKey::Deployments(..) => Response::ServiceDeployments(Err(error)),
                ResourceKey::Scaling(..) => Response::Scaling(Err(error)),
                ResourceKey::Metrics(_) => Response::Metrics(Err(error)),
                ResourceKey::Sparklines(_) => Response::Sparklines(Err(error)),
                ResourceKey::DeploymentDetail(_) => Response::ServiceDeployment(Err(error)),
                ResourceKey::ServiceRevisions(_) => Response::ServiceRevisions(Err(error)),
                ResourceKey::Alarms => Response::Alarms(Err(error)),
                ResourceKey::ImageTags(_) => Response::ImageTags(Err(error)),
                ResourceKey::ServiceArns(_) => Response::ServiceArns(Err(error)),
                ResourceKey::Incident(_) => Response::Incident(Err(error)),
                ResourceKey::RangeLogs(_) => Response::RangeLogs(Err(error)),
                ResourceKey::ExecPreflight(_) => Response::ExecPreflight(Err(error)),
            },
            Self::Sparklines { .. } => Response::Sparklines(Err(error)),
            Self::Incident { .. } => Response::Incident(Err(error)),
            Self::ExportIncidentLogs { .. } => Response::ExportLogs(Err(error)),
            Self::Register { .. } => Response::Registered(Err(error)),
            Self::Deregister { .. } => Response::Deregistered(Err(error)),
            Self::UpdateService(_) | Self::RegisterAndDeploy { .. } => {
                Response::ServiceUpdated(Err(error))
            }
            Self::StopTask { .. } => Response::TaskStopped(Err(error)),
            Self::SetScalingBounds { .. } => Response::ScalingUpdated(Err(error)),
            Self::RunTask(_) => Response::TaskStarted(Err(error)),
            Self::RollBackDeployment { .. } => Response::DeploymentRolledBack(Err(error)),
            Self::ContinueDeployment { .. } => Response::DeploymentContinued(Err(error)),
            Self::Tail { .. } => Response::TailStatus(Box::new(TailStatus {
                mode: TailMode::Failed,
                error: Some(error),
                ..TailStatus::default()
            })),
            Self::TailHistory { .. } => Response::TailHistory(Err(error)),
            Self::ExecPreflight { .. } => Response::ExecPreflight(Err(error)),
            Self::OpenExec { .. } | Self::StartForward { .. } | Self::OpenExecWindow { .. } => {
                Response::SessionOpened(Err(error))
            }
            Self::LoadFleet { .. } => Response::FleetPart {
                pair: 0,
                part: Box::new(crate::model::fleet::load::FleetPart::Failed(error)),
            },
        }
    }
}

/// What the worker sends back.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The request this answers.
    pub id: RequestId,
    /// The connection generation it was made under.
    pub generation: u64,
    /// The result.
    pub response: Response,
}

/// Input to `reduce`.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// From the UI.
    Action(Action),
    /// From the worker.
    Event(Event),
}
