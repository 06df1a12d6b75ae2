//! Service deployments against the project's emulator (moto's services, plus the deployment
//! engine of tests/support/deployments*.py on a clock the test moves): each strategy's stage
//! sequence as the app's model expects it, a pause hook continued and rolled back through
//! the app's own calls, an alarm that rolls back, the bake countdown, "what changed", and a
//! deployment-settings change that leaves everything else of a blue/green service as it was.

use crate::support;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{
    CanaryConfiguration, DeploymentAlarms, DeploymentCircuitBreaker, DeploymentConfiguration,
    DeploymentLifecycleHook, DeploymentLifecycleHookStage, DeploymentStrategy, LaunchType,
    LinearConfiguration,
};
use ecsdeck::aws::Ecs;
use ecsdeck::aws::change_gate::{ChangeGate, SharedRules};
use ecsdeck::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use ecsdeck::model::ecs::service_deployment::{ServiceDeploymentDetail, stage_track};
use ecsdeck::model::ecs::service_revision::image_changes;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::Emulator;

/// Seconds each ordinary stage lasts in these tests.
const STAGE_SECS: u64 = 10;

struct Rig {
    emulator: Emulator,
    client: Client,
    ecs: Ecs,
}

impl Rig {
    async fn start() -> Self {
        let emulator = Emulator::start();
        emulator.post("/_ecsdeck/deployments/clock", r#"{"mode":"manual"}"#);
        emulator.post(
            "/_ecsdeck/deployments/speed",
            &format!(r#"{{"stageSecs":{STAGE_SECS}}}"#),
        );
        let client = emulator.ecs_client();
        support::deployment_seed::cluster_with_two_revisions(&client).await;
        let ecs = Ecs::new(client.clone(), None)
            .with_gate(ChangeGate::new(SharedRules::allowing(), None));
        Self {
            emulator,
            client,
            ecs,
        }
    }

    /// The emulator's clock now.
    fn advance(&self, secs: u64) -> SystemTime {
        let response = self.emulator.post(
            "/_ecsdeck/deployments/clock",
            &format!(r#"{{"advanceSecs":{secs}}}"#),
        );
        let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(body).expect("clock json");
        UNIX_EPOCH + Duration::from_secs_f64(value["now"].as_f64().expect("now"))
    }

    async fn create(&self, name: &str, config: DeploymentConfiguration) {
        self.client
            .create_service()
            .cluster("prod")
            .service_name(name)
            .task_definition("web:1")
            .desired_count(2)
            .launch_type(LaunchType::Fargate)
            .deployment_configuration(config)
            .send()
            .await
            .expect("create service");
    }

    /// Deploys web:2 to `name`; the new deployment's ARN.
    async fn deploy(&self, name: &str) -> String {
        self.client
            .update_service()
            .cluster("prod")
            .service(name)
            .task_definition("web:2")
            .send()
            .await
            .expect("update service");
        let history = self
            .ecs
            .service_deployments("prod", name)
            .await
            .expect("history");
        history.first().expect("a deployment").arn.clone()
    }

    async fn describe(&self, arn: &str) -> ServiceDeploymentDetail {
        self.ecs.service_deployment(arn).await.expect("described")
    }

    /// Moves the clock in steps until `done` holds (10 simulated minutes at most); the
    /// distinct stages seen on the way, and the deployment at the end.
    async fn follow(
        &self,
        arn: &str,
        done: impl Fn(&ServiceDeploymentDetail) -> bool,
    ) -> (Vec<String>, ServiceDeploymentDetail) {
        let mut stages: Vec<String> = Vec::new();
        for _ in 0..400 {
            let detail = self.describe(arn).await;
            if let Some(stage) = &detail.lifecycle_stage
                && stages.last() != Some(stage)
            {
                stages.push(stage.clone());
            }
            if done(&detail) {
                return (stages, detail);
            }
            self.advance(STAGE_SECS / 2);
        }
        panic!("{arn} never got there; stages {stages:?}");
    }
}

fn config(
    strategy: DeploymentStrategy,
) -> aws_sdk_ecs::types::builders::DeploymentConfigurationBuilder {
    DeploymentConfiguration::builder()
        .strategy(strategy)
        .bake_time_in_minutes(1)
        .minimum_healthy_percent(100)
        .maximum_percent(200)
}

fn settled(d: &ServiceDeploymentDetail) -> bool {
    !d.is_active()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_strategy_passes_the_stages_the_cockpit_draws() {
    let rig = Rig::start().await;
    let strategies = [
        (
            "rolling",
            DeploymentStrategy::Rolling,
            config(DeploymentStrategy::Rolling).build(),
        ),
        (
            "bluegreen",
            DeploymentStrategy::BlueGreen,
            config(DeploymentStrategy::BlueGreen).build(),
        ),
        (
            "linear",
            DeploymentStrategy::Linear,
            config(DeploymentStrategy::Linear)
                .linear_configuration(
                    LinearConfiguration::builder()
                        .step_percent(50.0)
                        .step_bake_time_in_minutes(1)
                        .build(),
                )
                .build(),
        ),
        (
            "canary",
            DeploymentStrategy::Canary,
            config(DeploymentStrategy::Canary)
                .canary_configuration(
                    CanaryConfiguration::builder()
                        .canary_percent(10.0)
                        .canary_bake_time_in_minutes(1)
                        .build(),
                )
                .build(),
        ),
    ];
    for (name, strategy, config) in strategies {
        rig.create(name, config).await;
        let arn = rig.deploy(name).await;
        let (stages, end) = rig.follow(&arn, settled).await;
        assert_eq!(end.status, "SUCCESSFUL", "{name}");
        assert_eq!(
            end.stage_index(),
            Some(end.track().len()),
            "{name}: past the track"
        );
        assert_eq!(
            stages,
            stage_track(strategy.as_str()),
            "{name}: the stages ECS Deck draws are the stages the deployment passes"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn linear_and_canary_move_production_traffic_in_their_steps() {
    let rig = Rig::start().await;
    let linear = config(DeploymentStrategy::Linear)
        .linear_configuration(
            LinearConfiguration::builder()
                .step_percent(50.0)
                .step_bake_time_in_minutes(1)
                .build(),
        )
        .build();
    let canary = config(DeploymentStrategy::Canary)
        .canary_configuration(
            CanaryConfiguration::builder()
                .canary_percent(10.0)
                .canary_bake_time_in_minutes(1)
                .build(),
        )
        .build();
    for (name, config, expected) in [
        ("linear", linear, [0.0, 50.0, 100.0]),
        ("canary", canary, [0.0, 10.0, 100.0]),
    ] {
        rig.create(name, config).await;
        let arn = rig.deploy(name).await;
        let mut weights: Vec<f64> = Vec::new();
        for _ in 0..200 {
            let detail = rig.describe(&arn).await;
            if let Some(w) = detail.production_to_target()
                && weights.last() != Some(&w)
            {
                weights.push(w);
            }
            if settled(&detail) {
                break;
            }
            rig.advance(STAGE_SECS / 2);
        }
        assert_eq!(weights, expected, "{name}");
    }
}

fn paused(strategy: DeploymentStrategy) -> DeploymentConfiguration {
    config(strategy)
        .lifecycle_hooks(
            DeploymentLifecycleHook::builder()
                .target_type(aws_sdk_ecs::types::DeploymentLifecycleHookTargetType::Pause)
                .lifecycle_stages(DeploymentLifecycleHookStage::PostTestTrafficShift)
                .build(),
        )
        .build()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pause_hook_waits_then_continues_or_rolls_back() {
    let rig = Rig::start().await;
    for (name, roll_back) in [("go-on", false), ("go-back", true)] {
        rig.create(name, paused(DeploymentStrategy::BlueGreen))
            .await;
        let arn = rig.deploy(name).await;
        let (_, waiting) = rig
            .follow(&arn, |d| d.waiting_hooks().next().is_some())
            .await;
        assert_eq!(
            waiting.lifecycle_stage.as_deref(),
            Some("POST_TEST_TRAFFIC_SHIFT")
        );
        // It stays there however long nobody decides (within the hook's timeout).
        rig.advance(600);
        let still = rig.describe(&arn).await;
        assert_eq!(
            still.lifecycle_stage.as_deref(),
            Some("POST_TEST_TRAFFIC_SHIFT")
        );
        let hook = still
            .waiting_hooks()
            .next()
            .expect("waiting")
            .hook_id
            .clone();
        rig.ecs
            .continue_deployment(&arn, &hook, roll_back)
            .await
            .expect("continue");
        let (_, end) = rig.follow(&arn, settled).await;
        let service = rig
            .ecs
            .describe_service("prod", name)
            .await
            .expect("service");
        if roll_back {
            assert_eq!(end.status, "ROLLBACK_SUCCESSFUL");
            assert!(
                end.rollback
                    .as_ref()
                    .and_then(|r| r.reason.clone())
                    .is_some()
            );
            assert!(service.task_definition.ends_with("web:1"), "back on web:1");
        } else {
            assert_eq!(end.status, "SUCCESSFUL");
            assert!(service.task_definition.ends_with("web:2"));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_in_alarm_during_the_bake_rolls_the_deployment_back() {
    let rig = Rig::start().await;
    let cloudwatch = support::deployment_seed::alarm(&rig.emulator, "web-5xx", false).await;
    let alarms = DeploymentAlarms::builder()
        .alarm_names("web-5xx")
        .enable(true)
        .rollback(true)
        .build()
        .expect("alarms");
    rig.create(
        "watched",
        config(DeploymentStrategy::BlueGreen)
            .bake_time_in_minutes(2)
            .alarms(alarms)
            .build(),
    )
    .await;
    let arn = rig.deploy("watched").await;
    let (_, baking) = rig
        .follow(&arn, |d| d.lifecycle_stage.as_deref() == Some("BAKE_TIME"))
        .await;
    assert_eq!(
        baking.alarms.as_ref().map(|a| a.status.as_str()),
        Some("MONITORING")
    );
    // The bake counts down from when the stage began.
    let now = rig.advance(30);
    let left = rig
        .describe(&arn)
        .await
        .bake_remaining(now)
        .expect("baking");
    assert!(
        left <= Duration::from_secs(95) && left >= Duration::from_secs(85),
        "{left:?} left of 2 minutes after ~30 s"
    );
    support::deployment_seed::set_alarm(
        &cloudwatch,
        "web-5xx",
        aws_sdk_cloudwatch::types::StateValue::Alarm,
    )
    .await;
    let (_, end) = rig.follow(&arn, settled).await;
    assert_eq!(end.status, "ROLLBACK_SUCCESSFUL");
    let monitor = end.alarms.expect("alarms watched");
    assert_eq!(monitor.status, "TRIGGERED");
    assert_eq!(monitor.triggered, ["web-5xx"]);
    assert!(
        end.rollback
            .and_then(|r| r.reason)
            .is_some_and(|reason| reason.contains("web-5xx")),
        "the rollback names the alarm"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn what_changed_names_the_new_image_of_each_container() {
    let rig = Rig::start().await;
    rig.create("api", config(DeploymentStrategy::Rolling).build())
        .await;
    let arn = rig.deploy("api").await;
    let detail = rig.describe(&arn).await;
    let arns = vec![
        detail.sources.first().expect("source").arn.clone(),
        detail.target.as_ref().expect("target").arn.clone(),
    ];
    let revisions = rig.ecs.service_revisions(&arns).await.expect("revisions");
    assert!(revisions[0].task_definition.ends_with("web:1"));
    assert!(revisions[1].task_definition.ends_with("web:2"));
    let images = image_changes(&revisions[0], &revisions[1]);
    assert_eq!(images.len(), 1);
    let (container, before, after) = &images[0];
    assert_eq!(container, "web");
    assert!(
        before
            .as_ref()
            .is_some_and(|i| i.image.ends_with("web:1.0.0"))
    );
    assert!(after.as_ref().is_some_and(|i| {
        i.image.ends_with("web:1.1.0")
            && i.digest
                .as_deref()
                .is_some_and(|d| d.starts_with("sha256:"))
    }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_settings_change_keeps_everything_else_of_a_blue_green_service() {
    let rig = Rig::start().await;
    let described = paused(DeploymentStrategy::Linear);
    let mut original = described.clone();
    original.linear_configuration = Some(
        LinearConfiguration::builder()
            .step_percent(20.0)
            .step_bake_time_in_minutes(3)
            .build(),
    );
    original.alarms = Some(
        DeploymentAlarms::builder()
            .alarm_names("web-5xx")
            .enable(true)
            .rollback(true)
            .build()
            .expect("alarms"),
    );
    original.deployment_circuit_breaker = Some(
        DeploymentCircuitBreaker::builder()
            .enable(false)
            .rollback(false)
            .build(),
    );
    rig.create("web", original.clone()).await;
    let service = rig
        .ecs
        .describe_service("prod", "web")
        .await
        .expect("service");
    let before = service.deployment_config.clone();
    assert_eq!(
        before.strategy.as_deref(),
        Some("LINEAR"),
        "described as created"
    );
    let change = ServiceUpdate {
        deployment_config: Some(ecsdeck::model::ecs::DeploymentConfig {
            maximum_percent: Some(150),
            ..before.clone()
        }),
        ..ServiceUpdate::default()
    };
    rig.ecs
        .update_service("prod", "web", &change, &ServiceSnapshot::of(&service))
        .await
        .expect("updated");
    let after = rig
        .ecs
        .describe_service("prod", "web")
        .await
        .expect("service");
    assert_eq!(
        after.deployment_config,
        ecsdeck::model::ecs::DeploymentConfig {
            maximum_percent: Some(150),
            ..before
        },
        "strategy, linear steps, bake time, alarms, breaker and the pause hook are all still there"
    );
}

/// "Deploy image…" lists an ECR repository's tags newest first (DescribeImages against moto's
/// ECR); another region's registry is said to be out of reach rather than guessed at.
#[tokio::test(flavor = "multi_thread")]
async fn ecr_tags_come_newest_first_for_this_regions_registry() {
    let emulator = Emulator::start();
    let ecr = aws_sdk_ecr::Client::from_conf(
        aws_sdk_ecr::Config::builder()
            .behavior_version(aws_sdk_ecr::config::BehaviorVersion::latest())
            .region(aws_sdk_ecr::config::Region::new("us-east-1"))
            .endpoint_url(&emulator.endpoint)
            .credentials_provider(aws_sdk_ecr::config::Credentials::new(
                "AKIDTESTTESTTEST",
                "secret",
                None,
                None,
                "test",
            ))
            .build(),
    );
    ecr.create_repository()
        .repository_name("team/api")
        .send()
        .await
        .expect("repository");
    for tag in ["2.3.1", "2.4.0"] {
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"digest":"sha256:{tag}"}},"layers":[]}}"#
        );
        ecr.put_image()
            .repository_name("team/api")
            .image_tag(tag)
            .image_manifest(manifest)
            .send()
            .await
            .expect("image");
        std::thread::sleep(Duration::from_millis(1_100));
    }
    let ecs = Ecs::new(emulator.ecs_client(), None).with_ecr(ecr);
    let tags = ecs
        .image_tags("123456789012/us-east-1/team/api")
        .await
        .expect("tags");
    let names: Vec<&str> = tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(names, ["2.4.0", "2.3.1"], "newest push first");
    assert!(tags.iter().all(|t| t.pushed_at.is_some()));
    let elsewhere = ecs
        .image_tags("123456789012/eu-west-1/team/api")
        .await
        .expect_err("another region");
    assert!(elsewhere.message.contains("this region's registries only"));
}
