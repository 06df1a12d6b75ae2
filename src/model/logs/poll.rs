//! The FilterLogEvents polling fallback, as a state machine with no I/O: which window the next
//! call asks for, when it runs, and how throttling slows it down. Each poll reaches back
//! `overlap_ms` before the newest event seen, so events that arrive late (written with an
//! older timestamp) are still found; the merge drops the repeats by event id.

use super::source::StreamSelection;
use std::collections::{HashSet, VecDeque};

/// What a tail reads from one log group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LogQuery {
    /// Log group name.
    pub group: String,
    /// Which of its streams.
    pub streams: StreamSelection,
    /// CloudWatch filter pattern applied by the service, if any.
    pub filter_pattern: Option<String>,
}

/// One event as FilterLogEvents returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedEvent {
    /// Stream it was written to.
    pub stream: String,
    /// CloudWatch's event id.
    pub event_id: Option<String>,
    /// Event time, epoch ms.
    pub timestamp_ms: i64,
    /// The text.
    pub message: String,
    /// When CloudWatch stored it, epoch ms.
    pub ingestion_ms: Option<i64>,
}

/// One page of a FilterLogEvents answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    /// Events, in the order returned.
    pub events: Vec<FetchedEvent>,
    /// Token for the next page, if any.
    pub next_token: Option<String>,
}

/// The request the poller wants next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRequest {
    /// `startTime`, epoch ms.
    pub start_ms: i64,
    /// `nextToken` when continuing a paged answer.
    pub next_token: Option<String>,
    /// `endTime` (exclusive here), epoch ms: loading older lines reads a closed window.
    pub end_ms: Option<i64>,
}

/// Polling state of one tail.
#[derive(Clone, Debug)]
pub struct Poller {
    since_ms: i64,
    overlap_ms: i64,
    interval_ms: u64,
    newest_ms: Option<i64>,
    next_token: Option<String>,
    /// Window start of the paged answer being followed (pages share it).
    paging_start_ms: Option<i64>,
    throttled: u32,
    /// Ids passed on whose events the window can still return: each poll reaches back over
    /// the overlap, so a quiet query re-reads its last events every second, however far
    /// behind the tail's newest line they are.
    seen: HashSet<String>,
    seen_order: VecDeque<(i64, String)>,
}

/// Widest overlap [`Poller::saw_ingestion_lag`] sets.
const MAX_OVERLAP_MS: i64 = 30_000;

/// Longest wait after repeated throttling.
const MAX_BACKOFF_MS: u64 = 30_000;

impl Poller {
    /// Polls from `since_ms`, every `interval_ms`, reaching back `overlap_ms`.
    pub fn new(since_ms: i64, interval_ms: u64, overlap_ms: i64) -> Self {
        Self {
            since_ms,
            overlap_ms: overlap_ms.max(0),
            interval_ms,
            newest_ms: None,
            next_token: None,
            paging_start_ms: None,
            throttled: 0,
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
        }
    }

    /// Reaches back further when events arrive this long after their timestamps (an event
    /// ingested later than the overlap behind the newest would otherwise never be read), up
    /// to 30 s; the ids seen keep the wider window from repeating events.
    pub fn saw_ingestion_lag(&mut self, lag_ms: i64) {
        let wanted = lag_ms.saturating_add(1_000).min(MAX_OVERLAP_MS);
        self.overlap_ms = self.overlap_ms.max(wanted);
    }

    /// Whether the event `event_id` at `timestamp_ms` is new to this poller (each is passed
    /// on once, however many windows return it).
    pub fn first_time(&mut self, event_id: &str, timestamp_ms: i64) -> bool {
        if self.seen.contains(event_id) {
            return false;
        }
        self.seen.insert(event_id.to_owned());
        self.seen_order
            .push_back((timestamp_ms, event_id.to_owned()));
        true
    }

    /// The next call to make.
    pub fn request(&self) -> PollRequest {
        let start_ms = self.paging_start_ms.unwrap_or_else(|| {
            self.newest_ms
                .map_or(self.since_ms, |n| (n - self.overlap_ms).max(self.since_ms))
        });
        PollRequest {
            start_ms,
            next_token: self.next_token.clone(),
            end_ms: None,
        }
    }

