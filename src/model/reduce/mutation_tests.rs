//! `reduce` for task-definition browsing and for changes (register, deregister, read-only).

use super::*;
use crate::model::MutationKind;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::{Connection, Route};
use std::time::Duration;

const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:4";

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn model() -> Model {
    Model::new(
        Connection {
            profile: Some("dev".into()),
            region: "us-east-1".into(),
            endpoint_url: None,
        },
        true,
        15,
    )
}

/// Reduces `action`; a change it proposes is confirmed at once (the confirmation itself is
/// tested in `proposal_tests`).
fn act(model: &mut Model, action: Action) -> Vec<WorkerCommand> {
    let mut out = reduce(model, Msg::Action(action), t(0));
    if model.proposal.is_some() {
        out.extend(reduce(model, Msg::Action(Action::ConfirmChange), t(0)));
    }
    out
}

pub(crate) fn started(commands: &[WorkerCommand]) -> Vec<(RequestId, Request)> {
    commands
        .iter()
        .filter_map(|c| match c {
            WorkerCommand::Start { id, request, .. } => Some((*id, request.clone())),
            _ => None,
        })
        .collect()
}

fn answer(model: &mut Model, id: RequestId, response: Response) {
    let generation = model.generation;
    reduce(
        model,
        Msg::Event(Event {
            id,
            generation,
            response,
        }),
        t(1),
    );
}

fn registered() -> TaskDefDocument {
    TaskDefDocument::parse(&format!(
        r#"{{"taskDefinition": {{"taskDefinitionArn": "{ARN}", "family": "web", "revision": 4,
            "containerDefinitions": [{{"name": "web", "image": "nginx"}}]}}}}"#
    ))
    .unwrap()
}

#[test]
fn the_revision_browser_loads_families_revisions_and_one_revision() {
    let mut m = model();
    let out = started(&act(&mut m, Action::Navigate(Route::TaskDefinitions)));
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].1, Request::Load(ResourceKey::Families));
    assert_eq!(out[1].1, Request::Load(ResourceKey::FamilyOverview));
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Family {
            family: "web".into(),
        }),
    ));
    assert_eq!(
        out[0].1,
        Request::Load(ResourceKey::Revisions("web".into()))
    );
    let out = started(&act(
        &mut m,
        Action::Navigate(Route::Revision { arn: ARN.into() }),
    ));
    assert_eq!(
        out[0].1,
        Request::Load(ResourceKey::TaskDefinition(ARN.into()))
    );
    answer(&mut m, out[0].0, Response::TaskDefinition(Ok(registered())));
    assert_eq!(
        m.task_definition(ARN).value().and_then(|d| d.family()),
        Some("web")
    );
    // A draft is local: opening one asks AWS for nothing.
    let out = act(
        &mut m,
        Action::Navigate(Route::Draft {
            id: "web-1".into(),
            family: Some("web".into()),
        }),
    );
    assert!(started(&out).is_empty());
}

#[test]
fn register_sends_the_input_then_opens_the_new_revision_and_reloads_the_family() {
    let mut m = model();
    let out = act(
        &mut m,
        Action::Navigate(Route::Family {
            family: "web".into(),
        }),
    );
    let load = started(&out)[0].0;
    answer(&mut m, load, Response::Revisions(Ok(Vec::new())));
    assert!(m.revisions_of("web").value().is_some());

    let out = started(&act(
        &mut m,
        Action::Register {
            draft_id: "web-1".into(),
            input: "{\"family\":\"web\"}".into(),
        },
    ));
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].1,
        Request::Register {
            input: "{\"family\":\"web\"}".into()
        }
    );
    let kind = MutationKind::Register {
        draft_id: "web-1".into(),
    };
    assert!(m.is_changing(&kind));
    // One change at a time: a second click sends nothing.
    assert!(act(&mut m, Action::Deregister { arn: ARN.into() }).is_empty());
    answer(&mut m, out[0].0, Response::Registered(Ok(registered())));
    assert!(m.mutation.is_none());
    assert_eq!(
        m.outcome,
        Some(Outcome {
            id: out[0].0,
            connection: m.connection.clone(),
            kind,
            summary: "register a new revision of web".into(),
            sent: true,
            result: Ok(ARN.into())
        })
    );
    assert_eq!(m.route, Route::Revision { arn: ARN.into() });
    assert!(
        m.task_definition(ARN).value().is_some(),
        "opened without a reload"
    );
    assert!(
        m.revisions_of("web").value().is_none(),
        "the family's list is stale and reloads on the next visit"
    );
}

