//! Every diagnosis rule on stop reasons worded as ECS words them (the AWS guide's stopped-task
//! error messages), and the rule that an unknown reason is shown as it is.

use super::diagnosis::{InitProblem, PullProblem, StopKind, TaskFacts, diagnose, target_group_of};
use crate::model::ecs::{Container, Task};

const ECR_IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-api:1.9.0";
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";

fn task(stop_code: Option<&str>, reason: &str, containers: Vec<Container>) -> Task {
    Task {
        last_status: "STOPPED".into(),
        stop_code: stop_code.map(str::to_owned),
        stopped_reason: Some(reason.into()),
        containers,
        ..Task::default()
    }
}

fn container(name: &str, exit_code: Option<i32>, reason: Option<&str>) -> Container {
    Container {
        name: name.into(),
        image: ECR_IMAGE.into(),
        exit_code,
        reason: reason.map(str::to_owned),
        ..Container::default()
    }
}

const ESSENTIAL: &str = "Essential container in task exited";

#[test]
fn out_of_memory_names_the_container_its_limit_and_the_peak() {
    let t = task(
        Some("EssentialContainerExited"),
        ESSENTIAL,
        vec![
            container(
                "api",
                Some(137),
                Some("OutOfMemoryError: Container killed due to memory usage"),
            ),
            container("envoy", Some(143), None),
        ],
    );
    let facts = TaskFacts {
        memory_limits_mib: vec![("api".into(), 512)],
        memory_peak_percent: Some(99.6),
        ..TaskFacts::default()
    };
    let d = diagnose(&t, &facts);
    assert_eq!(d.kind, StopKind::OutOfMemory);
    assert_eq!(d.title, "Out of memory: api, limit 512 MiB, peak 100 %");
    assert!(d.fix.contains("now 512 MiB"), "{}", d.fix);
    assert!(
        d.evidence
            .contains(&"stop code EssentialContainerExited".to_owned())
    );
    assert!(
        d.evidence
            .iter()
            .any(|l| l == "container api: exit code 137 (OutOfMemoryError: Container killed due to memory usage)")
    );
    assert!(d.kind.is_failure());
}

#[test]
fn exit_137_while_being_stopped_is_the_stop_timeout_not_memory() {
    let t = task(
        Some("ServiceSchedulerInitiated"),
        "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)",
        vec![container("worker", Some(137), None)],
    );
    let facts = TaskFacts {
        stop_timeout_secs: Some(30),
        ..TaskFacts::default()
    };
    let d = diagnose(&t, &facts);
    assert_eq!(d.kind, StopKind::KilledAfterStopTimeout);
    assert_eq!(d.title, "Killed after the stop timeout: worker");
    assert!(d.fix.contains("within 30 s of SIGTERM") && d.fix.contains("not out of memory"));
    // On its own, 137 without an OOM report is a kill, not memory.
    let alone = task(
        Some("EssentialContainerExited"),
        ESSENTIAL,
        vec![container("worker", Some(137), None)],
    );
    let d = diagnose(&alone, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::EssentialExit(137));
    assert!(d.fix.contains("without an out-of-memory report"));
}

#[test]
fn a_segfault_and_an_exit_code_are_named_by_container() {
    let segv = task(
        Some("EssentialContainerExited"),
        ESSENTIAL,
        vec![container("renderer", Some(139), None)],
    );
    let d = diagnose(&segv, &TaskFacts::default());
    assert_eq!(
        (d.kind, d.title.as_str()),
        (StopKind::SegmentationFault, "Segmentation fault: renderer")
    );
    assert!(d.fix.contains("architecture"));

    let exit = task(
        Some("EssentialContainerExited"),
        ESSENTIAL,
        vec![
            container("sidecar", Some(0), None),
            container("app", Some(1), None),
        ],
    );
    let facts = TaskFacts {
        essential: vec!["app".into()],
        ..TaskFacts::default()
    };
    let d = diagnose(&exit, &facts);
    assert_eq!(d.kind, StopKind::EssentialExit(1));
    assert_eq!(d.title, "Essential container exited with code 1: app");
    let zero = task(
        Some("EssentialContainerExited"),
        ESSENTIAL,
        vec![container("job", Some(0), None)],
    );
    let d = diagnose(&zero, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::EssentialExit(0));
    assert!(d.fix.contains("must keep running"));
}

#[test]
fn sigterm_from_a_deployment_is_a_planned_stop_not_a_failure() {
    let t = task(
        Some("ServiceSchedulerInitiated"),
        "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)",
        vec![container("api", Some(143), None)],
    );
    let d = diagnose(&t, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::GracefulStop);
    assert!(!d.kind.is_failure() && d.fix.is_empty());
}

#[test]
fn load_balancer_health_checks_name_the_target_group_path_and_grace_period() {
    let t = task(
        Some("ServiceSchedulerInitiated"),
        &format!("Task failed ELB health checks in (target-group {TG})"),
        vec![container("web", Some(143), None)],
    );
    let facts = TaskFacts {
        grace_period_secs: Some(0),
        health_check_path: Some("/healthz".into()),
        ..TaskFacts::default()
    };
    let d = diagnose(&t, &facts);
    assert_eq!(d.kind, StopKind::LoadBalancerHealthCheck);
    assert_eq!(d.title, "Failed load-balancer health checks: web-tg");
    assert!(
        d.fix.contains("/healthz") && d.fix.contains("(now 0 s)"),
        "{}",
        d.fix
    );
    assert_eq!(target_group_of("no group here"), None);
}

