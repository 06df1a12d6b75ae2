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
    desired && revision
}
