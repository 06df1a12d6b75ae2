//! Log tail throughput: ingest (dedup, merge order, severity, store) of 1,000,000 lines of
//! ~150 bytes arriving as a polled tail gets them — pages from many streams, out of step, some
//! late, some repeated — through the tail's own merge window and dedup horizon; the memory
//! they take; and a client-side filter over them (time to the first results and to the end,
//! in the slices the filter thread uses).
//! Run: `cargo run --release --example log_ingest`.

use ecsdeck::model::logs::buffer::LogBuffer;
use ecsdeck::model::logs::filter::{LogFilter, filter_slice};
use ecsdeck::model::logs::merge::{IncomingEvent, LogMerge};
use ecsdeck::worker::log_tail::{DEDUP_HORIZON_MS, MERGE_WINDOW_MS};
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

/// Queries a tail polls (each over 5 of the 20 streams).
const QUERIES: usize = 4;

/// Pages as a polled tail receives them, a poll round at a time with the time the tail
/// releases events to at its end: each second, one page per query with that second's events
/// of its streams in time order; odd queries run a second behind (out of step, so the merge
/// holds the others' events for them), 1 % of events arrive a poll late (ingested late), and
/// each page repeats every 20th event of the page before (a poll's overlap, a Live Tail
/// hand-over). Event `i` is at `BASE_MS + i`, a thousand a second.
fn rounds() -> Vec<(i64, Vec<Vec<IncomingEvent>>)> {
    const BASE_MS: i64 = 1_800_000_000_000;
    let event = |i: usize| IncomingEvent {
        event_id: Some(format!("{i:056}")),
        timestamp_ms: BASE_MS + i as i64,
        source: (i % 20) as u16,
        message: line(i),
    };
    let seconds = LINES / BATCH;
    let late = |i: usize| i % 100 == 7;
    let mut rounds = Vec::with_capacity(seconds + 2);
    let mut previous: Vec<Vec<usize>> = vec![Vec::new(); QUERIES];
    for tick in 0..=seconds + 1 {
        let mut pages = Vec::with_capacity(QUERIES);
        for (q, before) in previous.iter_mut().enumerate() {
            let second = tick.checked_sub(q % 2 + 1);
            let of_query = |i: &usize| (i % 20) / 5 == q;
            let mut ids: Vec<usize> = before.iter().step_by(20).copied().collect();
            // Late ones from the second before, then this second's on time.
            if let Some(s) = second
                .and_then(|s| s.checked_sub(1))
                .filter(|s| *s < seconds)
            {
                ids.extend(
                    (s * BATCH..(s + 1) * BATCH)
                        .filter(of_query)
                        .filter(|i| late(*i)),
                );
            }
            if let Some(s) = second.filter(|s| *s < seconds) {
                ids.extend(
                    (s * BATCH..(s + 1) * BATCH)
                        .filter(of_query)
                        .filter(|i| !late(*i)),
                );
            }
            *before = ids.clone();
            pages.push(ids.into_iter().map(event).collect());
        }
        // Every query has read to the end of the lagging ones' second: the tail releases
        // to there plus its merge window (`complete_to_ms` in the engine).
        let complete_to_ms = BASE_MS + (tick.saturating_sub(1) * BATCH) as i64;
        rounds.push((complete_to_ms + MERGE_WINDOW_MS, pages));
    }
    rounds
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
        (buffer.len() * std::mem::size_of::<ecsdeck::model::logs::buffer::LineMeta>()) as f64
            / (1024.0 * 1024.0)
    );
    drop(buffer);

    let rounds = rounds();
    let events = || rounds.iter().flat_map(|(_, pages)| pages).flatten();
    let delivered = events().count();
    let bytes: usize = events().map(|e| e.message.len()).sum();
    let mut buffer = LogBuffer::new(LINES);
    let mut merge = LogMerge::new(MERGE_WINDOW_MS, DEDUP_HORIZON_MS);
    let started = Instant::now();
    for (release_ms, pages) in rounds {
        for page in pages {
            merge.add(page);
        }
        merge.commit(release_ms, &mut buffer);
    }
    merge.flush(&mut buffer);
    let ingest = started.elapsed();
    println!(
        "ingest: {} lines ({:.0} bytes average) from {} delivered in {} pages ({} repeats dropped, \
         {} late) in {:.0} ms: {:.2} M lines/s",
        buffer.len(),
        bytes as f64 / delivered as f64,
        delivered,
        LINES / BATCH * QUERIES,
        merge.duplicates(),
        merge.late(),
        ingest.as_secs_f64() * 1e3,
        LINES as f64 / ingest.as_secs_f64() / 1e6
    );
    assert_eq!(buffer.len(), LINES, "every line once");

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
                min_severity: ecsdeck::model::logs::severity::Severity::Error,
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
