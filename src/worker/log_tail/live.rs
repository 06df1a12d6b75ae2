//! Live Tail inside the tail engine: once polling has caught up, a StartLiveTail session
//! takes over; sessions are renewed before AWS's 3-hour limit; any failure falls back to
//! polling with the reason shown.
//!
//! Hand-overs use ingestion time, which both APIs report: when a session starts (local time
//! T), everything ingested before `T + HANDOVER_MARGIN_MS` comes from the previous source
//! (polling or the old session) and everything from then on from the new session. So there
//! is neither a gap nor a duplicate, as long as the local clock is within the margin of
//! CloudWatch's.

use super::live_session::{Plan, Session, one_group_streams, spawn_session};
use super::{Engine, LiveTiming, Polled, RESOLVE_EVERY, retryable};
use crate::aws::logs::live_tail::{LiveEvent, LiveItem, LiveStreams, MAX_LIVE_GROUPS};
use crate::model::AwsError;
use crate::model::logs::merge::IncomingEvent;
use crate::model::logs::tail::{SAMPLED_SOURCE, TailMode};
use crate::model::time_format::{clock_ms, epoch_ms};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::mpsc;

/// The cut between two sources lies this far after the new session started.
const HANDOVER_MARGIN_MS: i64 = 3_000;
/// Ingestion to visibility: the older source keeps reading this long past the cut.
pub(crate) const INGEST_LAG_MS: i64 = 5_000;
/// After a session failed, Live Tail is tried again this much later (polling meanwhile).
const RETRY_AFTER: Duration = Duration::from_secs(300);
/// A renewal that failed to start is tried again this much later (the old session runs on).
const RENEW_RETRY: Duration = Duration::from_secs(30);
/// How often the merge releases events while only Live Tail is delivering.
const COMMIT_EVERY: Duration = Duration::from_millis(250);

/// Whether and when Live Tail may be tried.
pub(crate) struct LiveState {
    timing: LiveTiming,
    /// Why Live Tail is not used for this tail (set once and for all).
    unavailable: Option<String>,
    /// Not before this time (after a failure).
    retry_at: Option<Instant>,
    /// Live events have no event id: they get a serial one, so that two equal lines in one
    /// millisecond are both kept (hand-overs, not ids, keep sources from repeating events).
    serial: u64,
}

impl LiveState {
    pub(crate) fn new(timing: LiveTiming) -> Self {
        Self {
            timing,
            unavailable: None,
            retry_at: None,
            serial: 0,
        }
    }
}

/// How Live Tail went: it lasted this long, or failed with this error.
type Outcome = Result<Duration, Option<AwsError>>;

/// What the end of one session means.
enum SessionEnd {
    /// A newer session carries on.
    Superseded,
    /// A renewal did not start: the running session carries on, renewal is tried again.
    RenewalFailed,
    /// Live Tail is over for now.
    Over(Outcome),
}

