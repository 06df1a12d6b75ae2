//! A JSON-lines file of the user's own (0600 in a 0700 directory): values appended one line
//! each and flushed, read back line by line. A line cut short by a crash or a full disk is
//! ended before the next one is appended, so it is never glued to it, and skipped when read.

use super::drafts::create_private_dir;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Appends each of `values` as one line, then flushes the file to disk.
pub fn append<T: Serialize>(path: &Path, values: &[T]) -> std::io::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut text = String::new();
    for value in values {
        text.push_str(&serde_json::to_string(value).map_err(std::io::Error::other)?);
        text.push('\n');
    }
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
        // The fragment stays (it is skipped when read); the new values start a line of their own.
        text.insert(0, '\n');
    }
    file.write_all(text.as_bytes())?;
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

/// Every line that parses as a `T`, in file order, each with its length in bytes, and how
/// many non-empty lines did not parse (skipped); a missing file is empty.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<(Vec<(T, usize)>, usize), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut values = Vec::new();
    let mut skipped = 0;
    for line in text.lines().filter(|l| !l.is_empty()) {
        match serde_json::from_str(line) {
            Ok(value) => values.push((value, line.len() + 1)),
            Err(_) => skipped += 1,
        }
    }
    Ok((values, skipped))
}
