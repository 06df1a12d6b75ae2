//! Validation of a task definition: the errors that block registering, each with the path of
//! the field it concerns so the form can show it inline.

use super::task_def::TaskDefDocument;
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::LazyLock;

/// One problem found in a task definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where: `cpu`, `containerDefinitions[1].portMappings[0].hostPort`, …
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

fn finding(path: impl Into<String>, message: impl Into<String>) -> Finding {
    Finding {
        path: path.into(),
        message: message.into(),
    }
}

static NAME: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_-]{1,255}$").ok());
static ROLE_ARN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$").ok());
static SECRET_REF: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter/).+|[\w.\-/]+)$").ok()
});
// registry/path[:tag][@digest]; repository paths are lower-case.
static IMAGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^([\w.-]+(:\d+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$")
        .ok()
});

fn matches(pattern: &LazyLock<Option<Regex>>, text: &str) -> bool {
    pattern.as_ref().is_some_and(|r| r.is_match(text))
}

/// Task CPU units from `"1024"`, `1024` or `"1 vCPU"`.
pub fn cpu_units(text: &str) -> Option<u32> {
    let text = text.trim();
    match text
        .strip_suffix("vCPU")
        .or_else(|| text.strip_suffix("vcpu"))
    {
        Some(vcpu) => vcpu
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| (v * 1024.0).round() as u32),
        None => text.parse().ok(),
    }
}

/// Task memory MiB from `"2048"`, `2048` or `"2 GB"`.
pub fn memory_mib(text: &str) -> Option<u32> {
    let text = text.trim();
    match text.strip_suffix("GB").or_else(|| text.strip_suffix("gb")) {
        Some(gb) => gb
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| (v * 1024.0).round() as u32),
        None => text.parse().ok(),
    }
}

/// Whether Fargate accepts this CPU/memory pair (AWS's published table).
pub fn fargate_size_ok(cpu: u32, memory: u32) -> bool {
    let steps = |from: u32, to: u32, step: u32| {
        memory >= from && memory <= to && (memory - from).is_multiple_of(step)
    };
    match cpu {
        256 => matches!(memory, 512 | 1024 | 2048),
        512 => steps(1024, 4096, 1024),
        1024 => steps(2048, 8192, 1024),
        2048 => steps(4096, 16384, 1024),
        4096 => steps(8192, 30720, 1024),
        8192 => steps(16384, 61440, 4096),
        16384 => steps(32768, 122880, 8192),
        _ => false,
    }
}