impl Engine<'_> {
    /// A following tail that has caught up and may use Live Tail.
    pub(crate) fn live_ready(&self) -> bool {
        self.spec.live
            && self.spec.follow
            && self.live.unavailable.is_none()
            && self.live.retry_at.is_none_or(|at| Instant::now() >= at)
            && matches!(self.status.mode, TailMode::Polling(_))
            && !self.polled.is_empty()
            && self.polled.iter().all(|p| p.caught_up && !p.failing)
    }

    /// Follows with Live Tail until it fails; then polling resumes where it left off.
    pub(crate) async fn run_live(&mut self) {
        let plan = match self.live_plan().await {
            Ok(plan) => plan,
            Err(why) => {
                self.status.mode = TailMode::Polling(Some(why.clone()));
                self.live.unavailable = Some(why);
                self.report_now();
                return;
            }
        };
        let (tx, mut rx) = mpsc::channel::<(u32, LiveItem)>(64);
        let mut sessions = vec![spawn_session(self.ecs, &plan, self.pattern(), 0, &tx)];
        let mut next_generation = 1;
        let mut renew_at: Option<Instant> = None;
        let mut newest_ingest_ms = i64::MIN;
        let mut plan = plan;
        let outcome = loop {
            let wake = self.live_wake(&sessions, renew_at);
            tokio::select! {
                item = rx.recv() => {
                    let Some((generation, item)) = item else { break Err(None) };
                    match item {
                        LiveItem::Started => {
                            self.session_started(&mut sessions, generation);
                            renew_at = Some(Instant::now() + self.live.timing.renew_after);
                        }
                        LiveItem::Update { events, sampled } => {
                            newest_ingest_ms = newest_ingest_ms
                                .max(events.iter().map(|e| e.ingestion_ms).max().unwrap_or(i64::MIN));
                            self.take_update(&sessions, generation, &plan, events, sampled);
                        }
                        LiveItem::Ended(error) => {
                            match self.session_ended(&mut sessions, generation, error) {
                                SessionEnd::Superseded => {}
                                SessionEnd::RenewalFailed => {
                                    renew_at = Some(Instant::now() + RENEW_RETRY);
                                }
                                SessionEnd::Over(outcome) => break outcome,
                            }
                        }
                    }
                }
                () = tokio::time::sleep_until(wake.into()) => {}
            }
            self.poll_due().await;
            self.stop_handed_over_polls();
            self.commit();
            let now = Instant::now();
            sessions.retain(|s| s.retire_at.is_none_or(|at| now < at));
            if self.resolved_at.elapsed() >= RESOLVE_EVERY {
                let before = self.polled.len();
                self.resolve_again().await;
                if self.polled.len() > before {
                    // New tasks: a session that follows their streams too takes over.
                    renew_at = Some(now);
                }
            }
            if renew_at.is_some_and(|at| now >= at) && sessions.len() < 2 {
                // On failure the plan that works is kept.
                if let Ok(new_plan) = self.live_plan().await {
                    plan = new_plan;
                }
                sessions.push(spawn_session(
                    self.ecs,
                    &plan,
                    self.pattern(),
                    next_generation,
                    &tx,
                ));
                next_generation += 1;
                renew_at = None;
            }
            self.report_soon();
        };
        drop(sessions);
        self.fall_back(outcome, newest_ingest_ms);
    }

    fn pattern(&self) -> Option<String> {
        self.spec.filter_pattern.clone()
    }

    /// The groups and streams to follow, or why Live Tail cannot follow this tail.
    async fn live_plan(&self) -> Result<Plan, String> {
        let mut groups: Vec<String> = self
            .polled
            .iter()
            .map(|p| p.query.query.group.clone())
            .collect();
        groups.sort();
        groups.dedup();
        if groups.len() > MAX_LIVE_GROUPS {
            return Err(format!(
                "Live Tail follows at most {MAX_LIVE_GROUPS} log groups; this tail reads {}",
                groups.len()
            ));
        }
        let arns = self
            .ecs
            .log_group_arns(&groups)
            .await
            .map_err(|e| format!("Live Tail unavailable: {}", e.message))?;
        let streams = if groups.len() == 1 {
            one_group_streams(self.polled.iter().map(|p| &p.query.query.streams))
        } else {
            LiveStreams::All
        };
        Ok(Plan {
            group_arns: groups.iter().filter_map(|g| arns.get(g).cloned()).collect(),
            names: arns.into_iter().map(|(name, arn)| (arn, name)).collect(),
            streams,
        })
    }

    fn session_started(&mut self, sessions: &mut [Session], generation: u32) {
        let cut = epoch_ms(SystemTime::now()) + HANDOVER_MARGIN_MS;
        let retire =
            Instant::now() + Duration::from_millis((HANDOVER_MARGIN_MS + INGEST_LAG_MS) as u64);
        for s in sessions.iter_mut() {
            if s.generation == generation {
                s.started = Some(Instant::now());
                s.from = cut;
            } else if s.before == i64::MAX {
                s.before = cut;
                s.retire_at = Some(retire);
            }
        }
        // Polls still running (the first hand-over, or streams of new tasks) stop at the cut.
        for p in self
            .polled
            .iter_mut()
            .filter(|p| !p.idle && p.ingest_before == i64::MAX)
        {
            p.ingest_before = cut;
        }
        self.status.mode = TailMode::LiveTail;
        self.status.error = None;
        self.report_now();
    }

    fn take_update(
        &mut self,
        sessions: &[Session],
        generation: u32,
        plan: &Plan,
        events: Vec<LiveEvent>,
        sampled: bool,
    ) {
        let Some(session) = sessions.iter().find(|s| s.generation == generation) else {
            return;
        };
        let (from, before) = (session.from, session.before);
        let mut incoming = Vec::with_capacity(events.len());
        let mut newest_ms = None;
        for event in events {
            if event.ingestion_ms < from || event.ingestion_ms >= before {
                continue;
            }
            let group = plan.names.get(&event.group).unwrap_or(&event.group);
            // Several groups (or a whole group) reach further than the tail: keep its streams.
            let Some(i) = self.polled.iter().position(|p| {
                p.query.query.group == *group && p.query.query.streams.includes(&event.stream)
            }) else {
                continue;
            };
            newest_ms = newest_ms.max(Some(event.timestamp_ms));
            self.live.serial += 1;
            incoming.push(IncomingEvent {
                source: self.source_of(i, &event.stream),
                event_id: Some(format!("live-{}", self.live.serial)),
                timestamp_ms: event.timestamp_ms,
                message: event.message,
            });
        }
        self.status.received += incoming.len() as u64;
        if sampled {
            self.status.sampled += 1;
            let at_ms = newest_ms.unwrap_or_else(|| epoch_ms(SystemTime::now()));
            incoming.push(IncomingEvent {
                source: SAMPLED_SOURCE,
                event_id: None,
                timestamp_ms: at_ms,
                message: format!(
                    "Events not shown around {}: sampled by AWS (more than 500 matching events in one second). Narrow the filter pattern to see them all.",
                    clock_ms(at_ms, &jiff::tz::TimeZone::UTC)
                ),
            });
        }
        self.merge.add(incoming);
    }

    /// What the end of session `generation` means for the tail.
    fn session_ended(
        &mut self,
        sessions: &mut Vec<Session>,
        generation: u32,
        error: Option<AwsError>,
    ) -> SessionEnd {
        let Some(index) = sessions.iter().position(|s| s.generation == generation) else {
            return SessionEnd::Superseded;
        };
        let newest_started = sessions
            .iter()
            .filter(|s| s.started.is_some())
            .map(|s| s.generation)
            .max();
        let ended = sessions.remove(index);
        match (ended.started, newest_started) {
            (Some(_), Some(newest)) if newest > generation => SessionEnd::Superseded,
            (None, Some(_)) => {
                self.status.error = error;
                SessionEnd::RenewalFailed
            }
            (Some(started), _) => SessionEnd::Over(match error {
                Some(e) => Err(Some(e)),
                None => Ok(started.elapsed()),
            }),
            (None, None) => SessionEnd::Over(Err(error)),
        }
    }

    /// Polls that have read past their cut go idle: Live Tail carries on alone.
    pub(crate) fn stop_handed_over_polls(&mut self) {
        for p in &mut self.polled {
            if !p.idle
                && p.joins.is_none()
                && p.ingest_before != i64::MAX
                // A whole round begun past the cut has been read (not one still paging).
                && p.complete_to_ms
                    .is_some_and(|c| c >= p.ingest_before.saturating_add(INGEST_LAG_MS))
            {
                p.idle = true;
            }
        }
        self.fold_caught_up_joins();
    }

    /// The next time something is due: a poll, a renewal, a retirement or a merge release.
    fn live_wake(&self, sessions: &[Session], renew_at: Option<Instant>) -> Instant {
        let now = Instant::now();
        let mut wake = now + COMMIT_EVERY;
        if let Some(poll) = self.polled.iter().filter(|p| !p.idle).map(|p| p.due).min() {
            wake = wake.min(poll);
        }
        for at in sessions.iter().filter_map(|s| s.retire_at).chain(renew_at) {
            wake = wake.min(at);
        }
        wake.max(now)
    }

    /// Back to polling after Live Tail ended, from just after the newest event it delivered.
    fn fall_back(&mut self, outcome: Outcome, newest_ingest_ms: i64) {
        let timing = self.live.timing;
        let why = match outcome {
            Ok(lasted) if lasted < timing.min_session => {
                let why = format!(
                    "the endpoint closed Live Tail after {:.1} s",
                    lasted.as_secs_f64()
                );
                self.live.unavailable = Some(why.clone());
                why
            }
            Ok(_) => {
                self.live.retry_at = Some(Instant::now() + RETRY_AFTER);
                "Live Tail session ended; trying it again in 5 min".to_owned()
            }
            Err(error) => {
                let detail = error.as_ref().map_or_else(String::new, |e| {
                    let id = e
                        .request_id
                        .as_ref()
                        .map_or_else(String::new, |id| format!(", request id {id}"));
                    format!(": {} {}{id}", e.code, e.message).replace("  ", " ")
                });
                let why = match &error {
                    // AWS's session limit: a new session as soon as polling has caught up.
                    Some(e) if e.code == "SessionTimeoutException" => {
                        self.live.retry_at = Some(Instant::now());
                        "Live Tail session reached its time limit; a new one starts shortly"
                            .to_owned()
                    }
                    Some(e) if retryable(e) => {
                        self.live.retry_at = Some(Instant::now() + RETRY_AFTER);
                        format!("Live Tail failed{detail}; trying it again in 5 min")
                    }
                    _ => {
                        let why = format!("Live Tail unavailable{detail}");
                        self.live.unavailable = Some(why.clone());
                        why
                    }
                };
                self.status.error = None;
                why
            }
        };
        // Polls never handed over read on. Those cut at a session start resume after what
        // Live Tail delivered (it delivered everything ingested from the cut on); one still
        // reading up to its cut finishes, and a new poll carries on from there.
        let mut added = Vec::new();
        for p in &mut self.polled {
            if p.ingest_before == i64::MAX {
                continue;
            }
            let cut = p.ingest_before;
            let from = if newest_ingest_ms == i64::MIN {
                cut
            } else {
                cut.max(newest_ingest_ms + 1)
            };
            // Events are written with timestamps up to a minute behind their ingestion.
            let since_ms = self.spec.since_ms.max(from - 60_000);
            let mut next = Polled::new(p.query.clone(), since_ms, p.joins);
            next.ingest_from = from;
            if p.idle {
                *p = next;
            } else {
                added.push(next);
            }
        }
        self.polled.extend(added);
        self.publish_queries();
        self.status.mode = TailMode::Polling(Some(why));
        self.report_now();
    }
}
