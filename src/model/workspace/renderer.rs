//! Which graphics API draws the window: the order they are tried in at start, and what a
//! start tried before one worked.

use serde::{Deserialize, Serialize};

/// Names renderers to try first, comma-separated (`dx12`, `vulkan`, `metal`, `gl`, `glow`).
pub const RENDERER_VAR: &str = "ECSDECK_RENDERER";

/// A way to draw the window: one of wgpu's backends, or eframe's OpenGL renderer (glow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Renderer {
    /// Direct3D 12 through wgpu (Windows).
    Dx12,
    /// Vulkan through wgpu (Windows, Linux).
    Vulkan,
    /// Metal through wgpu (macOS).
    Metal,
    /// OpenGL (ES) through wgpu.
    Gl,
    /// OpenGL through eframe's glow renderer: the last resort everywhere.
    Glow,
}

impl Renderer {
    /// Every renderer, in no particular order of preference.
    pub const ALL: [Self; 5] = [Self::Dx12, Self::Vulkan, Self::Metal, Self::Gl, Self::Glow];

    /// The name settings, `ECSDECK_RENDERER` and the start-up report use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dx12 => "dx12",
            Self::Vulkan => "vulkan",
            Self::Metal => "metal",
            Self::Gl => "gl",
            Self::Glow => "glow",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Dx12 => "Direct3D 12 (wgpu)",
            Self::Vulkan => "Vulkan (wgpu)",
            Self::Metal => "Metal (wgpu)",
            Self::Gl => "OpenGL (wgpu)",
            Self::Glow => "OpenGL (glow)",
        }
    }

    /// A renderer by its name, or by the names wgpu's `WGPU_BACKEND` takes.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "dx12" | "d3d12" => Some(Self::Dx12),
            "vulkan" | "vk" => Some(Self::Vulkan),
            "metal" | "mtl" => Some(Self::Metal),
            "gl" | "gles" | "opengl" => Some(Self::Gl),
            "glow" => Some(Self::Glow),
            _ => None,
        }
    }

    /// This operating system's renderers, best first. On macOS wgpu has no OpenGL backend
    /// (it would need ANGLE), so OpenGL there is glow.
    pub fn platform_order() -> &'static [Self] {
        if cfg!(windows) {
            &[Self::Dx12, Self::Vulkan, Self::Gl, Self::Glow]
        } else if cfg!(target_os = "macos") {
            &[Self::Metal, Self::Glow]
        } else {
            &[Self::Vulkan, Self::Gl, Self::Glow]
        }
    }
}

/// Renderers named in a comma-separated list (`ECSDECK_RENDERER`, `WGPU_BACKEND`), and the
/// names that are not renderers.
pub fn parse_list(text: &str) -> (Vec<Renderer>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Renderer::parse(name) {
            Some(renderer) if !known.contains(&renderer) => known.push(renderer),
            Some(_) => {}
            None => unknown.push(name.to_owned()),
        }
    }
    (known, unknown)
}

/// The order to try renderers in: those the environment names, then the one that worked last
/// time, then the platform's own order — each once. Naming a renderer puts it first; it
/// never removes the others, so a start never fails for want of one more try.
pub fn attempt_order(
    named: &[Renderer],
    saved: Option<Renderer>,
    platform: &[Renderer],
) -> Vec<Renderer> {
    let mut order: Vec<Renderer> = Vec::new();
    for renderer in named
        .iter()
        .copied()
        .chain(saved)
        .chain(platform.iter().copied())
    {
        if !order.contains(&renderer) {
            order.push(renderer);
        }
    }
    order
}

/// A renderer that failed at start, and the error it gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedAttempt {
    /// The renderer tried.
    pub renderer: Renderer,
    /// Its error, as the graphics stack gave it.
    pub error: String,
}

