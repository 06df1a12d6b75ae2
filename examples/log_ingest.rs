//! Log tail throughput: ingest (dedup, merge order, severity, store) of 1,000,000 lines of
//! ~150 bytes, the memory they take, and a client-side filter over them (time to the first
//! results and to the end, in the slices the filter thread uses).
//! Run: `cargo run --release --example log_ingest`.

use ecsdeck::model::log_buffer::LogBuffer;
use ecsdeck::model::log_filter::{LogFilter, filter_slice};
use ecsdeck::model::log_merge::{IncomingEvent, LogMerge};
use std::time::Instant;

const LINES: usize = 1_000_000;
const BATCH: usize = 1_000;
/// Lines a filter slice covers between releases of the buffer.
const SLICE_LINES: i64 = 65_536;

/// A realistic mix: plain and JSON lines, mixed levels, ~150 bytes.
fn line(i: usize) -> String {
    let level = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"][i % 6];
    if i.is_multiple_of(3) {
        format!(
            r#"{{"time":"2026-12-01T10:{:02}:{:02}.{:03}Z","level":"{}","msg":"request handled","method":"GET","path":"/api/orders/{}","status":200,"ms":{},"region":"us-east-1","az":"us-east-1a"}}"#,
            (i / 60_000) % 60,
            (i / 1_000) % 60,
            i % 1_000,
            level.to_lowercase(),
            i,
            i % 977
        )
    } else {
        format!(
            "2026-12-01T10:{:02}:{:02}.{:03}Z {level:5} [worker-{}] order {} processed for customer {} in {} ms (queue=orders-main, attempt=1, host=ip-10-0-1-23)",
            (i / 60_000) % 60,
            (i / 1_000) % 60,
            i % 1_000,
            i % 8,
            i,
            i * 7 % 100_003,
            i % 977
        )
    }
}

/// Resident memory of this process, in MiB (Linux; 0 elsewhere).
fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / (1024.0 * 1024.0))
}

fn main() {
    // Memory first, from lines made on the fly: nothing else is allocated meanwhile.
    let before_mib = resident_mib();
    let mut buffer = LogBuffer::new(LINES);
    for i in 0..LINES {
        buffer.push(1_800_000_000_000 + i as i64, (i % 20) as u16, &line(i));
    }
    println!(
        "memory: {} lines of {:.0} bytes on average: {:.0} MiB resident ({:.0} MiB of text, {:.0} MiB of line records)",
        buffer.len(),
        buffer.text_bytes() as f64 / LINES as f64,
        resident_mib() - before_mib,
        buffer.text_bytes() as f64 / (1024.0 * 1024.0),
        (buffer.len() * std::mem::size_of::<ecsdeck::model::log_buffer::LineMeta>()) as f64
            / (1024.0 * 1024.0)
    );
    drop(buffer);

    // Events as the poller hands them over: 20 streams, ids, timestamps a millisecond apart.
    let events: Vec<Vec<IncomingEvent>> = (0..LINES / BATCH)
        .map(|b| {
            (0..BATCH)
                .map(|j| {
                    let i = b * BATCH + j;
                    IncomingEvent {
                        event_id: Some(format!("{:056}", i)),
                        timestamp_ms: 1_800_000_000_000 + i as i64,
                        source: (i % 20) as u16,
                        message: line(i),
                    }
                })
                .collect()
        })
        .collect();
    let bytes: usize = events.iter().flatten().map(|e| e.message.len()).sum();
    let mut buffer = LogBuffer::new(LINES);
    let mut merge = LogMerge::new(2_000, 60_000);
    let started = Instant::now();
    for (b, batch) in events.into_iter().enumerate() {
        merge.add(batch);
        merge.commit(1_800_000_000_000 + ((b + 1) * BATCH) as i64, &mut buffer);
    }
    merge.flush(&mut buffer);
    let ingest = started.elapsed();
    println!(
        "ingest: {} lines ({:.0} bytes average) in {:.0} ms: {:.2} M lines/s",
        buffer.len(),
        bytes as f64 / LINES as f64,
        ingest.as_secs_f64() * 1e3,
        LINES as f64 / ingest.as_secs_f64() / 1e6
    );

    for (label, filter) in [
        (
            "text \"customer 4242\"",
            LogFilter {
                pattern: "customer 4242".into(),
                ..LogFilter::default()
            },
        ),
        (
            "regex \"order \\d+5 processed\"",
            LogFilter {
                pattern: r"order \d+5 processed".into(),
                regex: true,
                ..LogFilter::default()
            },
        ),
        (
            "ERROR and above",
            LogFilter {
                min_severity: ecsdeck::model::log_severity::Severity::Error,
                ..LogFilter::default()
            },
        ),
    ] {
        let Ok(compiled) = filter.compile() else {
            println!("{label}: does not compile");
            continue;
        };
        let started = Instant::now();
        let mut out = Vec::new();
        let mut from = buffer.first_index();
        let mut first = None;
        while from < buffer.end_index() {
            from = filter_slice(&buffer, &compiled, from, from + SLICE_LINES, &mut out);
            if first.is_none() && !out.is_empty() {
                first = Some(started.elapsed());
            }
        }
        println!(
            "filter {label}: {} lines kept, first results {:.1} ms, complete {:.0} ms",
            out.len(),
            first.unwrap_or_default().as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}
