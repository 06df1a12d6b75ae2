//! The tail engine (`aws::log_tail::run_tail`) against moto: target resolution from ECS tasks
//! and task definitions, merged service tails tagged by task, a single container, and a log
//! group that does not exist yet.

use crate::support;

use ecsdeck::aws::ecs::Ecs;
use ecsdeck::model::ErrorKind;
use ecsdeck::model::logs::tail::{SharedTail, TailMode, TailSpec, TailStatus, TailTarget};
use ecsdeck::worker::log_tail::run_tail;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::Emulator;
use support::log_seed::{create_streams, log_service, now_ms, put};

fn ecs(emulator: &Emulator) -> Ecs {
    Ecs::new(emulator.ecs_client(), Some(emulator.endpoint.clone()))
        .with_logs(emulator.logs_client())
}

fn spec(target: TailTarget, follow: bool) -> TailSpec {
    TailSpec {
        target,
        since_ms: now_ms() - 300_000,
        filter_pattern: None,
        live: false,
        follow,
    }
}

/// Lines as (timestamp, source label, text).
fn lines(tail: &SharedTail) -> Vec<(i64, String, String)> {
    let data = tail.read();
    data.buffer
        .iter_from(data.buffer.first_index())
        .map(|(_, meta, text)| {
            let label = data
                .source(meta.source)
                .map(|s| s.label())
                .unwrap_or_default();
            (meta.timestamp_ms, label, text.to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_tail_merges_every_task_once_in_order_tagged_by_task() {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "logs", "api", 3, true).await;
    let logs = emulator.logs_client();
    let start = now_ms() - 60_000;
    for (t, stream) in svc.streams.iter().enumerate() {
        let events = (0..50).map(|i| (start + i * 100 + t as i64, format!("task {t} line {i}")));
        put(&logs, &svc.group, stream, events).await;
    }
    let tail = SharedTail::new(10_000);
    let target = TailTarget::Services {
        cluster: svc.cluster.clone(),
        services: vec!["api".into()],
    };
    let status = run_tail(&ecs(&emulator), &spec(target, false), &tail, &|_| {}).await;
    assert_eq!(status.mode, TailMode::Done, "{status:?}");
    assert!(
        status
            .notices
            .iter()
            .any(|n| n.contains("envoy has no log configuration")),
        "the container without logs is named: {:?}",
        status.notices
    );
    let got = lines(&tail);
    assert_eq!(got.len(), 150, "every event once");
    assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "time order");
    // Each line is tagged with its service, task and container.
    for (t, stream) in svc.streams.iter().enumerate() {
        let task_id = stream.rsplit('/').next().unwrap_or_default();
        let tag = format!("api {} app", &task_id[..8]);
        let of_task: Vec<_> = got.iter().filter(|l| l.1 == tag).collect();
        assert_eq!(of_task.len(), 50, "{tag}");
        assert!(
            of_task
                .iter()
                .all(|l| l.2.starts_with(&format!("task {t} ")))
        );
    }
    assert_eq!(
        tail.read().queries.len(),
        1,
        "one query for the app container"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_tail_reads_one_container_and_names_a_missing_one() {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "logs", "api", 2, true).await;
    let logs = emulator.logs_client();
    for (t, stream) in svc.streams.iter().enumerate() {
        put(
            &logs,
            &svc.group,
            stream,
            [(now_ms() - 1_000, format!("from {t}"))],
        )
        .await;
    }
    let task = |container: &str| TailTarget::Task {
        cluster: svc.cluster.clone(),
        task: svc.tasks[1].clone(),
        container: Some(container.into()),
    };
    let tail = SharedTail::new(100);
    let status = run_tail(&ecs(&emulator), &spec(task("app"), false), &tail, &|_| {}).await;
    assert_eq!(status.mode, TailMode::Done);
    let got = lines(&tail);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, "from 1", "only the chosen task's stream");

    let status = run_tail(
        &ecs(&emulator),
        &spec(task("sidecar"), false),
        &SharedTail::new(100),
        &|_| {},
    )
    .await;
    assert_eq!(status.mode, TailMode::Failed);
    let error = status.error.expect("an error");
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert!(
        error.message.contains("no container named sidecar"),
        "{error:?}"
    );

    // A container with no log configuration: the tail stops and says where the logs are not.
    let status = run_tail(
        &ecs(&emulator),
        &spec(task("envoy"), false),
        &SharedTail::new(100),
        &|_| {},
    )
    .await;
    assert_eq!(status.mode, TailMode::Failed);
    assert!(status.notices[0].contains("envoy has no log configuration"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_group_that_does_not_exist_yet_is_waited_for() {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "logs", "api", 1, false).await;
    let statuses: Arc<Mutex<Vec<TailStatus>>> = Arc::default();
    let tail = SharedTail::new(100);
    let engine = {
        let (statuses, tail) = (statuses.clone(), tail.clone());
        let ecs = ecs(&emulator);
        let target = TailTarget::Services {
            cluster: svc.cluster.clone(),
            services: vec!["api".into()],
        };
        tokio::spawn(async move {
            let report = move |s: TailStatus| statuses.lock().expect("lock").push(s);
            run_tail(&ecs, &spec(target, true), &tail, &report).await
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let waiting = loop {
        let found = statuses
            .lock()
            .expect("lock")
            .iter()
            .find_map(|s| match &s.mode {
                TailMode::Waiting(text) => Some(text.clone()),
                _ => None,
            });
        if let Some(text) = found {
            break text;
        }
        assert!(Instant::now() < deadline, "no waiting status");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(waiting.contains("/ecs/api does not exist yet"), "{waiting}");
    // The group appears; the tail picks its lines up by itself.
    create_streams(&emulator, &svc.group, &svc.streams).await;
    put(
        &emulator.logs_client(),
        &svc.group,
        &svc.streams[0],
        [(now_ms(), "hello".into())],
    )
    .await;
    while lines(&tail).is_empty() {
        assert!(Instant::now() < deadline, "the line never arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(lines(&tail)[0].2, "hello");
    let last = statuses
        .lock()
        .expect("lock")
        .last()
        .cloned()
        .expect("status");
    assert!(
        matches!(last.mode, TailMode::Polling(_)),
        "back to polling: {last:?}"
    );
    engine.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_lines_are_prepended_in_order_with_no_gap_back_to_a_time() {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "logs", "api", 2, true).await;
    let logs = emulator.logs_client();
    // 40 minutes of history: one line a second per task, the older 30 minutes before `since`.
    let now = now_ms();
    for (t, stream) in svc.streams.iter().enumerate() {
        let events = (0..2_400i64).map(|i| {
            (
                now - 2_400_000 + i * 1_000 + t as i64,
                format!("task {t} second {i}"),
            )
        });
        put(&logs, &svc.group, stream, events).await;
    }
    let tail = SharedTail::new(100_000);
    let target = TailTarget::Services {
        cluster: svc.cluster.clone(),
        services: vec!["api".into()],
    };
    let spec = TailSpec {
        since_ms: now - 600_000,
        ..spec(target, false)
    };
    let ecs = ecs(&emulator);
    run_tail(&ecs, &spec, &tail, &|_| {}).await;
    assert_eq!(lines(&tail).len(), 1_200, "the last 10 minutes");

    // One page: at least 5,000 lines were asked for, so all 3,600 older ones come, then the
    // search reaches 30 days back and says there is nothing more.
    let loaded = ecs.load_older(&tail, None, now).await.expect("loaded");
    assert_eq!(loaded.lines, 3_600);
    assert!(loaded.exhausted);
    let got = lines(&tail);
    assert_eq!(got.len(), 4_800);
    assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "time order");
    let mut texts: Vec<&str> = got.iter().map(|l| l.2.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), 4_800, "every line once");
    assert!(got[0].2.ends_with("second 0"));
    assert_eq!(
        tail.read().buffer.first_index(),
        -3_600,
        "indices of shown lines stay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_buffer_takes_only_the_newest_older_lines_and_says_so() {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "logs", "api", 1, true).await;
    let now = now_ms();
    // Ten lines in each of 600 seconds, five of them in one millisecond.
    let events = (0..6_000i64).map(|i| {
        (
            now - 1_200_000 + (i / 10) * 1_000 + i % 10 / 5,
            format!("line {i}"),
        )
    });
    put(&emulator.logs_client(), &svc.group, &svc.streams[0], events).await;
    let tail = SharedTail::new(1_000);
    let target = TailTarget::Services {
        cluster: svc.cluster.clone(),
        services: vec!["api".into()],
    };
    let spec = TailSpec {
        since_ms: now - 600_000,
        ..spec(target, false)
    };
    let ecs = ecs(&emulator);
    run_tail(&ecs, &spec, &tail, &|_| {}).await;
    assert_eq!(lines(&tail).len(), 0, "nothing in the last 10 minutes");
    // Back to 5 minutes before since: 3,000 lines, only 1,000 fit; cut between milliseconds.
    let loaded = ecs
        .load_older(&tail, Some(now - 900_000), now)
        .await
        .expect("loaded");
    assert!(loaded.buffer_full);
    assert!(loaded.lines <= 1_000 && loaded.lines >= 995, "{loaded:?}");
    let got = lines(&tail);
    assert_eq!(got.last().map(|l| l.2.as_str()), Some("line 5999"));
    assert!(got.windows(2).all(|w| w[0].0 <= w[1].0));
    // Whole milliseconds only: the first kept line starts its millisecond.
    let first_ms = got[0].0;
    assert_eq!(
        got.iter().filter(|l| l.0 == first_ms).count(),
        5,
        "{:?}",
        &got[..6]
    );
    // Everything from where the tail now says it covers is there: no partial millisecond.
    let covered = tail.read().covered_from_ms;
    assert!(covered <= first_ms);
    let expected = (0..6_000i64)
        .filter(|i| now - 1_200_000 + (i / 10) * 1_000 + i % 10 / 5 >= covered)
        .count();
    assert_eq!(got.len(), expected);
}
