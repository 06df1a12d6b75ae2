//! The stopped-task recorder's rules: which stopped tasks to keep once ECS forgets them
//! (about an hour after they stop), for how long, in how much space. The file itself is
//! written by `jobs::stopped_tasks`; this is what it holds and what it drops.

use crate::model::ecs::Task;
use crate::model::time_format;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::time::{Duration, SystemTime};

/// One stopped task as recorded: where it was seen, when, and the task as ECS described it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedTask {
    /// When the app recorded it.
    #[serde(with = "time_format::opt")]
    pub recorded_at: Option<SystemTime>,
    /// The profile it was seen through (`None`: the default chain).
    pub profile: Option<String>,
    /// The region.
    pub region: String,
    /// The task.
    pub task: Task,
}

impl RecordedTask {
    /// When it stopped, else when it was recorded: its age is counted from this.
    pub fn stopped_or_recorded(&self) -> Option<SystemTime> {
        self.task.stopped_at.or(self.recorded_at)
    }
}

/// How much the recorder keeps (Settings changes both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecorderLimits {
    /// Tasks that stopped longer ago than this are dropped.
    pub max_age_days: u32,
    /// The file never grows past this; the oldest tasks go first.
    pub max_mib: u32,
}

impl Default for RecorderLimits {
    fn default() -> Self {
        Self {
            max_age_days: 14,
            max_mib: 16,
        }
    }
}

impl RecorderLimits {
    /// The age limit as a duration.
    pub fn max_age(self) -> Duration {
        Duration::from_secs(u64::from(self.max_age_days) * 24 * 3600)
    }

    /// The size limit in bytes.
    pub fn max_bytes(self) -> usize {
        self.max_mib as usize * 1024 * 1024
    }
}

/// Of `tasks` (an answer of ECS), the stopped ones not yet recorded, by ARN.
pub fn new_stopped<'t>(recorded: &HashSet<String>, tasks: &'t [Task]) -> Vec<&'t Task> {
    tasks
        .iter()
        .filter(|t| t.last_status == "STOPPED" && !recorded.contains(&t.arn))
        .collect()
}

/// Which records stay, each given with its size in bytes: none older than the age limit,
/// then the newest first until the size limit. The kept ones come back oldest first, the
/// order the file holds them in.
pub fn keep(
    mut records: Vec<(RecordedTask, usize)>,
    limits: RecorderLimits,
    now: SystemTime,
) -> Vec<RecordedTask> {
    let oldest = now.checked_sub(limits.max_age());
    records.retain(|(r, _)| match (r.stopped_or_recorded(), oldest) {
        (Some(at), Some(oldest)) => at >= oldest,
        _ => true,
    });
    records.sort_by_key(|(r, _)| std::cmp::Reverse(r.stopped_or_recorded()));
    let mut total = 0usize;
    let mut kept: Vec<RecordedTask> = Vec::new();
    for (record, bytes) in records {
        if total + bytes > limits.max_bytes() {
            break;
        }
        total += bytes;
        kept.push(record);
    }
    kept.reverse();
    kept
}

/// The recorder's ledger (the app's, beside its file thread): the ARNs already recorded, and
/// the newly seen stopped tasks waiting to be written. Nothing is written before the file has
/// been read, so a task is never recorded twice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recorder {
    loaded: bool,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
    arns: HashSet<String>,
    /// Seen before the file was read: checked against it once it is.
    early: Vec<RecordedTask>,
    to_write: Vec<RecordedTask>,
}

impl Recorder {
    /// The file has been read (or could not be): from now on new stopped tasks are written.
    pub fn loaded(&mut self, result: Result<Vec<RecordedTask>, String>) {
        let recorded = result.unwrap_or_else(|why| {
            self.error = Some(why);
            Vec::new()
        });
        self.arns = recorded.iter().map(|r| r.task.arn.clone()).collect();
        self.loaded = true;
        let early = std::mem::take(&mut self.early);
        for record in early {
            self.add(record);
        }
    }

