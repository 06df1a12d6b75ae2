//! The fleet's model (no AWS): pairs of a saved fleet, rows ranked by what needs attention,
//! the search across fields and images, and parts streaming into a load.

use super::attention::Concern;
use super::load::{FleetLoad, FleetPart, PairStatus};
use super::search::FleetQuery;
use super::*;
use crate::model::{AwsError, RequestId};
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn fleet() -> FleetDef {
    FleetDef {
        name: "all".into(),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        members: vec![
            FleetMember {
                profile: Some("prod".into()),
                regions: Vec::new(),
            },
            FleetMember {
                profile: Some("staging".into()),
                regions: vec!["eu-west-1".into(), " ".into()],
            },
            FleetMember {
                profile: Some("prod".into()),
                regions: vec!["us-east-1".into()],
            },
        ],
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

fn service(cluster: &FleetCluster, name: &str, running: i32, desired: i32) -> FleetService {
    let (prefix, _) = cluster.arn.split_once(":cluster/").unwrap();
    FleetService {
        arn: format!("{prefix}:service/{}/{name}", cluster.name),
        name: name.into(),
        cluster_arn: cluster.arn.clone(),
        status: "ACTIVE".into(),
        launch_type: Some("FARGATE".into()),
        desired,
        running,
        task_definition: format!("{prefix}:task-definition/{name}:7"),
        deployments: 1,
        rollout_state: Some("COMPLETED".into()),
        ..FleetService::default()
    }
}

fn pair(profile: &str, region: &str) -> Connection {
    Connection {
        profile: Some(profile.into()),
        region: region.into(),
        endpoint_url: None,
    }
}

/// Two pairs: prod in us-east-1 (four services, three unwell) and staging in eu-west-1.
fn load() -> FleetLoad {
    let mut load = FleetLoad::new(
        RequestId(1),
        "all".into(),
        vec![pair("prod", "us-east-1"), pair("staging", "eu-west-1")],
        t(0),
    );
    let prod = cluster("111111111111", "us-east-1", "prod", 0);
    let mut web = service(&prod, "web", 2, 4);
    web.failed_tasks = 3;
    let down = service(&prod, "api", 0, 2);
    let mut rolling = service(&prod, "billing", 3, 3);
    rolling.rollout_state = Some("IN_PROGRESS".into());
    rolling.rollout_reason =
        Some("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1".into());
    let mut ec2 = service(&prod, "batch", 1, 1);
    ec2.launch_type = Some("EC2".into());
    let fine = service(&prod, "cron", 1, 1);
    load.apply(0, FleetPart::Clusters(vec![prod.clone()]), t(1));
    load.apply(
        0,
        FleetPart::Services(vec![web, down, rolling, ec2, fine]),
        t(1),
    );
    let staging = cluster("222222222222", "eu-west-1", "staging", 2);
    let alarmed = service(&staging, "web", 2, 2);
    load.apply(1, FleetPart::Clusters(vec![staging]), t(2));
    load.apply(1, FleetPart::Services(vec![alarmed]), t(2));
    load.apply(
        1,
        FleetPart::Alarms(vec![FleetAlarm {
            name: "web-5xx".into(),
            cluster: Some("staging".into()),
            service: Some("web".into()),
            reason: "Threshold crossed".into(),
        }]),
        t(2),
    );
    load.rank();
    load
}

fn names(load: &FleetLoad) -> Vec<String> {
    load.rows
        .iter()
        .map(|row| {
            let (_, service) = load.service(row).unwrap();
            format!("{}/{}", service.cluster_name(), service.name)
        })
        .collect()
}

#[test]
fn a_fleet_is_each_profile_in_its_regions_once() {
    let pairs = fleet().pairs(Some("http://127.0.0.1:5000"));
    let labels: Vec<String> = pairs
        .iter()
        .map(|p| format!("{}@{}", p.profile.as_deref().unwrap(), p.region))
        .collect();
    assert_eq!(
        labels,
        ["prod@us-east-1", "prod@eu-west-1", "staging@eu-west-1"]
    );
    assert!(
        pairs
            .iter()
            .all(|p| p.endpoint_url.as_deref() == Some("http://127.0.0.1:5000"))
    );
    let cli = FleetDef::of_lists(&[], &["us-east-1".into()]);
    assert_eq!(
        cli.pairs(None),
        [Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: None,
        }]
    );
}

#[test]
fn rows_rank_what_needs_attention_first() {
    let load = load();
    assert_eq!(
        names(&load),
        [
            "prod/api",
            "prod/billing",
            "prod/web",
            "staging/web",
            "prod/batch",
            "prod/cron"
        ]
    );
    let concerns: Vec<String> = load.rows.iter().map(|r| r.summary()).collect();
    assert_eq!(concerns[0], "down: 0 of 2 running");
    assert_eq!(concerns[1], "rolling back");
    assert_eq!(concerns[2], "3 tasks failed to start; 2 of 4 running");
    assert_eq!(concerns[3], "in alarm: web-5xx");
    assert_eq!(
        load.rows[4].concerns,
        [Concern::NoCapacity],
        "EC2 tasks in a cluster with no instances"
    );
    assert!(load.rows[5].concerns.is_empty());
    assert_eq!(load.unhealthy(), 5);
}

#[test]
fn parts_stream_into_their_pair_and_a_failure_keeps_the_rest() {
    let mut load = load();
    assert!(!load.finished());
    let version = load.version;
    load.apply(0, FleetPart::Done { calls: 6 }, t(3));
    load.apply(
        1,
        FleetPart::Failed(AwsError::internal("DescribeAlarms", "denied")),
        t(3),
    );
    assert!(load.finished());
    assert_eq!(load.version, version, "not ranked until asked");
    load.rank();
    assert!(load.version > version);
    assert_eq!(load.pairs[0].status, PairStatus::Loaded);
    assert_eq!(load.pairs[0].calls, Some(6));
    assert!(matches!(load.pairs[1].status, PairStatus::Failed(_)));
    assert_eq!(load.pairs[1].services.len(), 1, "what was read stays");
    assert_eq!(load.pairs[1].account(), Some("222222222222"));
    assert_eq!(load.pairs[1].label(), "staging · eu-west-1");
    // A part for a pair that is not there changes nothing.
    load.apply(9, FleetPart::Done { calls: 1 }, t(4));
    assert_eq!(load.rows.len(), 6);
}

#[test]
fn a_search_asks_every_field_or_one_and_finds_where_an_image_runs() {
    let mut load = load();
    let mut images = BTreeMap::new();
    images.insert(
        load.pairs[0].services[0].task_definition.clone(),
        vec!["111111111111.dkr.ecr.us-east-1.amazonaws.com/team/api:2.4.0".to_owned()],
    );
    load.apply(0, FleetPart::Images(images), t(5));
    let found = |text: &str| -> Vec<String> {
        let query = FleetQuery::parse(text);
        load.rows
            .iter()
            .filter_map(|row| {
                let (pair, service) = load.service(row)?;
                query
                    .matches(pair, service)
                    .then(|| format!("{}/{}", service.cluster_name(), service.name))
            })
            .collect()
    };
    assert_eq!(found("api:2.4.0"), ["prod/web"]);
    assert_eq!(found("image:team/api"), ["prod/web"]);
    assert!(found("image:api:2.5").is_empty());
    assert_eq!(found("web"), ["prod/web", "staging/web"]);
    assert_eq!(found("service:web region:eu"), ["staging/web"]);
    assert_eq!(found("cluster:STAGING"), ["staging/web"]);
    assert_eq!(found("family:billing"), ["prod/billing"]);
    assert_eq!(found("launch:ec2"), ["prod/batch"]);
    assert_eq!(found("account:2222"), ["staging/web"]);
    assert_eq!(found("profile:prod cron"), ["prod/cron"]);
    assert_eq!(found("").len(), 6);
    assert!(FleetQuery::parse("  service: ").is_empty());
    assert!(FleetQuery::parse("api:2.4.0").asks_images());
    assert!(!FleetQuery::parse("cluster:prod").asks_images());
}

#[test]
fn a_service_row_names_its_family_and_cluster() {
    let load = load();
    let service = &load.pairs[0].services[0];
    assert_eq!(service.family_revision(), "web:7");
    assert_eq!(service.family(), "web");
    assert_eq!(service.cluster_name(), "prod");
    assert_eq!(account_of(&service.arn), Some("111111111111"));
    assert_eq!(service.capacity_label(), "FARGATE");
}

#[test]
fn a_row_in_a_window_of_its_own_names_its_place_and_no_secret() {
    let mut load = load();
    load.pairs[1].connection.endpoint_url = Some("http://user:pw@127.0.0.1:5000".into());
    let args = super::window::window_arguments(&load, 1, 0, true).unwrap();
    assert_eq!(
        args,
        [
            "--profile",
            "staging",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "http://127.0.0.1:5000",
            "--open-cluster",
            "arn:aws:ecs:eu-west-1:222222222222:cluster/staging",
            "--open-service",
            "arn:aws:ecs:eu-west-1:222222222222:service/staging/web",
            "--transient",
            "--read-only",
        ]
    );
    assert!(super::window::window_arguments(&load, 1, 9, false).is_none());
    assert!(super::window::window_arguments(&load, 7, 0, false).is_none());
}

#[test]
fn a_first_fleet_is_every_profile_in_the_regions_they_name() {
    use crate::model::connection::profiles::{CredentialSource, ProfileInfo};
    let profile = |name: &str, region: Option<&str>| ProfileInfo {
        name: name.into(),
        region: region.map(str::to_owned),
        source: CredentialSource::Static,
    };
    let profiles = [
        profile("demo", Some("us-east-1")),
        profile("demo-staging", Some("eu-west-1")),
        profile("old", None),
    ];
    let here = pair("demo", "us-east-1");
    let fleet = FleetDef::of_profiles("All profiles", &profiles, &here);
    assert_eq!(fleet.regions, ["us-east-1", "eu-west-1"]);
    assert_eq!(fleet.pairs(None).len(), 6);
    let alone = FleetDef::of_profiles("All profiles", &[], &here);
    assert_eq!(alone.pairs(None), [here]);
}

#[test]
fn while_parts_stream_in_the_rows_are_ranked_at_most_every_interval() {
    use super::load::RANK_INTERVAL;
    let mut load = FleetLoad::new(
        RequestId(1),
        "all".into(),
        vec![pair("prod", "us-east-1"), pair("staging", "eu-west-1")],
        t(0),
    );
    let prod = cluster("111111111111", "us-east-1", "prod", 1);
    load.apply(0, FleetPart::Clusters(vec![prod.clone()]), t(0));
    load.rank_due(t(0));
    assert_eq!(load.version, 1, "the first part is ranked at once");
    load.apply(
        0,
        FleetPart::Services(vec![service(&prod, "web", 1, 1)]),
        t(0),
    );
    load.rank_due(t(0) + RANK_INTERVAL / 2);
    assert!(load.rows.is_empty() && load.unranked, "too soon");
    load.rank_due(t(0) + RANK_INTERVAL);
    assert_eq!(load.rows.len(), 1);
    load.apply(0, FleetPart::Done { calls: 3 }, t(0));
    load.apply(1, FleetPart::Done { calls: 1 }, t(0));
    load.rank_due(t(0) + RANK_INTERVAL);
    assert!(!load.unranked, "the last part is ranked at once");
}

#[test]
fn a_pair_of_an_account_already_read_and_a_partial_read_are_told_apart() {
    let mut load = load();
    load.apply(
        0,
        FleetPart::Warning(AwsError::internal("DescribeAlarms", "denied")),
        t(3),
    );
    load.apply(0, FleetPart::Done { calls: 5 }, t(3));
    load.apply(1, FleetPart::SameAs { pair: 0, calls: 1 }, t(3));
    assert!(load.finished());
    assert_eq!(load.pairs[0].status, PairStatus::Loaded);
    assert_eq!(load.pairs[0].warnings.len(), 1);
    assert_eq!(load.pairs[1].status, PairStatus::SameAs(0));
    assert_eq!(load.pairs[1].calls, Some(1));
}
