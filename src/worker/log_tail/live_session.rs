//! One Live Tail session as the engine runs it: the task that owns the SDK's event stream,
//! and what the session follows.

use crate::aws::Ecs;
use crate::aws::logs::live_tail::{LiveItem, LiveStreams, MAX_LIVE_STREAMS};
use crate::model::logs::source::StreamSelection;
use std::collections::HashMap;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A session task: it owns the SDK's event receiver and forwards items to the engine (a
/// channel receive is cancel-safe; the receiver is not known to be).
pub(crate) struct Session {
    pub(crate) generation: u32,
    pub(crate) task: JoinHandle<()>,
    pub(crate) started: Option<Instant>,
    /// Takes events ingested in `from..before`.
    pub(crate) from: i64,
    pub(crate) before: i64,
    /// Closed at this time, once a newer session has taken over.
    pub(crate) retire_at: Option<Instant>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the session plan follows.
pub(crate) struct Plan {
    pub(crate) group_arns: Vec<String>,
    /// Group ARN → name, to map events to the queries that read them.
    pub(crate) names: HashMap<String, String>,
    pub(crate) streams: LiveStreams,
}

/// Streams of the one group a session follows: names or prefixes when every query has
/// them (and there are at most 100), else the whole group, filtered here.
pub(crate) fn one_group_streams<'a>(
    selections: impl Iterator<Item = &'a StreamSelection>,
) -> LiveStreams {
    let mut names = Vec::new();
    let mut prefixes = Vec::new();
    for selection in selections {
        match selection {
            StreamSelection::Exact(n) => names.push(n.clone()),
            StreamSelection::Names(n) => names.extend(n.iter().cloned()),
            StreamSelection::Prefix(p) => prefixes.push(p.clone()),
            StreamSelection::WholeGroup(_) => return LiveStreams::All,
        }
    }
    match (names.is_empty(), prefixes.is_empty()) {
        (false, true) if names.len() <= MAX_LIVE_STREAMS => LiveStreams::Names(names),
        (true, false) if prefixes.len() <= MAX_LIVE_STREAMS => LiveStreams::Prefixes(prefixes),
        _ => LiveStreams::All,
    }
}

/// Starts a session task that forwards its items, tagged with `generation`, to `tx`.
pub(crate) fn spawn_session(
    ecs: &Ecs,
    plan: &Plan,
    pattern: Option<String>,
    generation: u32,
    tx: &mpsc::Sender<(u32, LiveItem)>,
) -> Session {
    let ecs = ecs.clone();
    let (groups, streams, tx) = (plan.group_arns.clone(), plan.streams.clone(), tx.clone());
    let task = tokio::spawn(async move {
        let mut session = match ecs
            .start_live_tail(&groups, &streams, pattern.as_deref())
            .await
        {
            Ok(session) => session,
            Err(e) => {
                let _ = tx.send((generation, LiveItem::Ended(Some(e)))).await;
                return;
            }
        };
        loop {
            let item = session.next().await;
            let ended = matches!(item, LiveItem::Ended(_));
            if tx.send((generation, item)).await.is_err() || ended {
                return;
            }
        }
    });
    Session {
        generation,
        task,
        started: None,
        from: i64::MAX,
        before: i64::MAX,
        retire_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_group_follows_names_or_prefixes_else_everything() {
        let names = [StreamSelection::Names(vec![
            "a/app/1".into(),
            "a/app/2".into(),
        ])];
        assert_eq!(
            one_group_streams(names.iter()),
            LiveStreams::Names(vec!["a/app/1".into(), "a/app/2".into()])
        );
        let prefix = [StreamSelection::Prefix("a/app/".into())];
        assert_eq!(
            one_group_streams(prefix.iter()),
            LiveStreams::Prefixes(vec!["a/app/".into()])
        );
        let mixed = [
            StreamSelection::Prefix("a/".into()),
            StreamSelection::Exact("b".into()),
        ];
        assert_eq!(one_group_streams(mixed.iter()), LiveStreams::All);
        let many = [StreamSelection::Names(
            (0..101).map(|i| i.to_string()).collect(),
        )];
        assert_eq!(one_group_streams(many.iter()), LiveStreams::All);
    }
}