    /// Notes the stopped tasks of an answer seen through `connection` at `now`.
    pub fn observe(
        &mut self,
        tasks: &[Task],
        connection: &crate::model::Connection,
        now: SystemTime,
    ) {
        for task in new_stopped(&self.arns, tasks) {
            let record = RecordedTask {
                recorded_at: Some(now),
                profile: connection.profile.clone(),
                region: connection.region.clone(),
                task: task.clone(),
            };
            if self.loaded {
                self.add(record);
            } else if !self.early.iter().any(|r| r.task.arn == task.arn) {
                self.early.push(record);
            }
        }
    }

    fn add(&mut self, record: RecordedTask) {
        if self.arns.insert(record.task.arn.clone()) {
            self.to_write.push(record);
        }
    }

    /// The records to append to the file now (each handed out once).
    pub fn take_to_write(&mut self) -> Vec<RecordedTask> {
        std::mem::take(&mut self.to_write)
    }

    /// Whether `arn` has been recorded (read from the file, or handed out to be written).
    pub fn is_recorded(&self, arn: &str) -> bool {
        self.arns.contains(arn)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// Day `n` of the test calendar.
    pub(crate) fn day(n: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000 + n * 24 * 3600)
    }

    /// A stopped task recorded when it stopped.
    pub(crate) fn record(arn: &str, stopped: SystemTime) -> RecordedTask {
        RecordedTask {
            recorded_at: Some(stopped),
            profile: Some("platform".into()),
            region: "us-east-1".into(),
            task: Task {
                arn: arn.into(),
                last_status: "STOPPED".into(),
                stopped_at: Some(stopped),
                ..Task::default()
            },
        }
    }

    #[test]
    fn only_stopped_tasks_not_yet_recorded_are_new() {
        let tasks = [
            record("a", day(1)).task,
            record("b", day(1)).task,
            Task {
                arn: "running".into(),
                last_status: "RUNNING".into(),
                ..Task::default()
            },
        ];
        let recorded: HashSet<String> = ["a".to_owned()].into();
        let new: Vec<&str> = new_stopped(&recorded, &tasks)
            .iter()
            .map(|t| t.arn.as_str())
            .collect();
        assert_eq!(new, ["b"]);
    }

    #[test]
    fn old_tasks_go_then_the_oldest_until_the_file_fits() {
        let limits = RecorderLimits {
            max_age_days: 14,
            max_mib: 1,
        };
        let mib = 1024 * 1024;
        let records = vec![
            (record("too-old", day(0)), 10),
            (record("old", day(10)), mib / 2),
            (record("newer", day(12)), mib / 2),
            (record("newest", day(20)), mib / 2),
        ];
        let kept: Vec<String> = keep(records, limits, day(20))
            .into_iter()
            .map(|r| r.task.arn)
            .collect();
        // 15 days: too-old goes; then only two halves of a MiB fit: the newest two, oldest first.
        assert_eq!(kept, ["newer", "newest"]);
        assert_eq!(RecorderLimits::default().max_age_days, 14);
    }

    #[test]
    fn tasks_seen_before_the_file_is_read_are_written_once_and_only_if_new() {
        let connection = crate::model::Connection {
            profile: Some("platform".into()),
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        let mut recorder = Recorder::default();
        let seen = [record("in-file", day(1)).task, record("new", day(1)).task];
        recorder.observe(&seen, &connection, day(2));
        recorder.observe(&seen, &connection, day(2));
        assert!(
            recorder.take_to_write().is_empty(),
            "nothing before the file is read"
        );
        recorder.loaded(Ok(vec![record("in-file", day(1))]));
        let written: Vec<String> = recorder
            .take_to_write()
            .into_iter()
            .map(|r| r.task.arn)
            .collect();
        assert_eq!(written, ["new"]);
        recorder.observe(&seen, &connection, day(3));
        assert!(recorder.take_to_write().is_empty(), "each task once");
        assert!(recorder.is_recorded("new"));
        // A file that cannot be read: the reason is kept, and recording goes on.
        let mut broken = Recorder::default();
        broken.loaded(Err(
            "cannot read stopped-tasks.jsonl: permission denied".into()
        ));
        assert!(broken.error.is_some());
        broken.observe(&seen, &connection, day(3));
        assert_eq!(broken.take_to_write().len(), 2);
    }

    #[test]
    fn a_record_round_trips_through_json() {
        let r = record("arn:aws:ecs:us-east-1:1:task/prod/abc", day(3));
        let text = serde_json::to_string(&r).unwrap();
        let back: RecordedTask = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }
}
