//! ECS Exec and port forwarding: what a session reaches (task and container), what it runs,
//! whether it can start (the preflight), how AWS's `session-manager-plugin` is started, and
//! the sessions open in the app.

pub mod forward;
pub mod plugin;
pub mod preflight;
pub mod sessions;
pub mod terminal;
pub mod window;

use crate::model::ecs::short_id;
use serde::{Deserialize, Serialize};

/// The command an exec session runs when the user names none.
pub const DEFAULT_COMMAND: &str = "/bin/sh";

/// SSM's port-forwarding document to a port of the container itself.
pub const PORT_FORWARD_DOCUMENT: &str = "AWS-StartPortForwardingSession";
/// SSM's port-forwarding document to a host reachable from the task.
pub const REMOTE_HOST_DOCUMENT: &str = "AWS-StartPortForwardingSessionToRemoteHost";

/// A container of a task: what an exec session or a port forward reaches.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExecTarget {
    /// Cluster ARN (or name).
    pub cluster: String,
    /// Task ARN (or ID).
    pub task: String,
    /// Container name.
    pub container: String,
}

impl ExecTarget {
    /// The cluster's name (the last part of its ARN).
    pub fn cluster_name(&self) -> &str {
        short_id(&self.cluster)
    }

    /// The task's ID (the last part of its ARN).
    pub fn task_id(&self) -> &str {
        short_id(&self.task)
    }

    /// `prod › checkout-api › 0a1b2c3d › web` (the service left out when there is none).
    pub fn title(&self, service: Option<&str>) -> String {
        let task = self.task_id();
        let task = task.get(..8).unwrap_or(task);
        match service {
            Some(service) => format!(
                "{} › {service} › {task} › {}",
                self.cluster_name(),
                self.container
            ),
            None => format!("{} › {task} › {}", self.cluster_name(), self.container),
        }
    }

    /// SSM's target for the container: `ecs:<cluster>_<task id>_<runtime id>`, as the AWS CLI
    /// builds it.
    pub fn ssm_target(&self, runtime_id: &str) -> String {
        format!(
            "ecs:{}_{}_{runtime_id}",
            self.cluster_name(),
            self.task_id()
        )
    }
}

/// An interactive command in a container (ECS ExecuteCommand).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecSpec {
    /// Where.
    pub target: ExecTarget,
    /// The service the task belongs to, for the title.
    pub service: Option<String>,
    /// What runs (`/bin/sh` unless chosen).
    pub command: String,
}

impl ExecSpec {
    /// The session's title: cluster › service › task › container.
    pub fn title(&self) -> String {
        self.target.title(self.service.as_deref())
    }
}

/// A local port forwarded through a task (SSM StartSession with a port-forwarding document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardSpec {
    /// The task, and the container whose agent carries the traffic.
    pub target: ExecTarget,
    /// The service the task belongs to, for the title.
    pub service: Option<String>,
    /// The port reached: of the container, or of `host`.
    pub remote_port: u16,
    /// A host reachable from the task (a database); None forwards to the container itself.
    pub host: Option<String>,
    /// The local port to listen on; None takes a free one.
    pub local_port: Option<u16>,
}

impl ForwardSpec {
    /// SSM's document for this forward.
    pub fn document(&self) -> &'static str {
        if self.host.is_some() {
            REMOTE_HOST_DOCUMENT
        } else {
            PORT_FORWARD_DOCUMENT
        }
    }

    /// Where the traffic goes: `db.internal:5432`, or `container web:8080`.
    pub fn remote_label(&self) -> String {
        match &self.host {
            Some(host) => format!("{host}:{}", self.remote_port),
            None => format!("container {}:{}", self.target.container, self.remote_port),
        }
    }

    /// The document's parameters, with the local port the plugin listens on.
    pub fn document_parameters(&self, plugin_port: u16) -> serde_json::Value {
        let mut parameters = serde_json::json!({
            "portNumber": [self.remote_port.to_string()],
            "localPortNumber": [plugin_port.to_string()],
        });
        if let Some(host) = &self.host {
            parameters["host"] = serde_json::json!([host]);
        }
        parameters
    }

    /// The session's title: `localhost:15432 → db.internal:5432 via prod › api › 0a1b2c3d`.
    pub fn title(&self) -> String {
        let task = self.target.task_id();
        let task = task.get(..8).unwrap_or(task);
        let via = match &self.service {
            Some(service) => format!("{} › {service} › {task}", self.target.cluster_name()),
            None => format!("{} › {task}", self.target.cluster_name()),
        };
        format!("→ {} via {via}", self.remote_label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> ExecTarget {
        ExecTarget {
            cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
            task: "arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9"
                .into(),
            container: "web".into(),
        }
    }

    #[test]
    fn the_target_is_named_as_the_aws_cli_names_it() {
        assert_eq!(
            target().ssm_target("0a1b2c3d4e5f60718293a4b5c6d7e8f9-1234567890"),
            "ecs:prod_0a1b2c3d4e5f60718293a4b5c6d7e8f9_0a1b2c3d4e5f60718293a4b5c6d7e8f9-1234567890"
        );
        assert_eq!(
            target().title(Some("checkout-api")),
            "prod › checkout-api › 0a1b2c3d › web"
        );
        assert_eq!(target().title(None), "prod › 0a1b2c3d › web");
    }

    #[test]
    fn a_forward_to_a_host_uses_the_remote_host_document() {
        let mut spec = ForwardSpec {
            target: target(),
            service: Some("api".into()),
            remote_port: 5432,
            host: Some("db.internal".into()),
            local_port: Some(15432),
        };
        assert_eq!(spec.document(), REMOTE_HOST_DOCUMENT);
        assert_eq!(
            spec.document_parameters(40001),
            serde_json::json!({"portNumber": ["5432"], "localPortNumber": ["40001"],
                               "host": ["db.internal"]})
        );
        assert_eq!(spec.title(), "→ db.internal:5432 via prod › api › 0a1b2c3d");
        spec.host = None;
        assert_eq!(spec.document(), PORT_FORWARD_DOCUMENT);
        assert_eq!(spec.remote_label(), "container web:5432");
        assert!(spec.document_parameters(1).get("host").is_none());
    }
}
