//! The log lines of a tail: a ring of at most `capacity` lines, stored compactly — the text in
//! large shared chunks, each line a small fixed-size record pointing into one — so a million
//! lines cost about their text plus 32 bytes each, not a `String` apiece.
//!
//! Lines have stable absolute indices: appending keeps them, evicting the oldest or prepending
//! older history moves `first_index`, never a line's index, so filter results computed on
//! another thread stay valid while the tail grows.

#[cfg(test)]
pub(crate) mod tests;

use super::severity::{Severity, detect};
use crate::model::untrusted_text;
use std::collections::VecDeque;

/// Lines kept by default.
pub const DEFAULT_CAPACITY_LINES: usize = 1_000_000;
/// Text kept by default, MiB: a million ordinary lines (~200 bytes) fit with room to spare,
/// a million lines of 256 KiB (hostile, or a runaway logger) do not get to take 256 GB.
pub const DEFAULT_CAPACITY_MIB: usize = 512;
/// Text chunk size; a line never spans two chunks.
const CHUNK_BYTES: usize = 1 << 20;
/// Longest line kept whole (CloudWatch's event limit); longer text is cut with a note.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// One stored line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineMeta {
    /// Event time, epoch milliseconds.
    pub timestamp_ms: i64,
    /// Which source (task/container/stream) it came from: an index into the tail's sources.
    pub source: u16,
    /// Detected severity.
    pub severity: Severity,
    chunk: u32,
    start: u32,
    len: u32,
}

struct Chunk {
    /// Chunk number (counts up from 0 over the buffer's life).
    id: u32,
    text: String,
    /// Lines of the ring still stored here.
    live: usize,
}

/// A ring buffer of log lines.
pub struct LogBuffer {
    capacity: usize,
    /// Most bytes of text kept (whole chunks are freed, so the ring may hold up to one
    /// chunk more).
    capacity_bytes: usize,
    lines: VecDeque<LineMeta>,
    chunks: VecDeque<Chunk>,
    /// Absolute index of `lines[0]`.
    first_index: i64,
    /// Lines evicted because the ring was full.
    dropped: u64,
    /// Total text bytes stored, for the memory readout.
    text_bytes: usize,
    /// The last freed chunk's allocation, emptied, for the next chunk: a full ring then
    /// allocates nothing for its text. Freeing a megabyte and asking for another every few
    /// seconds fragmented glibc's heap: a 30-minute soak grew 20 % with the bytes in use flat.
    spare: Option<String>,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY_LINES)
    }
}

