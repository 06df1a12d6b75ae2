//! The action journal on disk, `<data dir>/journal.jsonl`: one JSON line per change, appended
//! by the desktop app (through its file thread) and by the CLI. The file is the user's alone
//! (0600 in a 0700 directory); a line cut short by a crash or a full disk is ended before the
//! next one is appended, so it is never glued to it.

use super::drafts::create_private_dir;
use crate::model::changes::journal::JournalEntry;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Journal lines shown: the newest this many.
pub const JOURNAL_SHOWN: usize = 1000;

/// Where the journal lives (`~/.local/share/ecsdeck/journal.jsonl` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck").map(|d| d.data_dir().join("journal.jsonl"))
}

/// Appends `entry` as one line, flushed to disk.
pub fn append(path: &Path, entry: &JournalEntry) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut options = std::fs::OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    if ends_mid_line(&mut file)? {
        // The fragment stays (it is skipped when read); the new entry starts a line of its own.
        line.insert(0, '\n');
    }
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

/// Whether the file's last byte is not a newline (a line was cut short).
fn ends_mid_line(file: &mut std::fs::File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// The journal, newest first (at most [`JOURNAL_SHOWN`]); lines that do not parse are skipped.
pub fn read(path: &Path) -> Result<Vec<JournalEntry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut entries: Vec<JournalEntry> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    entries.reverse();
    entries.truncate(JOURNAL_SHOWN);
    Ok(entries)
}

#[cfg(test)]
mod tests;
