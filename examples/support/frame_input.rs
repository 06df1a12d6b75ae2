//! Input for benchmark frames: a window (usually 1280×800) with the pointer moving down and the
//! wheel scrolling back and forth, so every frame lays out and hit-tests something new.

/// The usual window.
pub const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The input of frame number `frame`, pointer at `x`, in a window of `size` points (a tall
/// one shows hundreds of rows at once).
pub fn frame_input(frame: usize, x: f32, size: egui::Vec2) -> egui::RawInput {
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        ..Default::default()
    };
    let y = 150.0 + (frame % 500) as f32;
    input
        .events
        .push(egui::Event::PointerMoved(egui::pos2(x, y)));
    input.events.push(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, if frame % 200 < 100 { -40.0 } else { 40.0 }),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    input
}
