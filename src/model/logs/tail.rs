//! A log tail: what it follows (`TailTarget`), from when (`TailSpec`), and the lines and
//! sources it has gathered (`TailData`), shared between the worker that fills it and the view
//! that reads it. The view only ever *tries* the lock, so the UI never waits on the worker.

use super::buffer::LogBuffer;
use super::poll::LogQuery;
use super::source::task_of_stream;
use crate::model::error::AwsError;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Source index of the "events not shown (sampled by AWS)" marker lines.
pub const SAMPLED_SOURCE: u16 = u16::MAX;
/// Source index of notes the tail itself writes into the lines (gaps, restarts).
pub const NOTE_SOURCE: u16 = u16::MAX - 1;
/// Most distinct sources a tail tells apart; later streams share the last index.
const MAX_SOURCES: usize = (u16::MAX - 2) as usize;

/// What a tail follows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TailTarget {
    /// One task: all its containers, or one.
    Task {
        /// Cluster ARN.
        cluster: String,
        /// Task ARN.
        task: String,
        /// Only this container.
        container: Option<String>,
    },
    /// All running tasks of one or more services of a cluster, merged.
    Services {
        /// Cluster ARN.
        cluster: String,
        /// Service ARNs or names.
        services: Vec<String>,
    },
    /// A log group, or the streams of it starting with a prefix.
    Group {
        /// Log group name.
        group: String,
        /// Stream-name prefix.
        prefix: Option<String>,
    },
}

impl TailTarget {
    /// Short description for titles: `api + worker`, `task 1a2b3c4d`, `/ecs/api`.
    pub fn label(&self) -> String {
        match self {
            Self::Task {
                task, container, ..
            } => {
                let id = task_of_stream(task);
                let short = id.get(..8).unwrap_or(id);
                match container {
                    Some(c) => format!("task {short} · {c}"),
                    None => format!("task {short}"),
                }
            }
            Self::Services { services, .. } => services
                .iter()
                .map(|s| crate::model::ecs::short_id(s))
                .collect::<Vec<_>>()
                .join(" + "),
            Self::Group { group, prefix } => match prefix {
                Some(p) => format!("{group} · {p}*"),
                None => group.clone(),
            },
        }
    }
}

/// A tail to start.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TailSpec {
    /// What to follow.
    pub target: TailTarget,
    /// Oldest event time to read, epoch ms.
    pub since_ms: i64,
    /// CloudWatch filter pattern, applied by the service.
    pub filter_pattern: Option<String>,
    /// Try Live Tail before polling.
    pub live: bool,
    /// Keep following new events (false: read up to now, then stop).
    pub follow: bool,
}

/// One stream a tail reads, and what it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TailSource {
    /// Log group.
    pub group: String,
    /// Log stream.
    pub stream: String,
    /// Service name, when the tail knows it.
    pub service: Option<String>,
    /// Container name, when the tail knows it.
    pub container: Option<String>,
}

impl TailSource {
    /// The task id at the end of the stream name.
    pub fn task_id(&self) -> &str {
        task_of_stream(&self.stream)
    }

    /// Tag shown before each line: `api 1a2b3c4d app`, leaving out what is unknown (the
    /// stream name when nothing is known).
    pub fn label(&self) -> String {
        if self.service.is_none() && self.container.is_none() {
            return self.stream.clone();
        }
        let task = self.task_id();
        let task = task.get(..8).unwrap_or(task);
        let mut parts: Vec<&str> = Vec::with_capacity(3);
        if let Some(s) = &self.service {
            parts.push(s);
        }
        parts.push(task);
        if let Some(c) = &self.container {
            parts.push(c);
        }
        parts.join(" ")
    }
}

/// One log group query of a tail, with what its streams belong to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TailQuery {
    /// The query.
    pub query: LogQuery,
    /// Service of its streams.
    pub service: Option<String>,
    /// Container of its streams.
    pub container: Option<String>,
}

impl TailQuery {
    /// The source of an event read from `stream` by this query.
    pub fn source(&self, stream: &str) -> TailSource {
        TailSource {
            group: self.query.group.clone(),
            stream: stream.to_owned(),
            service: self.service.clone(),
            container: self.container.clone(),
        }
    }
}

