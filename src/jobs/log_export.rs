//! Saves a tail's lines to a file on a thread of its own: all of them or those a filter keeps,
//! read from the shared buffer a slice at a time (the engine keeps committing meanwhile) and
//! written beside the target, then renamed, so a failed export never leaves half a file.

use crate::model::logs::export::{LineFormat, write_line};
use crate::model::logs::filter::{CompiledFilter, filter_slice};
use crate::model::logs::tail::SharedTail;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Lines read under one read lock.
const SLICE_LINES: i64 = 16_384;

/// What to save.
pub struct ExportRequest {
    /// The tail.
    pub tail: SharedTail,
    /// Only lines this filter keeps (`None`: every line).
    pub filter: Option<CompiledFilter>,
    /// Absolute line indices (lines evicted meanwhile are skipped, and counted).
    pub range: Range<i64>,
    /// The file to write.
    pub path: PathBuf,
    /// Text or JSON lines.
    pub format: LineFormat,
}

/// What an export did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// Lines written.
    pub lines: u64,
    /// Lines of the range dropped from the ring before they could be written.
    pub evicted: u64,
}

/// Writes the lines of `request` to its path; what was written, or why not.
pub fn export(request: &ExportRequest) -> Result<Exported, String> {
    let partial = partial_path(&request.path);
    let file = super::drafts::create_private_file(&partial)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let written = write_lines(request, &mut out).and_then(|counts| {
        out.flush()?;
        out.get_ref().sync_all()?;
        Ok(counts)
    });
    let (lines, evicted) = match written {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(format!("cannot write {}: {e}", partial.display()));
        }
    };
    std::fs::rename(&partial, &request.path)
        .map_err(|e| format!("cannot write {}: {e}", request.path.display()))?;
    Ok(Exported {
        path: request.path.clone(),
        lines,
        evicted,
    })
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// (lines written, lines evicted before they were reached).
fn write_lines(request: &ExportRequest, out: &mut impl Write) -> std::io::Result<(u64, u64)> {
    let (mut lines, mut evicted) = (0, 0);
    let mut from = request.range.start;
    let mut kept = Vec::new();
    let mut chunk = Vec::new();
    while from < request.range.end {
        chunk.clear();
        {
            // Formatted under the read lock, written after it: the tail never waits for a disk.
            let data = request.tail.read();
            let first = data.buffer.first_index();
            if from < first {
                evicted += (first.min(request.range.end) - from) as u64;
                from = first;
            }
            let to = (from + SLICE_LINES)
                .min(request.range.end)
                .min(data.buffer.end_index());
            if to <= from {
                break;
            }
            kept.clear();
            match &request.filter {
                Some(filter) => {
                    filter_slice(&data.buffer, filter, from, to, &mut kept);
                }
                None => kept.extend(from..to),
            }
            for index in &kept {
                if let Some((meta, text)) = data.buffer.get(*index) {
                    write_line(&mut chunk, &data, meta, text, request.format)?;
                    lines += 1;
                }
            }
            from = to;
        }
        out.write_all(&chunk)?;
    }
    Ok((lines, evicted))
}

/// Runs [`export`] on a new thread; the receiver gets its result.
pub fn export_in_background(
    request: ExportRequest,
    wake: crate::model::messages::Repaint,
) -> mpsc::Receiver<Result<Exported, String>> {
    super::spawn_job("log-export", wake, move || export(&request))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::logs::filter::LogFilter;
    use crate::model::logs::severity::Severity;

    fn tail_of(lines: usize, capacity: usize) -> SharedTail {
        let tail = SharedTail::new(capacity);
        {
            let mut data = tail.write();
            for i in 0..lines {
                let text = if i % 3 == 0 {
                    format!("ERROR failed {i}")
                } else {
                    format!("INFO ok {i}")
                };
                data.buffer.push(1_000 + i as i64, 0, &text);
            }
        }
        tail
    }

    #[test]
    fn saves_every_line_or_the_filtered_ones_atomically() {
        let dir = tempfile::tempdir().expect("dir");
        let tail = tail_of(40_000, 100_000);
        let path = dir.path().join("all.log");
        let all = export(&ExportRequest {
            tail: tail.clone(),
            filter: None,
            range: 0..40_000,
            path: path.clone(),
            format: LineFormat::Text,
        })
        .expect("saved");
        assert_eq!((all.lines, all.evicted), (40_000, 0));
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 40_000);
        assert!(
            text.lines()
                .next()
                .is_some_and(|l| l.ends_with(" - ERROR failed 0"))
        );
        assert!(!dir.path().join("all.log.partial").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o600,
                "a log may hold secrets: the user's alone"
            );
        }

        let filter = LogFilter {
            min_severity: Severity::Error,
            ..LogFilter::default()
        };
        let path = dir.path().join("errors.jsonl");
        let errors = export(&ExportRequest {
            tail,
            filter: Some(filter.compile().expect("filter")),
            range: 0..40_000,
            path: path.clone(),
            format: LineFormat::for_path(&path),
        })
        .expect("saved");
        assert_eq!(errors.lines, 13_334);
        let first: serde_json::Value = serde_json::from_str(
            std::fs::read_to_string(&path)
                .expect("read")
                .lines()
                .next()
                .expect("a line"),
        )
        .expect("json");
        assert_eq!(first["message"], "ERROR failed 0");
        assert_eq!(first["severity"], "ERROR");
    }

    #[test]
    fn evicted_lines_are_counted_and_a_bad_path_is_an_error() {
        let dir = tempfile::tempdir().expect("dir");
        let tail = tail_of(1_000, 600);
        let done = export(&ExportRequest {
            tail: tail.clone(),
            filter: None,
            range: 0..1_000,
            path: dir.path().join("x.log"),
            format: LineFormat::Text,
        })
        .expect("saved");
        assert_eq!((done.lines, done.evicted), (600, 400));
        let bad = export(&ExportRequest {
            tail,
            filter: None,
            range: 0..1_000,
            path: dir.path().join("missing/x.log"),
            format: LineFormat::Text,
        });
        assert!(bad.is_err_and(|e| e.contains("cannot write")));
    }

    /// Counts writes made while the tail's lock was held by the export itself.
    struct LockProbe {
        tail: SharedTail,
        writes: usize,
        under_lock: usize,
    }

    impl Write for LockProbe {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            if self.tail.try_write().is_none() {
                self.under_lock += 1;
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_disk_is_written_with_the_buffer_unlocked() {
        let tail = tail_of(20_000, 100_000);
        let request = ExportRequest {
            tail: tail.clone(),
            filter: None,
            range: 0..20_000,
            path: PathBuf::from("unused"),
            format: LineFormat::Text,
        };
        let mut probe = LockProbe {
            tail,
            writes: 0,
            under_lock: 0,
        };
        let (lines, _) = write_lines(&request, &mut probe).expect("written");
        assert_eq!(lines, 20_000);
        assert!(probe.writes > 0);
        assert_eq!(
            probe.under_lock, 0,
            "the tail could append during every write"
        );
    }
}