#[test]
fn a_container_health_check_shows_its_command() {
    let mut unhealthy = container("api", Some(143), None);
    unhealthy.health_status = Some("UNHEALTHY".into());
    let t = task(
        Some("ServiceSchedulerInitiated"),
        "Task failed container health checks",
        vec![unhealthy],
    );
    let facts = TaskFacts {
        health_checks: vec![(
            "api".into(),
            "CMD-SHELL curl -f http://localhost:8080/health || exit 1".into(),
        )],
        ..TaskFacts::default()
    };
    let d = diagnose(&t, &facts);
    assert_eq!(d.kind, StopKind::ContainerHealthCheck);
    assert_eq!(d.container.as_deref(), Some("api"));
    assert!(
        d.fix
            .contains("`CMD-SHELL curl -f http://localhost:8080/health || exit 1`")
    );
    assert!(d.evidence.iter().any(|l| l.ends_with("UNHEALTHY")));
}

#[test]
fn image_pulls_say_whether_the_tag_is_missing_the_auth_failed_or_the_registry_is_unreachable() {
    let cases = [
        (
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-api:1.9.0: not found",
            PullProblem::ImageMissing,
        ),
        (
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/acme/private:2: unexpected status from HEAD request: 403 Forbidden",
            PullProblem::RegistryAuth,
        ),
        (
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to do request: Head \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/checkout-api/manifests/1.9.0\": dial tcp 52.46.1.1:443: i/o timeout",
            PullProblem::NoRoute,
        ),
        (
            "CannotPullContainerError: something else entirely",
            PullProblem::Other,
        ),
    ];
    for (reason, problem) in cases {
        let t = task(
            Some("TaskFailedToStart"),
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
            vec![container("api", None, Some(reason))],
        );
        let d = diagnose(&t, &TaskFacts::default());
        assert_eq!(d.kind, StopKind::ImagePull(problem), "{reason}");
        assert!(!d.fix.is_empty());
    }
    let missing = task(
        Some("TaskFailedToStart"),
        "CannotPullContainerError",
        vec![container("api", None, Some(cases[0].0))],
    );
    let d = diagnose(&missing, &TaskFacts::default());
    assert_eq!(d.title, format!("Image or tag not found: {ECR_IMAGE}"));
    assert!(d.fix.starts_with(ECR_IMAGE));
}

#[test]
fn resource_initialisation_names_secrets_parameters_the_log_group_the_eni_or_registry_auth() {
    let cases = [
        (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: secretsmanager:GetSecretValue",
            StopKind::ResourceInit(InitProblem::Secrets),
        ),
        (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: not authorized to perform: ssm:GetParameters",
            StopKind::ResourceInit(InitProblem::SsmParameters),
        ),
        (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed",
            StopKind::ImagePull(PullProblem::RegistryAuth),
        ),
        (
            "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1",
            StopKind::ResourceInit(InitProblem::LogGroup),
        ),
        (
            "ResourceInitializationError: failed to configure ENI: no free addresses",
            StopKind::ResourceInit(InitProblem::Eni),
        ),
        (
            "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes",
            StopKind::ResourceInit(InitProblem::Other),
        ),
    ];
    for (reason, kind) in cases {
        let d = diagnose(
            &task(Some("TaskFailedToStart"), reason, vec![]),
            &TaskFacts::default(),
        );
        assert_eq!(d.kind, kind, "{reason}");
        assert!(!d.fix.is_empty());
    }
    let eni = task(
        Some("TaskFailedToStart"),
        "Timeout waiting for network interface provisioning to complete.",
        vec![],
    );
    assert_eq!(
        diagnose(&eni, &TaskFacts::default()).kind,
        StopKind::ResourceInit(InitProblem::Eni)
    );
}

#[test]
fn spot_users_and_retirement_are_not_failures() {
    let spot = task(
        Some("SpotInterruption"),
        "Your Spot Task was interrupted.",
        vec![container("api", Some(143), None)],
    );
    let d = diagnose(&spot, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::SpotInterruption);
    assert!(!d.kind.is_failure() && d.fix.contains("FARGATE base"));
    let user = task(
        Some("UserInitiated"),
        "rolling back bad config (alice)",
        vec![container("api", Some(143), None)],
    );
    let d = diagnose(&user, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::StoppedByUser);
    assert!(
        d.evidence
            .contains(&"stopped reason: rolling back bad config (alice)".to_owned())
    );
    let user_killed = task(
        Some("UserInitiated"),
        "Task stopped by user",
        vec![container("api", Some(137), None)],
    );
    assert_eq!(
        diagnose(&user_killed, &TaskFacts::default()).kind,
        StopKind::KilledAfterStopTimeout
    );
    let retired = task(
        Some("TerminationNotice"),
        "ECS is performing maintenance on the underlying infrastructure hosting the task",
        vec![],
    );
    assert_eq!(
        diagnose(&retired, &TaskFacts::default()).kind,
        StopKind::Retired
    );
}

#[test]
fn an_unknown_reason_is_shown_as_ecs_gave_it_never_guessed() {
    let t = task(
        None,
        "A reason no rule has heard of",
        vec![container("api", None, None)],
    );
    let d = diagnose(&t, &TaskFacts::default());
    assert_eq!(d.kind, StopKind::Unknown);
    assert_eq!(d.title, "Stopped: A reason no rule has heard of");
    assert!(d.fix.is_empty());
    let silent = Task {
        last_status: "STOPPED".into(),
        ..Task::default()
    };
    assert_eq!(
        diagnose(&silent, &TaskFacts::default()).title,
        "Stopped: no reason given"
    );
}