/// The lines of a tail and the sources they came from.
#[derive(Default)]
pub struct TailData {
    /// The lines.
    pub buffer: LogBuffer,
    /// Sources, indexed by each line's `source`.
    pub sources: Vec<TailSource>,
    /// The queries the tail runs (for loading older lines the same way).
    pub queries: Vec<TailQuery>,
    /// Oldest event time the lines cover, epoch ms (older lines load on request).
    pub covered_from_ms: i64,
    /// Whether there is nothing older to load.
    pub history_exhausted: bool,
}

impl TailData {
    /// The index of `source`, added when new.
    pub fn source_index(&mut self, source: &TailSource) -> u16 {
        if let Some(i) = self.sources.iter().position(|s| s == source) {
            return i as u16;
        }
        if self.sources.len() >= MAX_SOURCES {
            return (MAX_SOURCES - 1) as u16;
        }
        self.sources.push(source.clone());
        (self.sources.len() - 1) as u16
    }

    /// The source of a line, if it is a real one.
    pub fn source(&self, index: u16) -> Option<&TailSource> {
        self.sources.get(usize::from(index))
    }
}

/// What a load added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryLoaded {
    /// Lines prepended.
    pub lines: usize,
    /// The tail now covers from here, epoch ms.
    pub covered_from_ms: i64,
    /// There is nothing older (the search reached 30 days back).
    pub exhausted: bool,
    /// The ring buffer is full: older lines would push out the newest.
    pub buffer_full: bool,
}

/// A tail's data behind a lock: the worker writes in batches, the view tries to read.
#[derive(Clone)]
pub struct SharedTail(Arc<RwLock<TailData>>);

impl SharedTail {
    /// An empty tail keeping at most `capacity_lines` (and the default bytes of text).
    pub fn new(capacity_lines: usize) -> Self {
        Self::with_caps(capacity_lines, super::buffer::DEFAULT_CAPACITY_MIB)
    }

    /// An empty tail keeping at most `capacity_lines` and `capacity_mib` MiB of text.
    pub fn with_caps(capacity_lines: usize, capacity_mib: usize) -> Self {
        Self(Arc::new(RwLock::new(TailData {
            buffer: LogBuffer::new(capacity_lines).with_capacity_mib(capacity_mib),
            ..TailData::default()
        })))
    }

    /// Reads without waiting: `None` while the worker is writing (draw last frame's rows).
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, TailData>> {
        match self.0.try_read() {
            Ok(guard) => Some(guard),
            // A panic while writing leaves whole lines behind: the data is still readable.
            Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// Reads, waiting for a writer to finish (worker threads, the CLI and tests only).
    pub fn read(&self) -> RwLockReadGuard<'_, TailData> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes, waiting for readers (worker threads only).
    pub fn write(&self) -> RwLockWriteGuard<'_, TailData> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes without waiting: `None` while anyone reads (shows who holds the lock).
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, TailData>> {
        match self.0.try_write() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }
}

impl Default for SharedTail {
    fn default() -> Self {
        Self::new(crate::model::logs::buffer::DEFAULT_CAPACITY_LINES)
    }
}

impl PartialEq for SharedTail {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedTail {}

impl std::fmt::Debug for SharedTail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedTail")
    }
}

/// How a tail is getting its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TailMode {
    /// Finding the tasks and their log streams.
    #[default]
    Resolving,
    /// Waiting for something to exist (the log group), with what.
    Waiting(String),
    /// FilterLogEvents every second; why, when Live Tail was wanted.
    Polling(Option<String>),
    /// Pushed by a Live Tail session.
    LiveTail,
    /// Read up to now and stopped (not following).
    Done,
    /// Stopped on an error it cannot retry.
    Failed,
}

