//! A native message box for the one error that cannot be shown in the app's own window:
//! no renderer could open it. Windows: MessageBoxW. macOS: an AppleScript alert. Linux and
//! other Unixes: zenity, kdialog or xmessage, whichever the desktop has. Best effort: the
//! same text always goes to stderr first.

/// Shows `text` under `title` and waits until the user dismisses it.
pub fn show_error(title: &str, text: &str) {
    if let Err(e) = show(title, text) {
        eprintln!("(no message box could be shown: {e})");
    }
}

#[cfg(windows)]
fn show(title: &str, text: &str) -> std::io::Result<()> {
    use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
    let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
    let (title, text) = (wide(title), wide(text));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; no owner window.
    let pressed = unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONERROR,
        )
    };
    if pressed == 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(target_os = "macos")]
fn show(title: &str, text: &str) -> std::io::Result<()> {
    // The texts go in as arguments, never into the script's source.
    let script = "on run argv\n display alert (item 1 of argv) message (item 2 of argv) \
                  as critical buttons {\"OK\"} default button \"OK\"\nend run";
    let status = std::process::Command::new("osascript")
        .args(["-e", script, title, text])
        .status()?;
    exit_ok(status)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn show(title: &str, text: &str) -> std::io::Result<()> {
    let tries: [(&str, Vec<String>); 3] = [
        (
            "zenity",
            vec![
                "--error".into(),
                "--no-markup".into(),
                format!("--title={title}"),
                format!("--text={text}"),
            ],
        ),
        (
            "kdialog",
            vec![
                "--title".into(),
                title.into(),
                "--error".into(),
                text.into(),
            ],
        ),
        (
            "xmessage",
            vec!["-center".into(), format!("{title}\n\n{text}")],
        ),
    ];
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no dialog program");
    for (program, args) in tries {
        match std::process::Command::new(program).args(&args).status() {
            Ok(status) => return exit_ok(status),
            Err(e) => last = std::io::Error::new(e.kind(), format!("{program}: {e}")),
        }
    }
    Err(last)
}

#[cfg(not(any(windows, unix)))]
fn show(_title: &str, _text: &str) -> std::io::Result<()> {
    Err(std::io::Error::other("no message box on this platform"))
}

#[cfg(unix)]
fn exit_ok(status: std::process::ExitStatus) -> std::io::Result<()> {
    // zenity and kdialog exit 1 when the box is closed rather than confirmed: still shown.
    match status.code() {
        Some(0 | 1) => Ok(()),
        _ => Err(std::io::Error::other(format!(
            "the dialog exited with {status}"
        ))),
    }
}
