//! ECS Exec and port forwarding: ExecuteCommand and SSM StartSession open a session that AWS's
//! `session-manager-plugin` then carries; TerminateSession ends one. Both openings are changes
//! (they reach into a running container) and ask the change gate first.

mod preflight;

use super::Ecs;
use super::error::from_sdk;
use crate::model::exec::ExecTarget;
use crate::model::exec::plugin::{SessionGrant, SessionToken};
use crate::model::{AwsError, ErrorKind};

/// An exec session AWS opened: the grant, and the SSM target the plugin is told about.
#[derive(Clone, Debug)]
pub struct OpenedSession {
    /// What opens the data channel.
    pub grant: SessionGrant,
    /// `ecs:<cluster>_<task>_<runtime id>`.
    pub ssm_target: String,
}

impl Ecs {
    /// The SSM target of a container: its runtime id read from DescribeTasks, as the AWS CLI
    /// does before it starts the plugin.
    pub async fn ssm_target(&self, target: &ExecTarget) -> Result<String, AwsError> {
        let task = self.describe_task(&target.cluster, &target.task).await?;
        let runtime_id = task
            .containers
            .iter()
            .find(|c| c.name == target.container)
            .and_then(|c| c.runtime_id.clone())
            .ok_or_else(|| AwsError {
                operation: "DescribeTasks".to_owned(),
                code: "NoRuntimeId".to_owned(),
                message: format!(
                    "container {} of task {} has no runtime id (not started yet, or gone)",
                    target.container,
                    target.task_id()
                ),
                request_id: None,
                kind: ErrorKind::NotFound,
            })?;
        Ok(target.ssm_target(&runtime_id))
    }

    /// ExecuteCommand (interactive) in `target`, running `command`.
    pub async fn execute_command(
        &self,
        target: &ExecTarget,
        command: &str,
    ) -> Result<OpenedSession, AwsError> {
        const OPERATION: &str = "ExecuteCommand";
        self.gate.check(OPERATION)?;
        let out = self
            .client
            .execute_command()
            .cluster(&target.cluster)
            .task(&target.task)
            .container(&target.container)
            .interactive(true)
            .command(command)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        let session = out
            .session()
            .ok_or_else(|| AwsError::internal(OPERATION, "ECS answered without a session"))?;
        let grant = SessionGrant {
            session_id: session.session_id().unwrap_or_default().to_owned(),
            stream_url: session.stream_url().unwrap_or_default().to_owned(),
            token: SessionToken::new(session.token_value().unwrap_or_default().to_owned()),
        };
        let ssm_target = self.ssm_target(target).await?;
        Ok(OpenedSession { grant, ssm_target })
    }

    /// SSM StartSession on `ssm_target` with a port-forwarding `document`.
    pub async fn start_port_forward(
        &self,
        ssm_target: &str,
        document: &str,
        parameters: &serde_json::Value,
    ) -> Result<SessionGrant, AwsError> {
        const OPERATION: &str = "StartSession";
        self.gate.check(OPERATION)?;
        let ssm = self.ssm_client(OPERATION)?;
        let mut call = ssm
            .start_session()
            .target(ssm_target)
            .document_name(document)
            .reason("ECS Deck port forward");
        if let Some(map) = parameters.as_object() {
            for (name, values) in map {
                let values: Vec<String> = values
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                call = call.parameters(name, values);
            }
        }
        let out = call
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        Ok(SessionGrant {
            session_id: out.session_id().unwrap_or_default().to_owned(),
            stream_url: out.stream_url().unwrap_or_default().to_owned(),
            token: SessionToken::new(out.token_value().unwrap_or_default().to_owned()),
        })
    }

    /// SSM TerminateSession: ends a session this app opened (exec or port forward).
    pub async fn terminate_session(&self, session_id: &str) -> Result<(), AwsError> {
        const OPERATION: &str = "TerminateSession";
        let ssm = self.ssm_client(OPERATION)?;
        ssm.terminate_session()
            .session_id(session_id)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        Ok(())
    }

    fn ssm_client(&self, operation: &str) -> Result<&aws_sdk_ssm::Client, AwsError> {
        self.ssm
            .as_ref()
            .ok_or_else(|| AwsError::internal(operation, "no SSM client for this connection"))
    }
}
