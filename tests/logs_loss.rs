//! Loss test against moto: a writer puts 100,000 events across the 20 task streams of a
//! service at ≥ 2,000 events/s while `ecsdeck logs --follow --polling` tails the service;
//! every event must be printed exactly once, in time order within the merge window. Run
//! straight to moto, and through the fault proxy throttling 10% of FilterLogEvents calls.

use crate::support;

use ecsdeck::worker::log_tail::MERGE_WINDOW_MS;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::Emulator;
use support::fault_proxy::{FaultProxy, Rule};
use support::log_seed::{log_service, now_ms, put};

const STREAMS: usize = 20;
const EVENTS: usize = 100_000;
/// Events per stream per PutLogEvents call.
const BATCH: usize = 50;

struct Tail {
    child: Child,
    lines: mpsc::Receiver<serde_json::Value>,
}

impl Drop for Tail {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_cli(emulator: &Emulator, endpoint: &str, cluster: &str) -> Tail {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .envs(emulator.cli_env())
        .args(["--endpoint-url", endpoint, "--region", "us-east-1", "logs"])
        .args([
            "--cluster",
            cluster,
            "--service",
            "loadgen",
            "--since",
            "1m",
        ])
        .args(["--follow", "--polling", "--output", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ecsdeck logs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let value = serde_json::from_str(&line).expect("a JSON line");
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    Tail { child, lines }
}

/// Writes the events; returns the rate achieved, events/s.
async fn write_events(emulator: &Emulator, group: &str, streams: &[String]) -> f64 {
    let logs = emulator.logs_client();
    let started = Instant::now();
    let rounds = EVENTS / (STREAMS * BATCH);
    for round in 0..rounds {
        let ts = now_ms();
        let puts = streams.iter().enumerate().map(|(s, stream)| {
            let events = (0..BATCH).map(move |i| {
                let seq = round * BATCH + i;
                (ts + (i / 10) as i64, format!("s{s:02} n{seq:06}"))
            });
            put(&logs, group, stream, events)
        });
        futures::future::join_all(puts).await;
    }
    EVENTS as f64 / started.elapsed().as_secs_f64()
}

fn check_every_event_once_in_order(tail: &Tail) {
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut seen = HashSet::new();
    let mut newest = i64::MIN;
    let mut out_of_order = 0;
    while seen.len() < EVENTS {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = tail.lines.recv_timeout(left) else {
            panic!("only {} of {EVENTS} events arrived", seen.len());
        };
        let message = line["message"].as_str().expect("message").to_owned();
        let ts = line["timestamp_ms"].as_i64().expect("timestamp");
        assert!(seen.insert(message.clone()), "{message} printed twice");
        if ts < newest.saturating_sub(MERGE_WINDOW_MS) {
            eprintln!(
                "out of order: {message} at {ts}, {} ms before the newest shown (after {} lines)",
                newest - ts,
                seen.len()
            );
            out_of_order += 1;
        }
        newest = newest.max(ts);
    }
    assert_eq!(
        out_of_order, 0,
        "lines out of order beyond the merge window"
    );
    // Nothing more comes: no late duplicates.
    if let Ok(extra) = tail.lines.recv_timeout(Duration::from_secs(3)) {
        panic!("an extra line after all events: {extra}");
    }
}

async fn loss_test(throttle_rate: f64) {
    let emulator = Emulator::start();
    let svc = log_service(&emulator, "loss", "loadgen", STREAMS, true).await;
    let proxy = FaultProxy::start(
        emulator.port,
        vec![Rule::throttle("FilterLogEvents", throttle_rate)],
    );
    let tail = start_cli(&emulator, &proxy.endpoint, &svc.cluster);
    let rate = write_events(&emulator, &svc.group, &svc.streams).await;
    assert!(
        rate >= 2_000.0,
        "the writer managed only {rate:.0} events/s"
    );
    let checked = tokio::task::spawn_blocking(move || {
        check_every_event_once_in_order(&tail);
        tail
    });
    drop(checked.await.expect("checker"));
    let faulted = proxy
        .counts
        .faulted
        .load(std::sync::atomic::Ordering::Relaxed);
    let forwarded = proxy
        .counts
        .forwarded
        .load(std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "writer {rate:.0} events/s; {faulted} FilterLogEvents calls throttled, {forwarded} calls forwarded"
    );
    if throttle_rate > 0.0 {
        assert!(faulted > 0, "the proxy throttled nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polled_service_tail_prints_100k_events_once_in_order() {
    loss_test(0.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_with_10_percent_of_polls_throttled() {
    loss_test(0.10).await;
}
