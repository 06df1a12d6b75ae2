//! Older lines of a tail, loaded on request (scrolling above the oldest line, or jumping to a
//! time before it): FilterLogEvents over windows reaching back from what the tail covers,
//! growing while they are sparse, prepended to the buffer in time order with no gap.

use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::logs::poll::{FetchedEvent, PollRequest};
use crate::model::logs::tail::{HistoryLoaded, SharedTail, TailQuery};

/// Lines one load looks for (it stops at the first window that brings the total past it).
pub const HISTORY_LINES: usize = 5_000;
/// The first window reaches this far back; each sparse window is 4× the one before.
const FIRST_WINDOW_MS: i64 = 10_000;
/// A window with more events than this is too wide: it is read again at an eighth the width.
const WINDOW_EVENTS_MAX: usize = 50_000;
/// Nothing is looked for further back than this before now.
const OLDEST_MS: i64 = 30 * 24 * 3_600_000;

/// One event of a window: (timestamp, query index, event).
type Found = (i64, usize, FetchedEvent);

impl Ecs {
    /// Prepends to `tail` at least [`HISTORY_LINES`] older lines (fewer when there are no
    /// more or the buffer is full), and all lines back to `back_to_ms` when given.
    pub async fn load_older(
        &self,
        tail: &SharedTail,
        back_to_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<HistoryLoaded, AwsError> {
        let (queries, covered_from_ms, free) = {
            let data = tail.read();
            let free = data.buffer.capacity().saturating_sub(data.buffer.len());
            (data.queries.clone(), data.covered_from_ms, free)
        };
        let floor_ms = now_ms - OLDEST_MS;
        let mut to_ms = covered_from_ms;
        let mut width_ms = FIRST_WINDOW_MS;
        let mut found: Vec<Found> = Vec::new();
        while to_ms > floor_ms && found.len() < free {
            let enough = found.len() >= HISTORY_LINES;
            if enough && back_to_ms.is_none_or(|t| to_ms <= t) {
                break;
            }
            let from_ms = (to_ms - width_ms).max(floor_ms);
            match self.read_window(&queries, from_ms, to_ms).await? {
                Some(events) => {
                    found.extend(events);
                    to_ms = from_ms;
                    if found.len() < HISTORY_LINES {
                        width_ms = width_ms.saturating_mul(4);
                    }
                }
                None => width_ms = (width_ms / 8).max(1_000),
            }
        }
        let exhausted = to_ms <= floor_ms;
        // Time order (stable: equal times keep the order the service gave); only the newest
        // that fit, cut between two milliseconds so the next load starts exactly there.
        found.sort_by_key(|f| f.0);
        let buffer_full = found.len() >= free;
        if found.len() > free {
            let boundary_ms = found[found.len() - free - 1].0;
            found.retain(|f| f.0 > boundary_ms);
            to_ms = boundary_ms + 1;
        }
        let lines = found.len();
        let mut data = tail.write();
        if data.covered_from_ms != covered_from_ms {
            // Another load got there first (or the tail restarted): nothing to add.
            return Ok(HistoryLoaded {
                covered_from_ms: data.covered_from_ms,
                exhausted: data.history_exhausted,
                ..HistoryLoaded::default()
            });
        }
        for (timestamp_ms, query, event) in found.into_iter().rev() {
            let source = data.source_index(&queries[query].source(&event.stream));
            data.buffer.push_front(timestamp_ms, source, &event.message);
        }
        data.covered_from_ms = to_ms;
        data.history_exhausted = exhausted;
        Ok(HistoryLoaded {
            lines,
            covered_from_ms: to_ms,
            exhausted,
            buffer_full,
        })
    }

    /// Every event of every query in `from_ms..to_ms`, or `None` when there are too many.
    async fn read_window(
        &self,
        queries: &[TailQuery],
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Option<Vec<Found>>, AwsError> {
        let mut found = Vec::new();
        for (index, query) in queries.iter().enumerate() {
            let mut request = PollRequest {
                start_ms: from_ms,
                next_token: None,
                end_ms: Some(to_ms),
            };
            loop {
                let page = self.filter_log_events(&query.query, &request).await?;
                found.extend(
                    page.events
                        .into_iter()
                        .filter(|e| e.timestamp_ms >= from_ms && e.timestamp_ms < to_ms)
                        .map(|e| (e.timestamp_ms, index, e)),
                );
                if found.len() > WINDOW_EVENTS_MAX && to_ms - from_ms > 1_000 {
                    return Ok(None);
                }
                match page.next_token {
                    Some(token) => request.next_token = Some(token),
                    None => break,
                }
            }
        }
        Ok(Some(found))
    }
}
