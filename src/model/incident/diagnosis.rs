//! Why one task stopped, in words a senior engineer would use, with the fix: from the stop
//! code, the stopped reason, each container's exit code and reason, health, and what is known
//! of the task definition and the memory curve. Rules only name what the evidence shows;
//! anything else is shown as ECS said it, never guessed.

use crate::model::ecs::{Container, Task};

/// What the task definition, the service and the metrics add to a task's own record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskFacts {
    /// Each container's hard memory limit, MiB (`memory`), where set.
    pub memory_limits_mib: Vec<(String, u32)>,
    /// The task-level memory, MiB.
    pub task_memory_mib: Option<u32>,
    /// The highest memory utilisation seen while the task ran, percent of its limit.
    pub memory_peak_percent: Option<f64>,
    /// Each container's health-check command, as the task definition gives it.
    pub health_checks: Vec<(String, String)>,
    /// Containers marked essential (empty: not known, every container counts).
    pub essential: Vec<String>,
    /// The service's health-check grace period, seconds.
    pub grace_period_secs: Option<u32>,
    /// The target group's health-check path.
    pub health_check_path: Option<String>,
    /// Seconds a container is given after SIGTERM before SIGKILL (`stopTimeout`; 30 by default).
    pub stop_timeout_secs: Option<u32>,
}

/// Why an image could not be pulled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PullProblem {
    /// The repository, image or tag does not exist.
    ImageMissing,
    /// The registry refused the credentials (or there were none).
    RegistryAuth,
    /// The registry could not be reached.
    NoRoute,
    /// Something else the message names.
    Other,
}

/// What could not be set up before the containers started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InitProblem {
    /// Secrets Manager secrets.
    Secrets,
    /// SSM Parameter Store parameters.
    SsmParameters,
    /// The task's network interface.
    Eni,
    /// The awslogs log group.
    LogGroup,
    /// Something else the message names.
    Other,
}

/// The kind of stop, the key stopped tasks are grouped and counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StopKind {
    /// Killed by the kernel for using more memory than its limit (137 with OutOfMemoryError).
    OutOfMemory,
    /// SIGKILL after ignoring SIGTERM for the stop timeout (137 without OOM, while stopping).
    KilledAfterStopTimeout,
    /// The process crashed (139, SIGSEGV).
    SegmentationFault,
    /// An essential container exited by itself with this code.
    EssentialExit(i32),
    /// The load balancer's health checks failed.
    LoadBalancerHealthCheck,
    /// The container's own health check failed.
    ContainerHealthCheck,
    /// The image could not be pulled.
    ImagePull(PullProblem),
    /// Secrets, parameters, the ENI or the log group could not be set up.
    ResourceInit(InitProblem),
    /// Fargate Spot took the capacity back.
    SpotInterruption,
    /// AWS retired the task (platform maintenance).
    Retired,
    /// Someone called StopTask.
    StoppedByUser,
    /// ECS stopped it on purpose: a deployment replaced it, the service scaled in (143).
    GracefulStop,
    /// No rule knows the reason: shown as ECS gave it.
    Unknown,
}

impl StopKind {
    /// Whether this stop is a problem to look at (a deployment replacing a task is not).
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            Self::GracefulStop | Self::StoppedByUser | Self::Retired | Self::SpotInterruption
        )
    }

    /// A short label for lists and the timeline.
    pub fn label(self) -> String {
        match self {
            Self::OutOfMemory => "Out of memory".into(),
            Self::KilledAfterStopTimeout => "Killed after the stop timeout".into(),
            Self::SegmentationFault => "Segmentation fault".into(),
            Self::EssentialExit(code) => format!("Essential container exited with code {code}"),
            Self::LoadBalancerHealthCheck => "Failed load-balancer health checks".into(),
            Self::ContainerHealthCheck => "Failed container health check".into(),
            Self::ImagePull(PullProblem::ImageMissing) => "Image or tag not found".into(),
            Self::ImagePull(PullProblem::RegistryAuth) => "Registry refused the pull".into(),
            Self::ImagePull(PullProblem::NoRoute) => "Registry unreachable".into(),
            Self::ImagePull(PullProblem::Other) => "Image pull failed".into(),
            Self::ResourceInit(InitProblem::Secrets) => "Secrets could not be read".into(),
            Self::ResourceInit(InitProblem::SsmParameters) => {
                "SSM parameters could not be read".into()
            }
            Self::ResourceInit(InitProblem::Eni) => "Network interface not attached".into(),
            Self::ResourceInit(InitProblem::LogGroup) => "Log group missing".into(),
            Self::ResourceInit(InitProblem::Other) => "Task resources not set up".into(),
            Self::SpotInterruption => "Spot interruption".into(),
            Self::Retired => "Retired by AWS".into(),
            Self::StoppedByUser => "Stopped by a user".into(),
            Self::GracefulStop => "Stopped on purpose".into(),
            Self::Unknown => "Stopped".into(),
        }
    }
}