impl TailMode {
    /// Status-bar text.
    pub fn label(&self) -> String {
        match self {
            Self::Resolving => "Finding log streams…".into(),
            Self::Waiting(what) => what.clone(),
            Self::Polling(None) => "Polling every 1 s".into(),
            Self::Polling(Some(why)) => format!("Polling every 1 s ({why})"),
            Self::LiveTail => "Live Tail".into(),
            Self::Done => "Read to now".into(),
            Self::Failed => "Stopped".into(),
        }
    }
}

/// What a running tail reports (sent whenever it changes, a few times a second at most).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TailStatus {
    /// Mode.
    pub mode: TailMode,
    /// Containers whose logs can't be shown, and similar notes.
    pub notices: Vec<String>,
    /// The latest failure; cleared by the next success. The tail retries unless `Failed`.
    pub error: Option<AwsError>,
    /// Newest event time committed, epoch ms.
    pub newest_event_ms: Option<i64>,
    /// How late the newest line reached the buffer after its event time, ms.
    pub delay_ms: Option<i64>,
    /// Events received (before de-duplication).
    pub received: u64,
    /// Repeats dropped.
    pub duplicates: u64,
    /// Events that arrived after newer ones were shown (placed at the end).
    pub late: u64,
    /// Events Live Tail left out (sampled by AWS).
    pub sampled: u64,
    /// Streams being read.
    pub streams: usize,
}

/// A "since" as typed: a duration back from now (`10m`, `1h 30m`, `2d`), an RFC 3339 time
/// (`2026-12-01T10:00:00Z`) or epoch milliseconds. Returns epoch ms.
pub fn parse_since(text: &str, now_ms: i64) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(ms) = text.parse::<i64>()
        && ms > 1_000_000_000_000
    {
        return Ok(ms);
    }
    if let Ok(back) = humantime::parse_duration(text) {
        let back_ms = i64::try_from(back.as_millis()).unwrap_or(i64::MAX);
        return Ok(now_ms.saturating_sub(back_ms));
    }
    match humantime::parse_rfc3339_weak(text) {
        Ok(t) => {
            let ms = crate::model::time_format::epoch_ms(t);
            if ms > now_ms {
                Err(format!("{text} is in the future"))
            } else {
                Ok(ms)
            }
        }
        Err(_) => Err(format!(
            "\"{text}\" is not a time: use a duration back from now (10m, 1h, 2d) or a \
             time (2026-12-01T10:00:00Z)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_times_and_epoch_ms() {
        let now = 1_800_000_000_000;
        assert_eq!(parse_since("10m", now), Ok(now - 600_000));
        assert_eq!(parse_since("1h 30m", now), Ok(now - 5_400_000));
        assert_eq!(
            parse_since("2026-12-01T10:00:00Z", now),
            Ok(1_796_119_200_000)
        );
        assert_eq!(parse_since("1796119200000", now), Ok(1_796_119_200_000));
        assert!(parse_since("yesterday", now).is_err());
        assert!(parse_since("2030-01-01T00:00:00Z", 1_700_000_000_000).is_err());
    }

    #[test]
    fn sources_are_numbered_once_and_labelled_by_what_is_known() {
        let mut data = TailData::default();
        let api = TailSource {
            group: "/ecs/api".into(),
            stream: "ecs/app/0123456789abcdef".into(),
            service: Some("api".into()),
            container: Some("app".into()),
        };
        let bare = TailSource {
            group: "/ecs/api".into(),
            stream: "raw-stream".into(),
            service: None,
            container: None,
        };
        assert_eq!(data.source_index(&api), 0);
        assert_eq!(data.source_index(&bare), 1);
        assert_eq!(data.source_index(&api), 0);
        assert_eq!(api.label(), "api 01234567 app");
        assert_eq!(bare.label(), "raw-stream");
    }

    #[test]
    fn targets_describe_themselves() {
        let services = TailTarget::Services {
            cluster: "c".into(),
            services: vec!["arn:aws:ecs:r:1:service/c/api".into(), "worker".into()],
        };
        assert_eq!(services.label(), "api + worker");
        let group = TailTarget::Group {
            group: "/ecs/api".into(),
            prefix: Some("ecs/".into()),
        };
        assert_eq!(group.label(), "/ecs/api · ecs/*");
    }
}