    /// Records an answer: the newest event timestamp in it and its `nextToken`. Returns how
    /// long to wait before the next call (none while pages remain).
    pub fn answered(&mut self, newest_ms: Option<i64>, next_token: Option<String>) -> u64 {
        // The window of the call just answered: its further pages must ask for the same.
        let window_start_ms = self.request().start_ms;
        self.throttled = 0;
        if let Some(t) = newest_ms {
            self.newest_ms = Some(self.newest_ms.map_or(t, |n| n.max(t)));
        }
        match next_token {
            Some(token) => {
                self.paging_start_ms = Some(window_start_ms);
                self.next_token = Some(token);
                0
            }
            None => {
                self.paging_start_ms = None;
                self.next_token = None;
                // Events before the next window's start can't come back.
                let next_start_ms = self.request().start_ms;
                while self
                    .seen_order
                    .front()
                    .is_some_and(|(t, _)| *t < next_start_ms)
                {
                    if let Some((_, id)) = self.seen_order.pop_front() {
                        self.seen.remove(&id);
                    }
                }
                self.interval_ms
            }
        }
    }

    /// Records a throttled (or otherwise retryable) failure; returns the wait before trying
    /// the same request again: doubling from the interval, at most 30 s.
    pub fn throttled(&mut self) -> u64 {
        self.throttled = self.throttled.saturating_add(1);
        let factor = 1u64 << self.throttled.min(10);
        self.interval_ms
            .max(250)
            .saturating_mul(factor)
            .min(MAX_BACKOFF_MS)
    }

    /// Newest event timestamp seen.
    pub fn newest_ms(&self) -> Option<i64> {
        self.newest_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_re_read_by_the_overlap_passes_once_however_old() {
        let mut poller = Poller::new(0, 1_000, 5_000);
        assert!(poller.first_time("a", 100));
        poller.answered(Some(100), None);
        // A quiet query: every later window starts before its last event and returns it.
        for _ in 0..100 {
            assert!(!poller.first_time("a", 100));
            poller.answered(None, None);
        }
        assert!(poller.first_time("b", 9_000));
        poller.answered(Some(9_000), None);
        // The window now starts at 4,000: "a" is forgotten, "b" kept.
        assert_eq!(poller.request().start_ms, 4_000);
        assert_eq!(poller.seen.len(), 1);
        assert!(!poller.first_time("b", 9_000));
        // Events ingested 8 s after their time: the window reaches back 9 s from now on.
        poller.saw_ingestion_lag(8_000);
        assert_eq!(poller.request().start_ms, 0);
        poller.saw_ingestion_lag(600_000);
        poller.answered(Some(100_000), None);
        assert_eq!(poller.request().start_ms, 70_000, "at most 30 s");
    }

    #[test]
    fn polls_reach_back_the_overlap_from_the_newest_event() {
        let mut poller = Poller::new(1_000, 1_000, 5_000);
        assert_eq!(poller.request().start_ms, 1_000, "from `since` at first");
        assert_eq!(poller.answered(Some(20_000), None), 1_000);
        assert_eq!(poller.request().start_ms, 15_000);
        // An answer with nothing new keeps the window.
        poller.answered(None, None);
        assert_eq!(poller.request().start_ms, 15_000);
        // Never before `since`.
        let mut early = Poller::new(10_000, 1_000, 60_000);
        early.answered(Some(12_000), None);
        assert_eq!(early.request().start_ms, 10_000);
    }

    #[test]
    fn pages_are_followed_at_once_with_the_same_window() {
        let mut poller = Poller::new(0, 1_000, 5_000);
        poller.answered(Some(50_000), None);
        assert_eq!(poller.answered(Some(60_000), Some("page2".into())), 0);
        let request = poller.request();
        assert_eq!(request.next_token.as_deref(), Some("page2"));
        assert_eq!(request.start_ms, 45_000, "the window of the first page");
        assert_eq!(poller.answered(Some(61_000), None), 1_000);
        assert_eq!(
            poller.request(),
            PollRequest {
                start_ms: 56_000,
                next_token: None,
                end_ms: None,
            }
        );
    }

    #[test]
    fn throttling_backs_off_and_an_answer_resets_it() {
        let mut poller = Poller::new(0, 1_000, 5_000);
        assert_eq!(poller.throttled(), 2_000);
        assert_eq!(poller.throttled(), 4_000);
        for _ in 0..10 {
            poller.throttled();
        }
        assert_eq!(poller.throttled(), MAX_BACKOFF_MS);
        poller.answered(None, None);
        assert_eq!(poller.throttled(), 2_000);
    }
}
