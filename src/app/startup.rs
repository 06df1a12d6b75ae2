//! The start-up report: the first frame's time, and the `--smoke-test` rule (exit 0 once the
//! cluster list and every restored window are shown, 1 on failure or timeout).

use super::App;
use std::time::{Duration, Instant};

/// Start-up timing and the `--smoke-test` exit rule.
pub(crate) struct StartupReport {
    pub(crate) started: Instant,
    pub(crate) first_frame_reported: bool,
    pub(crate) smoke_test: bool,
}

/// Smoke test: give up after this long without a cluster list.
const SMOKE_TIMEOUT: Duration = Duration::from_secs(60);

impl App {
    pub(crate) fn report_startup(&mut self, ctx: &egui::Context) {
        let Some(report) = &mut self.startup else {
            return;
        };
        if !report.first_frame_reported {
            report.first_frame_reported = true;
            eprintln!(
                "first frame after {} ms",
                report.started.elapsed().as_millis()
            );
        }
        if !report.smoke_test {
            return;
        }
        // Native windows eframe has opened (the main one and restored pop-outs).
        let windows = ctx.input(|i| i.raw.viewports.len());
        let windows_open = windows > self.model.popouts.len();
        if let Some(clusters) = self.model.store.clusters.value()
            && windows_open
        {
            let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
            // This frame drew them: events are drained before the shell is laid out.
            println!(
                "smoke test: {} clusters shown after {} ms in {windows} window(s): {}",
                names.len(),
                report.started.elapsed().as_millis(),
                names.join(", ")
            );
            std::process::exit(if names.is_empty() { 1 } else { 0 });
        }
        if let Some(error) = self.model.store.clusters.error() {
            eprintln!("smoke test: cluster list failed: {error}");
            std::process::exit(1);
        }
        if report.started.elapsed() > SMOKE_TIMEOUT {
            eprintln!(
                "smoke test: after {} s, clusters: {}, windows: {windows} of {}",
                SMOKE_TIMEOUT.as_secs(),
                if self.model.store.clusters.value().is_some() {
                    "shown"
                } else {
                    "none"
                },
                self.model.popouts.len() + 1
            );
            std::process::exit(1);
        }
        ctx.request_repaint_after(Duration::from_millis(100));
    }
}

/// The operating system's Downloads and Pictures folders (the home folder where there is
/// none), looked up once at start so no view asks the environment.
pub(crate) fn system_dirs() -> crate::model::workspace::prefs::SystemDirs {
    let dirs = directories::UserDirs::new();
    let home = dirs.as_ref().map(|d| d.home_dir().to_path_buf());
    let or_home = |dir: Option<&std::path::Path>| {
        dir.map(std::path::Path::to_path_buf)
            .or_else(|| home.clone())
            .unwrap_or_default()
    };
    crate::model::workspace::prefs::SystemDirs {
        downloads: or_home(dirs.as_ref().and_then(|d| d.download_dir())),
        pictures: or_home(dirs.as_ref().and_then(|d| d.picture_dir())),
    }
}
