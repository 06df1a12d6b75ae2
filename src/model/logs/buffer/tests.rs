//! Ring eviction, stable indices, chunk reuse and text clean-up.

use super::*;

fn texts(buffer: &LogBuffer) -> Vec<String> {
    buffer
        .iter_from(buffer.first_index())
        .map(|(_, _, text)| text.to_owned())
        .collect()
}

#[test]
fn lines_keep_their_index_while_the_oldest_are_evicted() {
    let mut buffer = LogBuffer::new(3);
    for i in 0..5 {
        buffer.push(i, 0, &format!("line {i}"));
    }
    assert_eq!(buffer.len(), 3);
    assert_eq!(buffer.dropped(), 2);
    assert_eq!(buffer.first_index(), 2);
    assert_eq!(buffer.end_index(), 5);
    assert_eq!(texts(&buffer), ["line 2", "line 3", "line 4"]);
    assert_eq!(buffer.get(4).map(|(_, t)| t), Some("line 4"));
    assert!(buffer.get(1).is_none(), "evicted");
    assert!(buffer.get(5).is_none(), "not yet written");
}

#[test]
fn history_goes_before_the_oldest_without_moving_other_indices() {
    let mut buffer = LogBuffer::new(4);
    buffer.push(100, 0, "new");
    buffer.push_front(50, 1, "older");
    buffer.push_front(10, 1, "oldest");
    assert_eq!(buffer.first_index(), -2);
    assert_eq!(buffer.get(0).map(|(_, t)| t), Some("new"));
    assert_eq!(texts(&buffer), ["oldest", "older", "new"]);
    let (meta, _) = buffer.get(-1).expect("older");
    assert_eq!((meta.timestamp_ms, meta.source), (50, 1));
    // A full ring keeps its newest lines: more history is dropped and counted.
    buffer.push_front(5, 1, "a");
    buffer.push_front(1, 1, "b");
    assert_eq!(buffer.len(), 4);
    assert_eq!(buffer.dropped(), 1);
}

#[test]
fn chunks_are_freed_once_their_lines_are_evicted() {
    let mut buffer = LogBuffer::new(100);
    let line = "x".repeat(100_000);
    for i in 0..1_000 {
        buffer.push(i, 0, &line);
    }
    // 100 lines of 100 KB are kept: about 10 MB of text, not the 100 MB written.
    assert_eq!(buffer.len(), 100);
    assert!(
        buffer.text_bytes() <= 12 * CHUNK_BYTES,
        "{}",
        buffer.text_bytes()
    );
    assert!(buffer.chunks.len() <= 12, "{}", buffer.chunks.len());
    assert!(texts(&buffer).iter().all(|t| t.len() == 100_000));
}

#[test]
fn a_full_ring_reuses_the_freed_chunk_instead_of_allocating() {
    let mut buffer = LogBuffer::new(1_000);
    let line = "y".repeat(10_000);
    // Filled, then turned over twice: the ring holds its chunks and one spare.
    for i in 0..3_000 {
        buffer.push(i, 0, &line);
    }
    let mut new_chunks = 0;
    // Twenty more chunks' worth of lines: each chunk started is the spare, not a new one.
    for i in 3_000..5_000 {
        let newest = buffer.chunks.back().map(|c| c.id);
        let spare = buffer.spare.as_ref().map(|s| s.as_ptr());
        buffer.push(i, 0, &line);
        let back = buffer.chunks.back().map(|c| (c.id, c.text.as_ptr()));
        if back.map(|(id, _)| id) != newest {
            new_chunks += 1;
            assert!(spare.is_some(), "chunk started at line {i} with no spare");
            assert_eq!(back.map(|(_, ptr)| ptr), spare);
        }
    }
    assert!(new_chunks >= 19, "{new_chunks}");
    assert_eq!(buffer.len(), 1_000);
    assert!(texts(&buffer).iter().all(|t| t.len() == 10_000));
    assert_eq!(buffer.get(4_999).map(|(m, _)| m.timestamp_ms), Some(4_999));
}

#[test]
fn severity_is_detected_on_the_way_in() {
    let mut buffer = LogBuffer::new(10);
    buffer.push(1, 0, r#"{"level":"error","msg":"boom"}"#);
    buffer.push(2, 0, "INFO ok");
    let severities: Vec<Severity> = buffer
        .iter_from(0)
        .map(|(_, meta, _)| meta.severity)
        .collect();
    assert_eq!(severities, [Severity::Error, Severity::Info]);
}

#[test]
fn binary_garbage_and_huge_lines_are_made_displayable() {
    let mut buffer = LogBuffer::new(10);
    buffer.push(1, 0, "bell\u{7}and\u{0}nul\ttab");
    let huge = "é".repeat(MAX_LINE_BYTES); // 2 bytes a char: twice the limit
    buffer.push(2, 0, &huge);
    let all = texts(&buffer);
    assert_eq!(all[0], "bell\\x07and\\x00nul\ttab");
    assert!(all[1].len() < MAX_LINE_BYTES + 64);
    assert!(all[1].ends_with(&format!("[cut: line of {} bytes]", huge.len())));
    assert!(
        displayable("plain line").is_none(),
        "clean text is not copied"
    );
}

#[test]
fn clear_empties_but_indices_carry_on() {
    let mut buffer = LogBuffer::new(10);
    buffer.push(1, 0, "a");
    buffer.push(2, 0, "b");
    buffer.clear();
    assert!(buffer.is_empty());
    assert_eq!(buffer.text_bytes(), 0);
    buffer.push(3, 0, "c");
    assert_eq!(buffer.get(2).map(|(_, t)| t), Some("c"));
}

#[test]
fn a_line_record_stays_small() {
    assert!(std::mem::size_of::<LineMeta>() <= 24);
}

#[test]
fn hostile_characters_show_as_visible_escapes() {
    let mut buffer = LogBuffer::new(10);
    buffer.push(1, 0, "\u{1b}[2Jwiped \u{202e}gnp.exe\u{200b} \u{9b}1m");
    assert_eq!(
        texts(&buffer)[0],
        "\\x1b[2Jwiped \\u{202e}gnp.exe\\u{200b} \\x9b1m"
    );
    assert!(
        displayable("naïve café → ok").is_none(),
        "other non-ASCII text is left alone"
    );
}

#[test]
fn the_text_cap_drops_the_oldest_lines_before_the_line_cap_does() {
    // Hostile input: lines of 200 KiB; a 4 MiB cap keeps about 4 MiB of them, not 10,000.
    let mut buffer = LogBuffer::new(10_000).with_capacity_mib(4);
    let line = "x".repeat(200 * 1024);
    for i in 0..200 {
        buffer.push(i, 0, &line);
    }
    assert!(
        buffer.text_bytes() <= buffer.capacity_bytes() + (1 << 20),
        "{} bytes kept",
        buffer.text_bytes()
    );
    assert!(buffer.len() < 30, "{} lines kept", buffer.len());
    assert_eq!(buffer.dropped() + buffer.len() as u64, 200);
    assert_eq!(
        buffer.get(199).map(|(m, _)| m.timestamp_ms),
        Some(199),
        "the newest stays"
    );
    // Older history is not let in past the cap either.
    for i in 0..50 {
        buffer.push_front(-1 - i, 0, &line);
    }
    assert!(buffer.text_bytes() <= buffer.capacity_bytes());
}

#[test]
fn the_default_text_cap_holds_a_million_ordinary_lines() {
    let line_bytes = 200;
    assert!(DEFAULT_CAPACITY_LINES * line_bytes < DEFAULT_CAPACITY_MIB << 20);
}
