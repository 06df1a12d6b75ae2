//! About, at the foot of the Settings screen: the version, the platform, and what draws the
//! window (the renderer, its adapter and driver, and any renderer that failed first).

use crate::model::workspace::renderer::RendererReport;
use egui::Ui;

/// The About section.
pub fn about_ui(renderer: &RendererReport, ui: &mut Ui) {
    egui::Grid::new("about")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.weak("Version");
            ui.label(format!("ECS Deck {}", env!("CARGO_PKG_VERSION")));
            ui.end_row();
            ui.weak("Platform");
            ui.label(format!(
                "{} {}",
                std::env::consts::OS,
                std::env::consts::ARCH
            ));
            ui.end_row();
            ui.weak("Renderer");
            ui.label(renderer.renderer.map_or("not known", |r| r.label()));
            ui.end_row();
            if !renderer.adapter.is_empty() {
                ui.weak("Adapter");
                ui.label(&renderer.adapter);
                ui.end_row();
            }
            for failed in &renderer.failed {
                ui.weak("Failed first");
                ui.label(format!("{}: {}", failed.renderer.label(), failed.error));
                ui.end_row();
            }
        });
    ui.weak(format!(
        "The renderer that opens the window is tried first at the next start; set {}=<dx12|vulkan|metal|gl|glow> to try another first.",
        crate::model::workspace::renderer::RENDERER_VAR
    ));
}
