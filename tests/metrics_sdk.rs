//! GetMetricData paging, partial answers and errors with `aws-smithy-mocks` (moto neither pages
//! GetMetricData nor says PartialData): a query split over two pages is stitched back in
//! order, a partial answer is reported, and AccessDenied from CloudWatch becomes the AWS error.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::error::ErrorMetadata;
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{MetricDataResult, StatusCode};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use ecsdeck::aws::Ecs;
use ecsdeck::model::ErrorKind;
use ecsdeck::model::metrics::MetricRange;
use ecsdeck::model::metrics::charts::{MetricsKey, MetricsScope};

const NOW: i64 = 1_800_000_000;

fn ecs(client: Client) -> Ecs {
    let ecs_client = aws_sdk_ecs::Client::from_conf(
        aws_sdk_ecs::Config::builder()
            .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
            .region(aws_sdk_ecs::config::Region::new("us-east-1"))
            .build(),
    );
    Ecs::new(ecs_client, None).with_metrics(client)
}

fn key() -> MetricsKey {
    MetricsKey {
        scope: MetricsScope::Service {
            cluster: "prod".into(),
            service: "api".into(),
        },
        range: MetricRange::Last(3_600),
        period_secs: 60,
        insights: false,
        reservation: false,
    }
}

fn result(id: &str, minutes: &[i64], status: StatusCode) -> MetricDataResult {
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(
            minutes
                .iter()
                .map(|m| DateTime::from_secs(NOW - 3_600 + m * 60))
                .collect(),
        ))
        .set_values(Some(minutes.iter().map(|m| *m as f64).collect()))
        .status_code(status)
        .build()
}

#[tokio::test]
async fn pages_are_stitched_and_partial_answers_reported() {
    let first = mock!(Client::get_metric_data)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", &[0, 1, 2], StatusCode::PartialData))
                .metric_data_results(result("q1", &[0], StatusCode::Complete))
                .next_token("page-2")
                .build()
        });
    let second = mock!(Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", &[3, 5], StatusCode::Complete))
                .metric_data_results(result("q2", &[7], StatusCode::PartialData))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&first, &second]);
    let data = ecs(client).metrics(&key(), NOW).await.unwrap();
    assert_eq!(first.num_calls() + second.num_calls(), 2);
    assert_eq!(data.calls, 1, "one call, two pages");
    let average = &data.charts[0].series[0].values;
    assert_eq!(
        &average[..7],
        &[
            Some(0.0),
            Some(1.0),
            Some(2.0),
            Some(3.0),
            None,
            Some(5.0),
            None
        ]
    );
    assert_eq!(data.charts[0].series[1].values[0], Some(0.0));
    assert!(data.partial, "q2 ended PartialData");
}

#[tokio::test]
async fn access_denied_is_the_aws_error() {
    let denied = mock!(Client::get_metric_data).then_error(|| {
        GetMetricDataError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User is not authorized to perform: cloudwatch:GetMetricData")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&denied]);
    let error = ecs(client).metrics(&key(), NOW).await.unwrap_err();
    assert_eq!(error.operation, "GetMetricData");
    assert_eq!(error.code, "AccessDenied");
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(error.message.contains("cloudwatch:GetMetricData"));

    let future = MetricsKey {
        range: MetricRange::Custom {
            start_secs: NOW + 60,
            end_secs: NOW + 3_600,
        },
        ..key()
    };
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&denied]);
    let error = ecs(client).metrics(&future, NOW).await.unwrap_err();
    assert!(error.message.contains("in the future"), "{}", error.message);
}

/// The insights branch when ListMetrics is denied (aws-smithy-mocks): the per-task lines are
/// left out with the reason as a note, and the other charts are still read and drawn.
#[tokio::test]
async fn denied_per_task_metrics_leave_a_note_and_the_other_charts() {
    use aws_sdk_cloudwatch::operation::list_metrics::ListMetricsError;
    let denied = mock!(Client::list_metrics).then_error(|| {
        ListMetricsError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("not authorized to perform: cloudwatch:ListMetrics")
                .build(),
        )
    });
    let data = mock!(Client::get_metric_data).then_output(|| {
        GetMetricDataOutput::builder()
            .metric_data_results(result("q0", &[0, 1], StatusCode::Complete))
            .build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&denied, &data]);
    let insights = MetricsKey {
        insights: true,
        ..key()
    };
    let charts = ecs(client).metrics(&insights, NOW).await.unwrap();
    assert_eq!(denied.num_calls(), 1);
    assert_eq!(data.num_calls(), 1);
    assert_eq!(charts.notes.len(), 1);
    assert!(
        charts.notes[0].starts_with("Per-task metrics unavailable")
            && charts.notes[0].contains("AccessDenied"),
        "{:?}",
        charts.notes
    );
    let titles: Vec<&str> = charts.charts.iter().map(|c| c.title.as_str()).collect();
    assert!(titles.contains(&"Running tasks"), "{titles:?}");
    assert!(!titles.contains(&"CPU per task"), "{titles:?}");
    assert_eq!(charts.charts[0].series[0].values[0], Some(0.0));
}
