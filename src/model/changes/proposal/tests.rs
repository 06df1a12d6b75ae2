//! Model-level: proposals built from fixture state, no AWS.

use super::*;
use crate::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
use crate::model::connection::Connection;
use crate::model::ecs::scaling::ScalingTarget;
use std::time::SystemTime;

const SERVICE: &str = "arn:aws:ecs:eu-west-1:123456789012:service/prod/api";
const CLUSTER: &str = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";

fn model() -> Model {
    let mut model = Model::new(
        Connection {
            profile: None,
            region: "eu-west-1".into(),
            endpoint_url: Some("https://admin:hunter2@ecs.example.test".into()),
        },
        true,
        15,
    );
    model.change_rules.env_profile = Some("ops".into());
    let service = Service {
        arn: SERVICE.into(),
        cluster_arn: CLUSTER.into(),
        name: "api".into(),
        desired: 6,
        ..Service::default()
    };
    model
        .store
        .services
        .entry(CLUSTER.into())
        .or_default()
        .finish(Ok(vec![service]), SystemTime::UNIX_EPOCH, 1);
    model
}

fn scale(to: i32) -> Action {
    Action::UpdateService(Box::new(ServiceChange {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
        update: ServiceUpdate {
            desired: Some(to),
            ..ServiceUpdate::default()
        },
        expected: ServiceSnapshot {
            task_definition: "web:3".into(),
            desired: 6,
            primary: None,
        },
    }))
}

#[test]
fn a_proposal_names_the_effective_profile_region_endpoint_and_account() {
    let proposal = propose(&model(), scale(7)).unwrap();
    assert_eq!(
        proposal.destination.label(),
        "profile ops · region eu-west-1 · endpoint https://ecs.example.test · account 123456789012"
    );
    assert_eq!(proposal.title, "Scale api from 6 to 7 tasks");
    assert_eq!(proposal.rows, vec![row("Desired tasks", "6", "7")]);
    assert!(!proposal.risky);
    let cli = proposal.cli.unwrap();
    assert!(
        cli.contains("--profile") || cli.contains("--region 'eu-west-1'"),
        "{cli}"
    );
    assert!(
        cli.contains("--endpoint-url 'https://ecs.example.test'"),
        "{cli}"
    );
    assert!(!cli.contains("hunter2"), "{cli}");
}

#[test]
fn a_large_scale_is_risky_and_says_why() {
    let proposal = propose(&model(), scale(0)).unwrap();
    assert!(proposal.risky);
    assert!(
        proposal.notes[0].contains("stops all 6"),
        "{:?}",
        proposal.notes
    );
}

#[test]
fn bounds_below_the_desired_count_say_what_auto_scaling_will_do() {
    let mut model = model();
    model
        .store
        .scaling
        .entry(SERVICE.into())
        .or_default()
        .finish(
            Ok(Some(ScalingTarget {
                resource_id: "service/prod/api".into(),
                min: 2,
                max: 10,
                suspended: false,
                policies: Vec::new(),
            })),
            SystemTime::UNIX_EPOCH,
            2,
        );
    let proposal = propose(
        &model,
        Action::SetScalingBounds {
            cluster: CLUSTER.into(),
            service: SERVICE.into(),
            min: 1,
            max: 4,
        },
    )
    .unwrap();
    assert_eq!(
        proposal.rows,
        vec![
            row("Minimum tasks", "2", "1"),
            row("Maximum tasks", "10", "4")
        ]
    );
    assert!(proposal.risky);
    assert!(
        proposal.notes[0].contains("will scale the service in to 4 tasks, stopping 2"),
        "{:?}",
        proposal.notes
    );
    let cli = proposal.cli.unwrap();
    assert!(
        cli.starts_with("aws application-autoscaling register-scalable-target --region 'eu-west-1' --endpoint-url 'https://ecs.example.test'"),
        "{cli}"
    );
}

#[test]
fn turning_read_only_off_names_the_profile_and_the_rule() {
    let mut model = model();
    model.change_rules.patterns = vec!["*ops*".into()];
    let proposal = propose(&model, Action::SetReadOnly(false)).unwrap();
    assert_eq!(proposal.title, "Allow changes to AWS with profile ops");
    assert!(
        proposal.notes[0].contains("profile ops matches read-only pattern *ops*"),
        "{:?}",
        proposal.notes
    );
    model.change_rules.forced_read_only = true;
    assert_eq!(propose(&model, Action::SetReadOnly(false)), None);
}

#[test]
fn actions_that_change_nothing_in_aws_are_not_proposed() {
    assert_eq!(propose(&model(), Action::Refresh), None);
    assert_eq!(propose(&model(), Action::SetReadOnly(true)), None);
}
