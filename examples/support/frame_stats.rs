//! Timing benchmark frames of the app: warm up, run the frames with [`super::frame_input`]'s
//! moving pointer and scrolling wheel, and print the median, p99 and max.

use ecsdeck::App;
use std::time::{Duration, Instant};

/// Frames run before timing starts.
pub const WARMUP_FRAMES: usize = 50;
/// Frames timed.
pub const FRAMES: usize = 1_000;

/// The value at fraction `p` of `sorted`.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Times [`FRAMES`] frames of `app` (layout + tessellation) in a window of `size`, the pointer
/// at `x`, and prints the figures under `label`.
pub fn measure_app(ctx: &egui::Context, app: &mut App, label: &str, size: egui::Vec2, x: f32) {
    let mut times = Vec::with_capacity(FRAMES);
    for frame in 0..WARMUP_FRAMES + FRAMES {
        let input = super::frame_input::frame_input(frame, x, size);
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        std::hint::black_box(primitives);
        if frame >= WARMUP_FRAMES {
            times.push(elapsed);
        }
    }
    times.sort();
    println!(
        "{label}: median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {FRAMES} frames",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}
