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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn day(n: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000 + n * 24 * 3600)
    }

    fn record(arn: &str, stopped: SystemTime) -> RecordedTask {
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
    fn a_record_round_trips_through_json() {
        let r = record("arn:aws:ecs:us-east-1:1:task/prod/abc", day(3));
        let text = serde_json::to_string(&r).unwrap();
        let back: RecordedTask = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }
}
