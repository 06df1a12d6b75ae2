//! Opening the window: each renderer in turn (the one that worked last time first) until one
//! starts; when none does, a native message box says what was tried.

use super::startup::StartupReport;
use super::{App, StartOverrides};
use crate::model::workspace::renderer::{
    FailedAttempt, RENDERER_VAR, Renderer, RendererReport, attempt_order, every_renderer_failed,
    parse_list,
};
use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// Opens the desktop app; `started` is when the process began, for the start-up figure.
pub fn run_gui(overrides: &StartOverrides, started: Instant, smoke_test: bool) -> ExitCode {
    // eframe runs the UI on this thread.
    crate::app::crash_report::install(crate::app::crash_report::default_dir());
    let order = attempt_order(
        &named_renderers(),
        saved_renderer(),
        Renderer::platform_order(),
    );
    let exit_code = Arc::new(AtomicU8::new(0));
    let mut failed: Vec<FailedAttempt> = Vec::new();
    for renderer in order {
        let created = Rc::new(Cell::new(false));
        let report = RendererReport {
            renderer: Some(renderer),
            adapter: String::new(),
            failed: failed.clone(),
        };
        let start = Start {
            overrides: overrides.clone(),
            started,
            smoke_test,
            report,
            created: Rc::clone(&created),
            exit_code: Arc::clone(&exit_code),
        };
        let result = eframe::run_native("ECS Deck", native_options(renderer), start.creator());
        match result {
            Ok(()) => return ExitCode::from(exit_code.load(Ordering::Relaxed)),
            // The renderer started and the app failed after it: another renderer would not help.
            Err(e) if created.get() => {
                eprintln!("error: the app stopped: {e}");
                return ExitCode::FAILURE;
            }
            // No window system (no display, no compositor): no renderer can help either.
            Err(e @ eframe::Error::WinitEventLoop(_)) => {
                let message = format!("ECS Deck cannot open a window here: {e}");
                eprintln!("error: {message}");
                if !smoke_test {
                    crate::app::message_box::show_error("ECS Deck cannot start", &message);
                }
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("warning: {} cannot open the window: {e}", renderer.label());
                failed.push(FailedAttempt {
                    renderer,
                    error: e.to_string(),
                });
            }
        }
    }
    let message = every_renderer_failed(&failed);
    eprintln!("error: {message}");
    // A smoke test has nobody to dismiss a box.
    if !smoke_test {
        crate::app::message_box::show_error("ECS Deck cannot start", &message);
    }
    ExitCode::FAILURE
}

/// What one attempt hands the app it creates.
struct Start {
    overrides: StartOverrides,
    started: Instant,
    smoke_test: bool,
    report: RendererReport,
    created: Rc<Cell<bool>>,
    exit_code: Arc<AtomicU8>,
}

impl Start {
    /// eframe calls this once the renderer has started: the app is built over it.
    fn creator(self) -> eframe::AppCreator<'static> {
        Box::new(move |cc| {
            self.created.set(true);
            let mut report = self.report;
            report.adapter = adapter_text(cc);
            let mut app = App::new(cc, &self.overrides)?;
            app.set_renderer(report);
            if self.smoke_test || std::env::var_os("ECSDECK_STARTUP_REPORT").is_some() {
                app.startup = Some(StartupReport {
                    started: self.started,
                    first_frame_reported: false,
                    smoke_test: self.smoke_test,
                    exit_code: self.exit_code,
                });
            }
            Ok(Box::new(app))
        })
    }
}

/// The window, drawn by `renderer`.
fn native_options(renderer: Renderer) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("ECS Deck")
        .with_app_id("ecsdeck")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 420.0]);
    match eframe::icon_data::from_png_bytes(crate::ui::widgets::icons::WINDOW_ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("warning: the window icon is unreadable: {e}"),
    }
    let mut options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let backends = match renderer {
        Renderer::Dx12 => eframe::wgpu::Backends::DX12,
        Renderer::Vulkan => eframe::wgpu::Backends::VULKAN,
        Renderer::Metal => eframe::wgpu::Backends::METAL,
        Renderer::Gl => eframe::wgpu::Backends::GL,
        Renderer::Glow => {
            options.renderer = eframe::Renderer::Glow;
            return options;
        }
    };
    options.renderer = eframe::Renderer::Wgpu;
    let mut setup = eframe::egui_wgpu::WgpuSetupCreateNew::without_display_handle();
    setup.instance_descriptor.backends = backends;
    options.wgpu_options.wgpu_setup = eframe::egui_wgpu::WgpuSetup::CreateNew(setup);
    options
}

/// The adapter (wgpu) or OpenGL renderer (glow) the driver reports, with its version.
fn adapter_text(cc: &eframe::CreationContext<'_>) -> String {
    if let Some(state) = &cc.wgpu_render_state {
        let info = state.adapter.get_info();
        let driver = format!("{} {}", info.driver, info.driver_info);
        return match driver.trim() {
            "" => info.name,
            driver => format!("{}, {driver}", info.name),
        };
    }
    if let Some(gl) = &cc.gl {
        use eframe::glow::HasContext as _;
        // SAFETY: the context is current on this thread while the app is created.
        let (name, version) = unsafe {
            (
                gl.get_parameter_string(eframe::glow::RENDERER),
                gl.get_parameter_string(eframe::glow::VERSION),
            )
        };
        return format!("{name}, OpenGL {version}");
    }
    String::new()
}

/// Renderers the environment names: `ECSDECK_RENDERER`, else wgpu's own `WGPU_BACKEND`.
fn named_renderers() -> Vec<Renderer> {
    let (var, text) = match std::env::var(RENDERER_VAR) {
        Ok(text) => (RENDERER_VAR, text),
        Err(_) => match std::env::var("WGPU_BACKEND") {
            Ok(text) => ("WGPU_BACKEND", text),
            Err(_) => return Vec::new(),
        },
    };
    let (known, unknown) = parse_list(&text);
    if !unknown.is_empty() {
        eprintln!(
            "warning: {var} names no renderer called {} (known: dx12, vulkan, metal, gl, glow)",
            unknown.join(", ")
        );
    }
    known
}

/// The renderer the settings file says opened the window last time, if it can be read.
fn saved_renderer() -> Option<Renderer> {
    let path = crate::jobs::settings_file::default_path()?;
    match crate::jobs::settings_file::read(&path) {
        crate::jobs::settings_file::Stored::Text(text) => {
            crate::app::settings::Settings::parse(&text).ok()?.renderer
        }
        _ => None,
    }
}
