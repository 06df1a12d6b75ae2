//! The stopped-task recorder on disk, `<data dir>/stopped-tasks.jsonl`: every stopped task
//! the app has seen, one JSON line each (0600), so a task stays inspectable after ECS forgets
//! it (about an hour after it stops). Loading drops what the limits no longer allow and
//! rewrites the file without it.

use super::drafts::write_atomically;
use crate::model::incident::recorder::{RecordedTask, RecorderLimits, keep};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where the recorder keeps its tasks, beside the drafts directory.
pub fn path_beside(drafts: &Path) -> PathBuf {
    drafts.with_file_name("stopped-tasks.jsonl")
}

/// `<data dir>/stopped-tasks.jsonl`, where the app keeps it (the CLI reads it from there).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck")
        .map(|d| d.data_dir().join("stopped-tasks.jsonl"))
}

/// The recorded tasks as they are, without pruning (for readers that must not write).
pub fn read_only(path: &Path) -> Result<Vec<RecordedTask>, String> {
    super::jsonl::read::<RecordedTask>(path)
        .map(|(records, _)| records.into_iter().map(|(r, _)| r).collect())
}

/// Appends `records`, flushed to disk.
pub fn record(path: &Path, records: &[RecordedTask]) -> std::io::Result<()> {
    super::jsonl::append(path, records)
}

/// The recorded tasks the limits allow, oldest first. When some were dropped (too old, too
/// many, or lines that no longer parse) the file is rewritten without them.
pub fn load(
    path: &Path,
    limits: RecorderLimits,
    now: SystemTime,
) -> Result<Vec<RecordedTask>, String> {
    let (records, skipped) = super::jsonl::read::<RecordedTask>(path)?;
    let read = records.len();
    let kept = keep(records, limits, now);
    if kept.len() != read || skipped > 0 {
        let mut text = String::new();
        for record in &kept {
            let line = serde_json::to_string(record).map_err(|e| e.to_string())?;
            text.push_str(&line);
            text.push('\n');
        }
        write_atomically(path, text.as_bytes())
            .map_err(|e| format!("cannot rewrite {}: {e}", path.display()))?;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::incident::recorder::tests::{day, record as stopped};

    #[test]
    fn records_survive_a_restart_and_old_ones_are_dropped_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_beside(&dir.path().join("drafts"));
        record(&path, &[stopped("old", day(0)), stopped("a", day(10))]).unwrap();
        record(&path, &[stopped("b", day(11))]).unwrap();
        // A line cut short by a crash is skipped and dropped.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{\"recorded_at\":"))
            .unwrap();
        record(&path, &[stopped("c", day(12))]).unwrap();
        let limits = RecorderLimits::default();
        let kept: Vec<String> = load(&path, limits, day(15))
            .unwrap()
            .into_iter()
            .map(|r| r.task.arn)
            .collect();
        assert_eq!(kept, ["a", "b", "c"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(!text.contains("\"old\""));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(
            load(&dir.path().join("none.jsonl"), limits, day(15))
                .unwrap()
                .is_empty()
        );
    }
}
