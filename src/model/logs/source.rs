//! Where a container's logs go, read from its task definition's log configuration: CloudWatch
//! Logs through `awslogs` (group, region, stream `prefix/container/task-id`) or through a
//! FireLens CloudWatch output, or somewhere this app cannot read — said plainly.

#[cfg(test)]
pub(crate) mod tests;

use serde_json::Value;

/// Where one stream (or set of streams) of CloudWatch Logs is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudWatchTarget {
    /// Log group name.
    pub group: String,
    /// Region of the group, when the configuration names one (else the connection's).
    pub region: Option<String>,
    /// Which streams of the group.
    pub streams: StreamSelection,
}

/// The streams of a group that belong to a container.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StreamSelection {
    /// One stream (a task's).
    Exact(String),
    /// Several streams (the tasks of a service), at most 100 (the API's limit).
    Names(Vec<String>),
    /// Every stream starting with this (all tasks of the container).
    Prefix(String),
    /// The whole group, with the reason streams can't be told apart.
    WholeGroup(String),
}

impl StreamSelection {
    /// Whether `stream` is one of the selected streams.
    pub fn includes(&self, stream: &str) -> bool {
        match self {
            StreamSelection::Exact(name) => stream == name,
            StreamSelection::Names(names) => names.iter().any(|n| n == stream),
            StreamSelection::Prefix(prefix) => stream.starts_with(prefix.as_str()),
            StreamSelection::WholeGroup(_) => true,
        }
    }
}

/// Where a container's logs go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogTarget {
    /// CloudWatch Logs, readable here.
    CloudWatch(CloudWatchTarget),
    /// Elsewhere: what to tell the user.
    Elsewhere(String),
}

/// The log target of each container of a task definition, in container order.
/// `task_id` narrows a per-task stream to that task; `None` means every task.
pub fn resolve(task_def: &Value, task_id: Option<&str>) -> Vec<(String, LogTarget)> {
    let containers = task_def
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    resolve_containers(containers, task_id)
}

/// Like [`resolve`], from the `containerDefinitions` list itself.
pub fn resolve_containers(containers: &[Value], task_id: Option<&str>) -> Vec<(String, LogTarget)> {
    containers
        .iter()
        .map(|c| {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            let target = target_of(&name, c.get("logConfiguration"), task_id);
            (name, target)
        })
        .collect()
}

fn option<'a>(options: Option<&'a Value>, key: &str) -> Option<&'a str> {
    options?.get(key)?.as_str().filter(|s| !s.is_empty())
}

fn target_of(container: &str, config: Option<&Value>, task_id: Option<&str>) -> LogTarget {
    let Some(config) = config else {
        return LogTarget::Elsewhere(format!(
            "Container {container} has no log configuration: its output is not kept anywhere \
             this app can read."
        ));
    };
    let driver = config
        .get("logDriver")
        .and_then(Value::as_str)
        .unwrap_or("");
    let options = config.get("options");
    match driver {
        "awslogs" => awslogs(container, options, task_id),
        "awsfirelens" => firelens(container, options, task_id),
        "" => LogTarget::Elsewhere(format!(
            "Container {container}'s log configuration names no driver."
        )),
        other => LogTarget::Elsewhere(format!(
            "Container {container} logs with the {other} driver{}; only CloudWatch Logs \
             (awslogs, or FireLens to CloudWatch) can be shown here.",
            option(options, "tag")
                .map(|t| format!(" (tag {t})"))
                .unwrap_or_default()
        )),
    }
}

fn awslogs(container: &str, options: Option<&Value>, task_id: Option<&str>) -> LogTarget {
    let Some(group) = option(options, "awslogs-group") else {
        return LogTarget::Elsewhere(format!(
            "Container {container} uses awslogs without an awslogs-group option."
        ));
    };
    let streams = match option(options, "awslogs-stream-prefix") {
        Some(prefix) => match task_id {
            Some(task) => StreamSelection::Exact(format!("{prefix}/{container}/{task}")),
            None => StreamSelection::Prefix(format!("{prefix}/{container}/")),
        },
        None => StreamSelection::WholeGroup(
            "no awslogs-stream-prefix: streams are named by Docker container id, so the \
             whole group is shown"
                .into(),
        ),
    };
    LogTarget::CloudWatch(CloudWatchTarget {
        group: group.to_owned(),
        region: option(options, "awslogs-region").map(str::to_owned),
        streams,
    })
}

/// FireLens (Fluent Bit): the `cloudwatch_logs` (or older `cloudwatch`) output. Its default
/// stream is `log_stream_prefix` + the FireLens tag, `CONTAINER-firelens-TASK_ID`.
fn firelens(container: &str, options: Option<&Value>, task_id: Option<&str>) -> LogTarget {
    let output = option(options, "Name").unwrap_or("");
    if !matches!(output, "cloudwatch_logs" | "cloudwatch") {
        let output = if output.is_empty() {
            "an output set in the FireLens configuration file"
        } else {
            output
        };
        return LogTarget::Elsewhere(format!(
            "Container {container} sends its logs through FireLens to {output}; only a \
             CloudWatch output can be shown here."
        ));
    }
    let Some(group) = option(options, "log_group_name") else {
        return LogTarget::Elsewhere(format!(
            "Container {container}'s FireLens CloudWatch output names no log_group_name."
        ));
    };
    let streams = if let Some(stream) = option(options, "log_stream_name") {
        StreamSelection::Exact(stream.to_owned())
    } else {
        let prefix = option(options, "log_stream_prefix").unwrap_or("");
        match task_id {
            Some(task) => StreamSelection::Exact(format!("{prefix}{container}-firelens-{task}")),
            None => StreamSelection::Prefix(format!("{prefix}{container}-firelens-")),
        }
    };
    LogTarget::CloudWatch(CloudWatchTarget {
        group: group.to_owned(),
        region: option(options, "region").map(str::to_owned),
        streams,
    })
}

/// The task id at the end of a stream name (`prefix/container/TASK` or
/// `…-firelens-TASK`), used to tag merged lines by task.
pub fn task_of_stream(stream: &str) -> &str {
    let tail = stream.rsplit('/').next().unwrap_or(stream);
    tail.rsplit_once("-firelens-")
        .map_or(tail, |(_, task)| task)
}