fn number(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every error that blocks registering `doc`; empty when it can be registered.
pub fn validate(doc: &TaskDefDocument) -> Vec<Finding> {
    let mut out = Vec::new();
    let root = doc.as_map();
    match doc.family() {
        None => out.push(finding("family", "A family name is required.")),
        Some(family) if !matches(&NAME, family) => out.push(finding(
            "family",
            "Use 1–255 letters, digits, hyphens or underscores.",
        )),
        Some(_) => {}
    }
    let fargate = strings(root.get("requiresCompatibilities")).contains(&"FARGATE");
    let network_mode = doc.text("networkMode");
    let task_cpu = doc.text("cpu").map(|c| (cpu_units(&c), c));
    let task_memory = doc.text("memory").map(|m| (memory_mib(&m), m));
    if let Some((None, text)) = &task_cpu {
        out.push(finding(
            "cpu",
            format!("\u{201c}{text}\u{201d} is not a CPU value (e.g. 1024 or 1 vCPU)."),
        ));
    }
    if let Some((None, text)) = &task_memory {
        out.push(finding(
            "memory",
            format!("\u{201c}{text}\u{201d} is not a memory value (e.g. 2048 or 2 GB)."),
        ));
    }
    if fargate {
        if network_mode.as_deref() != Some("awsvpc") {
            out.push(finding(
                "networkMode",
                "Fargate requires the awsvpc network mode.",
            ));
        }
        match (&task_cpu, &task_memory) {
            (Some((Some(cpu), _)), Some((Some(memory), _))) if !fargate_size_ok(*cpu, *memory) => out.push(finding(
                "memory",
                format!("Fargate does not offer {cpu} CPU units with {memory} MiB; see the valid combinations."),
            )),
            (None, _) => out.push(finding("cpu", "Fargate requires a task-level CPU value.")),
            (_, None) => out.push(finding("memory", "Fargate requires a task-level memory value.")),
            _ => {}
        }
    }
    for key in ["executionRoleArn", "taskRoleArn"] {
        if let Some(arn) = doc.text(key)
            && !matches(&ROLE_ARN, &arn)
        {
            out.push(finding(
                key,
                "Not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).",
            ));
        }
    }
    let task_memory = task_memory.and_then(|(m, _)| m);
    validate_containers(doc, network_mode.as_deref(), task_memory, &mut out);
    out
}

fn validate_containers(
    doc: &TaskDefDocument,
    network_mode: Option<&str>,
    task_memory: Option<u32>,
    out: &mut Vec<Finding>,
) {
    let containers = doc.containers();
    if containers.is_empty() {
        out.push(finding(
            "containerDefinitions",
            "At least one container is required.",
        ));
        return;
    }
    let mut names = HashSet::new();
    let mut any_essential = false;
    for (i, container) in containers.iter().enumerate() {
        let at = |field: &str| format!("containerDefinitions[{i}].{field}");
        match container.get("name").and_then(Value::as_str) {
            None => out.push(finding(at("name"), "A container name is required.")),
            Some(name) if !matches(&NAME, name) => {
                out.push(finding(
                    at("name"),
                    "Use 1–255 letters, digits, hyphens or underscores.",
                ));
            }
            Some(name) if !names.insert(name) => {
                out.push(finding(
                    at("name"),
                    format!("Another container is already named {name}."),
                ));
            }
            Some(_) => {}
        }
        match container.get("image").and_then(Value::as_str) {
            None => out.push(finding(at("image"), "An image is required.")),
            Some(image) if !matches(&IMAGE, image) => out.push(finding(
                at("image"),
                "Not an image reference (registry/repository:tag, repository in lower case).",
            )),
            Some(_) => {}
        }
        // ECS treats a container without "essential" as essential.
        any_essential |= container
            .get("essential")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let hard = number(container.get("memory"));
        let soft = number(container.get("memoryReservation"));
        if let (Some(hard), Some(task)) = (hard, task_memory)
            && hard > i64::from(task)
        {
            out.push(finding(
                at("memory"),
                format!("{hard} MiB is more than the task's {task} MiB."),
            ));
        }
        if let (Some(hard), Some(soft)) = (hard, soft)
            && soft > hard
        {
            out.push(finding(
                at("memoryReservation"),
                "The soft limit cannot exceed the hard limit (memory).",
            ));
        }
        validate_ports(container, i, network_mode, out);
        validate_health_check(container, i, out);
        for (j, secret) in container
            .get("secrets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let from = secret
                .get("valueFrom")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !matches(&SECRET_REF, from) {
                out.push(finding(
                    at(&format!("secrets[{j}].valueFrom")),
                    "Not a Secrets Manager or SSM Parameter Store ARN or parameter name.",
                ));
            }
        }
    }
    if !any_essential {
        out.push(finding(
            "containerDefinitions",
            "At least one container must be essential.",
        ));
    }
}

fn validate_ports(container: &Value, i: usize, network_mode: Option<&str>, out: &mut Vec<Finding>) {
    let mappings = container
        .get("portMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for (j, mapping) in mappings.enumerate() {
        let at = |field: &str| format!("containerDefinitions[{i}].portMappings[{j}].{field}");
        let container_port = number(mapping.get("containerPort"));
        let host_port = number(mapping.get("hostPort"));
        if let Some(port) = container_port
            && !(1..=65535).contains(&port)
        {
            out.push(finding(at("containerPort"), "Ports are 1–65535."));
        }
        if let Some(port) = host_port
            && !(0..=65535).contains(&port)
        {
            out.push(finding(
                at("hostPort"),
                "Ports are 0–65535 (0 picks a dynamic port in bridge mode).",
            ));
        }
        if matches!(network_mode, Some("awsvpc" | "host"))
            && let (Some(host), Some(port)) = (host_port, container_port)
            && host != port
        {
            out.push(finding(
                at("hostPort"),
                format!(
                    "In {} mode the host port must equal the container port ({port}).",
                    network_mode.unwrap_or_default()
                ),
            ));
        }
    }
}

fn validate_health_check(container: &Value, i: usize, out: &mut Vec<Finding>) {
    let Some(check) = container.get("healthCheck") else {
        return;
    };
    let at = |field: &str| format!("containerDefinitions[{i}].healthCheck.{field}");
    if strings(check.get("command")).is_empty() {
        out.push(finding(at("command"), "A health check needs a command, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]."));
    }
    for (field, low, high) in [
        ("interval", 5, 300),
        ("timeout", 2, 120),
        ("retries", 1, 10),
        ("startPeriod", 0, 300),
    ] {
        if let Some(value) = number(check.get(field))
            && !(low..=high).contains(&value)
        {
            out.push(finding(at(field), format!("{field} must be {low}–{high}.")));
        }
    }
}

#[cfg(test)]
mod tests;
