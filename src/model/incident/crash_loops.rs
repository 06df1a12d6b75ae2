//! Stopped tasks as rows: the same failure on one service, again and again within a few
//! minutes, is one crash-loop row with a count rather than one row per task; tasks ECS
//! stopped on purpose are one row per burst.

use super::diagnosis::StopKind;
use std::time::{Duration, SystemTime};

/// One stopped task, diagnosed.
#[derive(Clone, Debug, PartialEq)]
pub struct StoppedTask {
    /// The task's ARN.
    pub task_arn: String,
    /// The service it belonged to (`None`: a standalone task).
    pub service: Option<String>,
    /// When it stopped.
    pub stopped_at: SystemTime,
    /// Why.
    pub kind: StopKind,
    /// The container the cause concerns.
    pub container: Option<String>,
}

/// When repeats make a crash loop: `min_count` stops of one kind, each within `window` of
/// the one before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopRule {
    /// Stops it takes.
    pub min_count: usize,
    /// The most time between two of them.
    pub window: Duration,
}

impl Default for LoopRule {
    fn default() -> Self {
        Self {
            min_count: 3,
            window: Duration::from_secs(10 * 60),
        }
    }
}

/// A row of the stopped-task list: one task, a crash loop, or a burst of planned stops.
#[derive(Clone, Debug, PartialEq)]
pub struct StopGroup {
    /// The service.
    pub service: Option<String>,
    /// Why they stopped.
    pub kind: StopKind,
    /// The container the cause concerns.
    pub container: Option<String>,
    /// The tasks, oldest first.
    pub task_arns: Vec<String>,
    /// The first stop.
    pub first: SystemTime,
    /// The last stop.
    pub last: SystemTime,
    /// A failure repeating: `min_count` or more within the window, one after another.
    pub crash_loop: bool,
}

impl StopGroup {
    /// How many tasks.
    pub fn count(&self) -> usize {
        self.task_arns.len()
    }
}

/// The rows for `stops`, the newest first.
pub fn group_stops(stops: &[StoppedTask], rule: LoopRule) -> Vec<StopGroup> {
    let mut sorted: Vec<&StoppedTask> = stops.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.service, a.kind, &a.container, a.stopped_at).cmp(&(
            &b.service,
            b.kind,
            &b.container,
            b.stopped_at,
        ))
    });
    let mut rows = Vec::new();
    let mut run: Vec<&StoppedTask> = Vec::new();
    for stop in sorted {
        let continues = run.last().is_some_and(|last| {
            last.service == stop.service
                && last.kind == stop.kind
                && last.container == stop.container
                && stop
                    .stopped_at
                    .duration_since(last.stopped_at)
                    .is_ok_and(|gap| gap <= rule.window)
        });
        if !continues {
            close_run(&mut run, rule, &mut rows);
        }
        run.push(stop);
    }
    close_run(&mut run, rule, &mut rows);
    rows.sort_by(|a, b| b.last.cmp(&a.last).then(a.kind.cmp(&b.kind)));
    rows
}

/// Ends a run of same-kind stops: one row when it is a loop or planned, else one per task.
fn close_run(run: &mut Vec<&StoppedTask>, rule: LoopRule, rows: &mut Vec<StopGroup>) {
    let Some(first) = run.first().copied() else {
        return;
    };
    let failure = first.kind.is_failure();
    let crash_loop = failure && run.len() >= rule.min_count;
    let row = |tasks: &[&StoppedTask]| StopGroup {
        service: first.service.clone(),
        kind: first.kind,
        container: first.container.clone(),
        task_arns: tasks.iter().map(|t| t.task_arn.clone()).collect(),
        first: tasks.first().map_or(first.stopped_at, |t| t.stopped_at),
        last: tasks.last().map_or(first.stopped_at, |t| t.stopped_at),
        crash_loop,
    };
    if crash_loop || !failure {
        rows.push(row(run));
    } else {
        rows.extend(run.iter().map(|t| row(std::slice::from_ref(t))));
    }
    run.clear();
}
