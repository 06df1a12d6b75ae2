//! Log lines for the UI tests: two tasks of `checkout-api` merged, mixed levels, a JSON line
//! and a multi-line stack trace, written straight into a tail's shared buffer.

use super::fixtures;
use ecsdeck::model::logs::tail::{HistoryLoaded, SharedTail, TailMode, TailSource, TailStatus};
use ecsdeck::model::time_format::epoch_ms;

const TASKS: [&str; 2] = [
    "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5",
    "9f8e7d6c5b4a49382716a5b4c3d2e1f0",
];

/// Appends lines `from..from + count` (line `i` at fixture time − 60 s + `i` × 250 ms).
pub fn fill(tail: &SharedTail, from: usize, count: usize) {
    let start = epoch_ms(fixtures::now()) - 60_000;
    let mut data = tail.write();
    let sources: Vec<u16> = TASKS
        .iter()
        .map(|task| {
            data.source_index(&TailSource {
                group: "/ecs/checkout-api".into(),
                stream: format!("ecs/app/{task}"),
                service: Some("checkout-api".into()),
                container: Some("app".into()),
            })
        })
        .collect();
    if from == 0 {
        data.covered_from_ms = start;
    }
    for i in from..from + count {
        let text = match i % 8 {
            0 => format!("INFO GET /cart/{i} 200 in 12 ms"),
            1 => format!("DEBUG cache hit for cart {i}"),
            2 => format!(
                r#"{{"level":"warn","msg":"slow query","ms":{},"cart":{i}}}"#,
                800 + i
            ),
            3 => format!("ERROR payment declined for order {i}: card expired"),
            4 => format!("INFO POST /checkout/{i} 201 in 48 ms"),
            5 => format!(
                "ERROR java.lang.IllegalStateException: order {i} already paid\n\tat com.shop.Pay.charge(Pay.java:42)\n\tat com.shop.Api.post(Api.java:17)"
            ),
            6 => format!("WARN retrying inventory call for order {i}"),
            _ => format!("INFO order {i} shipped"),
        };
        let ts = start + i as i64 * 250;
        data.buffer.push(ts, sources[i % 2], &text);
    }
}

/// Prepends `count` older lines (`older line K`, 250 ms apart before the oldest), as a
/// history load would.
pub fn older(tail: &SharedTail, count: usize) -> HistoryLoaded {
    let mut data = tail.write();
    let from = data.covered_from_ms;
    let source = data.source_index(&TailSource {
        group: "/ecs/checkout-api".into(),
        stream: format!("ecs/app/{}", TASKS[0]),
        service: Some("checkout-api".into()),
        container: Some("app".into()),
    });
    let already = (epoch_ms(fixtures::now()) - 60_000 - from) / 250;
    for k in 1..=count {
        let k_total = already + k as i64;
        data.buffer.push_front(
            from - k as i64 * 250,
            source,
            &format!("INFO older line {k_total}"),
        );
    }
    data.covered_from_ms = from - count as i64 * 250;
    HistoryLoaded {
        lines: count,
        covered_from_ms: data.covered_from_ms,
        exhausted: false,
        buffer_full: false,
    }
}

/// A polling tail's status.
pub fn status() -> TailStatus {
    TailStatus {
        mode: TailMode::Polling(None),
        delay_ms: Some(1_200),
        newest_event_ms: Some(epoch_ms(fixtures::now())),
        received: 40,
        streams: 1,
        ..TailStatus::default()
    }
}