/// A stopped task explained.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    /// The kind, for grouping.
    pub kind: StopKind,
    /// The container it concerns, where one does.
    pub container: Option<String>,
    /// One line: the kind with the facts that matter ("Out of memory: api, limit 512 MiB").
    pub title: String,
    /// What the evidence was, line by line (stop code, reasons, exit codes).
    pub evidence: Vec<String>,
    /// What to do about it; empty where nothing needs doing.
    pub fix: String,
}

/// Explains why `task` stopped.
pub fn diagnose(task: &Task, facts: &TaskFacts) -> Diagnosis {
    let evidence = evidence_of(task);
    let (kind, container) = classify(task, facts);
    let container_name = container.map(|c| c.name.clone());
    let title = title_of(kind, container, task, facts);
    let fix = fix_for(kind, container, task, facts);
    Diagnosis {
        kind,
        container: container_name,
        title,
        evidence,
        fix,
    }
}

/// The stop code, the reasons and the exit codes, as ECS gave them.
fn evidence_of(task: &Task) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(code) = &task.stop_code {
        lines.push(format!("stop code {code}"));
    }
    if let Some(reason) = &task.stopped_reason {
        lines.push(format!("stopped reason: {reason}"));
    }
    for c in &task.containers {
        let mut line = format!("container {}", c.name);
        if let Some(code) = c.exit_code {
            line.push_str(&format!(": exit code {code}"));
        }
        if let Some(reason) = &c.reason {
            line.push_str(&format!(" ({reason})"));
        }
        if c.health_status.as_deref() == Some("UNHEALTHY") {
            line.push_str(", UNHEALTHY");
        }
        if c.exit_code.is_some() || c.reason.is_some() {
            lines.push(line);
        }
    }
    lines
}

/// The kind, and the container it concerns: task-level reasons first (they name the cause
/// ECS acted on), then the containers' exit codes, then the stop code.
fn classify<'t>(task: &'t Task, facts: &TaskFacts) -> (StopKind, Option<&'t Container>) {
    let reason = task.stopped_reason.as_deref().unwrap_or("");
    let stop_code = task.stop_code.as_deref().unwrap_or("");
    let with_reason = |needle: &str| {
        task.containers
            .iter()
            .find(|c| c.reason.as_deref().is_some_and(|r| r.contains(needle)))
    };
    let mentions = |needle: &str| reason.contains(needle) || with_reason(needle).is_some();
    if mentions("CannotPullContainerError") || mentions("pull image manifest") {
        let text = with_reason("CannotPull")
            .and_then(|c| c.reason.as_deref())
            .unwrap_or(reason);
        return (
            StopKind::ImagePull(pull_problem(text)),
            with_reason("CannotPull"),
        );
    }
    if mentions("ResourceInitializationError") {
        let text = with_reason("ResourceInitializationError")
            .and_then(|c| c.reason.as_deref())
            .unwrap_or(reason);
        return match init_problem(text) {
            None => (StopKind::ImagePull(PullProblem::RegistryAuth), None),
            Some(problem) => (StopKind::ResourceInit(problem), None),
        };
    }
    if reason.contains("network interface provisioning") {
        return (StopKind::ResourceInit(InitProblem::Eni), None);
    }
    if stop_code == "SpotInterruption" || reason.contains("Spot Task was interrupted") {
        return (StopKind::SpotInterruption, None);
    }
    if let Some(c) = with_reason("OutOfMemory") {
        return (StopKind::OutOfMemory, Some(c));
    }
    if reason.contains("failed ELB health checks") {
        return (StopKind::LoadBalancerHealthCheck, None);
    }
    if reason.contains("failed container health checks") {
        let unhealthy = task
            .containers
            .iter()
            .find(|c| c.health_status.as_deref() == Some("UNHEALTHY"));
        return (StopKind::ContainerHealthCheck, unhealthy);
    }
    if let Some(found) = by_exit_code(task, facts) {
        return found;
    }
    let kind = match stop_code {
        "UserInitiated" => StopKind::StoppedByUser,
        "TerminationNotice" => StopKind::Retired,
        "ServiceSchedulerInitiated" => StopKind::GracefulStop,
        _ if reason.contains("Scaling activity initiated by") => StopKind::GracefulStop,
        _ if reason.contains("Task stopped by user") => StopKind::StoppedByUser,
        _ => StopKind::Unknown,
    };
    (kind, None)
}