#[test]
fn a_rejected_register_keeps_the_route_and_reports_the_aws_error() {
    let mut m = model();
    let draft = Route::Draft {
        id: "web-1".into(),
        family: Some("web".into()),
    };
    act(&mut m, Action::Navigate(draft.clone()));
    let out = started(&act(
        &mut m,
        Action::Register {
            draft_id: "web-1".into(),
            input: "{}".into(),
        },
    ));
    let error = AwsError {
        operation: "RegisterTaskDefinition".into(),
        code: "ClientException".into(),
        message: "Container.image should not be null or empty.".into(),
        request_id: Some("req-1".into()),
        kind: ErrorKind::Service,
    };
    answer(&mut m, out[0].0, Response::Registered(Err(error.clone())));
    assert_eq!(m.route, draft);
    assert_eq!(
        m.outcome.as_ref().map(|o| o.result.clone()),
        Some(Err(error))
    );
    act(&mut m, Action::DismissOutcome);
    assert!(m.outcome.is_none());
}

#[test]
fn read_only_mode_refuses_changes_without_calling_aws() {
    let mut m = model();
    act(&mut m, Action::SetReadOnly(true));
    let out = act(&mut m, Action::Deregister { arn: ARN.into() });
    assert!(out.is_empty());
    let outcome = m.outcome.clone().expect("refusal shown");
    assert!(
        outcome.result.unwrap_err().message.contains("read-only"),
        "the message says why"
    );
    act(&mut m, Action::SetReadOnly(false));
    assert_eq!(
        started(&act(&mut m, Action::Deregister { arn: ARN.into() })).len(),
        1
    );
}

#[test]
fn switching_connection_mid_change_says_the_result_is_unknown_and_drops_the_answer() {
    let mut m = model();
    let out = started(&act(&mut m, Action::Deregister { arn: ARN.into() }));
    act(
        &mut m,
        Action::SetConnection(Connection {
            profile: Some("prod".into()),
            region: "us-east-1".into(),
            endpoint_url: None,
        }),
    );
    assert!(m.mutation.is_none());
    let outcome = m.outcome.clone().unwrap();
    assert_eq!(
        outcome.connection.profile.as_deref(),
        Some("dev"),
        "the journal names where it was sent, not the new connection"
    );
    let message = outcome.result.unwrap_err().message;
    assert!(message.contains("connection changed"), "{message}");
    // The late answer belongs to the old generation and is dropped.
    let dropped = m.dropped_responses;
    reduce(
        &mut m,
        Msg::Event(Event {
            id: out[0].0,
            generation: 0,
            response: Response::Deregistered(Ok(registered())),
        }),
        t(2),
    );
    assert_eq!(m.dropped_responses, dropped + 1);
}

mod services {
    use super::*;
    use crate::model::ROLLOUT_REFRESH;
    use crate::model::changes::service_change::{ServiceChange, ServiceSnapshot, ServiceUpdate};
    use crate::model::ecs::{Deployment, Service};

    const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
    const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";

    fn api(desired: i32, running: i32, deployments: usize) -> Service {
        let deployment = |status: &str| Deployment {
            id: format!("ecs-svc/{status}"),
            status: status.into(),
            desired,
            running,
            ..Deployment::default()
        };
        let mut list = vec![deployment("PRIMARY")];
        if deployments > 1 {
            list.push(deployment("ACTIVE"));
        }
        Service {
            arn: SERVICE.into(),
            name: "api".into(),
            cluster_arn: CLUSTER.into(),
            status: "ACTIVE".into(),
            desired,
            running,
            deployments: list,
            ..Service::default()
        }
    }

