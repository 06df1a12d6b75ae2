//! The start-up report: the first frame's time and the renderer, and the `--smoke-test` rule
//! (close with 0 once the cluster list and every restored window are shown, 1 on failure or
//! timeout). The smoke test closes the window as a user would, so settings are saved and the
//! file thread finishes, as on any other exit.

use super::App;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// Start-up timing and the `--smoke-test` exit rule.
pub(crate) struct StartupReport {
    pub(crate) started: Instant,
    pub(crate) first_frame_reported: bool,
    pub(crate) smoke_test: bool,
    /// The process's exit code once the window has closed.
    pub(crate) exit_code: Arc<AtomicU8>,
}

/// Smoke test: give up after this long without a cluster list.
const SMOKE_TIMEOUT: Duration = Duration::from_secs(60);

impl App {
    pub(crate) fn report_startup(&mut self, ctx: &egui::Context) {
        // Read before the report is borrowed (a few restored windows at most).
        let incidents = self.smoke_incidents();
        let Some(report) = &mut self.startup else {
            return;
        };
        if !report.first_frame_reported {
            report.first_frame_reported = true;
            eprintln!(
                "first frame after {} ms; renderer: {}",
                report.started.elapsed().as_millis(),
                self.view.renderer.summary()
            );
            for failed in &self.view.renderer.failed {
                eprintln!(
                    "renderer {} failed: {}",
                    failed.renderer.name(),
                    failed.error
                );
            }
        }
        if !report.smoke_test {
            return;
        }
        // Native windows eframe has opened (the main one and restored pop-outs).
        let windows = ctx.input(|i| i.raw.viewports.len());
        let windows_open = windows > self.model.popouts.len();
        if let Some(clusters) = self.model.store.clusters.value()
            && windows_open
            && incidents.is_some()
        {
            for line in incidents.iter().flatten() {
                println!("{line}");
            }
            let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
            // This frame drew them: events are drained before the shell is laid out.
            println!(
                "smoke test: {} clusters shown after {} ms in {windows} window(s): {}",
                names.len(),
                report.started.elapsed().as_millis(),
                names.join(", ")
            );
            let code = if names.is_empty() { 1 } else { 0 };
            return close_with(ctx, report, code);
        }
        if let Some(error) = self.model.store.clusters.error() {
            eprintln!("smoke test: cluster list failed: {error}");
            return close_with(ctx, report, 1);
        }
        if report.started.elapsed() > SMOKE_TIMEOUT {
            if incidents.is_none() {
                eprintln!("smoke test: an incident timeline shows no rollback");
            }
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
            return close_with(ctx, report, 1);
        }
        ctx.request_repaint_after(Duration::from_millis(100));
    }
}

impl App {
    /// The smoke test's word on each incident timeline in a restored window: None while one
    /// is still loading or shows no rollback yet (the smoke test waits, up to its timeout).
    fn smoke_incidents(&self) -> Option<Vec<String>> {
        use crate::model::metrics::markers::MarkerKind;
        let mut lines = Vec::new();
        for popout in &self.model.popouts {
            let crate::model::Route::Incident(key) = &popout.route else {
                continue;
            };
            let timeline = self.model.incident_of(key).value()?;
            let rollback = timeline
                .markers
                .iter()
                .find(|m| m.kind == MarkerKind::RolledBack)?;
            let stopped: usize = timeline.stops.iter().map(|r| r.group.count()).sum();
            lines.push(format!(
                "smoke test: incident timeline of {}: {} events, {stopped} stopped tasks, {} at {}",
                key.label(),
                timeline.events.len(),
                rollback.label(),
                crate::model::time_format::rfc3339(
                    std::time::UNIX_EPOCH + Duration::from_secs(rollback.at_secs.max(0) as u64)
                )
            ));
        }
        Some(lines)
    }
}

/// Ends the smoke test: the window closes (settings saved, files flushed) and the process
/// exits with `code`.
fn close_with(ctx: &egui::Context, report: &mut StartupReport, code: u8) {
    report.exit_code.store(code, Ordering::Relaxed);
    report.smoke_test = false;
    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
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