/// What the containers' exit codes say: the essential container that exited first in
/// importance (a crash before a plain exit), or the graceful 143 of a stop.
fn by_exit_code<'t>(
    task: &'t Task,
    facts: &TaskFacts,
) -> Option<(StopKind, Option<&'t Container>)> {
    let essential =
        |c: &&Container| facts.essential.is_empty() || facts.essential.contains(&c.name);
    let exited: Vec<&Container> = task
        .containers
        .iter()
        .filter(essential)
        .filter(|c| c.exit_code.is_some())
        .collect();
    let stopping = matches!(
        task.stop_code.as_deref(),
        Some("UserInitiated" | "ServiceSchedulerInitiated" | "TerminationNotice")
    );
    let find = |code: i32| exited.iter().copied().find(|c| c.exit_code == Some(code));
    if let Some(c) = find(139) {
        return Some((StopKind::SegmentationFault, Some(c)));
    }
    if let Some(c) = find(137) {
        let kind = if stopping {
            StopKind::KilledAfterStopTimeout
        } else {
            StopKind::EssentialExit(137)
        };
        return Some((kind, Some(c)));
    }
    let essential_exit = task.stop_code.as_deref() == Some("EssentialContainerExited")
        || task
            .stopped_reason
            .as_deref()
            .is_some_and(|r| r.contains("Essential container in task exited"));
    if essential_exit
        && let Some(c) = exited
            .iter()
            .copied()
            .find(|c| !matches!(c.exit_code, Some(143)))
    {
        return Some((StopKind::EssentialExit(c.exit_code.unwrap_or(0)), Some(c)));
    }
    if let Some(c) = find(143) {
        let kind = match task.stop_code.as_deref() {
            Some("UserInitiated") => StopKind::StoppedByUser,
            Some("TerminationNotice") => StopKind::Retired,
            _ => StopKind::GracefulStop,
        };
        return Some((kind, Some(c)));
    }
    None
}

fn pull_problem(text: &str) -> PullProblem {
    let t = text.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| t.contains(n));
    if any(&[
        "not found",
        "manifest unknown",
        "does not exist",
        "repository does not exist",
    ]) {
        PullProblem::ImageMissing
    } else if any(&[
        "access denied",
        "accessdenied",
        "no basic auth credentials",
        "unauthorized",
        "403 forbidden",
        "not authorized",
        "authorization token",
    ]) {
        PullProblem::RegistryAuth
    } else if any(&[
        "i/o timeout",
        "dial tcp",
        "context deadline exceeded",
        "connection refused",
        "no route to host",
        "timeout",
        "request canceled",
    ]) {
        PullProblem::NoRoute
    } else {
        PullProblem::Other
    }
}

