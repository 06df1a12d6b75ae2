//! `ecsdeck deployment-config` and `deploy --wait / --wait-until` against the emulator (moto's
//! services with the project's deployment engine on the real clock, its stages sped up to a
//! fraction of a second): the configuration printed and changed field by field with the rest
//! carried forward, ECS's limits checked before anything is sent, and the exit codes of
//! waiting — success, rollback, timeout, a stage reached.

use crate::support;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{
    DeploymentAlarms, DeploymentConfiguration, DeploymentLifecycleHook,
    DeploymentLifecycleHookStage, DeploymentLifecycleHookTargetType, DeploymentStrategy,
    LaunchType, LoadBalancer,
};
use std::process::Output;
use support::Emulator;

const TARGET_GROUP: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/0123456789abcdef";

fn run(emulator: &Emulator, args: &[&str]) -> Output {
    emulator.ecsdeck(args).output().expect("run ecsdeck")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn setup(emulator: &Emulator) -> Client {
    let client = emulator.ecs_client();
    support::deployment_seed::cluster_with_two_revisions(&client).await;
    client
}

async fn create(client: &Client, name: &str, config: DeploymentConfiguration, lb: bool) {
    let mut request = client
        .create_service()
        .cluster("prod")
        .service_name(name)
        .task_definition("web:1")
        .desired_count(2)
        .launch_type(LaunchType::Ec2)
        .deployment_configuration(config);
    if lb {
        request = request.load_balancers(
            LoadBalancer::builder()
                .target_group_arn(TARGET_GROUP)
                .container_name("web")
                .container_port(8080)
                .build(),
        );
    }
    request.send().await.expect("create service");
}

fn pause_hook() -> DeploymentLifecycleHook {
    DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .lifecycle_stages(DeploymentLifecycleHookStage::PostTestTrafficShift)
        .build()
}

fn alarms(rollback: bool) -> DeploymentAlarms {
    DeploymentAlarms::builder()
        .alarm_names("web-5xx")
        .enable(true)
        .rollback(rollback)
        .build()
        .expect("alarms")
}

fn blue_green() -> DeploymentConfiguration {
    DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::BlueGreen)
        .bake_time_in_minutes(15)
        .minimum_healthy_percent(100)
        .maximum_percent(200)
        .alarms(alarms(true))
        .lifecycle_hooks(pause_hook())
        .build()
}

async fn described(client: &Client, name: &str) -> DeploymentConfiguration {
    client
        .describe_services()
        .cluster("prod")
        .services(name)
        .send()
        .await
        .expect("describe")
        .services()[0]
        .deployment_configuration()
        .cloned()
        .expect("a configuration")
}

