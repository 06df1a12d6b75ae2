//! A fleet for the UI tests (model-level fixtures, no AWS): profiles `prod-admin` and
//! `sandbox` in us-east-1 and eu-west-1. prod-admin's us-east-1 has one service of each kind
//! of trouble; eu-west-1 one in alarm; sandbox's us-east-1 is healthy; its eu-west-1 fails
//! with an expired token.

use ecsdeck::model::fleet::load::FleetPart;
use ecsdeck::model::fleet::{FleetAlarm, FleetCluster, FleetDef, FleetMember, FleetService};
use ecsdeck::model::{AwsError, Connection, ErrorKind};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// The fixture fleet's name.
pub const FLEET: &str = "everything";

/// The saved fleet.
pub fn fleet() -> FleetDef {
    FleetDef {
        name: FLEET.into(),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        members: ["prod-admin", "sandbox"]
            .iter()
            .map(|p| FleetMember {
                profile: Some((*p).to_owned()),
                regions: Vec::new(),
            })
            .collect(),
    }
}

fn cluster(account: &str, region: &str, name: &str, instances: u32) -> FleetCluster {
    FleetCluster {
        arn: format!("arn:aws:ecs:{region}:{account}:cluster/{name}"),
        name: name.into(),
        status: "ACTIVE".into(),
        container_instances: instances,
        ..FleetCluster::default()
    }
}

fn service(cluster: &FleetCluster, name: &str, (running, desired): (i32, i32)) -> FleetService {
    let (prefix, _) = cluster.arn.split_once(":cluster/").unwrap_or_default();
    FleetService {
        arn: format!("{prefix}:service/{}/{name}", cluster.name),
        name: name.into(),
        cluster_arn: cluster.arn.clone(),
        status: "ACTIVE".into(),
        launch_type: Some("FARGATE".into()),
        desired,
        running,
        task_definition: format!("{prefix}:task-definition/{name}:12"),
        deployments: 1,
        rollout_state: Some("COMPLETED".into()),
        updated_at: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)),
        ..FleetService::default()
    }
}

fn image(account: &str, region: &str, repo: &str, tag: &str) -> String {
    format!("{account}.dkr.ecr.{region}.amazonaws.com/team/{repo}:{tag}")
}

/// prod-admin in us-east-1: down, rolling back, failing tasks, no capacity, and healthy.
fn prod_us() -> Vec<FleetPart> {
    let (account, region) = ("111111111111", "us-east-1");
    let prod = cluster(account, region, "prod", 0);
    let down = service(&prod, "checkout", (0, 3));
    let mut rolling = service(&prod, "payments", (4, 4));
    rolling.rollout_state = Some("IN_PROGRESS".into());
    rolling.rollout_reason =
        Some("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/77".into());
    rolling.deployments = 2;
    let mut failing = service(&prod, "search", (3, 4));
    failing.failed_tasks = 2;
    let mut batch = service(&prod, "batch", (1, 1));
    batch.launch_type = Some("EC2".into());
    let web = service(&prod, "web", (6, 6));
    let mut images = BTreeMap::new();
    for (s, repo, tag) in [
        (&down, "checkout", "5.0.1"),
        (&rolling, "payments", "3.2.0"),
        (&failing, "search", "1.9.4"),
        (&batch, "batch", "0.4.0"),
        (&web, "api", "2.4.0"),
    ] {
        images.insert(
            s.task_definition.clone(),
            vec![image(account, region, repo, tag)],
        );
    }
    vec![
        FleetPart::Clusters(vec![prod]),
        FleetPart::Services(vec![down, rolling, failing, batch, web]),
        FleetPart::Alarms(Vec::new()),
        FleetPart::Images(images),
        FleetPart::Done { calls: 6 },
    ]
}

/// prod-admin in eu-west-1: api (api:2.4.0 too) and web in alarm.
fn prod_eu() -> Vec<FleetPart> {
    let (account, region) = ("111111111111", "eu-west-1");
    let prod = cluster(account, region, "prod-eu", 2);
    let api = service(&prod, "api", (2, 2));
    let web = service(&prod, "web", (2, 2));
    let mut images = BTreeMap::new();
    images.insert(
        api.task_definition.clone(),
        vec![image(account, region, "api", "2.4.0")],
    );
    images.insert(
        web.task_definition.clone(),
        vec![image(account, region, "web", "7.1.0")],
    );
    vec![
        FleetPart::Clusters(vec![prod]),
        FleetPart::Services(vec![api, web]),
        FleetPart::Alarms(vec![FleetAlarm {
            name: "web-5xx".into(),
            cluster: Some("prod-eu".into()),
            service: Some("web".into()),
            reason: "Threshold Crossed: 1 datapoint [12.0] was greater than 5.0".into(),
        }]),
        FleetPart::Images(images),
        FleetPart::Done { calls: 5 },
    ]
}

/// sandbox in us-east-1: one healthy service on api:2.5.0.
fn sandbox_us() -> Vec<FleetPart> {
    let (account, region) = ("222222222222", "us-east-1");
    let playground = cluster(account, region, "playground", 0);
    let api = service(&playground, "api", (1, 1));
    let mut images = BTreeMap::new();
    images.insert(
        api.task_definition.clone(),
        vec![image(account, region, "api", "2.5.0")],
    );
    vec![
        FleetPart::Clusters(vec![playground]),
        FleetPart::Services(vec![api]),
        FleetPart::Alarms(Vec::new()),
        FleetPart::Images(images),
        FleetPart::Done { calls: 5 },
    ]
}

/// The parts each pair of `pairs` answers with, pair by pair.
pub fn parts(pairs: &[Connection]) -> Vec<(usize, FleetPart)> {
    let mut out = Vec::new();
    for (index, pair) in pairs.iter().enumerate() {
        let parts = match (pair.profile.as_deref(), pair.region.as_str()) {
            (Some("prod-admin"), "us-east-1") => prod_us(),
            (Some("prod-admin"), "eu-west-1") => prod_eu(),
            (Some("sandbox"), "us-east-1") => sandbox_us(),
            _ => vec![FleetPart::Failed(AwsError {
                operation: "ListClusters".into(),
                code: "ExpiredTokenException".into(),
                message: "The security token included in the request is expired".into(),
                request_id: Some("7e1f0c5a-2b3d-4c5e-8f90-a1b2c3d4e5f6".into()),
                kind: ErrorKind::Credentials,
            })],
        };
        out.extend(parts.into_iter().map(|p| (index, p)));
    }
    out
}
