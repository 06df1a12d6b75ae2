//! What the deployment tests against the emulator start from: a `prod` cluster with two
//! revisions of `web` (web:1 runs registry.example.com/web:1.0.0, web:2 runs 1.1.0), and a
//! CloudWatch alarm to watch.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::ContainerDefinition;

/// Creates `prod` and registers web:1 and web:2.
pub async fn cluster_with_two_revisions(client: &Client) {
    client
        .create_cluster()
        .cluster_name("prod")
        .send()
        .await
        .expect("cluster");
    for tag in ["1.0.0", "1.1.0"] {
        client
            .register_task_definition()
            .family("web")
            .container_definitions(
                ContainerDefinition::builder()
                    .name("web")
                    .image(format!("registry.example.com/web:{tag}"))
                    .memory(256)
                    .build(),
            )
            .send()
            .await
            .expect("register");
    }
}

/// Creates the metric alarm `name` (5xx count above 10), in ALARM when `firing`.
pub async fn alarm(
    emulator: &super::Emulator,
    name: &str,
    firing: bool,
) -> aws_sdk_cloudwatch::Client {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
    let cloudwatch = emulator.cloudwatch_client(ecsdeck::aws::change_gate::ChangeGate::new(
        ecsdeck::aws::change_gate::SharedRules::allowing(),
        None,
    ));
    cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .metric_name("HTTPCode_Target_5XX_Count")
        .namespace("AWS/ApplicationELB")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(10.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("alarm");
    if firing {
        set_alarm(&cloudwatch, name, StateValue::Alarm).await;
    }
    cloudwatch
}

/// Puts alarm `name` in `state`.
pub async fn set_alarm(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    name: &str,
    state: aws_sdk_cloudwatch::types::StateValue,
) {
    cloudwatch
        .set_alarm_state()
        .alarm_name(name)
        .state_value(state)
        .state_reason("5xx above 10")
        .send()
        .await
        .expect("set state");
}
