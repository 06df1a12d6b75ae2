//! Polling: each query reads its next page of FilterLogEvents when due, reaching back over
//! an overlap and dropping what it has already read, and backs off when refused.

use super::{DENIED_RETRY_MS, Engine, GROUP_CHECK_MS, POLL_INTERVAL_MS, POLL_OVERLAP_MS};
use crate::model::logs::merge::IncomingEvent;
use crate::model::logs::poll::Poller;
use crate::model::logs::tail::{TailMode, TailQuery};
use crate::model::time_format::epoch_ms;
use crate::model::{AwsError, ErrorKind};
use std::time::{Duration, Instant, SystemTime};

/// One query being polled.
pub(crate) struct Polled {
    /// Only events ingested in `ingest_from..ingest_before` (epoch ms) are taken: the rest
    /// belongs to a Live Tail session (hand-over without gap or duplicates).
    pub(crate) ingest_from: i64,
    pub(crate) ingest_before: i64,
    /// Not polled: Live Tail has taken over.
    pub(crate) idle: bool,
    pub(crate) query: TailQuery,
    pub(crate) poller: Poller,
    pub(crate) due: Instant,
    /// Read up to "now" at least once (a tail that does not follow stops when all have).
    pub(crate) caught_up: bool,
    /// Streams added by a later resolution, read from `since` until they catch up, then
    /// folded into the query they extend (`Some(index of that query)`).
    pub(crate) joins: Option<usize>,
    /// Wall-clock start of the round of pages in progress, epoch ms.
    pub(crate) round_started_ms: i64,
    /// Every event stored before this time has been read (the start of the last complete
    /// round); `None` before the first round completes.
    pub(crate) complete_to_ms: Option<i64>,
    /// The last call failed (its query does not hold back the others' lines meanwhile).
    pub(crate) failing: bool,
}

impl Polled {
    pub(crate) fn new(query: TailQuery, since_ms: i64, joins: Option<usize>) -> Self {
        Self {
            ingest_from: i64::MIN,
            ingest_before: i64::MAX,
            idle: false,
            query,
            poller: Poller::new(since_ms, POLL_INTERVAL_MS, POLL_OVERLAP_MS),
            due: Instant::now(),
            caught_up: false,
            joins,
            round_started_ms: 0,
            complete_to_ms: None,
            failing: false,
        }
    }
}

impl Engine<'_> {
    /// Runs every query that is due, one page each.
    pub(crate) async fn poll_due(&mut self) {
        let now = Instant::now();
        for i in 0..self.polled.len() {
            if self.polled[i].due > now
                || self.polled[i].idle
                || self.status.mode == TailMode::Failed
            {
                continue;
            }
            let request = self.polled[i].poller.request();
            if request.next_token.is_none() {
                self.polled[i].round_started_ms = epoch_ms(SystemTime::now());
            }
            let answer = self
                .ecs
                .filter_log_events(&self.polled[i].query.query, &request)
                .await;
            match answer {
                Ok(page) => {
                    if matches!(self.status.mode, TailMode::Waiting(_)) {
                        self.status.mode = TailMode::Polling(None);
                    }
                    self.status.error = None;
                    self.status.received += page.events.len() as u64;
                    let newest = page.events.iter().map(|e| e.timestamp_ms).max();
                    let (from, before) = (self.polled[i].ingest_from, self.polled[i].ingest_before);
                    let poller = &mut self.polled[i].poller;
                    if let Some(lag) = page
                        .events
                        .iter()
                        .filter_map(|e| Some(e.ingestion_ms? - e.timestamp_ms))
                        .max()
                    {
                        poller.saw_ingestion_lag(lag);
                    }
                    // The overlap re-reads events on purpose: not counted as repeats.
                    let fresh: Vec<_> = page
                        .events
                        .into_iter()
                        .filter(|e| {
                            e.event_id
                                .as_deref()
                                .is_none_or(|id| poller.first_time(id, e.timestamp_ms))
                        })
                        .collect();
                    let events: Vec<IncomingEvent> = fresh
                        .into_iter()
                        .filter(|e| e.ingestion_ms.is_none_or(|t| t >= from && t < before))
                        .map(|e| IncomingEvent {
                            source: self.source_of(i, &e.stream),
                            event_id: e.event_id,
                            timestamp_ms: e.timestamp_ms,
                            message: e.message,
                        })
                        .collect();
                    self.merge.add(events);
                    let polled = &mut self.polled[i];
                    polled.failing = false;
                    let wait = polled.poller.answered(newest, page.next_token);
                    if wait > 0 {
                        polled.caught_up = true;
                        polled.complete_to_ms = Some(polled.round_started_ms);
                    }
                    polled.due = Instant::now() + Duration::from_millis(wait);
                }
                Err(e) => self.failed_call(i, e),
            }
        }
        self.fold_caught_up_joins();
    }

    fn failed_call(&mut self, i: usize, e: AwsError) {
        let group = self.polled[i].query.query.group.clone();
        let wait = match e.kind {
            ErrorKind::NotFound => {
                self.status.mode = TailMode::Waiting(format!(
                    "Log group {group} does not exist yet: waiting for it (checked every {} s)",
                    GROUP_CHECK_MS / 1000
                ));
                GROUP_CHECK_MS
            }
            ErrorKind::AccessDenied | ErrorKind::Credentials => DENIED_RETRY_MS,
            _ if e.code == "InvalidParameterException" && self.spec.filter_pattern.is_some() => {
                self.fail(Some(e));
                return;
            }
            _ => self.polled[i].poller.throttled(),
        };
        if e.kind != ErrorKind::NotFound {
            self.status.error = Some(e);
        }
        self.polled[i].failing = true;
        self.polled[i].due = Instant::now() + Duration::from_millis(wait);
    }

    /// The source index of `stream` read by query `i`, registered on first sight.
    pub(crate) fn source_of(&mut self, i: usize, stream: &str) -> u16 {
        let group = &self.polled[i].query.query.group;
        if let Some(found) = self.sources.get(&(group.clone(), stream.to_owned())) {
            return *found;
        }
        let source = self.polled[i].query.source(stream);
        let index = self.tail.write().source_index(&source);
        self.sources
            .insert((source.group.clone(), source.stream.clone()), index);
        index
    }
}
