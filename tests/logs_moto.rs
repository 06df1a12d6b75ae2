//! The polling tail's data path against moto: FilterLogEvents pages read through `aws/`, fed
//! through the poller, the merge and the buffer — every event exactly once, in time order —
//! and the errors a missing group gives.

use crate::support;

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use ecsdeck::aws::ecs::Ecs;
use ecsdeck::model::ErrorKind;
use ecsdeck::model::logs::buffer::LogBuffer;
use ecsdeck::model::logs::merge::{IncomingEvent, LogMerge};
use ecsdeck::model::logs::poll::{LogQuery, Poller};
use ecsdeck::model::logs::source::{StreamSelection, task_of_stream};
use support::Emulator;

const GROUP: &str = "/ecs/web";

fn now_ms() -> i64 {
    ecsdeck::model::time_format::epoch_secs(std::time::SystemTime::now()) * 1_000
}

async fn put(client: &aws_sdk_cloudwatchlogs::Client, stream: &str, events: Vec<(i64, String)>) {
    let events = events.into_iter().map(|(t, m)| {
        InputLogEvent::builder()
            .timestamp(t)
            .message(m)
            .build()
            .expect("event")
    });
    client
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(stream)
        .set_log_events(Some(events.collect()))
        .send()
        .await
        .expect("PutLogEvents");
}

/// Polls until nothing new arrives, the way the tail does; returns the buffer.
async fn tail(ecs: &Ecs, query: &LogQuery, since_ms: i64) -> (LogBuffer, LogMerge) {
    // The interval only says "poll again later" here: the test polls at once.
    let mut poller = Poller::new(since_ms, 1, 5_000);
    let mut merge = LogMerge::new(0, 60_000);
    let mut buffer = LogBuffer::new(100_000);
    for _ in 0..3 {
        for _page in 0..100 {
            let page = ecs
                .filter_log_events(query, &poller.request())
                .await
                .expect("FilterLogEvents");
            let newest = page.events.iter().map(|e| e.timestamp_ms).max();
            merge.add(page.events.into_iter().map(|e| IncomingEvent {
                event_id: e.event_id,
                timestamp_ms: e.timestamp_ms,
                source: task_of_stream(&e.stream).parse().unwrap_or(u16::MAX),
                message: e.message,
            }));
            if poller.answered(newest, page.next_token) > 0 {
                break;
            }
        }
    }
    merge.flush(&mut buffer);
    (buffer, merge)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_of_every_stream_arrives_once_in_time_order() {
    let emulator = Emulator::start();
    let client = emulator.logs_client();
    client
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .expect("group");
    let start = now_ms() - 60_000;
    // Four tasks' streams written in interleaved time order, and one of another container.
    for task in 0..4 {
        let stream = format!("ecs/web/{task}");
        client
            .create_log_stream()
            .log_group_name(GROUP)
            .log_stream_name(&stream)
            .send()
            .await
            .expect("stream");
        let events = (0..250)
            .map(|i| (start + i * 40 + task, format!("task {task} line {i}")))
            .collect();
        put(&client, &stream, events).await;
    }
    client
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name("ecs/sidecar/0")
        .send()
        .await
        .expect("stream");
    put(&client, "ecs/sidecar/0", vec![(start, "sidecar".into())]).await;

    let ecs = Ecs::new(emulator.ecs_client(), Some(emulator.endpoint.clone())).with_logs(client);
    let query = LogQuery {
        group: GROUP.into(),
        streams: StreamSelection::Prefix("ecs/web/".into()),
        filter_pattern: None,
    };
    let (buffer, merge) = tail(&ecs, &query, start - 1_000).await;
    let lines: Vec<(i64, u16, String)> = buffer
        .iter_from(buffer.first_index())
        .map(|(_, meta, text)| (meta.timestamp_ms, meta.source, text.to_owned()))
        .collect();
    assert_eq!(lines.len(), 1_000, "each web event once, no sidecar");
    assert!(lines.windows(2).all(|w| w[0].0 <= w[1].0), "time order");
    assert_eq!(lines[0], (start, 0, "task 0 line 0".into()));
    assert_eq!(lines[5], (start + 41, 1, "task 1 line 1".into()));
    // The later polls reached back 5 s and found the newest events again: dropped as repeats.
    assert!(merge.duplicates() > 0);

    // One task's stream only, with a server-side filter pattern.
    let one = LogQuery {
        group: GROUP.into(),
        streams: StreamSelection::Exact("ecs/web/2".into()),
        filter_pattern: Some("\"line 24\"".into()),
    };
    let (buffer, _) = tail(&ecs, &one, start - 1_000).await;
    let texts: Vec<String> = buffer
        .iter_from(buffer.first_index())
        .map(|(_, _, t)| t.to_owned())
        .collect();
    assert_eq!(texts.len(), 11, "{texts:?}"); // line 24 and 240–249
    assert!(texts.iter().all(|t| t.starts_with("task 2 line 24")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_does_not_exist_yet_is_a_not_found_error() {
    let emulator = Emulator::start();
    let ecs = Ecs::new(emulator.ecs_client(), Some(emulator.endpoint.clone()))
        .with_logs(emulator.logs_client());
    let query = LogQuery {
        group: "/ecs/not-yet".into(),
        streams: StreamSelection::WholeGroup("test".into()),
        filter_pattern: None,
    };
    let error = ecs
        .filter_log_events(&query, &Poller::new(0, 1_000, 5_000).request())
        .await
        .expect_err("missing group");
    assert_eq!(error.code, "ResourceNotFoundException");
    assert_eq!(error.kind, ErrorKind::NotFound);
}
