//! Draft files and JSON import/export, on their own thread so the UI never waits for a disk.
//! A draft is written to `<id>.json.tmp` and renamed over `<id>.json`: a crash leaves either
//! the old file or the new one, never half of one.

use crate::model::changes::journal::JournalEntry;
use crate::model::incident::recorder::{RecordedTask, RecorderLimits};
use crate::model::task_defs::draft::{Draft, is_valid_id};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::SystemTime;

/// Work for the file thread.
#[derive(Debug)]
enum FileOp {
    Save(Draft),
    Delete(String),
    Import(PathBuf),
    Export { path: PathBuf, text: String },
    AppendJournal(JournalEntry),
    ReadJournal,
    WriteSettings { path: PathBuf, text: String },
    RecordStopped(Vec<RecordedTask>),
    LoadStopped(RecorderLimits),
}

/// What the file thread reports.
#[derive(Debug, PartialEq)]
pub enum FileEvent {
    /// The drafts found at start-up, newest first, and files that could not be read.
    Listed {
        /// Drafts read.
        drafts: Vec<Draft>,
        /// `file: why` for each unreadable file (left in place).
        unreadable: Vec<String>,
    },
    /// A draft was written.
    Saved {
        /// Its id.
        id: String,
        /// When, or why not.
        result: Result<SystemTime, String>,
    },
    /// A file was read for import.
    Imported {
        /// The file.
        path: PathBuf,
        /// Its text, or why it could not be read.
        result: Result<String, String>,
    },
    /// The action journal, newest first, or why it could not be read.
    Journal(Result<Vec<JournalEntry>, String>),
    /// A journal line could not be written: why.
    JournalFailed(String),
    /// The settings could not be saved: why.
    SettingsFailed(String),
    /// The stopped tasks recorded earlier, oldest first, or why they could not be read.
    StoppedTasks(Result<Vec<RecordedTask>, String>),
    /// Stopped tasks could not be recorded: why.
    RecordFailed(String),
    /// A document was written for export.
    Exported {
        /// The file.
        path: PathBuf,
        /// Done, or why not.
        result: Result<(), String>,
    },
}

/// Handle to the file thread.
pub struct DraftStore {
    dir: PathBuf,
    /// None once shut down.
    ops: Option<mpsc::Sender<FileOp>>,
    events: mpsc::Receiver<FileEvent>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Where drafts live: the platform's data directory (`~/.local/share/ecsdeck/drafts` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck").map(|d| d.data_dir().join("drafts"))
}

/// Files larger than this are refused on import: a task definition is at most 64 KiB in ECS,
/// and a 2 MB paste is still shown; a 50 MB file is a mistake.
pub const MAX_IMPORT_BYTES: u64 = 8 * 1024 * 1024;

impl DraftStore {
    /// Starts the file thread; it lists the drafts in `dir` first. `repaint` wakes the UI.
    pub fn spawn(dir: PathBuf, repaint: crate::model::messages::Repaint) -> std::io::Result<Self> {
        let (op_tx, op_rx) = mpsc::channel();
        let (event_tx, event_rx) = mpsc::channel();
        let thread_dir = dir.clone();
        let thread = super::start("files", move || {
            let send = |event| {
                // The receiver is gone only when the app is closing.
                let _ = event_tx.send(event);
                repaint();
            };
            send(list(&thread_dir));
            while let Ok(op) = op_rx.recv() {
                if let Some(event) = apply(&thread_dir, op) {
                    send(event);
                }
            }
        })
        .map_err(std::io::Error::other)?;
        Ok(Self {
            dir,
            ops: Some(op_tx),
            events: event_rx,
            thread: Some(thread),
        })
    }