    fn on_service_page(m: &mut Model, service: Service) {
        let out = started(&act(
            m,
            Action::Navigate(Route::Service {
                cluster: CLUSTER.into(),
                service: SERVICE.into(),
            }),
        ));
        for (id, request) in out {
            let response = match request {
                Request::Load(ResourceKey::Services(_)) => {
                    Response::Services(Ok(vec![service.clone()]))
                }
                Request::Load(ResourceKey::Scaling(..)) => Response::Scaling(Ok(None)),
                Request::Load(ResourceKey::Deployments(..)) => {
                    Response::ServiceDeployments(Ok(Vec::new()))
                }
                _ => Response::Tasks(Ok(Vec::new())),
            };
            answer(m, id, response);
        }
    }

    #[test]
    fn scaling_updates_the_cached_service_at_once() {
        let mut m = model();
        on_service_page(&mut m, api(2, 2, 1));
        let out = started(&act(
            &mut m,
            Action::UpdateService(Box::new(ServiceChange {
                cluster: CLUSTER.into(),
                service: SERVICE.into(),
                update: ServiceUpdate {
                    desired: Some(4),
                    ..ServiceUpdate::default()
                },
                expected: ServiceSnapshot::of(&api(2, 2, 1)),
            })),
        ));
        assert!(matches!(&out[0].1, Request::UpdateService(c) if c.update.desired == Some(4)));
        answer(
            &mut m,
            out[0].0,
            Response::ServiceUpdated(Ok(Box::new(api(4, 2, 1)))),
        );
        let cached = &m.services_of(CLUSTER).value().unwrap()[0];
        assert_eq!(cached.desired, 4);
        assert_eq!(
            m.outcome.as_ref().map(|o| o.result.clone()),
            Some(Ok(SERVICE.to_owned()))
        );
    }

    #[test]
    fn a_service_page_polls_every_three_seconds_while_it_changes() {
        let mut m = model();
        on_service_page(&mut m, api(3, 3, 1));
        let key = ResourceKey::Services(CLUSTER.into());
        assert_eq!(m.refresh_interval_for(&key), Duration::from_secs(15));
        on_service_page(&mut m, api(3, 1, 2));
        // Loaded again on navigation only if stale; force the answer in with a refresh.
        let out = started(&act(&mut m, Action::Refresh));
        for (id, request) in out {
            let response = match request {
                Request::Load(ResourceKey::Services(_)) => {
                    Response::Services(Ok(vec![api(3, 1, 2)]))
                }
                Request::Load(ResourceKey::Scaling(..)) => Response::Scaling(Ok(None)),
                _ => Response::Tasks(Ok(Vec::new())),
            };
            answer(&mut m, id, response);
        }
        assert_eq!(m.refresh_interval_for(&key), ROLLOUT_REFRESH);
        // Another page's data keeps the normal interval.
        assert_eq!(
            m.refresh_interval_for(&ResourceKey::Clusters),
            Duration::from_secs(15)
        );
    }

    #[test]
    fn stopping_a_task_is_refused_in_read_only_mode_and_sent_otherwise() {
        let mut m = model();
        let stop = Action::StopTask {
            cluster: CLUSTER.into(),
            task: "arn:aws:ecs:us-east-1:1:task/prod/abc".into(),
            reason: "stuck".into(),
        };
        act(&mut m, Action::SetReadOnly(true));
        assert!(act(&mut m, stop.clone()).is_empty());
        act(&mut m, Action::SetReadOnly(false));
        let out = started(&act(&mut m, stop));
        assert!(matches!(&out[0].1, Request::StopTask { reason, .. } if reason == "stuck"));
    }
}
