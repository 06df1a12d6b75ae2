//! The plugin of an exec session on a pseudo-terminal (portable-pty: Unix PTYs and Windows
//! ConPTY), feeding a [`SharedTerminal`]: one thread reads the PTY into the screen, one writes
//! the UI's keys and resizes, one waits for the end and says why it ended.

use crate::model::exec::plugin::PluginLaunch;
use crate::model::exec::terminal::{SessionState, SharedTerminal, TerminalInput};
use crate::model::messages::Repaint;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::SystemTime;

/// Called once when the session ends, with whether the user asked for the end (then the
/// SSM session is terminated, as the plugin was killed before it could).
pub type OnEnd = Box<dyn FnOnce(bool) + Send>;

/// Starts `plugin` with `launch` on a PTY of the terminal's size; returns once it runs.
pub fn start(
    plugin: &Path,
    launch: &PluginLaunch,
    terminal: &SharedTerminal,
    session_id: &str,
    repaint: Repaint,
    on_end: OnEnd,
) -> Result<(), String> {
    let (rows, cols) = terminal.size();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| format!("no pseudo-terminal: {e}"))?;
    let mut command = CommandBuilder::new(plugin);
    command.args(&launch.args);
    for (name, value) in &launch.env {
        command.env(name, value);
    }
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).map_err(|e| {
        // Some platforms name the whole command line, which may hold the session.
        format!(
            "{} did not start: {}",
            plugin.display(),
            redacted(&e.to_string(), launch)
        )
    })?;
    drop(pair.slave);
    let reader = pair
        .master
        .try_clone_reader()
        .map_err(|e| format!("PTY: {e}"))?;
    let writer = pair.master.take_writer().map_err(|e| format!("PTY: {e}"))?;
    let (tx, rx) = mpsc::channel();
    terminal.attach(tx);
    // Closed while it was starting: end it now rather than run unseen.
    if terminal.close_asked() {
        terminal.send(TerminalInput::Close);
    }
    terminal.set_state(SessionState::Running {
        since: SystemTime::now(),
        session_id: session_id.to_owned(),
    });
    let asked = Arc::new(AtomicBool::new(false));
    let killer = child.clone_killer();
    let reading = spawn_reader(reader, terminal.clone(), repaint.clone())?;
    let master: SharedMaster = Arc::new(Mutex::new(Some(pair.master)));
    spawn_input(rx, writer, master.clone(), killer, asked.clone())?;
    let terminal = terminal.clone();
    std::thread::Builder::new()
        .name("ecsdeck-exec-wait".into())
        .spawn(move || {
            let status = child.wait();
            // Windows' ConPTY ends the output only once the pseudo-console is closed.
            if let Ok(mut master) = master.lock() {
                master.take();
            }
            // The last output names the reason (the plugin prints it before exiting).
            let _ = reading.join();
            let asked = asked.load(Ordering::Relaxed);
            let why = end_reason(asked, &status, &terminal);
            terminal.detach();
            terminal.process(format!("\r\n\x1b[2m[{why}]\x1b[0m\r\n").as_bytes());
            terminal.set_state(SessionState::Ended {
                at: SystemTime::now(),
                why,
                asked,
            });
            repaint();
            on_end(asked);
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn spawn_reader(
    mut reader: Box<dyn Read + Send>,
    terminal: SharedTerminal,
    repaint: Repaint,
) -> Result<std::thread::JoinHandle<()>, String> {
    std::thread::Builder::new()
        .name("ecsdeck-exec-read".into())
        .spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        terminal.process(&buffer[..n]);
                        repaint();
                    }
                }
            }
        })
        .map_err(|e| e.to_string())
}

/// The pseudo-terminal's master side: resized by the input thread, closed by the waiter.
type SharedMaster = Arc<Mutex<Option<Box<dyn portable_pty::MasterPty + Send>>>>;

/// `text` without the session the plugin was given (its JSON, its variable's value).
fn redacted(text: &str, launch: &PluginLaunch) -> String {
    let secrets = launch
        .env
        .iter()
        .map(|(_, v)| v.as_str())
        .chain(launch.args.first().map(String::as_str))
        .filter(|s| s.len() > 16);
    secrets.fold(text.to_owned(), |text, secret| {
        text.replace(secret, "<session>")
    })
}

fn spawn_input(
    rx: mpsc::Receiver<TerminalInput>,
    mut writer: Box<dyn Write + Send>,
    master: SharedMaster,
    mut killer: Box<dyn portable_pty::ChildKiller + Send + Sync>,
    asked: Arc<AtomicBool>,
) -> Result<(), String> {
    std::thread::Builder::new()
        .name("ecsdeck-exec-write".into())
        .spawn(move || {
            for input in rx {
                match input {
                    TerminalInput::Bytes(bytes) => {
                        if writer
                            .write_all(&bytes)
                            .and_then(|()| writer.flush())
                            .is_err()
                        {
                            break;
                        }
                    }
                    TerminalInput::Resize(rows, cols) => {
                        if let Ok(master) = master.lock()
                            && let Some(master) = master.as_ref()
                        {
                            let _ = master.resize(PtySize {
                                rows,
                                cols,
                                pixel_width: 0,
                                pixel_height: 0,
                            });
                        }
                    }
                    TerminalInput::Close => {
                        asked.store(true, Ordering::Relaxed);
                        let _ = killer.kill();
                        break;
                    }
                }
            }
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Why a session ended, in words: asked for, the plugin's own last words, or its exit status.
fn end_reason(
    asked: bool,
    status: &std::io::Result<portable_pty::ExitStatus>,
    terminal: &SharedTerminal,
) -> String {
    if asked {
        return "session closed".to_owned();
    }
    let last_line = terminal
        .contents()
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned);
    match status {
        Ok(status) if status.success() => match last_line {
            Some(line) if line.starts_with("Exiting session") => "session ended".to_owned(),
            _ => "session ended (exit)".to_owned(),
        },
        Ok(status) => match last_line {
            Some(line) => format!("session ended: {line} (exit status {})", status.exit_code()),
            None => format!("session ended (exit status {})", status.exit_code()),
        },
        Err(e) => format!("session lost: {e}"),
    }
}
