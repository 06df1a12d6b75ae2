//! Each ✖ of the preflight with its fix, from model-level facts (no AWS).

use super::*;
use crate::model::ErrorKind;
use crate::model::ecs::{Container, ManagedAgent};

fn ready_facts() -> ExecFacts {
    ExecFacts {
        task: Task {
            arn: "arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d".into(),
            launch_type: Some("FARGATE".into()),
            platform_version: Some("1.4.0".into()),
            platform_family: Some("Linux".into()),
            enable_execute_command: true,
            containers: vec![Container {
                name: "web".into(),
                managed_agents: vec![ManagedAgent {
                    name: "ExecuteCommandAgent".into(),
                    last_status: Some("RUNNING".into()),
                    reason: None,
                }],
                ..Container::default()
            }],
            ..Task::default()
        },
        container: "web".into(),
        service: Some(("checkout-api".into(), Some(true))),
        agent_version: None,
        cluster_config: Ok(None),
        plugin: PluginProbe::Found {
            path: "/usr/local/bin/session-manager-plugin".into(),
            version: "1.2.650.0".into(),
        },
        task_role: Ok(Some("arn:aws:iam::123456789012:role/checkout-task".into())),
        permissions: Some(Permissions::Simulated(
            SSM_MESSAGES_ACTIONS
                .iter()
                .map(|a| ((*a).to_owned(), true))
                .collect(),
        )),
    }
}

fn check<'a>(preflight: &'a Preflight, name: &str) -> &'a Check {
    preflight
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}"))
}

fn failed(facts: &ExecFacts, name: &str) -> Check {
    let preflight = Preflight::of(facts);
    assert!(!preflight.ready(), "{preflight:#?}");
    let check = check(&preflight, name).clone();
    assert_eq!(check.status, CheckStatus::Fail, "{check:#?}");
    assert!(check.fix.is_some(), "a ✖ always says how to fix it");
    check
}

fn denied() -> AwsError {
    AwsError {
        operation: "DescribeClusters".into(),
        code: "AccessDeniedException".into(),
        message: "not authorized".into(),
        request_id: Some("req-1".into()),
        kind: ErrorKind::AccessDenied,
    }
}

#[test]
fn a_task_with_everything_in_place_is_ready() {
    let preflight = Preflight::of(&ready_facts());
    assert!(preflight.ready(), "{preflight:#?}");
    assert_eq!(preflight.checks.len(), 6);
    assert!(
        preflight
            .checks
            .iter()
            .all(|c| c.status == CheckStatus::Pass)
    );
    assert_eq!(preflight.missing().count(), 0);
}

#[test]
fn a_service_without_exec_offers_to_enable_it() {
    let mut facts = ready_facts();
    facts.task.enable_execute_command = false;
    facts.task.containers[0].managed_agents.clear();
    facts.service = Some(("checkout-api".into(), Some(false)));
    let check = failed(&facts, "Exec enabled on the task");
    assert!(check.offers_enable);
    assert!(
        check.detail.contains("enableExecuteCommand off"),
        "{}",
        check.detail
    );
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("new deployment"))
    );
    let agent = failed(&facts, "ExecuteCommandAgent running");
    assert!(agent.detail.contains("exec is off"), "{}", agent.detail);
}

#[test]
fn a_task_older_than_the_switch_says_to_use_a_newer_one() {
    let mut facts = ready_facts();
    facts.task.enable_execute_command = false;
    let check = failed(&facts, "Exec enabled on the task");
    assert!(!check.offers_enable);
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("newest deployment"))
    );
    facts.service = None;
    let check = failed(&facts, "Exec enabled on the task");
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("--enable-execute-command"))
    );
}

#[test]
fn a_stopped_agent_names_its_reason_and_the_network_fix() {
    let mut facts = ready_facts();
    facts.task.containers[0].managed_agents[0].last_status = Some("STOPPED".into());
    facts.task.containers[0].managed_agents[0].reason = Some("Unable to reach ssmmessages".into());
    let check = failed(&facts, "ExecuteCommandAgent running");
    assert!(
        check
            .detail
            .contains("STOPPED in container web: Unable to reach")
    );
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("com.amazonaws.<region>.ssmmessages"))
    );
    facts.task.containers[0].managed_agents[0].last_status = Some("PENDING".into());
    assert!(
        failed(&facts, "ExecuteCommandAgent running")
            .fix
            .is_some_and(|f| f.contains("Wait"))
    );
    facts.container = "sidecar".into();
    assert!(
        failed(&facts, "ExecuteCommandAgent running")
            .detail
            .contains("no container sidecar")
    );
}

