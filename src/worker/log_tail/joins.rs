//! Service tails over time: tasks started after the tail began are found every 20 s; their
//! streams are read from `since` by a poll of their own, then folded into the query they
//! extend once caught up (and, under Live Tail, handed over).

use super::{Engine, Polled};
use crate::model::logs::source::StreamSelection;
use crate::model::logs::tail::TailTarget;
use std::time::Instant;

impl Engine<'_> {
    /// Service tails: looks for tasks started since, and reads their streams from `since`.
    pub(crate) async fn resolve_again(&mut self) {
        self.resolved_at = Instant::now();
        if !matches!(self.spec.target, TailTarget::Services { .. }) {
            return;
        }
        let Ok(resolved) = self
            .ecs
            .resolve_tail(&self.spec.target, self.spec.filter_pattern.as_deref())
            .await
        else {
            // The next round tries again; the streams already known keep being read.
            return;
        };
        for query in resolved.queries {
            let same = |p: &Polled| {
                p.query.service == query.service
                    && p.query.container == query.container
                    && p.query.query.group == query.query.group
            };
            let Some(main) = self
                .polled
                .iter()
                .position(|p| same(p) && p.joins.is_none())
            else {
                self.polled
                    .push(Polled::new(query, self.spec.since_ms, None));
                continue;
            };
            let known: Vec<&StreamSelection> = self
                .polled
                .iter()
                .filter(|p| same(p))
                .map(|p| &p.query.query.streams)
                .collect();
            let new: Vec<String> = names(&query.query.streams)
                .into_iter()
                .filter(|n| !known.iter().any(|k| k.includes(n)))
                .collect();
            if new.is_empty() {
                continue;
            }
            let mut join = query.clone();
            join.query.streams = StreamSelection::Names(new);
            self.polled
                .push(Polled::new(join, self.spec.since_ms, Some(main)));
        }
        self.publish_queries();
    }

    /// Joins that have read up to now hand their streams to the query they extend.
    pub(crate) fn fold_caught_up_joins(&mut self) {
        let mut i = 0;
        let mut changed = false;
        while i < self.polled.len() {
            let polled = &self.polled[i];
            let handed_over = polled.ingest_before == i64::MAX
                || polled.complete_to_ms.is_some_and(|c| {
                    c >= polled
                        .ingest_before
                        .saturating_add(crate::worker::log_tail::live::INGEST_LAG_MS)
                });
            let Some(main) = polled.joins.filter(|_| polled.caught_up && handed_over) else {
                i += 1;
                continue;
            };
            let added = names(&polled.query.query.streams);
            self.polled.remove(i);
            for p in &mut self.polled {
                if let Some(j) = p.joins.as_mut().filter(|j| **j > i) {
                    *j -= 1;
                }
            }
            let main = if main > i { main - 1 } else { main };
            let target = &mut self.polled[main].query.query.streams;
            let mut all = names(target);
            all.extend(added);
            *target = match target {
                StreamSelection::Prefix(_) | StreamSelection::WholeGroup(_) => target.clone(),
                _ if all.len() <= 100 => StreamSelection::Names(all),
                // Too many names for one call: the whole group, checked per stream.
                _ => StreamSelection::WholeGroup("more than 100 task streams".into()),
            };
            changed = true;
        }
        if changed {
            self.publish_queries();
        }
    }
}

/// The stream names a selection lists.
fn names(selection: &StreamSelection) -> Vec<String> {
    match selection {
        StreamSelection::Exact(n) => vec![n.clone()],
        StreamSelection::Names(n) => n.clone(),
        _ => Vec::new(),
    }
}