#[tokio::test(flavor = "multi_thread")]
async fn deployment_config_prints_and_changes_only_the_fields_named() {
    let emulator = Emulator::start();
    let client = setup(&emulator).await;
    create(&client, "api", blue_green(), true).await;
    let base = ["deployment-config", "--cluster", "prod", "--service", "api"];

    let shown = run(&emulator, &base);
    assert!(shown.status.success(), "{}", text(&shown));
    let shown = text(&shown);
    for line in [
        "Strategy         Blue/green: all traffic at once",
        "Bake time        15 minutes",
        "Alarms           web-5xx (roll back when one fires)",
        "Lifecycle hook   pause at Post test traffic shift",
    ] {
        assert!(shown.contains(line), "{line} in\n{shown}");
    }
    let json = run(&emulator, &[&base[..], &["--output", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(json["deploymentConfiguration"]["strategy"], "BLUE_GREEN");
    assert_eq!(
        json["deploymentConfiguration"]["lifecycleHooks"][0]["targetType"],
        "PAUSE"
    );

    let changed = run(
        &emulator,
        &[
            &base[..],
            &[
                "--strategy",
                "canary",
                "--canary-percent",
                "10",
                "--canary-bake-minutes",
                "5",
            ],
            &["--yes"],
        ]
        .concat(),
    );
    let out = text(&changed);
    assert!(changed.status.success(), "{out}");
    assert!(
        out.contains("Strategy: Blue/green: all traffic at once → Canary: 10 % first, the rest after 5 minutes"),
        "{out}"
    );
    assert!(out.contains("Equivalent: aws ecs update-service"), "{out}");
    let after = described(&client, "api").await;
    let mut expected = blue_green();
    expected.strategy = Some(DeploymentStrategy::Canary);
    expected.canary_configuration = Some(
        aws_sdk_ecs::types::CanaryConfiguration::builder()
            .canary_percent(10.0)
            .canary_bake_time_in_minutes(5)
            .build(),
    );
    // The circuit breaker was not in the original request; it stays absent.
    assert_eq!(after, expected, "everything not named is carried forward");
}

#[tokio::test(flavor = "multi_thread")]
async fn deployment_config_refuses_what_ecs_would_reject_before_sending() {
    let emulator = Emulator::start();
    let client = setup(&emulator).await;
    create(&client, "api", blue_green(), true).await;
    create(
        &client,
        "worker",
        DeploymentConfiguration::builder().build(),
        false,
    )
    .await;
    let bad_step = run(
        &emulator,
        &[
            "deployment-config",
            "--cluster",
            "prod",
            "--service",
            "api",
            "--strategy",
            "linear",
            "--step-percent",
            "2",
            "--yes",
        ],
    );
    assert_eq!(bad_step.status.code(), Some(1), "{}", text(&bad_step));
    assert!(text(&bad_step).contains("linear step must be 3–100 % of traffic"));
    assert_eq!(
        described(&client, "api").await,
        blue_green(),
        "nothing was sent"
    );
    let no_lb = run(
        &emulator,
        &[
            "deployment-config",
            "--cluster",
            "prod",
            "--service",
            "worker",
            "--strategy",
            "blue-green",
            "--yes",
        ],
    );
    assert_eq!(no_lb.status.code(), Some(1));
    assert!(
        text(&no_lb).contains("the service needs a load balancer or Service Connect"),
        "{}",
        text(&no_lb)
    );
}

fn deploy_args<'a>(service: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "deploy",
        "--cluster",
        "prod",
        "--service",
        service,
        "--revision",
        "web:2",
        "--yes",
        "--poll-secs",
        "0.1",
    ];
    args.extend_from_slice(extra);
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_wait_prints_each_stage_and_exits_by_the_outcome() {
    let emulator = Emulator::start();
    emulator.post("/_ecsdeck/deployments/speed", r#"{"stageSecs":0.3}"#);
    let client = setup(&emulator).await;
    let rolling = DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::Rolling)
        .build();
    create(&client, "rolling", rolling, false).await;
    create(&client, "paused", blue_green(), true).await;
    create(&client, "stuck", blue_green(), true).await;

    // Success: every stage in order, exit 0.
    let out = run(
        &emulator,
        &deploy_args("rolling", &["--wait", "--timeout-secs", "60"]),
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    let stages: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("stage: "))
        .collect();
    assert_eq!(
        stages,
        [
            "Pre scale up (PRE_SCALE_UP)",
            "Scale up (SCALE_UP)",
            "Post scale up (POST_SCALE_UP)",
            "Production traffic shift (PRODUCTION_TRAFFIC_SHIFT)",
            "Post production traffic shift (POST_PRODUCTION_TRAFFIC_SHIFT)",
            "Clean up (CLEAN_UP)"
        ],
        "{printed}"
    );
    assert!(printed.contains("Deployment succeeded."));

    // --wait-until: exit 0 once the stage is reached, while the deployment waits at its hook.
    let out = run(
        &emulator,
        &deploy_args(
            "paused",
            &[
                "--wait-until",
                "post-test-traffic-shift",
                "--timeout-secs",
                "60",
            ],
        ),
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("Reached POST_TEST_TRAFFIC_SHIFT"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "waiting at a pause hook; continue with: aws ecs continue-service-deployment"
        ),
        "{printed}"
    );

    // Timeout: the hook holds the deployment, --wait gives up with exit 2.
    let out = run(
        &emulator,
        &deploy_args("stuck", &["--wait", "--timeout-secs", "4"]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Still IN_PROGRESS after 4 s"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_wait_exits_1_when_an_alarm_rolls_the_deployment_back() {
    let emulator = Emulator::start();
    emulator.post("/_ecsdeck/deployments/speed", r#"{"stageSecs":0.3}"#);
    let client = setup(&emulator).await;
    support::deployment_seed::alarm(&emulator, "web-5xx", true).await;
    let watched = DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::BlueGreen)
        .alarms(alarms(true))
        .build();
    create(&client, "watched", watched, true).await;
    let out = run(
        &emulator,
        &deploy_args("watched", &["--wait", "--timeout-secs", "60"]),
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(printed.contains("Deployment ROLLBACK_"), "{printed}");
    assert!(
        printed.contains("web-5xx"),
        "the reason names the alarm: {printed}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_image_registers_a_revision_with_only_that_image_changed_and_deploys_it() {
    let emulator = Emulator::start();
    emulator.post("/_ecsdeck/deployments/speed", r#"{"stageSecs":0.2}"#);
    let client = setup(&emulator).await;
    let rolling = DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::Rolling)
        .build();
    create(&client, "api", rolling, false).await;
    let base = ["deploy", "--cluster", "prod", "--service", "api", "--yes"];

    let out = run(
        &emulator,
        &[
            &base[..],
            &[
                "--image",
                "web=registry.example.com/web:2.0.0",
                "--wait",
                "--poll-secs",
                "0.1",
            ],
        ]
        .concat(),
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("2.0.0"),
        "the diff names the new image: {printed}"
    );
    assert!(printed.contains("Registered web:3."), "{printed}");
    assert!(printed.contains("Deployment succeeded."), "{printed}");
    let service = client
        .describe_services()
        .cluster("prod")
        .services("api")
        .send()
        .await
        .expect("describe");
    assert!(
        service.services()[0]
            .task_definition()
            .is_some_and(|td| td.ends_with("web:3"))
    );
    let registered = client
        .describe_task_definition()
        .task_definition("web:3")
        .send()
        .await
        .expect("web:3");
    let container = &registered
        .task_definition()
        .expect("td")
        .container_definitions()[0];
    assert_eq!(container.image(), Some("registry.example.com/web:2.0.0"));
    assert_eq!(
        container.memory(),
        Some(256),
        "the rest is the running revision's"
    );

    let unknown = run(
        &emulator,
        &[&base[..], &["--image", "sidecar=x:1"]].concat(),
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown).contains("web has no container sidecar; its containers: web"),
        "{}",
        text(&unknown)
    );
    let both = run(
        &emulator,
        &[&base[..], &["--revision", "web:2", "--image", "web=x:1"]].concat(),
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "clap refuses both: {}",
        text(&both)
    );
}
