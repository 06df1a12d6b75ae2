//! The service deployments API with `aws-smithy-mocks` (moto does not implement it): the
//! history comes back newest first with its states, a rollback stops the deployment with
//! ROLLBACK, and an account without the API gets the AWS error to fall back on.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::error::ErrorMetadata;
use aws_sdk_ecs::operation::list_service_deployments::{
    ListServiceDeploymentsError, ListServiceDeploymentsOutput,
};
use aws_sdk_ecs::operation::stop_service_deployment::StopServiceDeploymentOutput;
use aws_sdk_ecs::types::{
    ServiceDeploymentBrief, ServiceDeploymentStatus, StopServiceDeploymentStopType,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use ecsdeck::aws::Ecs;

fn brief(n: i64, status: ServiceDeploymentStatus) -> ServiceDeploymentBrief {
    ServiceDeploymentBrief::builder()
        .service_deployment_arn(format!(
            "arn:aws:ecs:us-east-1:1:service-deployment/prod/api/d{n}"
        ))
        .status(status)
        .target_service_revision_arn(format!(
            "arn:aws:ecs:us-east-1:1:service-revision/prod/api/{n}"
        ))
        .started_at(DateTime::from_secs(1_800_000_000 + n * 600))
        .status_reason(format!("reason {n}"))
        .build()
}

#[tokio::test]
async fn history_newest_first_and_a_rollback_stops_with_rollback() {
    let list = mock!(Client::list_service_deployments).then_output(|| {
        ListServiceDeploymentsOutput::builder()
            .service_deployments(brief(1, ServiceDeploymentStatus::Successful))
            .service_deployments(brief(3, ServiceDeploymentStatus::InProgress))
            .service_deployments(brief(2, ServiceDeploymentStatus::RollbackSuccessful))
            .build()
    });
    let stop = mock!(Client::stop_service_deployment)
        .match_requests(|req| req.stop_type() == Some(&StopServiceDeploymentStopType::Rollback))
        .then_output(|| {
            StopServiceDeploymentOutput::builder()
                .service_deployment_arn("arn:aws:ecs:us-east-1:1:service-deployment/prod/api/d3")
                .build()
        });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&list, &stop]);
    let ecs = Ecs::new(client, None).with_gate(ecsdeck::aws::change_gate::ChangeGate::new(
        ecsdeck::aws::change_gate::SharedRules::allowing(),
        None,
    ));
    let history = ecs.service_deployments("prod", "api").await.unwrap();
    let states: Vec<(&str, bool)> = history
        .iter()
        .map(|d| (d.status.as_str(), d.can_roll_back()))
        .collect();
    assert_eq!(
        states,
        [
            ("IN_PROGRESS", true),
            ("ROLLBACK_SUCCESSFUL", false),
            ("SUCCESSFUL", false)
        ]
    );
    assert_eq!(history[0].reason.as_deref(), Some("reason 3"));
    let stopped = ecs.roll_back_deployment(&history[0].arn).await.unwrap();
    assert!(stopped.ends_with("/d3"));
    assert_eq!(stop.num_calls(), 1);
}

#[tokio::test]
async fn an_account_without_the_api_gets_the_aws_error() {
    let list = mock!(Client::list_service_deployments).then_error(|| {
        ListServiceDeploymentsError::generic(
            ErrorMetadata::builder()
                .code("InvalidAction")
                .message("The action ListServiceDeployments is not valid for this endpoint.")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_ecs, [&list]);
    let error = Ecs::new(client, None)
        .service_deployments("prod", "api")
        .await
        .unwrap_err();
    assert_eq!(error.operation, "ListServiceDeployments");
    assert_eq!(error.code, "InvalidAction");
}
