//! A fleet in the emulator: two accounts (moto's default, and a second one whose keys are
//! made with IAM in that account, so moto maps every call with them to it), two regions, and
//! profiles for them, plus a profile whose credentials have expired and one whose credentials
//! take seconds to come (a pair that answers last).
//!
//! prod (account 123456789012): us-east-1 cluster `prod` (no container instances) with `web`
//! on team/api:2.4.0, `batch` on EC2 (no capacity) and `orders` with an alarm in ALARM;
//! eu-west-1 cluster `prod-eu` with `api` on team/api:2.4.0. staging (222222222222):
//! us-east-1 cluster `staging` with `web` on team/api:2.5.0; eu-west-1 nothing.

use super::Emulator;
use super::emulator::{TEST_KEY_ID, TEST_SECRET};
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType};
use ecsdeck::model::fleet::{FleetDef, FleetMember};

/// The second account.
pub const STAGING_ACCOUNT: &str = "222222222222";
/// moto's default account (the prod profile's).
pub const PROD_ACCOUNT: &str = "123456789012";
/// The image both prod services run.
pub const API_IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:2.4.0";

/// Keys of a new IAM user in `account`.
pub async fn account_keys(emulator: &Emulator, account: &str) -> (String, String) {
    let iam = super::exec_seed::iam_client(emulator);
    let account = account.to_owned();
    let in_account = move |req: &mut aws_smithy_runtime_api::http::Request| {
        req.headers_mut()
            .insert("x-moto-account-id", account.clone());
    };
    iam.create_user()
        .user_name("fleet-reader")
        .customize()
        .mutate_request(in_account.clone())
        .send()
        .await
        .expect("create user");
    let key = iam
        .create_access_key()
        .user_name("fleet-reader")
        .customize()
        .mutate_request(in_account)
        .send()
        .await
        .expect("create access key");
    let key = key.access_key().expect("key");
    (
        key.access_key_id().to_owned(),
        key.secret_access_key().to_owned(),
    )
}

/// An ECS client for `region` with these keys.
pub fn ecs_client(
    emulator: &Emulator,
    region: &str,
    (key, secret): (&str, &str),
) -> aws_sdk_ecs::Client {
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
        .region(aws_sdk_ecs::config::Region::new(region.to_owned()))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_ecs::config::Credentials::new(
            key, secret, None, None, "test",
        ))
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

/// `team/api:2.4.0` → `api`.
fn image_family(image: &str) -> String {
    ecsdeck::model::fleet::image_ref::ImageRef::parse(image)
        .name()
        .to_owned()
}

/// A cluster `name` with `services`: (name, image, launch type, desired).
pub async fn cluster_with(
    client: &aws_sdk_ecs::Client,
    name: &str,
    services: &[(&str, &str, LaunchType, i32)],
) -> String {
    let cluster = client
        .create_cluster()
        .cluster_name(name)
        .send()
        .await
        .expect("create cluster");
    let arn = cluster
        .cluster()
        .and_then(|c| c.cluster_arn())
        .expect("arn")
        .to_owned();
    // One family per image (its repository's name), registered once: services sharing an
    // image share a revision, as they would.
    let mut definitions: std::collections::HashMap<String, String> = Default::default();
    for (service, image, launch, desired) in services {
        if !definitions.contains_key(*image) {
            let family = image_family(image);
            let registered = client
                .register_task_definition()
                .family(&family)
                .container_definitions(
                    ContainerDefinition::builder()
                        .name(&family)
                        .image(*image)
                        .memory(256)
                        .essential(true)
                        .build(),
                )
                .send()
                .await
                .expect("register");
            let arn = registered
                .task_definition()
                .and_then(|t| t.task_definition_arn())
                .expect("arn")
                .to_owned();
            definitions.insert((*image).to_owned(), arn);
        }
        let definition = definitions[*image].clone();
        client
            .create_service()
            .cluster(name)
            .service_name(*service)
            .task_definition(definition)
            .desired_count(*desired)
            .launch_type(launch.clone())
            .send()
            .await
            .expect("create service");
    }
    arn
}

