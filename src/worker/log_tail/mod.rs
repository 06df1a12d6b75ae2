//! The tail engine: resolves a target to log queries, then polls each with FilterLogEvents
//! (1 s, reaching back over an overlap, following pages, backing off when throttled), merges
//! the events in time order exactly once and commits them to the shared buffer in batches.
//! It runs until cancelled (or, not following, until it has read up to now). A following tail
//! switches to Live Tail once it has caught up (see `live`).

pub(crate) mod joins;
pub(crate) mod live;
pub(crate) mod live_session;
pub(crate) mod poll;

use crate::aws::Ecs;
use crate::aws::logs::targets::ResolvedTail;
use crate::model::logs::merge::LogMerge;
use crate::model::logs::poll::Poller;
use crate::model::logs::tail::{SharedTail, TailMode, TailQuery, TailSpec, TailStatus};
use crate::model::time_format::epoch_ms;
use crate::model::{AwsError, ErrorKind};
use poll::Polled;
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

/// Events wait this long for older ones from other streams before they are shown.
pub const MERGE_WINDOW_MS: i64 = 500;
/// Polls reach back this far before the newest event, for events ingested late.
pub const POLL_OVERLAP_MS: i64 = 5_000;
/// Time between polls.
pub const POLL_INTERVAL_MS: u64 = 1_000;
/// Dedup memory behind the newest event: the overlap and a margin.
pub const DEDUP_HORIZON_MS: i64 = 4 * POLL_OVERLAP_MS;
/// How often a missing log group is looked for again.
const GROUP_CHECK_MS: u64 = 5_000;
/// How often an AccessDenied call is tried again (a fixed policy heals without a restart).
const DENIED_RETRY_MS: u64 = 30_000;
/// How often a service tail looks for new tasks.
const RESOLVE_EVERY: Duration = Duration::from_secs(20);
/// Time between two lines in the app's log saying how much the tail has taken in (the soak
/// test reads them; `RUST_LOG=ecsdeck::tail=info`).
const LOG_EVERY: Duration = Duration::from_secs(30);
/// Least time between two status reports (a change of mode is reported at once).
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// Status reports go here.
pub type Report<'a> = &'a (dyn Fn(TailStatus) + Send + Sync);

/// Live Tail timings (shortened by tests).
#[derive(Clone, Copy, Debug)]
pub struct LiveTiming {
    /// A session is replaced by a new one this long after it started (AWS ends it at 3 h).
    pub renew_after: Duration,
    /// A session that ends sooner than this after starting, without an error, is taken as
    /// an endpoint that does not really stream (moto sends one snapshot and closes).
    pub min_session: Duration,
}

impl Default for LiveTiming {
    fn default() -> Self {
        Self {
            renew_after: Duration::from_secs(2 * 3_600 + 50 * 60),
            min_session: Duration::from_secs(60),
        }
    }
}

/// Runs a tail of `spec` into `tail`, reporting its status; returns the last status.
pub async fn run_tail(
    ecs: &Ecs,
    spec: &TailSpec,
    tail: &SharedTail,
    report: Report<'_>,
) -> TailStatus {
    run_tail_timed(ecs, spec, tail, report, LiveTiming::default()).await
}

/// [`run_tail`] with the Live Tail timings given.
pub async fn run_tail_timed(
    ecs: &Ecs,
    spec: &TailSpec,
    tail: &SharedTail,
    report: Report<'_>,
    timing: LiveTiming,
) -> TailStatus {
    let mut engine = Engine {
        live: crate::worker::log_tail::live::LiveState::new(timing),
        ecs,
        spec,
        tail,
        report,
        merge: LogMerge::new(MERGE_WINDOW_MS, DEDUP_HORIZON_MS),
        polled: Vec::new(),
        sources: HashMap::new(),
        status: TailStatus::default(),
        reported: None,
        resolved_at: Instant::now(),
        logged_at: None,
    };
    engine.run().await;
    engine.status
}

struct Engine<'a> {
    live: crate::worker::log_tail::live::LiveState,
    ecs: &'a Ecs,
    spec: &'a TailSpec,
    tail: &'a SharedTail,
    report: Report<'a>,
    merge: LogMerge,
    polled: Vec<Polled>,
    /// (group, stream) → source index in the shared data.
    sources: HashMap<(String, String), u16>,
    status: TailStatus,
    reported: Option<(Instant, TailStatus)>,
    resolved_at: Instant,
    /// When the app's log last said how much the tail has taken in.
    logged_at: Option<Instant>,
}

