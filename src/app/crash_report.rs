//! Crash reports: a panic on the UI thread leaves a text file in `<data dir>/crash-reports/`,
//! readable by the user alone, with credentials masked; the next start points at it.

use crate::jobs::drafts::{create_private_dir, write_atomically};
use crate::model::connection::redact::redact_log_line;
use crate::ui::shell::crash_banner::CrashNotice;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// `<data dir>/crash-reports` (`~/.local/share/ecsdeck/crash-reports` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ecsdeck").map(|d| d.data_dir().join("crash-reports"))
}

/// From now on every panic is printed to stderr through the same mask as the app's log
/// (Rust's own printer would print the message as it is), and a panic on the calling thread
/// (the UI thread) also writes a report into `dir`, when given. Worker panics are caught and
/// shown as that request's error.
pub fn install(dir: Option<PathBuf>) {
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!("{}", panic_line(info));
        if let Some(dir) = &dir
            && std::thread::current().id() == ui_thread
        {
            let text = report_text(info, &std::backtrace::Backtrace::force_capture());
            match write_report(dir, &text, SystemTime::now()) {
                Ok(path) => eprintln!("crash report written to {}", path.display()),
                Err(e) => eprintln!("cannot write a crash report to {}: {e}", dir.display()),
            }
        }
    }));
}

/// `thread 'name' panicked at file:line:col: message`, as Rust's printer says it; the
/// message masked (the place is the program's own, and a long path would read as a secret).
fn panic_line(info: &PanicHookInfo<'_>) -> String {
    let thread = std::thread::current();
    format!(
        "thread '{}' panicked at {}: {}",
        thread.name().unwrap_or("<unnamed>"),
        place_of(info),
        redact_log_line(&message_of(info))
    )
}

fn message_of(info: &PanicHookInfo<'_>) -> String {
    info.payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

fn place_of(info: &PanicHookInfo<'_>) -> String {
    info.location().map_or_else(
        || "(unknown)".to_owned(),
        |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
    )
}

/// The report: version, platform, thread, message, place and backtrace, credentials masked.
pub fn report_text(info: &PanicHookInfo<'_>, backtrace: &std::backtrace::Backtrace) -> String {
    let message = message_of(info);
    let place = place_of(info);
    let thread = std::thread::current();
    let text = format!(
        "ECS Deck {} crashed\nplatform: {} {}\nthread: {}\npanicked at: {place}\nmessage: {message}\n\nbacktrace:\n{backtrace}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        thread.name().unwrap_or("(unnamed)"),
    );
    redact_log_line(&text).into_owned()
}

/// Writes `text` as `crash-<UTC time>.txt` in `dir` (created 0700; the file 0600).
pub fn write_report(dir: &Path, text: &str, now: SystemTime) -> std::io::Result<PathBuf> {
    create_private_dir(dir)?;
    let stamp = crate::model::time_format::rfc3339(now).replace(':', "");
    let path = dir.join(format!("crash-{stamp}-{}.txt", std::process::id()));
    write_atomically(&path, text.as_bytes())?;
    Ok(path)
}

/// The newest report in `dir` whose name sorts after `seen` (names carry the time), if any.
/// Read at start-up, before the first frame.
pub fn newest_unseen(dir: &Path, seen: Option<&str>) -> Option<CrashNotice> {
    let newest = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.starts_with("crash-") && name.ends_with(".txt"))
        .max()?;
    if seen.is_some_and(|seen| newest.as_str() <= seen) {
        return None;
    }
    Some(CrashNotice {
        path: dir.join(&newest),
        name: newest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const CHILD: &str = "ECSDECK_PANIC_PRINTER_CHILD";

    /// Run again as a child process (a panic hook is process-wide): the child installs the
    /// printer and panics with a secret in its message; its stderr must not show it.
    #[test]
    fn the_panic_printer_masks_what_the_message_carries() {
        if std::env::var_os(CHILD).is_some() {
            install(None);
            panic!("connecting with AKIAIOSFODNN7EXAMPLE to http://admin:hunter2@127.0.0.1:1");
        }
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "app::crash_report::tests::the_panic_printer_masks_what_the_message_carries",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "the child panicked");
        assert!(
            stderr.contains("panicked at src/app/crash_report.rs"),
            "{stderr}"
        );
        assert!(stderr.contains("[redacted]"), "{stderr}");
        assert!(!stderr.contains("AKIAIOSFODNN7EXAMPLE"), "{stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }

    #[test]
    fn the_newest_unseen_report_is_offered_once() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(newest_unseen(dir.path(), None), None);
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        write_report(dir.path(), "first", t).unwrap();
        let second = write_report(dir.path(), "second", t + Duration::from_secs(60)).unwrap();
        let notice = newest_unseen(dir.path(), None).unwrap();
        assert_eq!(notice.path, second);
        assert_eq!(newest_unseen(dir.path(), Some(&notice.name)), None);
        std::fs::write(dir.path().join("notes.txt"), "not a report").unwrap();
        assert_eq!(newest_unseen(dir.path(), Some(&notice.name)), None);
    }
}
