//! A small line of the last hour and the newest value, drawn straight with the painter as one
//! widget (no plot machinery, no child labels): cheap enough for every visible row of a
//! 5,000-service table.

use super::theme::{SPARKLINE_SIZE, Tone};
use crate::model::sparklines::Spark;
use egui::{Align2, FontId, Mesh, Pos2, Role, Sense, Shape, Stroke, Ui, WidgetInfo, pos2, vec2};

/// Width of the value beside the line.
const VALUE_WIDTH: f32 = 34.0;

/// The texts `0%` … `100%` laid out once per frame and shared by every cell: laying out a
/// text per cell costs more than the line itself.
#[derive(Default)]
pub struct ValueTexts {
    galleys: std::cell::RefCell<Vec<Option<std::sync::Arc<egui::Galley>>>>,
}

impl ValueTexts {
    fn galley(&self, painter: &egui::Painter, percent: f32) -> std::sync::Arc<egui::Galley> {
        let index = percent.clamp(0.0, 100.0).round() as usize;
        let mut galleys = self.galleys.borrow_mut();
        if galleys.len() <= index {
            galleys.resize(index + 1, None);
        }
        galleys[index]
            .get_or_insert_with(|| {
                painter.layout_no_wrap(
                    format!("{index}%"),
                    FontId::proportional(12.0),
                    egui::Color32::PLACEHOLDER,
                )
            })
            .clone()
    }
}

/// Space a sparkline cell takes.
pub fn cell_size() -> egui::Vec2 {
    SPARKLINE_SIZE + vec2(VALUE_WIDTH, 0.0)
}

/// Adds the segment `a`–`b` as a quad `stroke.width` wide.
fn segment(mesh: &mut Mesh, a: Pos2, b: Pos2, stroke: Stroke) {
    let along = (b - a).normalized();
    let across = vec2(-along.y, along.x) * (stroke.width / 2.0);
    let base = mesh.vertices.len() as u32;
    for p in [a + across, a - across, b + across, b - across] {
        mesh.colored_vertex(p, stroke.color);
    }
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base + 1, base + 2, base + 3);
}

/// Draws `spark` scaled to 0–100 % with its newest value beside it; gaps break the line.
pub fn sparkline_ui(ui: &mut Ui, spark: Option<&Spark>, what: &'static str, texts: &ValueTexts) {
    let (rect, response) = ui.allocate_exact_size(cell_size(), Sense::hover());
    if !ui.is_rect_visible(rect) {
        return;
    }
    let latest = spark.and_then(|s| s.latest);
    response.widget_info(|| {
        let text = match latest {
            Some(v) => format!("{what} {v:.0}%"),
            None => format!("{what}: no data"),
        };
        WidgetInfo::labeled(Role::Label, true, text)
    });
    let visuals = ui.visuals();
    let value_pos = pos2(rect.right(), rect.center().y);
    let (Some(spark), Some(latest)) = (spark, latest) else {
        let weak = visuals.weak_text_color();
        ui.painter().text(
            value_pos,
            Align2::RIGHT_CENTER,
            "–",
            FontId::proportional(12.0),
            weak,
        );
        response.on_hover_ui(|ui| {
            ui.label(format!("No {what} datapoints in the last hour"));
        });
        return;
    };
    let tone = match latest {
        v if v >= 85.0 => Tone::Bad,
        v if v >= 70.0 => Tone::Warn,
        _ => Tone::Busy,
    };
    let stroke = Stroke::new(1.2, tone.color(visuals.dark_mode));
    let text_color = visuals.text_color();
    let painter = ui.painter();
    let galley = texts.galley(painter, latest);
    let at = Align2::RIGHT_CENTER
        .anchor_size(value_pos, galley.size())
        .min;
    painter.galley(at, galley, text_color);
    let line = egui::Rect::from_min_size(rect.min, SPARKLINE_SIZE);
    // Two minutes a point (the higher of each pair, so peaks stay): 30 segments in 70 px.
    let values: Vec<f32> = spark
        .values
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .copied()
                .filter(|v| !v.is_nan())
                .reduce(f32::max)
                .unwrap_or(f32::NAN)
        })
        .collect();
    let n = values.len().max(2) as f32 - 1.0;
    let point = |i: usize, v: f32| {
        pos2(
            line.left() + line.width() * (i as f32 / n),
            line.bottom() - line.height() * (v.clamp(0.0, 100.0) / 100.0),
        )
    };
    // One mesh of thin quads, not a stroked path: egui's path tessellator (joins, feathering)
    // costs ~13 µs per 60-point line, 13 ms for 500 rows on screen.
    let mut mesh = Mesh::default();
    mesh.reserve_vertices(values.len() * 4);
    mesh.reserve_triangles(values.len() * 2);
    for (i, pair) in values.windows(2).enumerate() {
        if !pair[0].is_nan() && !pair[1].is_nan() {
            segment(&mut mesh, point(i, pair[0]), point(i + 1, pair[1]), stroke);
        }
    }
    // A datapoint alone between gaps still shows, as a dash.
    for (i, v) in values.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| values.get(j));
        let after = values.get(i + 1);
        if !v.is_nan() && before.is_none_or(|b| b.is_nan()) && after.is_none_or(|a| a.is_nan()) {
            let p = point(i, *v);
            segment(&mut mesh, p - vec2(1.0, 0.0), p + vec2(1.0, 0.0), stroke);
        }
    }
    painter.add(Shape::mesh(mesh));
    // Built only when hovered: a formatted tooltip per cell per frame adds up over 500 rows.
    response.on_hover_ui(|ui| {
        ui.label(format!("{what}, last hour: now {latest:.1} %"));
    });
}
