//! DescribeServiceDeployments' shapes → the model's `ServiceDeploymentDetail`.

use super::ecs_convert::{deployment_config, free_text};
use crate::model::ecs::service_deployment::{
    HookRun, Monitor, RevisionShare, RollbackInfo, ServiceDeploymentDetail,
};
use aws_sdk_ecs::types as sdk;
use aws_smithy_types::DateTime;
use std::time::SystemTime;

fn time(t: Option<&DateTime>) -> Option<SystemTime> {
    t.and_then(|t| SystemTime::try_from(*t).ok())
}

fn share(r: &sdk::ServiceRevisionSummary) -> RevisionShare {
    RevisionShare {
        arn: r.arn().unwrap_or_default().to_owned(),
        requested: r.requested_task_count(),
        running: r.running_task_count(),
        pending: r.pending_task_count(),
        test_weight: r.requested_test_traffic_weight(),
        production_weight: r.requested_production_traffic_weight(),
    }
}

fn hook(h: &sdk::DeploymentLifecycleHookDetail) -> HookRun {
    HookRun {
        hook_id: h.hook_id().unwrap_or_default().to_owned(),
        target_type: h.target_type().map_or("", |t| t.as_str()).to_owned(),
        target_arn: h.target_arn().map(str::to_owned),
        status: h.status().map_or("", |s| s.as_str()).to_owned(),
        expires_at: time(h.expires_at()),
        timeout_action: h.timeout_action().map(|a| a.as_str().to_owned()),
    }
}

fn names(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|n| free_text(Some(n)).unwrap_or_default())
        .collect()
}

/// One described service deployment.
pub fn service_deployment(d: &sdk::ServiceDeployment) -> ServiceDeploymentDetail {
    ServiceDeploymentDetail {
        arn: d.service_deployment_arn().unwrap_or_default().to_owned(),
        service_arn: d.service_arn().unwrap_or_default().to_owned(),
        status: d.status().map_or("", |s| s.as_str()).to_owned(),
        status_reason: free_text(d.status_reason()),
        lifecycle_stage: d.lifecycle_stage().map(|s| s.as_str().to_owned()),
        created_at: time(d.created_at()),
        started_at: time(d.started_at()),
        finished_at: time(d.finished_at().or(d.stopped_at())),
        updated_at: time(d.updated_at()),
        sources: d.source_service_revisions().iter().map(share).collect(),
        target: d.target_service_revision().map(share),
        hooks: d.lifecycle_hook_details().iter().map(hook).collect(),
        config: deployment_config(d.deployment_configuration()),
        rollback: d.rollback().map(|r| RollbackInfo {
            reason: free_text(r.reason()),
            started_at: time(r.started_at()),
            revision_arn: r.service_revision_arn().map(str::to_owned),
        }),
        circuit_breaker: d.deployment_circuit_breaker().map(|b| Monitor {
            status: b.status().map_or("", |s| s.as_str()).to_owned(),
            failures: Some((b.failure_count(), b.threshold())),
            ..Monitor::default()
        }),
        alarms: d.alarms().map(|a| Monitor {
            status: a.status().map_or("", |s| s.as_str()).to_owned(),
            names: names(a.alarm_names()),
            triggered: names(a.triggered_alarm_names()),
            failures: None,
        }),
    }
}