impl Engine<'_> {
    async fn run(&mut self) {
        self.report_now();
        let Some(resolved) = self.resolve_until_found().await else {
            return;
        };
        self.tail.write().covered_from_ms = self.spec.since_ms;
        self.status.notices = resolved.notices.clone();
        if resolved.queries.is_empty() {
            self.fail(None);
            return;
        }
        self.add_queries(resolved.queries);
        self.status.mode = TailMode::Polling(None);
        self.report_now();
        loop {
            self.poll_due().await;
            self.stop_handed_over_polls();
            self.commit();
            if self.status.mode == TailMode::Failed {
                self.report_now();
                return;
            }
            if !self.spec.follow && self.polled.iter().all(|p| p.caught_up) {
                self.merge.flush(&mut self.tail.write().buffer);
                self.status.mode = TailMode::Done;
                self.report_now();
                return;
            }
            self.report_soon();
            if self.resolved_at.elapsed() >= RESOLVE_EVERY {
                self.resolve_again().await;
            }
            if self.live_ready() {
                self.run_live().await;
                continue;
            }
            tokio::time::sleep_until(self.next_wake().into()).await;
        }
    }

    /// Resolves the target, retrying what may pass; `None` when the tail cannot start.
    async fn resolve_until_found(&mut self) -> Option<ResolvedTail> {
        let mut backoff = Poller::new(0, POLL_INTERVAL_MS, 0);
        loop {
            match self
                .ecs
                .resolve_tail(&self.spec.target, self.spec.filter_pattern.as_deref())
                .await
            {
                Ok(resolved) => {
                    self.status.error = None;
                    self.resolved_at = Instant::now();
                    return Some(resolved);
                }
                Err(e) if retryable(&e) => {
                    let wait = backoff.throttled();
                    self.status.error = Some(e);
                    self.report_now();
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                Err(e) => {
                    self.fail(Some(e));
                    return None;
                }
            }
        }
    }

    fn fail(&mut self, error: Option<AwsError>) {
        if error.is_some() {
            self.status.error = error;
        } else if self.status.notices.is_empty() {
            self.status
                .notices
                .push("No container of this target logs to CloudWatch Logs.".into());
        }
        self.status.mode = TailMode::Failed;
        self.report_now();
    }

    fn add_queries(&mut self, queries: Vec<TailQuery>) {
        for query in queries {
            self.polled
                .push(Polled::new(query, self.spec.since_ms, None));
        }
        self.publish_queries();
    }

    /// Shares the queries read (each once: after a Live Tail hand-back a query may be read
    /// by two polls for a while).
    fn publish_queries(&mut self) {
        let mut queries: Vec<TailQuery> = Vec::new();
        for p in &self.polled {
            if !queries.contains(&p.query) {
                queries.push(p.query.clone());
            }
        }
        self.status.streams = queries.len();
        self.tail.write().queries = queries;
    }

    /// The time up to which every query has read everything (the merge may release events
    /// a window before it); queries that are failing or catching up new streams don't hold
    /// the others back — their events are placed late.
    fn complete_to_ms(&self) -> i64 {
        self.polled
            .iter()
            .filter(|p| !p.failing && !p.idle && p.joins.is_none())
            .map(|p| p.complete_to_ms.unwrap_or(i64::MIN))
            .min()
            .unwrap_or(i64::MAX)
    }

    /// Commits what the merge window has released, in one write.
    fn commit(&mut self) {
        if self.merge.pending().next().is_none() {
            return;
        }
        let now_ms = epoch_ms(SystemTime::now());
        let release_ms = now_ms.min(self.complete_to_ms().saturating_add(MERGE_WINDOW_MS));
        let mut data = self.tail.write();
        let before = data.buffer.end_index();
        self.merge.commit(release_ms, &mut data.buffer);
        if data.buffer.end_index() > before
            && let Some((meta, _)) = data.buffer.get(data.buffer.end_index() - 1)
        {
            self.status.newest_event_ms = Some(meta.timestamp_ms);
            self.status.delay_ms = Some(now_ms - meta.timestamp_ms);
        }
        self.status.duplicates = self.merge.duplicates();
        self.status.late = self.merge.late();
        if self.logged_at.is_none_or(|at| at.elapsed() >= LOG_EVERY) {
            self.logged_at = Some(Instant::now());
            log::info!(
                target: "ecsdeck::tail",
                "log tail at {now_ms}: {} lines committed, {} received, {} repeats dropped, {} late",
                data.buffer.end_index(),
                self.status.received,
                self.status.duplicates,
                self.status.late
            );
        }
    }

    /// The next poll or merge release, whichever comes first.
    fn next_wake(&self) -> Instant {
        let now = Instant::now();
        let mut wake = self
            .polled
            .iter()
            .filter(|p| !p.idle)
            .map(|p| p.due)
            .min()
            .unwrap_or(now + Duration::from_millis(POLL_INTERVAL_MS));
        // A pending event waits for its window to pass, or for a poll that completes the
        // coverage it needs (that poll's due time is already in `wake`).
        if let Some(oldest) = self
            .merge
            .pending()
            .next()
            .filter(|e| e.timestamp_ms <= self.complete_to_ms())
        {
            let due_ms = oldest.timestamp_ms + MERGE_WINDOW_MS - epoch_ms(SystemTime::now());
            let release = now + Duration::from_millis(due_ms.clamp(0, 60_000) as u64);
            wake = wake.min(release);
        }
        wake.max(now)
    }

    fn report_now(&mut self) {
        (self.report)(self.status.clone());
        self.reported = Some((Instant::now(), self.status.clone()));
    }

    fn report_soon(&mut self) {
        match &self.reported {
            Some((_, last)) if *last == self.status => {}
            Some((at, last)) if last.mode == self.status.mode && at.elapsed() < REPORT_EVERY => {}
            _ => self.report_now(),
        }
    }
}

/// Whether a failure may pass by itself (so the tail waits and tries again).
fn retryable(e: &AwsError) -> bool {
    matches!(
        e.kind,
        ErrorKind::Throttling | ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Service
    )
}
