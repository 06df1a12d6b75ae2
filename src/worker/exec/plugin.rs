//! Finding AWS's `session-manager-plugin` on this machine and asking its version. A GUI app on
//! macOS does not get the shell's PATH, so AWS's install locations are looked in too.

use crate::model::exec::plugin::{PLUGIN_NAME, PluginProbe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long `--version` may take.
const VERSION_TIMEOUT: Duration = Duration::from_secs(5);

/// Where AWS's installers put the plugin, besides PATH.
fn install_locations() -> Vec<PathBuf> {
    if cfg!(windows) {
        vec![PathBuf::from(
            r"C:\Program Files\Amazon\SessionManagerPlugin\bin\session-manager-plugin.exe",
        )]
    } else {
        vec![
            PathBuf::from("/usr/local/bin/session-manager-plugin"),
            PathBuf::from("/usr/local/sessionmanagerplugin/bin/session-manager-plugin"),
            PathBuf::from("/opt/homebrew/bin/session-manager-plugin"),
        ]
    }
}

fn file_name() -> String {
    if cfg!(windows) {
        format!("{PLUGIN_NAME}.exe")
    } else {
        PLUGIN_NAME.to_owned()
    }
}

/// The plugin's path: the one set in Settings (only that one), else the first on PATH, else
/// one of AWS's install locations. `Err` says where it looked.
pub fn locate(configured: Option<&str>) -> Result<PathBuf, String> {
    if let Some(path) = configured.filter(|p| !p.trim().is_empty()) {
        let path = PathBuf::from(path.trim());
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("the path set in Settings, {}", path.display()))
        };
    }
    let name = file_name();
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .map(|dir| dir.join(&name))
        .chain(install_locations())
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| "PATH and AWS's install locations".to_owned())
}

/// Looks for the plugin and asks its version (blocking: run it off the UI thread).
pub fn probe(configured: Option<&str>) -> PluginProbe {
    let path = match locate(configured) {
        Ok(path) => path,
        Err(looked_in) => return PluginProbe::Missing { looked_in },
    };
    let shown = path.display().to_string();
    match version(&path) {
        Ok(version) => PluginProbe::Found {
            path: shown,
            version,
        },
        Err(why) => PluginProbe::Broken { path: shown, why },
    }
}

/// `session-manager-plugin --version`, trimmed; waits at most [`VERSION_TIMEOUT`].
fn version(path: &Path) -> Result<String, String> {
    let mut child = Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + VERSION_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("--version did not answer in {VERSION_TIMEOUT:?}"));
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let text = crate::model::untrusted_text::untrusted(text.trim()).into_owned();
    if !out.status.success() {
        return Err(format!("--version exited with {}", out.status));
    }
    if text.is_empty() {
        return Err("--version printed nothing".to_owned());
    }
    Ok(text.chars().take(64).collect())
}
