//! Changes to AWS: what kind, the one in flight, and how the last one ended.

pub mod aws_cli;
pub mod journal;
pub mod policy;
pub mod proposal;
pub mod service_change;

use super::{AwsError, RequestId};

/// A change to AWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MutationKind {
    /// RegisterTaskDefinition from a draft.
    Register {
        /// The draft registered.
        draft_id: String,
    },
    /// DeregisterTaskDefinition.
    Deregister {
        /// The revision.
        arn: String,
    },
    /// UpdateService (deploy, roll back, scale).
    UpdateService {
        /// Service ARN.
        service: String,
    },
    /// StopTask.
    StopTask {
        /// Task ARN.
        task: String,
    },
    /// StopServiceDeployment with ROLLBACK.
    RollBackDeployment {
        /// Service ARN.
        service: String,
    },
    /// ContinueServiceDeployment at a paused hook.
    ContinueDeployment {
        /// Service ARN.
        service: String,
    },
    /// RegisterTaskDefinition with new images, then UpdateService.
    DeployImages {
        /// Service ARN.
        service: String,
    },
    /// RunTask from a task definition.
    RunTask {
        /// The task definition.
        task_definition: String,
    },
    /// RegisterScalableTarget.
    SetScaling {
        /// Service ARN.
        service: String,
    },
    /// ExecuteCommand: a session in a container.
    ExecuteCommand {
        /// Task ARN.
        task: String,
        /// Container.
        container: String,
        /// What it runs.
        command: String,
    },
    /// A terminal window running `ecsdeck exec` (which calls ExecuteCommand itself).
    ExecWindow {
        /// Task ARN.
        task: String,
        /// What it runs.
        command: String,
    },
    /// SSM StartSession with a port-forwarding document.
    StartPortForward {
        /// Task ARN.
        task: String,
        /// Where the traffic goes.
        remote: String,
    },
}

impl MutationKind {
    /// The API operation, for messages.
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Register { .. } => "RegisterTaskDefinition",
            Self::Deregister { .. } => "DeregisterTaskDefinition",
            Self::UpdateService { .. } => "UpdateService",
            Self::StopTask { .. } => "StopTask",
            Self::SetScaling { .. } => "RegisterScalableTarget",
            Self::RunTask { .. } => "RunTask",
            Self::RollBackDeployment { .. } => "StopServiceDeployment",
            Self::ContinueDeployment { .. } => "ContinueServiceDeployment",
            Self::DeployImages { .. } => "RegisterTaskDefinition + UpdateService",
            Self::ExecuteCommand { .. } => "ExecuteCommand",
            Self::StartPortForward { .. } => "StartSession",
            Self::ExecWindow { .. } => "ExecuteCommand (in a terminal window)",
        }
    }
}

/// A change to AWS in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Mutation {
    /// Its request.
    pub id: RequestId,
    /// What it does.
    pub kind: MutationKind,
    /// What was asked, in words (for the journal).
    pub summary: String,
    /// The service change sent, so a lost answer can be checked against the service.
    pub change: Option<Box<crate::model::changes::service_change::ServiceChange>>,
    /// Where it was sent (the journal names this, even after a connection change).
    pub connection: crate::model::connection::Connection,
}

/// How a change ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The change's own id: two identical changes are two outcomes (and journal entries).
    pub id: RequestId,
    /// Where it was sent, or would have been.
    pub connection: crate::model::connection::Connection,
    /// What was asked.
    pub kind: MutationKind,
    /// What was asked, in words.
    pub summary: String,
    /// False when it was refused before reaching AWS (read-only mode).
    pub sent: bool,
    /// The ARN of the revision created or changed, or why it failed.
    pub result: Result<String, AwsError>,
}

/// A change being checked against the service re-read.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    /// The change's id.
    pub id: RequestId,
    /// What was asked.
    pub kind: MutationKind,
    /// What was asked, in words.
    pub summary: String,
    /// The change sent.
    pub change: crate::model::changes::service_change::ServiceChange,
    /// How the answer was lost.
    pub error: AwsError,
}
