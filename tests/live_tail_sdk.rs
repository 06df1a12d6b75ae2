//! Live Tail in the tail engine, through the real SDK. moto's StartLiveTail sends one snapshot
//! and closes, so the sessions here come from scripts: a fault-injecting proxy in front of
//! moto answers StartLiveTail with real event-stream frames (`support::live_tail_script`)
//! and forwards every other call (DescribeLogGroups, FilterLogEvents) to moto. The last test
//! uses moto's own StartLiveTail.

use crate::support;

use ecsdeck::aws::ecs::Ecs;
use ecsdeck::model::logs::tail::{
    SAMPLED_SOURCE, SharedTail, TailMode, TailSpec, TailStatus, TailTarget,
};
use ecsdeck::worker::log_tail::{LiveTiming, run_tail_timed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::Emulator;
use support::fault_proxy::{FaultProxy, Rule};
use support::live_tail_script::Step;
use support::log_seed::{create_streams, now_ms, put};

const GROUP: &str = "/ecs/live";
const STREAM: &str = "ecs/app/0f1e2d3c";

/// A running tail and what it reported.
struct Running {
    tail: SharedTail,
    statuses: Arc<Mutex<Vec<TailStatus>>>,
    engine: tokio::task::JoinHandle<TailStatus>,
}

impl Running {
    fn texts(&self) -> Vec<String> {
        let data = self.tail.read();
        data.buffer
            .iter_from(data.buffer.first_index())
            .map(|(_, _, text)| text.to_owned())
            .collect()
    }

    fn sampled_markers(&self) -> usize {
        let data = self.tail.read();
        data.buffer
            .iter_from(data.buffer.first_index())
            .filter(|(_, meta, _)| meta.source == SAMPLED_SOURCE)
            .count()
    }

    fn last_status(&self) -> TailStatus {
        self.statuses
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits (up to 30 s) until the statuses hold one that `found` accepts.
    async fn wait_for_status(&self, what: &str, found: impl Fn(&TailStatus) -> bool) -> TailStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self
                .statuses
                .lock()
                .expect("lock")
                .iter()
                .find(|s| found(s))
            {
                return status.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no status {what}; last {:?}",
                self.last_status()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (up to 30 s) until a line equal to `text` is in the buffer.
    async fn wait_for_line(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.texts().iter().any(|t| t == text) {
            assert!(
                Instant::now() < deadline,
                "no line {text:?}; last status {:?}",
                self.last_status()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.engine.abort();
    }
}

/// A group with one stream in moto holding ten lines of the last minute.
async fn seeded_group(emulator: &Emulator) {
    create_streams(emulator, GROUP, &[STREAM.to_owned()]).await;
    let start = now_ms() - 60_000;
    let history = (0..10).map(|i| (start + i * 1_000, format!("history {i}")));
    put(&emulator.logs_client(), GROUP, STREAM, history).await;
}

/// Follows the `ecs/app/` streams of the group through `endpoint`, with Live Tail.
fn follow(emulator: &Emulator, endpoint: &str, timing: LiveTiming) -> Running {
    let ecs = Ecs::new(emulator.ecs_client(), Some(endpoint.to_owned()))
        .with_logs(emulator.logs_client_at(endpoint));
    let spec = TailSpec {
        target: TailTarget::Group {
            group: GROUP.into(),
            prefix: Some("ecs/app/".into()),
        },
        since_ms: now_ms() - 300_000,
        filter_pattern: None,
        live: true,
        follow: true,
    };
    let tail = SharedTail::new(100_000);
    let statuses: Arc<Mutex<Vec<TailStatus>>> = Arc::default();
    let engine = {
        let (tail, statuses) = (tail.clone(), statuses.clone());
        tokio::spawn(async move {
            let report = move |s: TailStatus| statuses.lock().expect("lock").push(s);
            run_tail_timed(&ecs, &spec, &tail, &report, timing).await
        })
    };
    Running {
        tail,
        statuses,
        engine,
    }
}

fn polling_because(status: &TailStatus, words: &str) -> bool {
    matches!(&status.mode, TailMode::Polling(Some(why)) if why.contains(words))
}

fn history_once(texts: &[String]) {
    for i in 0..10 {
        let line = format!("history {i}");
        assert_eq!(
            texts.iter().filter(|t| **t == line).count(),
            1,
            "{line} once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_tail_takes_over_after_history_and_renews_without_gap_or_duplicates() {
    let emulator = Emulator::start();
    seeded_group(&emulator).await;
    let feed = || {
        vec![
            Step::Start,
            Step::Feed {
                stream: STREAM.into(),
                every_ms: 20,
            },
        ]
    };
    // More scripts than the test lasts sessions (a call beyond them would reach moto).
    let proxy =
        FaultProxy::with_live_tail(emulator.port, Vec::new(), (0..12).map(|_| feed()).collect());
    // Sessions renewed every 3 s (instead of 2 h 50 min): a hand-over every 3 s.
    let timing = LiveTiming {
        renew_after: Duration::from_secs(3),
        min_session: Duration::ZERO,
    };
    let running = follow(&emulator, &proxy.endpoint, timing);
    running
        .wait_for_status("in Live Tail mode", |s| s.mode == TailMode::LiveTail)
        .await;
    let deadline = Instant::now() + Duration::from_secs(40);
    while proxy.counts.live_calls.lock().expect("lock").len() < 3 {
        assert!(Instant::now() < deadline, "no third session");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The second session's predecessor retires 8 s after the third started; then more ticks.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let texts = running.texts();
    let status = running.last_status();

    history_once(&texts);
    let ticks: Vec<i64> = texts
        .iter()
        .filter_map(|t| t.strip_prefix("tick ")?.parse().ok())
        .collect();
    assert!(ticks.len() > 300, "only {} live lines", ticks.len());
    let gaps: Vec<_> = ticks.windows(2).filter(|w| w[1] - w[0] != 20).collect();
    assert!(
        gaps.is_empty(),
        "live lines missing or repeated across renewals: {gaps:?}"
    );
    assert!(
        ticks[ticks.len() - 1] - ticks[0] > 9_000,
        "the ticks span several renewals"
    );
    assert_eq!(status.mode, TailMode::LiveTail, "{status:?}");
    assert_eq!(status.duplicates, 0);
    assert_eq!(status.sampled, 0);
    let calls = proxy.counts.live_calls.lock().expect("lock").clone();
    for call in &calls {
        let body: serde_json::Value = serde_json::from_str(call).expect("json");
        let group = body["logGroupIdentifiers"][0].as_str().unwrap_or_default();
        assert!(
            group.starts_with("arn:aws:logs:") && group.ends_with(":log-group:/ecs/live"),
            "Live Tail is given the group's ARN: {group}"
        );
        assert_eq!(body["logStreamNamePrefixes"][0], "ecs/app/", "{call}");
    }
    drop(running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sampled_update_is_marked_and_a_timed_out_session_hands_back_to_polling_without_loss() {
    let emulator = Emulator::start();
    seeded_group(&emulator).await;
    let first = vec![
        Step::Start,
        // Past the hand-over cut (3 s after the start).
        Step::Wait(Duration::from_millis(3_500)),
        Step::Update {
            events: vec![(STREAM.into(), "live one".into())],
            sampled: true,
        },
        Step::Wait(Duration::from_millis(1_500)),
        Step::Timeout,
    ];
    let second = vec![Step::Start, Step::Hold];
    let proxy = FaultProxy::with_live_tail(emulator.port, Vec::new(), vec![first, second]);
    let running = follow(&emulator, &proxy.endpoint, LiveTiming::default());
    running.wait_for_line("live one").await;
    running
        .wait_for_status("polling after the time-out", |s| {
            polling_because(s, "reached its time limit")
        })
        .await;
    // Written while polling: polling reads it, the next session's cut lies after it.
    put(
        &emulator.logs_client(),
        GROUP,
        STREAM,
        [(now_ms(), "between sessions".into())],
    )
    .await;
    running.wait_for_line("between sessions").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while running.last_status().mode != TailMode::LiveTail {
        assert!(Instant::now() < deadline, "Live Tail never came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let the hand-over finish: nothing is read twice.
    tokio::time::sleep(Duration::from_secs(9)).await;
    let texts = running.texts();
    history_once(&texts);
    for line in ["live one", "between sessions"] {
        assert_eq!(texts.iter().filter(|t| **t == line).count(), 1, "{line}");
    }
    assert_eq!(running.sampled_markers(), 1, "{texts:?}");
    let marker = texts
        .iter()
        .find(|t| t.contains("sampled by AWS"))
        .expect("a sampled marker line");
    assert!(marker.starts_with("Events not shown around "), "{marker}");
    assert_eq!(running.last_status().sampled, 1);
    assert_eq!(proxy.counts.live_calls.lock().expect("lock").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_or_throttled_live_tail_falls_back_to_polling_with_the_reason() {
    let emulator = Emulator::start();
    seeded_group(&emulator).await;
    for (code, words) in [
        (
            "AccessDeniedException",
            "Live Tail unavailable: AccessDeniedException",
        ),
        ("ThrottlingException", "trying it again in 5 min"),
    ] {
        let proxy = FaultProxy::start(emulator.port, vec![Rule::error("StartLiveTail", 1.0, code)]);
        let running = follow(&emulator, &proxy.endpoint, LiveTiming::default());
        let status = running
            .wait_for_status("polling with the reason", |s| polling_because(s, words))
            .await;
        let TailMode::Polling(Some(why)) = &status.mode else {
            unreachable!()
        };
        assert!(why.contains(&format!("injected {code}")), "{why}");
        let line = format!("after the {code}");
        put(
            &emulator.logs_client(),
            GROUP,
            STREAM,
            [(now_ms(), line.clone())],
        )
        .await;
        running.wait_for_line(&line).await;
        history_once(&running.texts());
        assert_eq!(
            proxy
                .counts
                .faulted
                .load(std::sync::atomic::Ordering::Relaxed),
            1,
            "Live Tail is not retried at once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_closes_live_tail_at_once_is_polled_instead() {
    // moto itself: StartLiveTail answers one snapshot and closes the stream.
    let emulator = Emulator::start();
    seeded_group(&emulator).await;
    let running = follow(&emulator, &emulator.endpoint, LiveTiming::default());
    running
        .wait_for_status("polling because the endpoint closed Live Tail", |s| {
            polling_because(s, "the endpoint closed Live Tail after")
        })
        .await;
    put(
        &emulator.logs_client(),
        GROUP,
        STREAM,
        [(now_ms(), "polled after moto's session".into())],
    )
    .await;
    running.wait_for_line("polled after moto's session").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    history_once(&running.texts());
    assert_eq!(
        running
            .texts()
            .iter()
            .filter(|t| *t == "polled after moto's session")
            .count(),
        1
    );
}