/// What a ResourceInitializationError names; `None`: the ECR registry auth, which is a pull
/// problem of the execution role.
fn init_problem(text: &str) -> Option<InitProblem> {
    // Every secrets and registry-auth failure starts with this prefix: it names neither.
    let t = text
        .to_ascii_lowercase()
        .replace("unable to pull secrets or registry auth", "");
    let any = |needles: &[&str]| needles.iter().any(|n| t.contains(n));
    Some(if any(&["from asm", "secretsmanager", "secrets manager"]) {
        InitProblem::Secrets
    } else if any(&["from ssm", "ssm:", "parameter"]) {
        InitProblem::SsmParameters
    } else if any(&["ecr registry auth", "ecr:getauthorizationtoken"]) {
        return None;
    } else if any(&["log group", "logger", "log stream"]) {
        InitProblem::LogGroup
    } else if any(&[
        "configure eni",
        " eni ",
        "eni attachment",
        "network interface",
    ]) {
        InitProblem::Eni
    } else {
        InitProblem::Other
    })
}

/// The title: the label with the facts that matter for this kind.
fn title_of(kind: StopKind, c: Option<&Container>, task: &Task, facts: &TaskFacts) -> String {
    let name = c.map(|c| c.name.as_str());
    let mut title = kind.label();
    match kind {
        StopKind::OutOfMemory => {
            let mut parts: Vec<String> = name.map(str::to_owned).into_iter().collect();
            if let Some(limit) = memory_limit(name, facts) {
                parts.push(format!("limit {limit} MiB"));
            }
            if let Some(peak) = facts.memory_peak_percent {
                parts.push(format!("peak {peak:.0} %"));
            }
            append(&mut title, &parts.join(", "));
        }
        StopKind::LoadBalancerHealthCheck => {
            let tg = task.stopped_reason.as_deref().and_then(target_group_of);
            append(&mut title, tg.as_deref().unwrap_or(""));
        }
        StopKind::ImagePull(_) => append(&mut title, c.map_or("", |c| c.image.as_str())),
        StopKind::Unknown => {
            let said = task.stopped_reason.as_deref().unwrap_or("no reason given");
            append(&mut title, said);
        }
        _ => append(&mut title, name.unwrap_or("")),
    }
    title
}

fn append(title: &mut String, detail: &str) {
    if !detail.is_empty() {
        title.push_str(": ");
        title.push_str(detail);
    }
}

fn memory_limit(container: Option<&str>, facts: &TaskFacts) -> Option<u32> {
    container
        .and_then(|name| facts.memory_limits_mib.iter().find(|(n, _)| n == name))
        .map(|(_, mib)| *mib)
        .or(facts.task_memory_mib)
}

/// The target group's name from "Task failed ELB health checks in (target-group arn:…/NAME/ID)".
pub fn target_group_of(reason: &str) -> Option<String> {
    let start = reason.find("target-group")? + "target-group".len();
    let arn = reason[start..]
        .trim_start()
        .trim_end_matches(')')
        .split([')', ' '])
        .next()?;
    let name = arn.split("targetgroup/").nth(1)?.split('/').next()?;
    Some(name.to_owned())
}

