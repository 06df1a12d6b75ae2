//! Merge order, de-duplication across overlapping polls and renewed sessions, late events.

use super::*;

fn event(id: Option<&str>, timestamp_ms: i64, source: u16, message: &str) -> IncomingEvent {
    IncomingEvent {
        event_id: id.map(str::to_owned),
        timestamp_ms,
        source,
        message: message.to_owned(),
    }
}

fn committed(buffer: &LogBuffer) -> Vec<(i64, String)> {
    buffer
        .iter_from(buffer.first_index())
        .map(|(_, meta, text)| (meta.timestamp_ms, text.to_owned()))
        .collect()
}

#[test]
fn streams_merge_in_timestamp_order_once_the_window_passes() {
    let mut merge = LogMerge::new(1_000, 60_000);
    let mut buffer = LogBuffer::new(100);
    merge.add([
        event(Some("a2"), 2_000, 0, "a2"),
        event(Some("a5"), 5_000, 0, "a5"),
    ]);
    merge.add([
        event(Some("b1"), 1_000, 1, "b1"),
        event(Some("b3"), 3_000, 1, "b3"),
    ]);
    merge.commit(4_000, &mut buffer);
    // Up to 3,000 is committed; 5,000 still waits in the window and is shown as pending.
    assert_eq!(
        committed(&buffer),
        [
            (1_000, "b1".into()),
            (2_000, "a2".into()),
            (3_000, "b3".into())
        ]
    );
    assert_eq!(merge.pending().count(), 1);
    merge.flush(&mut buffer);
    assert_eq!(buffer.len(), 4);
    assert_eq!(merge.late(), 0);
}

#[test]
fn an_overlapping_poll_adds_nothing_twice() {
    let mut merge = LogMerge::new(0, 60_000);
    let mut buffer = LogBuffer::new(100);
    merge.add((0..10).map(|i| event(Some(&format!("e{i}")), i * 100, 0, "x")));
    merge.commit(10_000, &mut buffer);
    // The next poll starts 500 ms back: events 5–9 come again, with 10–12 new.
    merge.add((5..13).map(|i| event(Some(&format!("e{i}")), i * 100, 0, "x")));
    merge.commit(10_000, &mut buffer);
    assert_eq!(buffer.len(), 13);
    assert_eq!(merge.duplicates(), 5);
}

#[test]
fn events_without_ids_are_matched_by_source_time_and_text() {
    let mut merge = LogMerge::new(0, 60_000);
    let mut buffer = LogBuffer::new(100);
    // A renewed Live Tail session repeats its last events (no event ids there).
    merge.add([event(None, 1, 0, "same"), event(None, 1, 1, "same")]);
    merge.add([event(None, 1, 0, "same"), event(None, 1, 0, "other")]);
    merge.flush(&mut buffer);
    assert_eq!(buffer.len(), 3, "{:?}", committed(&buffer));
    assert_eq!(merge.duplicates(), 1);
}

#[test]
fn an_event_later_than_the_window_is_kept_and_counted_late() {
    let mut merge = LogMerge::new(1_000, 60_000);
    let mut buffer = LogBuffer::new(100);
    merge.add([event(Some("a"), 10_000, 0, "on time")]);
    merge.commit(20_000, &mut buffer);
    merge.add([event(Some("b"), 5_000, 1, "late")]);
    merge.commit(20_000, &mut buffer);
    assert_eq!(committed(&buffer).len(), 2);
    assert_eq!(merge.late(), 1);
}

#[test]
fn seen_ids_are_forgotten_past_the_horizon() {
    let mut merge = LogMerge::new(0, 1_000);
    let mut buffer = LogBuffer::new(100);
    merge.add([event(Some("old"), 0, 0, "x")]);
    merge.add([event(Some("new"), 5_000, 0, "y")]);
    merge.commit(5_000, &mut buffer);
    assert_eq!(merge.seen.len(), 1, "only the recent id is remembered");
}

#[test]
fn an_event_from_the_far_future_holds_nothing_behind_it() {
    let mut merge = LogMerge::new(1_000, 10_000);
    let mut buffer = LogBuffer::new(1_000_000);
    let hours_ahead = 3 * 3_600_000;
    merge.add([event(Some("future"), hours_ahead, 0, "from the future")]);
    for second in 0..100_i64 {
        let batch = (0..100).map(|i| {
            let t = second * 1_000 + i;
            event(Some(&format!("e{t}")), t, 0, "ordinary")
        });
        merge.add(batch.collect::<Vec<_>>());
        merge.commit(second * 1_000, &mut buffer);
    }
    // Keys older than the horizon are forgotten even though the future one came first.
    assert!(
        merge.remembered() < 2_000,
        "{} keys remembered",
        merge.remembered()
    );
    assert!(merge.pending().count() < 2_000);
    assert_eq!(
        merge.pending().last().map(|e| e.message.as_str()),
        Some("from the future")
    );
}

#[test]
fn a_flood_of_pending_events_is_committed_rather_than_held() {
    let mut merge = LogMerge::new(i64::MAX / 4, 0);
    let mut buffer = LogBuffer::new(1_000_000);
    let flood: Vec<IncomingEvent> = (0..(MAX_PENDING as i64 + 500))
        .map(|t| event(None, t, 0, &format!("line {t}")))
        .collect();
    merge.add(flood);
    merge.commit(0, &mut buffer);
    assert_eq!(merge.pending().count(), MAX_PENDING);
    assert_eq!(buffer.len(), 500, "the oldest were committed");
}
