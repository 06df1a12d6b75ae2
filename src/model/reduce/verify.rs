//! A service change whose answer was lost — the connection dropped or timed out after the
//! request may have reached AWS. Sending it again could apply it twice, and calling it failed
//! could be false: the service is re-read instead, and the outcome says what AWS really has.

use super::slots::{cancel_key, start_load};
use crate::model::changes::Verification;
use crate::model::changes::service_change::ServiceChange;
use crate::model::ecs::Service;
use crate::model::messages::{Response, WorkerCommand};
use crate::model::route::ResourceKey;
use crate::model::{AwsError, ErrorKind, Model, Mutation, Outcome};
use std::time::SystemTime;

/// Whether `response` to `mutation` leaves its fate unknown (then the re-read starts and true
/// is returned).
pub(crate) fn begin_if_unknown(
    model: &mut Model,
    mutation: &Mutation,
    response: &Response,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) -> bool {
    let (Response::ServiceUpdated(Err(error)), Some(change)) = (response, &mutation.change) else {
        return false;
    };
    if !matches!(error.kind, ErrorKind::Network | ErrorKind::Timeout) {
        return false;
    }
    let key = ResourceKey::Services(change.cluster.clone());
    model.verifying = Some(Verification {
        id: mutation.id,
        kind: mutation.kind.clone(),
        summary: mutation.summary.clone(),
        change: (**change).clone(),
        error: error.clone(),
    });
    cancel_key(model, &key, out);
    start_load(model, key, now, out);
    true
}

/// After `cluster`'s services were (re)loaded: settles the change being checked, if any.
pub(crate) fn on_services(model: &mut Model, cluster: &str) {
    let Some(verification) = model.verifying.take_if(|v| v.change.cluster == cluster) else {
        return;
    };
    let services = model.services_of(cluster);
    let lost = &verification.error;
    let result = match (services.value(), services.error()) {
        (_, Some(error)) => Err(AwsError {
            message: format!(
                "the connection failed before AWS answered ({}), and the service could not be \
                 re-read ({}): check the service before trying again",
                lost.message, error.message
            ),
            ..lost.clone()
        }),
        (Some(list), None) => match list.iter().find(|s| s.arn == verification.change.service) {
            Some(service) if took_effect(&verification.change, service) => Ok(service.arn.clone()),
            Some(service) => Err(AwsError {
                message: format!(
                    "the connection failed before AWS answered ({}); the service as re-read \
                     has desired count {} and runs {}, so the change did not take effect — \
                     nothing changed, try again",
                    lost.message,
                    service.desired,
                    crate::model::ecs::family_revision(&service.task_definition)
                ),
                ..lost.clone()
            }),
            None => Err(AwsError {
                message: format!(
                    "the connection failed before AWS answered ({}), and the service is no \
                     longer listed",
                    lost.message
                ),
                ..lost.clone()
            }),
        },
        (None, None) => {
            model.verifying = Some(verification);
            return;
        }
    };
    let summary = match &result {
        Ok(_) => format!(
            "{} (the answer was lost; the service as re-read shows it took effect)",
            verification.summary
        ),
        Err(_) => verification.summary.clone(),
    };
    model.outcome = Some(Outcome {
        id: verification.id,
        connection: model.connection.clone(),
        kind: verification.kind,
        summary,
        sent: true,
        result,
    });
}

/// Whether `service` shows every part of `change`.
fn took_effect(change: &ServiceChange, service: &Service) -> bool {
    let update = &change.update;
    let desired = update.desired.is_none_or(|d| d == service.desired);
    let revision = update.task_definition.as_deref().is_none_or(|td| {
        crate::model::ecs::family_revision(td)
            == crate::model::ecs::family_revision(&service.task_definition)
    });
    // A forced deployment shows as a primary deployment other than the one previewed.
    let forced = !update.force_new_deployment
        || service
            .primary_deployment()
            .is_some_and(|d| Some(&d.id) != change.expected.primary.as_ref());
    let settings = update
        .deployment_config
        .as_ref()
        .is_none_or(|asked| settings_shown(asked, &service.deployment_config));
    desired && revision && forced && settings
}

/// Whether the service's deployment settings show every value that was asked for.
fn settings_shown(
    asked: &crate::model::ecs::DeploymentConfig,
    now: &crate::model::ecs::DeploymentConfig,
) -> bool {
    let percent = |a: Option<i32>, n: Option<i32>| a.is_none() || a == n;
    percent(asked.minimum_healthy_percent, now.minimum_healthy_percent)
        && percent(asked.maximum_percent, now.maximum_percent)
        && asked.circuit_breaker_enable == now.circuit_breaker_enable
        && asked.circuit_breaker_rollback == now.circuit_breaker_rollback
        && asked.strategy_name() == now.strategy_name()
        && asked.bake_time_minutes == now.bake_time_minutes
        && asked.linear == now.linear
        && asked.canary == now.canary
        && asked.alarms == now.alarms
}

#[cfg(test)]
mod tests {
    //! Model-level: which re-read service counts as evidence of which change.

    use super::*;
    use crate::model::changes::service_change::{ServiceSnapshot, ServiceUpdate};
    use crate::model::ecs::{Deployment, DeploymentConfig};

    fn service(primary: &str, config: DeploymentConfig) -> Service {
        Service {
            arn: "svc".into(),
            task_definition: "arn:aws:ecs:us-east-1:1:task-definition/web:3".into(),
            desired: 2,
            deployment_config: config,
            deployments: vec![Deployment {
                id: primary.into(),
                status: "PRIMARY".into(),
                ..Deployment::default()
            }],
            ..Service::default()
        }
    }

    fn change(update: ServiceUpdate) -> ServiceChange {
        ServiceChange {
            cluster: "c".into(),
            service: "svc".into(),
            update,
            expected: ServiceSnapshot {
                task_definition: "arn:aws:ecs:us-east-1:1:task-definition/web:3".into(),
                desired: 2,
                primary: Some("ecs-svc/1".into()),
            },
        }
    }

    #[test]
    fn a_forced_deployment_took_effect_only_with_a_new_primary_deployment() {
        let forced = change(ServiceUpdate {
            force_new_deployment: true,
            ..ServiceUpdate::default()
        });
        let config = DeploymentConfig::default();
        assert!(!took_effect(&forced, &service("ecs-svc/1", config.clone())));
        assert!(took_effect(&forced, &service("ecs-svc/2", config)));
    }

    #[test]
    fn new_deployment_settings_took_effect_only_when_the_service_shows_them() {
        let asked = DeploymentConfig {
            minimum_healthy_percent: Some(50),
            maximum_percent: Some(200),
            circuit_breaker_enable: true,
            circuit_breaker_rollback: true,
            ..DeploymentConfig::default()
        };
        let settings = change(ServiceUpdate {
            deployment_config: Some(asked.clone()),
            ..ServiceUpdate::default()
        });
        assert!(!took_effect(
            &settings,
            &service("ecs-svc/1", DeploymentConfig::default())
        ));
        assert!(took_effect(&settings, &service("ecs-svc/1", asked)));
    }
}
