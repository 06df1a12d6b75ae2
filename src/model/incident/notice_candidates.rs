//! What the pinned services are going through that a notification could tell: failed or
//! rolled-back deployments, crash loops (the deployment's failed-task count), lifecycle
//! hooks waiting for a decision, and deployment alarms in ALARM — read from what the model
//! has loaded, and what it must load for that.

use super::crash_loops::LoopRule;
use super::notify::{Notice, NoticeKind};
use crate::model::Model;
use crate::model::ecs::Service;
use crate::model::store::resource_key::ResourceKey;
use crate::model::task_defs::revisions::family_revision;

/// The pinned services of this connection, as loaded.
fn pinned(model: &Model) -> Vec<&Service> {
    let connection = model.connection.without_secrets();
    model
        .pins
        .iter()
        .filter(|p| p.connection == connection)
        .filter_map(|p| {
            model
                .services_of(&p.cluster)
                .value()
                .and_then(|list| list.iter().find(|s| s.arn == p.service))
        })
        .collect()
}

/// What the notices that are on need loaded beyond the pinned services' lists: their
/// deployments (hooks) and the region's alarms.
pub fn notice_keys(model: &Model) -> Vec<ResourceKey> {
    let prefs = &model.policy.notifications;
    let mut keys = Vec::new();
    for service in pinned(model) {
        if prefs.hook_waiting {
            keys.push(ResourceKey::Deployments(
                service.cluster_arn.clone(),
                service.arn.clone(),
            ));
            if let Some(newest) = model
                .history_of(&service.arn)
                .value()
                .and_then(|h| h.first())
                && newest.can_roll_back()
            {
                keys.push(ResourceKey::DeploymentDetail(newest.arn.clone()));
            }
        }
        let names_alarms = service
            .deployment_config
            .alarms
            .as_ref()
            .is_some_and(|a| !a.names.is_empty());
        if prefs.alarm_firing && names_alarms && !keys.contains(&ResourceKey::Alarms) {
            keys.push(ResourceKey::Alarms);
        }
    }
    keys
}

/// Every notice still true of the pinned services.
pub fn candidates(model: &Model) -> Vec<Notice> {
    let mut out = Vec::new();
    for service in pinned(model) {
        deployment_notices(service, &mut out);
        hook_notices(model, service, &mut out);
        alarm_notices(model, service, &mut out);
    }
    out
}

fn notice(
    kind: NoticeKind,
    service: &Service,
    event_id: String,
    title: &str,
    body: String,
) -> Notice {
    Notice {
        kind,
        service_arn: service.arn.clone(),
        event_id,
        title: format!("{}: {title}", service.name),
        body,
        at: std::time::UNIX_EPOCH,
    }
}

fn deployment_notices(service: &Service, out: &mut Vec<Notice>) {
    for d in &service.deployments {
        let Some(at) = d.updated_at.or(d.created_at) else {
            continue;
        };
        let revision = family_revision(&d.task_definition);
        if d.rollout_state.as_deref() == Some("FAILED") {
            let body = d
                .rollout_state_reason
                .clone()
                .unwrap_or_else(|| format!("The deployment of {revision} failed."));
            let id = format!("{}/{}/failed", service.arn, d.id);
            out.push(Notice {
                at,
                ..notice(
                    NoticeKind::DeploymentFailed,
                    service,
                    id,
                    "deployment failed",
                    body,
                )
            });
        }
        let looping = usize::try_from(d.failed).unwrap_or(0) >= LoopRule::default().min_count;
        if looping && d.rollout_state.as_deref() == Some("IN_PROGRESS") {
            let body = format!(
                "{} tasks of {revision} failed to start or stay up.",
                d.failed
            );
            let id = format!("{}/{}/crash-loop", service.arn, d.id);
            out.push(Notice {
                at,
                ..notice(
                    NoticeKind::CrashLoop,
                    service,
                    id,
                    "tasks are crash-looping",
                    body,
                )
            });
        }
    }
    for event in &service.events {
        let lower = event.message.to_lowercase();
        let Some(at) = event.created_at else {
            continue;
        };
        if lower.contains("rolling back") || lower.contains("rolled back") {
            let id = format!("{}/event/{}", service.arn, event.id);
            out.push(Notice {
                at,
                ..notice(
                    NoticeKind::DeploymentFailed,
                    service,
                    id,
                    "deployment rolled back",
                    event.message.clone(),
                )
            });
        }
    }
}

fn hook_notices(model: &Model, service: &Service, out: &mut Vec<Notice>) {
    let Some(newest) = model
        .history_of(&service.arn)
        .value()
        .and_then(|h| h.first())
    else {
        return;
    };
    let Some(detail) = model.deployment_detail(&newest.arn).value() else {
        return;
    };
    let Some(at) = detail.updated_at.or(detail.started_at) else {
        return;
    };
    for hook in detail.waiting_hooks() {
        let timeout = hook
            .timeout_action
            .as_deref()
            .map(|a| format!(" At its timeout ECS will {}.", a.to_lowercase()))
            .unwrap_or_default();
        let body = format!(
            "A {} hook waits for you to continue or roll back.{timeout}",
            hook.target_type
        );
        let id = format!("{}/{}", newest.arn, hook.hook_id);
        out.push(Notice {
            at,
            ..notice(
                NoticeKind::HookWaiting,
                service,
                id,
                "a hook waits for a decision",
                body,
            )
        });
    }
}

fn alarm_notices(model: &Model, service: &Service, out: &mut Vec<Notice>) {
    let Some(names) = service.deployment_config.alarms.as_ref().map(|a| &a.names) else {
        return;
    };
    let Some(alarms) = model.store.alarms.value() else {
        return;
    };
    for alarm in alarms.list.iter().filter(|a| names.contains(&a.name)) {
        let (Some(at), "ALARM") = (alarm.updated_at, alarm.state.as_str()) else {
            continue;
        };
        let body = alarm
            .reason
            .clone()
            .unwrap_or_else(|| format!("{} is in ALARM.", alarm.name));
        let id = format!(
            "{}/alarm/{}/{}",
            service.arn,
            alarm.name,
            crate::model::time_format::epoch_secs(at)
        );
        let title = format!("alarm {} in ALARM", alarm.name);
        out.push(Notice {
            at,
            ..notice(NoticeKind::AlarmFiring, service, id, &title, body)
        });
    }
}