/// What draws this run's window, and what failed before it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RendererReport {
    /// The renderer in use (`None` where the app is not drawn by a window of its own).
    pub renderer: Option<Renderer>,
    /// The adapter or OpenGL renderer string the driver gave, with the driver's version.
    pub adapter: String,
    /// Renderers tried first, in order, that failed.
    pub failed: Vec<FailedAttempt>,
}

impl RendererReport {
    /// One line: "Vulkan (wgpu) on llvmpipe …, after Direct3D 12 (wgpu) failed".
    pub fn summary(&self) -> String {
        let Some(renderer) = self.renderer else {
            return "not known (no window of its own)".to_owned();
        };
        let mut text = renderer.label().to_owned();
        if !self.adapter.is_empty() {
            text.push_str(" on ");
            text.push_str(&self.adapter);
        }
        if !self.failed.is_empty() {
            let failed: Vec<&str> = self.failed.iter().map(|f| f.renderer.label()).collect();
            text.push_str(&format!(", after {} failed", failed.join(", ")));
        }
        text
    }
}

/// What to say when no renderer could open the window: each one tried, and its error.
pub fn every_renderer_failed(failed: &[FailedAttempt]) -> String {
    let mut text = String::from(
        "ECS Deck cannot open its window: no graphics renderer could start on this machine.\n\n",
    );
    for attempt in failed {
        text.push_str(&format!(
            "{}: {}\n",
            attempt.renderer.label(),
            attempt.error
        ));
    }
    text.push_str(
        "\nThe command-line commands (ecsdeck --help) work without a window. Updating the \
         graphics driver, or starting with ECSDECK_RENDERER=<dx12|vulkan|metal|gl|glow>, \
         may help.",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use Renderer::*;

    #[test]
    fn named_renderers_go_first_then_the_saved_one_then_the_platform_order() {
        let windows = [Dx12, Vulkan, Gl, Glow];
        assert_eq!(attempt_order(&[], None, &windows), windows);
        assert_eq!(
            attempt_order(&[], Some(Gl), &windows),
            [Gl, Dx12, Vulkan, Glow]
        );
        assert_eq!(
            attempt_order(&[Glow], Some(Vulkan), &windows),
            [Glow, Vulkan, Dx12, Gl]
        );
        // A renderer this platform does not offer is still tried when named, then the rest.
        let linux = [Vulkan, Gl, Glow];
        assert_eq!(
            attempt_order(&[Dx12], None, &linux),
            [Dx12, Vulkan, Gl, Glow]
        );
    }

    #[test]
    fn lists_take_renderer_names_and_wgpu_backend_names() {
        let (known, unknown) = parse_list("dx12, OpenGL,vk,,metal,bogus,dx12");
        assert_eq!(known, [Dx12, Gl, Vulkan, Metal]);
        assert_eq!(unknown, ["bogus"]);
        for renderer in Renderer::ALL {
            assert_eq!(Renderer::parse(renderer.name()), Some(renderer));
        }
        assert_eq!(serde_json::to_string(&Glow).unwrap(), "\"glow\"");
    }

    #[test]
    fn the_report_names_the_renderer_the_adapter_and_what_failed_first() {
        let report = RendererReport {
            renderer: Some(Vulkan),
            adapter: "llvmpipe (LLVM 15.0.6, 256 bits), Mesa 22.3.6".into(),
            failed: vec![FailedAttempt {
                renderer: Dx12,
                error: "WGPU error: Parent device is lost".into(),
            }],
        };
        assert_eq!(
            report.summary(),
            "Vulkan (wgpu) on llvmpipe (LLVM 15.0.6, 256 bits), Mesa 22.3.6, \
             after Direct3D 12 (wgpu) failed"
        );
        let message = every_renderer_failed(&report.failed);
        assert!(message.contains("Direct3D 12 (wgpu): WGPU error: Parent device is lost"));
        assert_eq!(
            RendererReport::default().summary(),
            "not known (no window of its own)"
        );
    }
}
