//! The settings file, `<config dir>/settings.json`, shared by the desktop app and the CLI.
//! Written whole (temporary file, fsync, rename), so a crash leaves the old file or the new
//! one; a file that cannot be read is reported, never taken for defaults, and kept aside
//! before anything overwrites it.

use super::drafts::{create_private_dir, write_atomically};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Settings larger than this are not settings (they are a few kilobytes).
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Where the settings live (`~/.config/ecsdeck/settings.json` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck").map(|d| d.config_dir().join("settings.json"))
}

/// What reading the settings file found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// No file: a first start.
    Missing,
    /// The file's text (not yet known to be valid).
    Text(String),
    /// The file exists but could not be read: why.
    Unreadable(String),
}

/// Reads the settings file, at most [`MAX_SETTINGS_BYTES`].
pub fn read(path: &Path) -> Stored {
    let name = path.display();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Stored::Missing,
        Err(e) => return Stored::Unreadable(format!("cannot open {name}: {e}")),
    };
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_SETTINGS_BYTES + 1).read_to_end(&mut bytes) {
        return Stored::Unreadable(format!("cannot read {name}: {e}"));
    }
    if bytes.len() as u64 > MAX_SETTINGS_BYTES {
        return Stored::Unreadable(format!("{name} is larger than {MAX_SETTINGS_BYTES} bytes"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Stored::Text(text),
        Err(_) => Stored::Unreadable(format!("{name} is not UTF-8 text")),
    }
}

/// Writes `text` as the settings file: user-only, atomically.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    write_atomically(path, text.as_bytes())
}

/// Copies an unreadable settings file to `settings.json.unreadable` (or `.unreadable-2`, `-3`…
/// beside earlier copies, never over one), so saving new settings loses nothing the user
/// could still recover by hand.
pub fn keep_aside(path: &Path) -> Option<PathBuf> {
    (1..=100).find_map(|n| {
        let mut aside = path.as_os_str().to_owned();
        aside.push(".unreadable");
        if n > 1 {
            aside.push(format!("-{n}"));
        }
        let aside = PathBuf::from(aside);
        // create_new: an existing copy is never overwritten, whatever races.
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&aside)
            .ok()?;
        let mut text = std::fs::File::open(path).ok()?;
        std::io::copy(&mut text.by_ref().take(MAX_SETTINGS_BYTES), &mut out).ok()?;
        Some(aside)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_settings_read_back_and_broken_ones_are_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ecsdeck").join("settings.json");
        assert_eq!(read(&path), Stored::Missing);
        write(&path, "{\"read_only\":true}").unwrap();
        assert_eq!(read(&path), Stored::Text("{\"read_only\":true}".into()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read(&path), Stored::Unreadable(why) if why.contains("UTF-8")));
        let aside = keep_aside(&path).unwrap();
        assert_eq!(std::fs::read(aside).unwrap(), [0xff, 0xfe]);
        // A second unreadable file is kept beside the first, not over it.
        std::fs::write(&path, "{\"read_only\":").unwrap();
        let second = keep_aside(&path).unwrap();
        assert!(
            second.to_string_lossy().ends_with(".unreadable-2"),
            "{second:?}"
        );
        assert_eq!(std::fs::read(second).unwrap(), b"{\"read_only\":");
    }
}
