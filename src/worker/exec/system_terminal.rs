//! A terminal window of the operating system running `ecsdeck exec`: the program set in
//! Settings (its words, then the command line), else the platform's — Linux's first of
//! x-terminal-emulator, gnome-terminal, konsole, xfce4-terminal, alacritty, kitty, xterm on
//! PATH; macOS Terminal (AppleScript `do script`); on Windows, `ecsdeck exec` itself in a
//! console window it opens (the binary is a GUI program: see app::console).

use crate::model::AwsError;
use crate::model::connection::Connection;
use crate::model::exec::ExecSpec;
use crate::model::exec::window::{exec_arguments, shell_line};
use std::process::{Command, Stdio};

const OPERATION: &str = "ExecuteCommand (in a terminal window)";

/// Linux terminals and the flag that runs a command in them.
const LINUX_TERMINALS: [(&str, &[&str]); 7] = [
    ("x-terminal-emulator", &["-e"]),
    ("gnome-terminal", &["--"]),
    ("konsole", &["-e"]),
    ("xfce4-terminal", &["-x"]),
    ("alacritty", &["-e"]),
    ("kitty", &[]),
    ("xterm", &["-e"]),
];

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// The command that opens the window: program and its arguments.
fn window_command(
    configured: Option<&str>,
    exe: &str,
    args: &[String],
) -> Result<(String, Vec<String>), String> {
    let cli = std::iter::once(exe.to_owned()).chain(args.iter().cloned());
    if let Some(configured) = configured.filter(|c| !c.trim().is_empty()) {
        let mut words = configured.split_whitespace().map(str::to_owned);
        let program = words.next().unwrap_or_default();
        return Ok((program, words.chain(cli).collect()));
    }
    if cfg!(target_os = "macos") {
        let script = format!(
            "tell application \"Terminal\" to do script \"{}\"",
            shell_line(exe, args)
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
        );
        return Ok((
            "osascript".to_owned(),
            vec![
                "-e".to_owned(),
                script,
                "-e".to_owned(),
                "tell application \"Terminal\" to activate".to_owned(),
            ],
        ));
    }
    if cfg!(windows) {
        // Started with app::console::NEW_CONSOLE set, it opens its own console window.
        return Ok((exe.to_owned(), args.to_vec()));
    }
    LINUX_TERMINALS
        .iter()
        .find(|(name, _)| on_path(name))
        .map(|(name, flags)| {
            let flags = flags.iter().map(|f| (*f).to_owned());
            ((*name).to_owned(), flags.chain(cli).collect())
        })
        .ok_or_else(|| {
            "no terminal program found (x-terminal-emulator, gnome-terminal, konsole, \
             xfce4-terminal, alacritty, kitty, xterm): set one in Settings → Exec"
                .to_owned()
        })
}

/// Opens the window; answers which program opened it.
pub fn open(
    spec: &ExecSpec,
    connection: &Connection,
    (terminal, plugin): (Option<&str>, Option<&str>),
    read_write: bool,
) -> Result<String, AwsError> {
    let exe = std::env::current_exe()
        .map_err(|e| AwsError::internal(OPERATION, format!("where is ecsdeck? {e}")))?;
    let args = exec_arguments(spec, connection, plugin, read_write);
    let (program, words) = window_command(terminal, &exe.display().to_string(), &args)
        .map_err(|why| AwsError::internal(OPERATION, why))?;
    let mut command = Command::new(&program);
    if cfg!(windows) && terminal.is_none_or(|t| t.trim().is_empty()) {
        command.env(crate::model::exec::window::NEW_CONSOLE, "1");
    }
    let mut child = command
        .args(&words)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| AwsError::internal(OPERATION, format!("{program} did not start: {e}")))?;
    // Reaped when it ends, so no zombie stays behind; the window lives on its own.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(format!("a terminal window ({program})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_terminal_gets_its_words_then_the_command_line() {
        let args = vec!["exec".to_owned(), "--".to_owned(), "/bin/sh".to_owned()];
        let (program, words) =
            window_command(Some("wezterm start --"), "/usr/bin/ecsdeck", &args).unwrap();
        assert_eq!(program, "wezterm");
        assert_eq!(
            words,
            ["start", "--", "/usr/bin/ecsdeck", "exec", "--", "/bin/sh"]
        );
    }
}
