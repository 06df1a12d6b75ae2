//! The runtime at the front of ECS Deck's AppImage (type 2: this ELF, then a SquashFS image
//! of the AppDir). Instead of mounting the image with FUSE, which many desktops and most
//! containers lack, it unpacks it once into the user's cache and runs `AppRun` from there —
//! what the reference runtime does with `APPIMAGE_EXTRACT_AND_RUN=1`.
//!
//! `--appimage-offset` prints where the image starts; `--appimage-extract` unpacks it into
//! `./squashfs-root`; `--appimage-version` names this runtime.

use backhand::{FilesystemReader, InnerNode};
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ecsdeck AppImage: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let image = std::env::current_exe().map_err(|e| format!("cannot find itself: {e}"))?;
    let offset = elf_size(&image)?;
    let mut args = std::env::args_os().skip(1).peekable();
    match args.peek().and_then(|a| a.to_str()) {
        Some("--appimage-offset") => {
            println!("{offset}");
            return Ok(ExitCode::SUCCESS);
        }
        Some("--appimage-version") => {
            println!("ecsdeck-appimage-runtime {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Some("--appimage-extract") => {
            extract(&image, offset, Path::new("squashfs-root"))?;
            println!("squashfs-root");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let app_dir = unpacked(&image, offset)?;
    let rest: Vec<OsString> = args.collect();
    let mut command = Command::new(app_dir.join("AppRun"));
    command
        .args(&rest)
        .env("APPIMAGE", &image)
        .env("APPDIR", &app_dir);
    if let Ok(cwd) = std::env::current_dir() {
        command.env("OWD", cwd);
    }
    // Only returns on failure.
    let error = command.exec();
    Err(format!(
        "cannot run {}: {error}",
        app_dir.join("AppRun").display()
    ))
}

/// Where the ELF part ends, so the SquashFS image starts: the end of the section header table
/// or of the last program segment, whichever is later (64-bit little-endian ELF only).
fn elf_size(path: &Path) -> Result<u64, String> {
    let mut header = [0u8; 64];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if &header[..4] != b"\x7fELF" || header[4] != 2 || header[5] != 1 {
        return Err("not a 64-bit little-endian ELF file".to_owned());
    }
    let u16_at = |at: usize| u64::from(u16::from_le_bytes([header[at], header[at + 1]]));
    let u64_at = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let section_table_end = u64_at(0x28) + u16_at(0x3A) * u16_at(0x3C);
    let program_table_end = u64_at(0x20) + u16_at(0x36) * u16_at(0x38);
    Ok(section_table_end.max(program_table_end))
}

/// The AppDir unpacked in the cache, unpacking it first if this image was not seen before
/// (keyed by size and modification time, so a new version gets a directory of its own).
fn unpacked(image: &Path, offset: u64) -> Result<PathBuf, String> {
    let meta = fs::metadata(image).map_err(|e| format!("cannot stat {}: {e}", image.display()))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))
        .ok_or("no cache directory (set HOME or XDG_CACHE_HOME)")?;
    let dir = cache
        .join("ecsdeck-appimage")
        .join(format!("{}-{modified:x}", meta.len()));
    if dir.join("AppRun").exists() {
        return Ok(dir);
    }
    // Unpacked beside its final place, then renamed: a crash never leaves half an AppDir.
    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&partial);
    extract(image, offset, &partial)?;
    match fs::rename(&partial, &dir) {
        Ok(()) => Ok(dir),
        // Another start unpacked it at the same time: use theirs.
        Err(_) if dir.join("AppRun").exists() => {
            let _ = fs::remove_dir_all(&partial);
            Ok(dir)
        }
        Err(e) => Err(format!("cannot move the app into {}: {e}", dir.display())),
    }
}

/// Writes every file, directory and link of the image at `offset` under `dest`.
fn extract(image: &Path, offset: u64, dest: &Path) -> Result<(), String> {
    let file = File::open(image).map_err(|e| format!("cannot open {}: {e}", image.display()))?;
    let fs_reader = FilesystemReader::from_reader_with_offset(BufReader::new(file), offset)
        .map_err(|e| format!("the embedded image is unreadable: {e}"))?;
    fs::create_dir_all(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
    let mut dir_modes = Vec::new();
    for node in fs_reader.files() {
        let relative = node.fullpath.strip_prefix("/").unwrap_or(&node.fullpath);
        if relative.as_os_str().is_empty() {
            continue;
        }
        let path = dest.join(relative);
        let mode = u32::from(node.header.permissions);
        let written = match &node.inner {
            InnerNode::Dir(_) => {
                dir_modes.push((path.clone(), mode));
                fs::create_dir_all(&path)
            }
            InnerNode::File(entry) => write_file(&path, fs_reader.file(entry).reader(), mode),
            InnerNode::Symlink(link) => std::os::unix::fs::symlink(&link.link, &path),
            // An AppDir holds no devices, pipes or sockets.
            _ => Ok(()),
        };
        written.map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // Directory modes last: a read-only directory would refuse its own files.
    for (path, mode) in dir_modes.into_iter().rev() {
        let _ = fs::set_permissions(&path, fs::Permissions::from_mode(mode));
    }
    Ok(())
}

fn write_file(path: &Path, mut data: impl Read, mode: u32) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut out = File::create(path)?;
    io::copy(&mut data, &mut out)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}
