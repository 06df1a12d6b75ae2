//! Model-level: the rollout cockpit's deployment is described every few seconds while it is
//! active and never again once it has settled; "what changed" loads the two service
//! revisions, then their task definitions, and never reloads them.

use super::tests::{act, answer, loads, model, t};
use super::*;
use crate::model::Route;
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::service_deployment::{RevisionShare, ServiceDeploymentDetail};
use crate::model::ecs::service_revision::ServiceRevision;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:1:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:1:service/prod/api";
const DEPLOYMENT: &str = "arn:aws:ecs:us-east-1:1:service-deployment/prod/api/d2";

fn detail(status: &str) -> Response {
    Response::ServiceDeployment(Ok(Box::new(ServiceDeploymentDetail {
        arn: DEPLOYMENT.into(),
        status: status.into(),
        sources: vec![RevisionShare {
            arn: "rev/1".into(),
            ..RevisionShare::default()
        }],
        target: Some(RevisionShare {
            arn: "rev/2".into(),
            ..RevisionShare::default()
        }),
        ..ServiceDeploymentDetail::default()
    })))
}

fn history() -> Response {
    Response::ServiceDeployments(Ok(vec![ServiceDeploymentSummary {
        arn: DEPLOYMENT.into(),
        status: "IN_PROGRESS".into(),
        target_revision: None,
        started_at: None,
        finished_at: None,
        reason: None,
    }]))
}

/// Counts the DescribeServiceDeployments loads among `commands`, answering each with `answer_with`.
fn describes(
    m: &mut Model,
    commands: &[WorkerCommand],
    answer_with: &str,
    now: SystemTime,
) -> usize {
    let mut count = 0;
    for (id, key) in loads(commands) {
        if key == ResourceKey::DeploymentDetail(DEPLOYMENT.into()) {
            count += 1;
            answer(m, id, detail(answer_with), now);
        }
    }
    count
}

#[test]
fn an_active_deployment_is_polled_every_few_seconds_and_a_settled_one_never() {
    let mut m = model();
    let route = Route::Service {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
    };
    let first = act(&mut m, Action::Navigate(route), t(0));
    let mut active = 0;
    for (id, key) in loads(&first) {
        if matches!(key, ResourceKey::Deployments(..)) {
            // The newest deployment is described as soon as the history names it…
            let next = answer(&mut m, id, history(), t(0));
            active += describes(&mut m, &next, "IN_PROGRESS", t(0));
        }
    }
    assert_eq!(active, 1);
    // …then every 3 s while it moves.
    for secs in 1..=12 {
        let commands = act(&mut m, Action::Tick, t(secs));
        active += describes(&mut m, &commands, "IN_PROGRESS", t(secs));
    }
    assert_eq!(active, 5, "at 0, 3, 6, 9 and 12 s");
    let commands = act(&mut m, Action::Tick, t(15));
    assert_eq!(describes(&mut m, &commands, "SUCCESSFUL", t(15)), 1);
    let mut settled = 0;
    for secs in 16..=600 {
        let commands = act(&mut m, Action::Tick, t(secs));
        settled += describes(&mut m, &commands, "SUCCESSFUL", t(secs));
    }
    assert_eq!(settled, 0, "a settled deployment is not described again");
}

#[test]
fn what_changed_loads_the_revisions_then_their_task_definitions() {
    let mut m = model();
    let route = Route::DeploymentChanges {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
        deployment: DEPLOYMENT.into(),
    };
    let first = loads(&act(&mut m, Action::Navigate(route), t(0)));
    let (id, _) = first
        .iter()
        .find(|(_, k)| *k == ResourceKey::DeploymentDetail(DEPLOYMENT.into()))
        .cloned()
        .expect("the deployment is described");
    let next = loads(&answer(&mut m, id, detail("SUCCESSFUL"), t(0)));
    let revisions = ResourceKey::ServiceRevisions(vec!["rev/1".into(), "rev/2".into()]);
    let (id, _) = next
        .iter()
        .find(|(_, k)| *k == revisions)
        .cloned()
        .expect("both revisions are asked for together");
    let revision = |arn: &str, td: &str| {
        ServiceRevision::from_json(serde_json::json!({
            "serviceRevisionArn": arn, "taskDefinition": td
        }))
    };
    let answered = Response::ServiceRevisions(Ok(vec![
        revision("rev/1", "api:1"),
        revision("rev/2", "api:2"),
    ]));
    let tds: Vec<ResourceKey> = loads(&answer(&mut m, id, answered, t(1)))
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert!(tds.contains(&ResourceKey::TaskDefinition("api:1".into())));
    assert!(tds.contains(&ResourceKey::TaskDefinition("api:2".into())));
    let later: Vec<ResourceKey> = loads(&act(&mut m, Action::Tick, t(3_600)))
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert!(
        !later.contains(&revisions),
        "a service revision never changes"
    );
}

#[test]
fn a_dialog_loads_what_it_needs_once() {
    let mut m = model();
    let first = loads(&act(&mut m, Action::LoadOnce(ResourceKey::Alarms), t(0)));
    assert_eq!(first.len(), 1, "asked for");
    assert!(
        loads(&act(&mut m, Action::LoadOnce(ResourceKey::Alarms), t(1))).is_empty(),
        "not twice while in flight"
    );
    let (id, _) = first[0].clone();
    answer(&mut m, id, Response::Alarms(Ok(Box::default())), t(2));
    assert!(
        loads(&act(&mut m, Action::LoadOnce(ResourceKey::Alarms), t(3))).is_empty(),
        "not again once loaded"
    );
}

fn staged(stage: &str) -> Response {
    let Response::ServiceDeployment(Ok(mut d)) = detail("IN_PROGRESS") else {
        unreachable!("detail answers a deployment")
    };
    d.service_arn = SERVICE.into();
    d.lifecycle_stage = Some(stage.into());
    Response::ServiceDeployment(Ok(d))
}

#[test]
fn the_stages_a_polled_deployment_goes_through_are_handed_to_its_timeline() {
    let mut m = model();
    let route = Route::Service {
        cluster: CLUSTER.into(),
        service: SERVICE.into(),
    };
    let mut commands = act(&mut m, Action::Navigate(route), t(0));
    let stages = ["SCALE_UP", "SCALE_UP", "BAKE_TIME", "CLEAN_UP", "CLEAN_UP"];
    for (tick, stage) in stages.iter().enumerate() {
        let now = t(tick as u64 * 3);
        // The history's answer asks for the detail: answered in the same tick.
        while !commands.is_empty() {
            let mut more = Vec::new();
            for (id, key) in loads(&commands) {
                let response = match key {
                    ResourceKey::Deployments(..) => history(),
                    ResourceKey::DeploymentDetail(_) => staged(stage),
                    _ => continue,
                };
                more.extend(answer(&mut m, id, response, now));
            }
            commands = more;
        }
        commands = act(&mut m, Action::Tick, t(tick as u64 * 3 + 3));
    }
    let key = crate::model::incident::timeline::IncidentKey::service(CLUSTER, "api", 3_600);
    let opened = act(&mut m, Action::Navigate(Route::Incident(key)), t(20));
    let seen = opened
        .iter()
        .find_map(|c| match c {
            WorkerCommand::Start {
                request: Request::Incident { seen, .. },
                ..
            } => Some(seen.stages.clone()),
            _ => None,
        })
        .expect("the timeline is asked for");
    let names: Vec<&str> = seen.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(names, ["SCALE_UP", "BAKE_TIME", "CLEAN_UP"]);
    assert_eq!(seen[1].at, t(6), "first seen when BAKE_TIME was answered");
}
