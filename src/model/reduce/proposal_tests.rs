//! `reduce` for the confirmation every change passes: nothing is sent before it, cancelling
//! or switching connection drops it, read-only off asks, and every change is its own outcome.

use super::*;
use crate::model::changes::service_change::{ServiceChange, ServiceSnapshot, ServiceUpdate};
use crate::model::{Connection, Route};
use std::time::Duration;

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn model(profile: &str) -> Model {
    let mut m = Model::new(
        Connection {
            profile: Some(profile.into()),
            region: "us-east-1".into(),
            endpoint_url: None,
        },
        true,
        15,
    );
    m.change_rules.patterns = vec!["*prod*".into()];
    m.route = Route::Clusters;
    m
}

fn act(m: &mut Model, action: Action) -> Vec<WorkerCommand> {
    reduce(m, Msg::Action(action), t(0))
}

fn starts(out: &[WorkerCommand]) -> Vec<(RequestId, Request)> {
    crate::model::reduce::mutation_tests::started(out)
}

fn scale(to: i32) -> Action {
    Action::UpdateService(Box::new(ServiceChange {
        cluster: "arn:aws:ecs:us-east-1:1:cluster/c".into(),
        service: "arn:aws:ecs:us-east-1:1:service/c/api".into(),
        update: ServiceUpdate {
            desired: Some(to),
            ..ServiceUpdate::default()
        },
        expected: ServiceSnapshot {
            task_definition: "web:1".into(),
            desired: 2,
            primary: None,
        },
    }))
}

#[test]
fn a_change_waits_for_confirmation_and_cancelling_sends_nothing() {
    let mut m = model("dev");
    assert!(starts(&act(&mut m, scale(3))).is_empty());
    let proposal = m.proposal.clone().expect("shown for confirmation");
    assert_eq!(proposal.destination.profile, "dev");
    assert!(starts(&act(&mut m, Action::CancelChange)).is_empty());
    assert!(m.proposal.is_none());
    assert!(
        starts(&act(&mut m, Action::ConfirmChange)).is_empty(),
        "nothing to confirm"
    );

    act(&mut m, scale(3));
    let sent = starts(&act(&mut m, Action::ConfirmChange));
    assert!(matches!(&sent[..], [(_, Request::UpdateService(c))] if c.update.desired == Some(3)));
}

#[test]
fn a_proposal_never_outlives_its_connection() {
    let mut m = model("dev");
    act(&mut m, scale(3));
    act(
        &mut m,
        Action::SetConnection(Connection {
            profile: Some("other".into()),
            region: "eu-west-1".into(),
            endpoint_url: None,
        }),
    );
    assert!(m.proposal.is_none());
    assert!(starts(&act(&mut m, Action::ConfirmChange)).is_empty());
}

#[test]
fn two_identical_changes_are_two_outcomes() {
    let mut m = model("dev");
    let mut ids = Vec::new();
    for _ in 0..2 {
        act(&mut m, scale(3));
        let (id, _) = starts(&act(&mut m, Action::ConfirmChange))[0].clone();
        let generation = m.generation;
        reduce(
            &mut m,
            Msg::Event(Event {
                id,
                generation,
                response: Response::ServiceUpdated(Ok(Box::new(crate::model::ecs::Service {
                    arn: "arn:aws:ecs:us-east-1:1:service/c/api".into(),
                    desired: 3,
                    ..Default::default()
                }))),
            }),
            t(1),
        );
        ids.push(m.outcome.as_ref().expect("outcome").id);
    }
    assert_ne!(ids[0], ids[1], "the journal keys entries by this id");
}

#[test]
fn a_production_profile_is_refused_at_once_and_read_only_off_asks_first() {
    let mut m = model("acme-prod");
    assert!(m.read_only());
    assert!(starts(&act(&mut m, scale(3))).is_empty());
    assert!(m.proposal.is_none(), "refused, not proposed");
    let refused = m
        .outcome
        .clone()
        .expect("refusal shown")
        .result
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::ReadOnly);
    assert!(
        refused
            .message
            .contains("profile acme-prod matches read-only pattern *prod*")
    );

    act(&mut m, Action::SetReadOnly(false));
    assert!(m.read_only(), "not before confirming");
    assert_eq!(
        m.proposal.as_ref().map(|p| p.title.as_str()),
        Some("Allow changes to AWS with profile acme-prod")
    );
    act(&mut m, Action::ConfirmChange);
    assert!(!m.read_only());

    // Leaving the profile and coming back: the pattern applies again.
    for profile in ["dev", "acme-prod"] {
        act(
            &mut m,
            Action::SetConnection(Connection {
                profile: Some(profile.into()),
                region: "us-east-1".into(),
                endpoint_url: None,
            }),
        );
    }
    assert!(m.read_only());
}

#[test]
fn removing_the_pattern_that_holds_read_only_asks_first() {
    let mut m = model("acme-prod");
    act(&mut m, Action::SetReadOnlyProfiles(Vec::new()));
    assert!(m.read_only());
    assert!(m.proposal.is_some());
    act(&mut m, Action::ConfirmChange);
    assert!(!m.read_only());
    assert!(m.policy.read_only_profiles.is_empty());
    // Adding one is immediate.
    act(&mut m, Action::SetReadOnlyProfiles(vec!["acme-*".into()]));
    assert!(m.read_only() && m.proposal.is_none());
}

#[test]
fn the_environment_profile_is_the_one_the_patterns_see() {
    let mut m = model("dev");
    m.connection.profile = None;
    m.change_rules.env_profile = Some("prod-admin".into());
    assert!(m.read_only());
    assert_eq!(m.effective_profile(), "prod-admin");
}
