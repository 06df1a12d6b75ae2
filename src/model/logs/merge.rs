//! Merging events from many streams into one ordered tail, each exactly once.
//!
//! Polls overlap (an event can be written with a timestamp slightly in the past and show up on
//! a later poll), streams deliver out of step, and a renewed Live Tail session repeats its
//! last events. So events wait in a small sorted window (`merge_window_ms`) before they are
//! committed to the buffer in timestamp order, and an event seen before — by its event id, or
//! by source, time and text when there is none — is dropped. The pending window is shown
//! too: holding events back costs no display delay.

#[cfg(test)]
pub(crate) mod tests;

use super::buffer::LogBuffer;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashSet, VecDeque};

/// Events held in the window at most: beyond this the oldest are committed at once, so a
/// flood (or events stamped far in the future) cannot hold everything in memory.
pub const MAX_PENDING: usize = 100_000;
/// Event keys remembered for de-duplication at most (the oldest by timestamp go first).
pub const MAX_SEEN: usize = 500_000;
use std::hash::{Hash, Hasher};

/// One event as a source delivers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingEvent {
    /// CloudWatch's event id, when the API gives one (FilterLogEvents does, Live Tail not).
    pub event_id: Option<String>,
    /// Event time, epoch milliseconds.
    pub timestamp_ms: i64,
    /// Source index (task/container/stream) in the tail.
    pub source: u16,
    /// The text.
    pub message: String,
}

impl IncomingEvent {
    fn key(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        match &self.event_id {
            Some(id) => id.hash(&mut hasher),
            None => (self.source, self.timestamp_ms, &self.message).hash(&mut hasher),
        }
        hasher.finish()
    }
}

/// Orders, de-duplicates and commits events to a [`LogBuffer`].
pub struct LogMerge {
    merge_window_ms: i64,
    dedup_horizon_ms: i64,
    /// Waiting events, sorted by timestamp (arrival order among equal timestamps).
    pending: VecDeque<IncomingEvent>,
    /// Keys of events seen, with their timestamps, in arrival order, for expiry.
    seen_order: VecDeque<(i64, u64)>,
    seen: HashSet<u64>,
    /// Newest timestamp committed.
    committed_to_ms: i64,
    /// Events that arrived after newer ones were already committed (appended, out of order).
    late: u64,
    /// Duplicates dropped.
    duplicates: u64,
}

impl LogMerge {
    /// A merge that holds events `merge_window_ms` before committing them and remembers
    /// which it has seen for `dedup_horizon_ms` behind the newest committed one (at least as
    /// far back as any source can repeat an event, e.g. a poll's overlap).
    pub fn new(merge_window_ms: i64, dedup_horizon_ms: i64) -> Self {
        Self {
            merge_window_ms: merge_window_ms.max(0),
            dedup_horizon_ms: dedup_horizon_ms.max(0),
            pending: VecDeque::new(),
            seen_order: VecDeque::new(),
            seen: HashSet::new(),
            committed_to_ms: i64::MIN,
            late: 0,
            duplicates: 0,
        }
    }

    /// Takes a batch of events; duplicates of events seen within the window are dropped.
    pub fn add(&mut self, events: impl IntoIterator<Item = IncomingEvent>) {
        for event in events {
            let key = event.key();
            if !self.seen.insert(key) {
                self.duplicates += 1;
                continue;
            }
            self.seen_order.push_back((event.timestamp_ms, key));
            if event.timestamp_ms < self.committed_to_ms {
                self.late += 1;
            }
            let at = self
                .pending
                .partition_point(|e| e.timestamp_ms <= event.timestamp_ms);
            self.pending.insert(at, event);
        }
    }

    /// Commits to `buffer`, in timestamp order, every pending event older than `now_ms` minus
    /// the merge window, and forgets events older than the dedup horizon.
    pub fn commit(&mut self, now_ms: i64, buffer: &mut LogBuffer) {
        let cutoff = now_ms.saturating_sub(self.merge_window_ms);
        while self
            .pending
            .front()
            .is_some_and(|e| e.timestamp_ms <= cutoff || self.pending.len() > MAX_PENDING)
        {
            if let Some(event) = self.pending.pop_front() {
                self.committed_to_ms = self.committed_to_ms.max(event.timestamp_ms);
                buffer.push(event.timestamp_ms, event.source, &event.message);
            }
        }
        let forget_before = self.committed_to_ms.saturating_sub(self.dedup_horizon_ms);
        // An event stamped further in the future than the horizon would hold every key that
        // arrived after it: it is forgotten instead (a repeat of it may be stored twice).
        let too_far_ahead = if self.committed_to_ms > i64::MIN {
            self.committed_to_ms.saturating_add(self.dedup_horizon_ms)
        } else {
            i64::MAX
        };
        while self.seen_order.front().is_some_and(|(t, _)| {
            *t < forget_before || *t > too_far_ahead || self.seen_order.len() > MAX_SEEN
        }) {
            if let Some((_, key)) = self.seen_order.pop_front() {
                self.seen.remove(&key);
            }
        }
    }

    /// Commits everything pending (when the tail stops).
    pub fn flush(&mut self, buffer: &mut LogBuffer) {
        self.commit(i64::MAX, buffer);
    }

    /// Events waiting in the window, oldest first (shown after the buffer's lines).
    pub fn pending(&self) -> impl Iterator<Item = &IncomingEvent> {
        self.pending.iter()
    }

    /// Events that arrived after newer ones had been committed.
    pub fn late(&self) -> u64 {
        self.late
    }

    /// Duplicates dropped.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Event keys remembered for de-duplication now.
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }
}