impl LogBuffer {
    /// An empty buffer keeping at most `capacity` lines (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            capacity_bytes: DEFAULT_CAPACITY_MIB << 20,
            lines: VecDeque::new(),
            chunks: VecDeque::new(),
            first_index: 0,
            dropped: 0,
            text_bytes: 0,
            spare: None,
        }
    }

    /// The same buffer keeping at most `mib` MiB of text (at least one chunk's worth).
    pub fn with_capacity_mib(mut self, mib: usize) -> Self {
        self.capacity_bytes = mib.max(1).saturating_mul(1 << 20);
        self
    }

    /// Most bytes of text kept.
    pub fn capacity_bytes(&self) -> usize {
        self.capacity_bytes
    }

    fn over_bytes(&self) -> bool {
        // The newest chunk is being filled and never freed: stop once it is all that is left.
        self.text_bytes > self.capacity_bytes && self.chunks.len() > 1
    }

    /// Lines stored.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is stored.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Most lines kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Lines dropped from the ring because it was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Absolute index of the oldest stored line.
    pub fn first_index(&self) -> i64 {
        self.first_index
    }

    /// One past the absolute index of the newest stored line.
    pub fn end_index(&self) -> i64 {
        self.first_index + self.lines.len() as i64
    }

    /// Bytes of text stored (the chunks' used space).
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Appends a line as the newest.
    pub fn push(&mut self, timestamp_ms: i64, source: u16, text: &str) {
        let meta = self.store(timestamp_ms, source, text);
        self.lines.push_back(meta);
        if self.lines.len() > self.capacity {
            self.evict_oldest();
        }
        while self.over_bytes() {
            self.evict_oldest();
        }
    }

    /// Adds an older line before the oldest (history loaded on scrolling up). When the ring is
    /// full the line is dropped instead: the newest lines are what a tail is for.
    pub fn push_front(&mut self, timestamp_ms: i64, source: u16, text: &str) {
        if self.lines.len() >= self.capacity || self.text_bytes + text.len() > self.capacity_bytes {
            self.dropped += 1;
            return;
        }
        let meta = self.store(timestamp_ms, source, text);
        self.lines.push_front(meta);
        self.first_index -= 1;
    }

    /// The line at absolute `index`, if still stored.
    pub fn get(&self, index: i64) -> Option<(&LineMeta, &str)> {
        let position = usize::try_from(index - self.first_index).ok()?;
        let meta = self.lines.get(position)?;
        Some((meta, self.text(meta)))
    }

    /// Lines from absolute index `from` (clamped to what is stored), oldest first.
    pub fn iter_from(&self, from: i64) -> impl Iterator<Item = (i64, &LineMeta, &str)> {
        let skip = usize::try_from(from - self.first_index).unwrap_or(0);
        self.lines
            .iter()
            .enumerate()
            .skip(skip)
            .map(move |(i, meta)| (self.first_index + i as i64, meta, self.text(meta)))
    }

    /// Removes every line (the counters of dropped lines and indices carry on).
    pub fn clear(&mut self) {
        self.first_index = self.end_index();
        self.lines.clear();
        self.chunks.clear();
        self.text_bytes = 0;
    }

    fn text(&self, meta: &LineMeta) -> &str {
        let Some(front) = self.chunks.front() else {
            return "";
        };
        let chunk = self
            .chunks
            .get(meta.chunk.wrapping_sub(front.id) as usize)
            .map_or("", |c| c.text.as_str());
        let (start, end) = (meta.start as usize, (meta.start + meta.len) as usize);
        chunk.get(start..end).unwrap_or("")
    }

    /// Copies `text` (made displayable) into the newest chunk and describes it.
    fn store(&mut self, timestamp_ms: i64, source: u16, text: &str) -> LineMeta {
        let clean = displayable(text);
        let text = clean.as_deref().unwrap_or(text);
        let severity = detect(text);
        let needs_new = self
            .chunks
            .back()
            .is_none_or(|c| c.text.len() + text.len() > CHUNK_BYTES);
        if needs_new {
            let id = self.chunks.back().map_or(0, |c| c.id.wrapping_add(1));
            let text = self
                .spare
                .take()
                .unwrap_or_else(|| String::with_capacity(CHUNK_BYTES));
            self.chunks.push_back(Chunk { id, text, live: 0 });
        }
        let Some(chunk) = self.chunks.back_mut() else {
            // Not reached: a chunk was just ensured. An empty line loses nothing stored.
            return LineMeta {
                timestamp_ms,
                source,
                severity,
                chunk: 0,
                start: 0,
                len: 0,
            };
        };
        let start = chunk.text.len();
        chunk.text.push_str(text);
        chunk.live += 1;
        self.text_bytes += text.len();
        LineMeta {
            timestamp_ms,
            source,
            severity,
            chunk: chunk.id,
            start: start as u32,
            len: text.len() as u32,
        }
    }

    fn evict_oldest(&mut self) {
        let Some(meta) = self.lines.pop_front() else {
            return;
        };
        self.first_index += 1;
        self.dropped += 1;
        let Some(front_id) = self.chunks.front().map(|c| c.id) else {
            return;
        };
        if let Some(chunk) = self
            .chunks
            .get_mut(meta.chunk.wrapping_sub(front_id) as usize)
        {
            chunk.live = chunk.live.saturating_sub(1);
        }
        // Chunks free from the front once none of their lines is left; the newest chunk
        // stays, it is being filled.
        while self.chunks.len() > 1 && self.chunks.front().is_some_and(|c| c.live == 0) {
            if let Some(mut chunk) = self.chunks.pop_front() {
                self.text_bytes -= chunk.text.len();
                chunk.text.clear();
                self.spare = Some(chunk.text);
            }
        }
    }
}

/// `text` made safe to show, when it needs changing: control, bidi and zero-width characters
/// (other than tab and newline) become visible escapes (`\x1b`, `\u{202e}`), and text over
/// [`MAX_LINE_BYTES`] is cut with a note of its size.
pub fn displayable(text: &str) -> Option<String> {
    let too_long = text.len() > MAX_LINE_BYTES;
    // A byte scan first: every hostile character starts with one of these bytes (C0, DEL,
    // C2 for C1, D8 for U+061C, E2 for U+200B–U+2069, EF for U+FEFF).
    let may_be_hostile = text.bytes().any(|b| {
        (b < 0x20 && b != b'\t' && b != b'\n') || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef)
    });
    let hostile = may_be_hostile && text.chars().any(untrusted_text::is_hostile);
    if !too_long && !hostile {
        return None;
    }
    let mut end = text.len().min(MAX_LINE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = untrusted_text::untrusted_block(&text[..end]).into_owned();
    if too_long {
        out.push_str(&format!(" … [cut: line of {} bytes]", text.len()));
    }
    Some(out)
}