/// The fix a senior engineer would suggest, with this task's own numbers.
fn fix_for(kind: StopKind, c: Option<&Container>, task: &Task, facts: &TaskFacts) -> String {
    let name = c.map_or("the container", |c| c.name.as_str());
    match kind {
        StopKind::OutOfMemory => {
            let limit = memory_limit(c.map(|c| c.name.as_str()), facts)
                .map_or(String::new(), |mib| format!(" (now {mib} MiB)"));
            format!(
                "Raise {name}'s memory limit{limit} above its real peak, or find the leak: the \
                 kernel killed it. For a JVM keep the heap below the limit \
                 (-XX:MaxRAMPercentage=75)."
            )
        }
        StopKind::KilledAfterStopTimeout => {
            let secs = facts.stop_timeout_secs.unwrap_or(30);
            format!(
                "{name} did not exit within {secs} s of SIGTERM and was killed (not out of \
                 memory). Let the app handle SIGTERM (exec-form ENTRYPOINT so it is PID 1, or \
                 initProcessEnabled), or raise stopTimeout (at most 120 s)."
            )
        }
        StopKind::SegmentationFault => format!(
            "{name} crashed (SIGSEGV): check the image is built for the task's CPU \
             architecture and native libraries match; the last log lines show where."
        ),
        StopKind::EssentialExit(0) => format!(
            "{name} finished (exit code 0): a service's essential container must keep running; \
             check its command runs the server in the foreground."
        ),
        StopKind::EssentialExit(137) => format!(
            "{name} was killed (SIGKILL) without an out-of-memory report: look for a kill from \
             inside the container or the host, or a memory limit on a sidecar."
        ),
        StopKind::EssentialExit(code) => format!(
            "{name} exited with code {code} on its own: its last log lines say why (a missing \
             setting or variable, a dependency it could not reach)."
        ),
        StopKind::LoadBalancerHealthCheck => {
            let path = facts
                .health_check_path
                .as_deref()
                .map_or(String::new(), |p| format!(" {p}"));
            let grace = facts
                .grace_period_secs
                .map_or(String::new(), |s| format!(" (now {s} s)"));
            format!(
                "The target group's health check{path} did not get a healthy answer: check the \
                 path answers 200 on the container port and the security group lets the load \
                 balancer in; if the app starts slowly, raise the health-check grace \
                 period{grace}."
            )
        }
        StopKind::ContainerHealthCheck => {
            let command = c
                .and_then(|c| facts.health_checks.iter().find(|(n, _)| *n == c.name))
                .map_or(String::new(), |(_, cmd)| format!(" `{cmd}`"));
            format!(
                "{name}'s health check{command} failed: run it inside the image (is curl or wget \
                 there?), and raise startPeriod or retries if the app starts slowly."
            )
        }
        StopKind::ImagePull(problem) => pull_fix(problem, task),
        StopKind::ResourceInit(problem) => init_fix(problem),
        StopKind::SpotInterruption => "Fargate Spot took the capacity back (a two-minute \
             warning, not a fault of the app). Keep a FARGATE base in the capacity provider \
             strategy for services that must not lose tasks."
            .into(),
        StopKind::Retired => "AWS retired the task for platform maintenance; the service \
             starts a replacement. Nothing to fix."
            .into(),
        StopKind::StoppedByUser | StopKind::GracefulStop => String::new(),
        StopKind::Unknown => String::new(),
    }
}

fn pull_fix(problem: PullProblem, task: &Task) -> String {
    let image = task
        .containers
        .iter()
        .find(|c| c.reason.as_deref().is_some_and(|r| r.contains("Pull")))
        .map_or(String::from("the image"), |c| c.image.clone());
    match problem {
        PullProblem::ImageMissing => format!(
            "{image} does not exist in its registry: push that tag, or point the task \
             definition at one that exists."
        ),
        PullProblem::RegistryAuth => "The task execution role could not pull: give it \
             ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer \
             (AmazonECSTaskExecutionRolePolicy); for a private registry, set \
             repositoryCredentials to a secret it can read."
            .into(),
        PullProblem::NoRoute => "The task could not reach the registry: in private subnets add \
             a NAT gateway or the ECR VPC endpoints (ecr.api, ecr.dkr and the S3 gateway); in \
             public subnets assign a public IP."
            .into(),
        PullProblem::Other => "The image could not be pulled: the message above says why.".into(),
    }
}

fn init_fix(problem: InitProblem) -> String {
    match problem {
        InitProblem::Secrets => "The execution role could not read a secret: allow \
             secretsmanager:GetSecretValue on it (and kms:Decrypt for a customer key), check \
             the ARN, and in private subnets add the Secrets Manager VPC endpoint."
            .into(),
        InitProblem::SsmParameters => "The execution role could not read an SSM parameter: \
             allow ssm:GetParameters on it (and kms:Decrypt for a SecureString), check the \
             name, and in private subnets add the SSM VPC endpoint."
            .into(),
        InitProblem::Eni => "No network interface could be attached: the subnets may have no \
             free addresses, or the account reached its ENI quota."
            .into(),
        InitProblem::LogGroup => "The awslogs log group does not exist: create it, or set \
             awslogs-create-group to true (the execution role then needs \
             logs:CreateLogGroup)."
            .into(),
        InitProblem::Other => "The task's resources could not be set up: the message above \
             says which."
            .into(),
    }
}
