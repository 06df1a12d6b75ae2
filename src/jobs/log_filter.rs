//! The client-side filter of a tail, run on a thread of its own: it scans the buffer in slices
//! (holding the read lock one slice at a time, so the worker keeps committing), then keeps up
//! with new lines. The view takes the results with `try_lock` and never waits.

use crate::model::logs::filter::{CompiledFilter, LogFilter, filter_slice};
use crate::model::logs::tail::SharedTail;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Lines scanned under one read lock.
const SLICE_LINES: i64 = 32_768;
/// Wait when caught up, before looking for new lines.
const IDLE: Duration = Duration::from_millis(50);

/// What the filter has found so far.
#[derive(Debug, Default)]
pub struct Filtered {
    /// Absolute indices of kept lines, ascending (evicted ones are trimmed now and then).
    pub indices: Vec<i64>,
    /// Lines before this index have been scanned.
    pub scanned_to: i64,
    /// Lines were still unscanned at the last look.
    pub scanning: bool,
}

impl Filtered {
    /// Kept lines still in the buffer (those at or after `first_index`).
    pub fn live(&self, first_index: i64) -> &[i64] {
        let start = self.indices.partition_point(|i| *i < first_index);
        &self.indices[start..]
    }
}

/// A running filter; stops its thread when dropped.
#[derive(Debug)]
pub struct FilterJob {
    filter: LogFilter,
    tail: SharedTail,
    found: Arc<Mutex<Filtered>>,
    cancel: Arc<AtomicBool>,
}

impl FilterJob {
    /// Starts filtering `tail` with `filter` (already compiled).
    pub fn start(tail: &SharedTail, filter: LogFilter, compiled: CompiledFilter) -> Self {
        let found = Arc::new(Mutex::new(Filtered {
            scanning: true,
            ..Filtered::default()
        }));
        let cancel = Arc::new(AtomicBool::new(false));
        let job = Self {
            filter,
            tail: tail.clone(),
            found: found.clone(),
            cancel: cancel.clone(),
        };
        let tail = tail.clone();
        if let Err(e) = super::start("log-filter", move || run(&tail, &compiled, &found, &cancel)) {
            log::error!("{e}");
        }
        job
    }

    /// The filter it runs.
    pub fn filter(&self) -> &LogFilter {
        &self.filter
    }

    /// Whether it filters `tail`.
    pub fn is_for(&self, tail: &SharedTail) -> bool {
        self.tail == *tail
    }

    /// The results, unless the filter thread holds them this instant.
    pub fn try_found(&self) -> Option<MutexGuard<'_, Filtered>> {
        self.found.try_lock().ok()
    }
}

impl Drop for FilterJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

fn run(tail: &SharedTail, filter: &CompiledFilter, found: &Mutex<Filtered>, cancel: &AtomicBool) {
    let mut next = i64::MIN;
    // Lines before this were loaded later (older history, prepended): scanned downwards.
    let mut from_top = i64::MIN;
    let mut batch = Vec::new();
    let mut front = Vec::new();
    while !cancel.load(Ordering::Relaxed) {
        let (end, first) = {
            let data = tail.read();
            let buffer = &data.buffer;
            if from_top == i64::MIN {
                from_top = buffer.first_index();
            }
            from_top = from_top.max(buffer.first_index()).min(buffer.end_index());
            if buffer.first_index() < from_top {
                let start = (from_top - SLICE_LINES).max(buffer.first_index());
                filter_slice(buffer, filter, start, from_top, &mut front);
                from_top = start;
            }
            next = next.max(buffer.first_index());
            let to = (next + SLICE_LINES).min(buffer.end_index());
            next = filter_slice(buffer, filter, next, to, &mut batch);
            (buffer.end_index(), buffer.first_index())
        };
        let Ok(mut shared) = found.lock() else {
            return;
        };
        if !front.is_empty() {
            shared.indices.splice(0..0, front.drain(..));
        }
        shared.indices.append(&mut batch);
        shared.scanned_to = next;
        shared.scanning = next < end || first < from_top;
        // Evicted lines are trimmed once they are a quarter of what is kept.
        let evicted = shared.indices.partition_point(|i| *i < first);
        if evicted > 0 && evicted * 4 >= shared.indices.len() {
            shared.indices.drain(..evicted);
        }
        let caught_up = !shared.scanning;
        drop(shared);
        if caught_up {
            std::thread::sleep(IDLE);
        }
    }
}