    /// The drafts directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn send(&self, op: FileOp) {
        if self.ops.as_ref().is_none_or(|ops| ops.send(op).is_err()) {
            log::error!("the file thread has stopped");
        }
    }

    /// Finishes every queued write (drafts, journal lines, settings) and stops the thread:
    /// called on exit, so the last edits are on disk when the process ends.
    pub fn shut_down(&mut self) {
        self.ops = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the file thread panicked while finishing its writes");
        }
    }

    /// Saves the settings' text to `path` (atomically, in the background).
    pub fn write_settings(&self, path: PathBuf, text: String) {
        self.send(FileOp::WriteSettings { path, text });
    }

    /// Saves a draft (atomically, in the background).
    pub fn save(&self, draft: Draft) {
        self.send(FileOp::Save(draft));
    }

    /// Deletes a draft.
    pub fn delete(&self, id: &str) {
        self.send(FileOp::Delete(id.to_owned()));
    }

    /// Appends a line to the action journal.
    pub fn append_journal(&self, entry: JournalEntry) {
        self.send(FileOp::AppendJournal(entry));
    }

    /// Reads the action journal.
    pub fn read_journal(&self) {
        self.send(FileOp::ReadJournal);
    }

    /// Reads a file to import.
    pub fn import(&self, path: PathBuf) {
        self.send(FileOp::Import(path));
    }

    /// Records stopped tasks (appended to the recorder's file).
    pub fn record_stopped(&self, records: Vec<RecordedTask>) {
        self.send(FileOp::RecordStopped(records));
    }

    /// Reads the recorded stopped tasks, dropping what `limits` no longer allow.
    pub fn load_stopped(&self, limits: RecorderLimits) {
        self.send(FileOp::LoadStopped(limits));
    }

    /// Writes `text` to `path`.
    pub fn export(&self, path: PathBuf, text: String) {
        self.send(FileOp::Export { path, text });
    }

    /// The next event, if any; never blocks.
    pub fn try_recv(&self) -> Option<FileEvent> {
        self.events.try_recv().ok()
    }

    /// Waits for the next event (tests).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<FileEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

fn draft_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.json"))
}

fn apply(dir: &Path, op: FileOp) -> Option<FileEvent> {
    match op {
        FileOp::Save(mut draft) => {
            let id = draft.id.clone();
            let now = SystemTime::now();
            draft.saved_at = Some(now);
            let result = write_draft(dir, &draft).map(|()| now);
            if let Err(e) = &result {
                log::error!("saving draft {id} failed: {e}");
            }
            Some(FileEvent::Saved { id, result })
        }
        FileOp::Delete(id) => {
            if is_valid_id(&id)
                && let Err(e) = std::fs::remove_file(draft_path(dir, &id))
                && e.kind() != std::io::ErrorKind::NotFound
            {
                log::error!("deleting draft {id} failed: {e}");
            }
            None
        }
        FileOp::Import(path) => {
            let result = read_limited(&path);
            Some(FileEvent::Imported { path, result })
        }
        FileOp::AppendJournal(entry) => {
            let path = journal_path(dir);
            super::journal_file::append(&path, &entry).err().map(|e| {
                let why = format!("cannot write the action journal {}: {e}", path.display());
                log::error!("{why}");
                FileEvent::JournalFailed(why)
            })
        }
        FileOp::ReadJournal => Some(FileEvent::Journal(super::journal_file::read(
            &journal_path(dir),
        ))),
        FileOp::WriteSettings { path, text } => {
            super::settings_file::write(&path, &text).err().map(|e| {
                let why = format!("cannot save the settings to {}: {e}", path.display());
                log::error!("{why}");
                FileEvent::SettingsFailed(why)
            })
        }
        FileOp::Export { path, text } => {
            let result = write_atomically(&path, text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()));
            Some(FileEvent::Exported { path, result })
        }
        FileOp::RecordStopped(records) => {
            let path = super::stopped_tasks::path_beside(dir);
            super::stopped_tasks::record(&path, &records)
                .err()
                .map(|e| {
                    let why = format!("cannot record stopped tasks in {}: {e}", path.display());
                    log::error!("{why}");
                    FileEvent::RecordFailed(why)
                })
        }
        FileOp::LoadStopped(limits) => {
            let path = super::stopped_tasks::path_beside(dir);
            let loaded = super::stopped_tasks::load(&path, limits, SystemTime::now());
            Some(FileEvent::StoppedTasks(loaded))
        }
    }
}

