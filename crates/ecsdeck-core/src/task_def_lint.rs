//! Lint of a task definition: warnings that never block registering, each saying why.

use super::task_def::TaskDefDocument;
use super::task_def_validate::Finding;
use serde_json::Value;

/// Names that look like they hold a secret.
fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["PASSWORD", "SECRET", "TOKEN"]
        .iter()
        .any(|w| upper.contains(w))
        || upper.ends_with("_KEY")
}

/// The tag of an image reference, None when there is none (a digest pins it too).
fn image_tag(image: &str) -> Option<&str> {
    if image.contains("@sha256:") {
        return Some("digest");
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag)
}

fn warn(out: &mut Vec<Finding>, path: String, message: &str) {
    out.push(Finding {
        path,
        message: message.to_owned(),
    });
}

/// What the task as a whole says about its containers' warnings.
struct TaskFacts {
    windows: bool,
    has_execution_role: bool,
    task_memory: bool,
}

/// Every warning for `doc`.
pub fn lint(doc: &TaskDefDocument) -> Vec<Finding> {
    let mut out = Vec::new();
    let task = TaskFacts {
        windows: doc
            .as_map()
            .get("runtimePlatform")
            .and_then(|p| p.get("operatingSystemFamily"))
            .and_then(Value::as_str)
            .is_some_and(|os| os.starts_with("WINDOWS")),
        has_execution_role: doc.text("executionRoleArn").is_some(),
        task_memory: doc.text("memory").is_some(),
    };
    for (i, container) in doc.containers().iter().enumerate() {
        lint_container(container, i, &task, &mut out);
    }
    // One execution-role warning is enough, whatever the number of containers.
    let mut seen_role = false;
    out.retain(|f| f.path != "executionRoleArn" || !std::mem::replace(&mut seen_role, true));
    out
}

/// The warnings of container `i`, in the order the form shows its fields.
fn lint_container(container: &Value, i: usize, task: &TaskFacts, out: &mut Vec<Finding>) {
    let at = |field: &str| format!("containerDefinitions[{i}].{field}");
    lint_environment(container, &at, out);
    let image = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match image_tag(image) {
        None | Some("latest") => warn(
            out,
            at("image"),
            "Image tag is latest or missing: the image can change under a running service and a rollback may not restore the old code. Pin a version.",
        ),
        Some(_) => {}
    }
    let essential = container
        .get("essential")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let has_ports = container
        .get("portMappings")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    if essential && has_ports && container.get("healthCheck").is_none() {
        warn(
            out,
            at("healthCheck"),
            "No health check on an essential container that serves a port: ECS cannot replace it when it hangs.",
        );
    }
    if container.get("logConfiguration").is_none() {
        warn(
            out,
            at("logConfiguration"),
            "No log configuration: the container's output is lost.",
        );
    }
    let uses_ecr = image.contains(".dkr.ecr.");
    let uses_secrets = container
        .get("secrets")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    if !task.has_execution_role && (uses_ecr || uses_secrets) {
        warn(
            out,
            "executionRoleArn".to_owned(),
            "No execution role: tasks cannot pull from private ECR or read secrets without one.",
        );
    }
    if !task.task_memory
        && container.get("memory").is_none()
        && container.get("memoryReservation").is_none()
    {
        warn(
            out,
            at("memory"),
            "No memory limit on the task or the container: a runaway process can starve its neighbours.",
        );
    }
    if !task.windows {
        lint_linux_hardening(container, &at, out);
    }
}

/// Environment variables whose names look secret and whose values could be one.
fn lint_environment(container: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    let environment = container
        .get("environment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for (j, variable) in environment.enumerate() {
        // A number or a flag (TOKEN_TTL_SECONDS=3600) cannot be a credential.
        let value = variable
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let harmless = value.parse::<f64>().is_ok() || matches!(value, "true" | "false");
        if !harmless
            && variable
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(looks_secret)
        {
            warn(
                out,
                at(&format!("environment[{j}].name")),
                "Looks like a secret in plain text: anyone who can describe the task definition reads it. Use secrets (valueFrom) instead.",
            );
        }
    }
}

/// Root user and a writable root filesystem (Linux containers only).
fn lint_linux_hardening(container: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    let user = container.get("user").and_then(Value::as_str).unwrap_or("");
    if user.is_empty() || user == "root" || user == "0" || user.starts_with("0:") {
        warn(
            out,
            at("user"),
            "Runs as root: set user to a non-root UID to limit what a compromise can do.",
        );
    }
    if container
        .get("readonlyRootFilesystem")
        .and_then(Value::as_bool)
        != Some(true)
    {
        warn(
            out,
            at("readonlyRootFilesystem"),
            "Writable root filesystem: a read-only one limits what an intruder can change.",
        );
    }
}

#[cfg(test)]
mod tests;
