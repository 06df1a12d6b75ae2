//! Draft files and JSON import/export, on their own thread so the UI never waits for a disk.
//! A draft is written to `<id>.json.tmp` and renamed over `<id>.json`: a crash leaves either
//! the old file or the new one, never half of one.

use crate::model::changes::journal::JournalEntry;
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
    ops: mpsc::Sender<FileOp>,
    events: mpsc::Receiver<FileEvent>,
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
        super::start("files", move || {
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
            ops: op_tx,
            events: event_rx,
        })
    }

    /// The drafts directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn send(&self, op: FileOp) {
        if self.ops.send(op).is_err() {
            log::error!("the file thread has stopped");
        }
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
            if let Err(e) = append_journal(&journal_path(dir), &entry) {
                log::error!("writing the action journal failed: {e}");
            }
            None
        }
        FileOp::ReadJournal => Some(FileEvent::Journal(read_journal(&journal_path(dir)))),
        FileOp::Export { path, text } => {
            let result = write_atomically(&path, text.as_bytes(), Access::Default)
                .map_err(|e| format!("cannot write {}: {e}", path.display()));
            Some(FileEvent::Exported { path, result })
        }
    }
}

fn read_limited(path: &Path) -> Result<String, String> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {name}: {e}"))?
        .len();
    if size > MAX_IMPORT_BYTES {
        return Err(format!(
            "{name} is {size} bytes; a task definition file is far smaller"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))
}

fn write_draft(dir: &Path, draft: &Draft) -> Result<(), String> {
    if !is_valid_id(&draft.id) {
        return Err(format!("invalid draft id {:?}", draft.id));
    }
    create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let json = serde_json::to_vec_pretty(draft).map_err(|e| e.to_string())?;
    write_atomically(&draft_path(dir, &draft.id), &json, Access::Owner).map_err(|e| e.to_string())
}

/// Who may read a written file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// The user alone (drafts: a task definition's environment may hold passwords).
    Owner,
    /// As the user's umask says (exports to a place the user chose).
    Default,
}

/// Creates `dir` and its parents; `dir` itself readable by the user alone (on Unix).
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Writes to a temporary sibling, flushes it to disk, then renames it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], access: Access) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if access == Access::Owner {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        // Windows: files in the user's profile are the user's already.
        #[cfg(not(unix))]
        let _ = access;
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
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

/// Journal lines kept when reading: the newest this many.
const JOURNAL_SHOWN: usize = 1000;

fn append_journal(path: &Path, entry: &JournalEntry) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

fn read_journal(path: &Path) -> Result<Vec<JournalEntry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    // A line cut short by a crash is skipped, not fatal.
    let mut entries: Vec<JournalEntry> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    entries.reverse();
    entries.truncate(JOURNAL_SHOWN);
    Ok(entries)
}