/// Reads at most [`MAX_IMPORT_BYTES`] of a regular file: a FIFO, a device or `/dev/zero`
/// is refused before a read that would never end, and a larger file after that many bytes.
fn read_limited(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let name = path.display();
    let kind = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {name}: {e}"))?
        .file_type();
    if !kind.is_file() {
        return Err(format!(
            "{name} is not a regular file (a directory, pipe or device); choose a JSON file"
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(format!(
            "{name} is larger than {} MiB; a task definition file is far smaller",
            MAX_IMPORT_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))
}

fn write_draft(dir: &Path, draft: &Draft) -> Result<(), String> {
    if !is_valid_id(&draft.id) {
        return Err(format!("invalid draft id {:?}", draft.id));
    }
    create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let json = serde_json::to_vec_pretty(draft).map_err(|e| e.to_string())?;
    write_atomically(&draft_path(dir, &draft.id), &json).map_err(|e| e.to_string())
}

/// Creates `dir` and its missing parents readable by the user alone (on Unix), and narrows
/// an existing `dir` to that too (an older version made it 0755) — unless it is a shared
/// directory (world-writable or sticky, like `/tmp`), which is never touched.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        let shared = mode & 0o1002 != 0;
        if !shared && mode & 0o777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// Creates (or empties) `path` readable by the user alone: drafts, exports, settings and
/// reports may hold a task definition's environment or a log's secrets.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // An existing file keeps its mode through `open`: narrow it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    // Windows: files in the user's profile are the user's already.
    Ok(file)
}

/// Writes to a temporary sibling (user-only), flushes it to disk, then renames it over `path`
/// and flushes the directory, so the rename itself survives a power cut.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut file = create_private_file(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn list(dir: &Path) -> FileEvent {
    let mut drafts = Vec::new();
    let mut unreadable = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // No directory yet means no drafts.
        Err(_) => {
            return FileEvent::Listed { drafts, unreadable };
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let parsed = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| serde_json::from_slice::<Draft>(&bytes).map_err(|e| e.to_string()));
        match parsed {
            Ok(draft) if is_valid_id(&draft.id) => drafts.push(draft),
            Ok(_) => unreadable.push(format!("{}: invalid draft id", path.display())),
            Err(e) => unreadable.push(format!("{}: {e}", path.display())),
        }
    }
    drafts.sort_by_key(|d| std::cmp::Reverse(d.saved_at));
    FileEvent::Listed { drafts, unreadable }
}

/// The journal lives beside the drafts directory: `<data dir>/journal.jsonl`.
fn journal_path(drafts: &Path) -> PathBuf {
    drafts.with_file_name("journal.jsonl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_refuses_pipes_devices_and_huge_files_without_hanging() {
        let dir = tempfile::tempdir().expect("dir");
        let err = read_limited(dir.path()).expect_err("a directory");
        assert!(err.contains("not a regular file"), "{err}");
        #[cfg(unix)]
        {
            let err = read_limited(Path::new("/dev/zero")).expect_err("a device");
            assert!(err.contains("not a regular file"), "{err}");
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "mkfifo (coreutils) makes the FIFO"
            );
            // Nobody writes to it: a plain read would wait forever.
            let err = read_limited(&fifo).expect_err("a FIFO");
            assert!(err.contains("not a regular file"), "{err}");
        }
        let big = dir.path().join("big.json");
        let file = std::fs::File::create(&big).expect("create");
        file.set_len(MAX_IMPORT_BYTES + 10).expect("grow");
        let err = read_limited(&big).expect_err("too big");
        assert!(err.contains("larger than"), "{err}");
        let ok = dir.path().join("ok.json");
        std::fs::write(&ok, "{}").expect("write");
        assert_eq!(read_limited(&ok).expect("read"), "{}");
    }

    #[cfg(unix)]
    #[test]
    fn a_private_directory_never_narrows_a_shared_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).expect("mkdir");
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
        create_private_dir(&shared).expect("exists");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777;
        assert_eq!(mode(&shared), 0o1777, "like /tmp: left alone");
        let old = dir.path().join("old");
        std::fs::create_dir(&old).expect("mkdir");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        create_private_dir(&old).expect("narrowed");
        assert_eq!(mode(&old), 0o700);
        let new = dir.path().join("a").join("b");
        create_private_dir(&new).expect("created");
        assert_eq!(mode(&new), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
    }

    #[test]
    fn exports_and_drafts_are_written_for_the_user_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("taskdef.json");
        std::fs::write(&path, "old").expect("an existing, wider file");
        write_atomically(&path, b"{}").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"{}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