/// An alarm on `cluster`/`service`, in ALARM.
async fn firing_alarm(emulator: &Emulator, name: &str, cluster: &str, service: &str) {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, StateValue, Statistic};
    let cloudwatch = emulator.cloudwatch_client(ecsdeck::aws::change_gate::ChangeGate::new(
        ecsdeck::aws::change_gate::SharedRules::allowing(),
        None,
    ));
    let dimension = |n: &str, v: &str| Dimension::builder().name(n).value(v).build();
    cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .metric_name("CPUUtilization")
        .namespace("AWS/ECS")
        .dimensions(dimension("ClusterName", cluster))
        .dimensions(dimension("ServiceName", service))
        .statistic(Statistic::Average)
        .period(60)
        .evaluation_periods(1)
        .threshold(90.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("alarm");
    super::deployment_seed::set_alarm(&cloudwatch, name, StateValue::Alarm).await;
}

/// What `seed_fleet` made.
pub struct FleetSeeded {
    /// prod and staging in us-east-1 and eu-west-1, expired in us-east-1.
    pub fleet: FleetDef,
}

/// The fleet's profiles: `prod` (the default keys), `staging` (the second account's keys),
/// `expired` (a credential_process that fails) and `slow` (prod's keys once the file
/// [`slow_gate`] exists, or after a minute).
pub fn write_profiles(emulator: &Emulator, staging: (&str, &str)) {
    let gate = slow_gate(emulator);
    let gate = gate.display();
    let (key, secret) = staging;
    let config = format!(
        "[default]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n\
         [profile staging]\nregion = us-east-1\n\
         [profile expired]\nregion = us-east-1\ncredential_process = sh -c 'echo Token has expired and refresh failed >&2; exit 1'\n\
         [profile slow]\nregion = us-east-1\ncredential_process = sh -c 'i=0; while [ ! -e {gate} ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; printf \"{{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"{TEST_KEY_ID}\\\", \\\"SecretAccessKey\\\": \\\"{TEST_SECRET}\\\"}}\"'\n"
    );
    let credentials = format!(
        "[default]\naws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n\
         [prod]\naws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n\
         [staging]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"
    );
    emulator.write_profile_files(&config, &credentials);
}

/// The file whose creation lets the `slow` profile's credentials come.
pub fn slow_gate(emulator: &Emulator) -> std::path::PathBuf {
    std::fs::create_dir_all(emulator.home()).expect("home");
    emulator.home().join("slow-credentials-gate")
}

/// Seeds the fleet described above.
pub async fn seed_fleet(emulator: &Emulator) -> FleetSeeded {
    let staging = account_keys(emulator, STAGING_ACCOUNT).await;
    write_profiles(emulator, (&staging.0, &staging.1));
    let prod = (TEST_KEY_ID, TEST_SECRET);
    let eu_api = API_IMAGE.replace("us-east-1", "eu-west-1");
    cluster_with(
        &ecs_client(emulator, "us-east-1", prod),
        "prod",
        &[
            ("web", API_IMAGE, LaunchType::Fargate, 2),
            ("batch", "batch:0.4.0", LaunchType::Ec2, 1),
            ("orders", "orders:1.0.0", LaunchType::Fargate, 1),
        ],
    )
    .await;
    firing_alarm(emulator, "orders-cpu-high", "prod", "orders").await;
    cluster_with(
        &ecs_client(emulator, "eu-west-1", prod),
        "prod-eu",
        &[("api", &eu_api, LaunchType::Fargate, 2)],
    )
    .await;
    let staging_image = "222222222222.dkr.ecr.us-east-1.amazonaws.com/team/api:2.5.0";
    cluster_with(
        &ecs_client(emulator, "us-east-1", (&staging.0, &staging.1)),
        "staging",
        &[("web", staging_image, LaunchType::Fargate, 1)],
    )
    .await;
    let member = |profile: &str, regions: &[&str]| FleetMember {
        profile: Some(profile.to_owned()),
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
    };
    FleetSeeded {
        fleet: FleetDef {
            name: "all".into(),
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            members: vec![
                member("prod", &[]),
                member("staging", &[]),
                member("expired", &["us-east-1"]),
            ],
        },
    }
}