#[test]
fn an_old_platform_or_agent_is_named_with_the_version_needed() {
    let mut facts = ready_facts();
    facts.task.platform_version = Some("1.3.0".into());
    let check = failed(&facts, "Platform supports exec");
    assert!(
        check.detail.contains("1.3.0; ECS Exec needs 1.4.0"),
        "{}",
        check.detail
    );
    facts.task.platform_version = Some("LATEST".into());
    assert!(Preflight::of(&facts).ready());

    let mut facts = ready_facts();
    facts.task.launch_type = Some("EC2".into());
    facts.task.platform_version = None;
    facts.agent_version = Some(Ok("1.48.0".into()));
    let check = failed(&facts, "Platform supports exec");
    assert!(
        check
            .detail
            .contains("ECS agent 1.48.0; ECS Exec needs 1.50.2")
    );
    facts.agent_version = Some(Ok("1.89.1".into()));
    assert!(Preflight::of(&facts).ready());
    facts.agent_version = Some(Err(denied()));
    let preflight = Preflight::of(&facts);
    assert!(
        preflight.ready(),
        "an unknown version is skipped, not failed"
    );
    assert_eq!(
        check_status(&preflight, "Platform supports exec"),
        CheckStatus::Skipped
    );
}

fn check_status(preflight: &Preflight, name: &str) -> CheckStatus {
    check(preflight, name).status
}

#[test]
fn an_unreadable_cluster_shows_the_aws_error_and_a_kms_key_is_named() {
    let mut facts = ready_facts();
    facts.cluster_config = Err(denied());
    let unreadable = failed(&facts, "Cluster exec settings readable");
    assert!(
        unreadable.detail.contains("AccessDeniedException") && unreadable.detail.contains("req-1")
    );
    facts.cluster_config = Ok(Some(ExecConfig {
        kms_key_id: Some("alias/exec".into()),
        logging: Some("OVERRIDE".into()),
        log_group: Some("/ecs/exec".into()),
        s3_bucket: None,
    }));
    let judged = Preflight::of(&facts);
    let detail = &check(&judged, "Cluster exec settings readable").detail;
    assert!(detail.contains("KMS key alias/exec"), "{detail}");
    assert!(
        detail.contains("logging OVERRIDE → CloudWatch group /ecs/exec"),
        "{detail}"
    );
}

#[test]
fn a_missing_plugin_links_to_the_install_page_of_this_os() {
    let mut facts = ready_facts();
    facts.plugin = PluginProbe::Missing {
        looked_in: "PATH".into(),
    };
    let check = failed(&facts, "session-manager-plugin installed");
    assert_eq!(check.link, Some(install_url()));
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains(install_url()))
    );
    facts.plugin = PluginProbe::Broken {
        path: "/opt/smp".into(),
        why: "exit status 1".into(),
    };
    assert!(
        failed(&facts, "session-manager-plugin installed")
            .detail
            .contains("/opt/smp")
    );
}

#[test]
fn a_task_role_without_ssmmessages_gets_the_policy_to_add() {
    let mut facts = ready_facts();
    facts.permissions = Some(Permissions::Simulated(vec![
        ("ssmmessages:CreateControlChannel".into(), true),
        ("ssmmessages:CreateDataChannel".into(), false),
        ("ssmmessages:OpenControlChannel".into(), true),
        ("ssmmessages:OpenDataChannel".into(), false),
    ]));
    let check = failed(&facts, "Task role allows ssmmessages");
    assert!(
        check
            .detail
            .contains("denied ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel")
    );
    assert!(
        check
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("\"ssmmessages:OpenDataChannel\""))
    );
    facts.task_role = Ok(None);
    facts.permissions = None;
    assert!(
        failed(&facts, "Task role allows ssmmessages")
            .detail
            .contains("no task role")
    );
}

#[test]
fn a_caller_who_may_not_simulate_gets_a_note_not_a_failure() {
    let mut facts = ready_facts();
    facts.permissions = Some(Permissions::Skipped(
        "iam:SimulatePrincipalPolicy denied".into(),
    ));
    let preflight = Preflight::of(&facts);
    assert!(preflight.ready());
    let role = check(&preflight, "Task role allows ssmmessages");
    assert_eq!(role.status, CheckStatus::Skipped);
    assert!(
        role.detail
            .contains("not simulated (iam:SimulatePrincipalPolicy denied)")
    );
}
