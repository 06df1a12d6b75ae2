//! The action journal on disk, `<data dir>/journal.jsonl`: one JSON line per change, appended
//! by the desktop app (through its file thread) and by the CLI. The file is the user's alone
//! (0600 in a 0700 directory); a line cut short by a crash or a full disk is ended before the
//! next one is appended, so it is never glued to it.

use crate::model::changes::journal::JournalEntry;
use std::path::{Path, PathBuf};

/// Journal lines shown: the newest this many.
pub const JOURNAL_SHOWN: usize = 1000;

/// Where the journal lives (`~/.local/share/ecsdeck/journal.jsonl` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck").map(|d| d.data_dir().join("journal.jsonl"))
}

/// Appends `entry` as one line, flushed to disk.
pub fn append(path: &Path, entry: &JournalEntry) -> std::io::Result<()> {
    super::jsonl::append(path, std::slice::from_ref(entry))
}

/// The journal, newest first (at most [`JOURNAL_SHOWN`]); lines that do not parse are skipped.
pub fn read(path: &Path) -> Result<Vec<JournalEntry>, String> {
    let mut entries: Vec<JournalEntry> = super::jsonl::read(path)?
        .0
        .into_iter()
        .map(|(entry, _)| entry)
        .collect();
    entries.reverse();
    entries.truncate(JOURNAL_SHOWN);
    Ok(entries)
}

#[cfg(test)]
mod tests;
