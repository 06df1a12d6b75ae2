//! Small lines of the last hour with the newest value beside them, cheap enough for every
//! visible row of a 5,000-service table: a cell only reserves its space and appends its line's
//! outline (built in the worker when the data arrived) to one mesh shared by the whole table
//! ([`SparkBatch`]), painted once after the table. A widget, a shape and a stroked path per
//! cell cost several µs each, 5–15 ms for 500 rows on screen.

use crate::model::metrics::spark_outline::SparkOutline;
use crate::model::metrics::sparklines::Spark;
use crate::ui::widgets::theme::{SPARKLINE_SIZE, Tone};
use egui::epaint::{Vertex, WHITE_UV};
use egui::{
    Align2, Color32, FontId, Galley, Mesh, Painter, Pos2, Rect, Role, Sense, Shape, Ui, pos2, vec2,
};
use std::cell::RefCell;
use std::sync::Arc;

/// Width of the value beside the line.
const VALUE_WIDTH: f32 = 34.0;
/// Where the `–` of a cell without data sits in the text cache (after `0%` … `100%`).
const DASH: usize = 101;

/// The sparklines of one frame's table: their lines in one mesh and the `N%` texts laid out
/// once and shared by every cell. Call [`SparkBatch::paint`] after the table.
pub struct SparkBatch {
    inner: RefCell<Batch>,
    ctx: egui::Context,
}

/// Where the last frame's mesh size is kept: the next mesh is allocated at that size once
/// rather than grown (and copied) a dozen times.
fn size_id() -> egui::Id {
    egui::Id::unique("sparkline-mesh-size")
}

#[derive(Default)]
struct Batch {
    mesh: Mesh,
    /// The first visible cell's painter (its layer), clipped at the end to `clip`.
    painter: Option<Painter>,
    /// Union of the visible cells' clip rects: the table's columns within its scroll area.
    clip: Option<Rect>,
    galleys: Vec<Option<Arc<Galley>>>,
    /// The pointer, read once per frame rather than once per cell.
    pointer: Option<Option<Pos2>>,
}

impl Batch {
    fn galley(&mut self, painter: &Painter, index: usize) -> Arc<Galley> {
        if self.galleys.len() <= index {
            self.galleys.resize(index + 1, None);
        }
        self.galleys[index]
            .get_or_insert_with(|| {
                let text = if index == DASH {
                    "–".to_owned()
                } else {
                    format!("{index}%")
                };
                painter.layout_no_wrap(text, FontId::proportional(12.0), Color32::PLACEHOLDER)
            })
            .clone()
    }

    /// Appends `outline` at `origin` (a cell's top-left corner) in `color`.
    fn outline(&mut self, origin: Pos2, outline: &SparkOutline, color: Color32) {
        let base = self.mesh.vertices.len() as u32;
        self.mesh
            .vertices
            .extend(outline.vertices.iter().map(|&[x, y]| Vertex {
                pos: pos2(origin.x + x, origin.y + y),
                uv: WHITE_UV,
                color,
            }));
        outline.indices(base, &mut self.mesh.indices);
    }
}

impl SparkBatch {
    /// A batch for this frame, sized like the last one.
    pub fn new(ctx: &egui::Context) -> Self {
        let (vertices, indices) = ctx
            .data(|d| d.get_temp::<(usize, usize)>(size_id()))
            .unwrap_or_default();
        let mut batch = Batch::default();
        batch.mesh.vertices.reserve(vertices);
        batch.mesh.indices.reserve(indices);
        Self {
            inner: RefCell::new(batch),
            ctx: ctx.clone(),
        }
    }

    /// Paints every line added this frame; call once, after the table.
    pub fn paint(self) {
        let batch = self.inner.into_inner();
        let size = (batch.mesh.vertices.len(), batch.mesh.indices.len());
        self.ctx.data_mut(|d| d.insert_temp(size_id(), size));
        if let (Some(mut painter), Some(clip)) = (batch.painter, batch.clip)
            && !batch.mesh.is_empty()
        {
            // Replaced, not intersected: the first cell's own clip would hide the others.
            painter.set_clip_rect(clip);
            painter.add(Shape::mesh(batch.mesh));
        }
    }
}

/// Space a sparkline cell takes.
pub fn cell_size() -> egui::Vec2 {
    SPARKLINE_SIZE + vec2(VALUE_WIDTH, 0.0)
}

/// The colour of a line whose newest value is `latest` percent.
fn tone_of(latest: f32) -> Tone {
    match latest {
        v if v >= 85.0 => Tone::Bad,
        v if v >= 70.0 => Tone::Warn,
        _ => Tone::Busy,
    }
}

/// Draws `spark` scaled to 0–100 % with its newest value beside it (a dash without data).
pub fn sparkline_ui(ui: &mut Ui, spark: Option<&Spark>, what: &'static str, batch: &SparkBatch) {
    let (id, rect) = ui.allocate_space(cell_size());
    if !ui.is_rect_visible(rect) {
        return;
    }
    let latest = spark.and_then(|s| s.latest);
    let describe = || match latest {
        Some(v) => format!("{what} {v:.0}%"),
        None => format!("{what}: no data"),
    };
    // Only when a screen reader (or a test) has turned AccessKit on.
    ui.ctx().accesskit_node_builder(id, |node| {
        node.set_role(Role::Label);
        node.set_value(describe());
        node.set_bounds(egui::accesskit::Rect {
            x0: rect.min.x.into(),
            y0: rect.min.y.into(),
            x1: rect.max.x.into(),
            y1: rect.max.y.into(),
        });
    });
    let mut batch = batch.inner.borrow_mut();
    let painter = ui.painter();
    if batch.painter.is_none() {
        batch.painter = Some(painter.clone());
    }
    let clip = ui.clip_rect();
    batch.clip = Some(batch.clip.map_or(clip, |c| c.union(clip)));
    let visuals = ui.visuals();
    let value_pos = pos2(rect.right(), rect.center().y);
    let (galley, color) = match latest {
        Some(v) => (
            batch.galley(painter, v.clamp(0.0, 100.0).round() as usize),
            visuals.text_color(),
        ),
        None => (batch.galley(painter, DASH), visuals.weak_text_color()),
    };
    let at = Align2::RIGHT_CENTER
        .anchor_size(value_pos, galley.size())
        .min;
    painter.galley(at, galley, color);
    if let (Some(spark), Some(latest)) = (spark, latest) {
        let color = tone_of(latest).color(visuals.dark_mode);
        batch.outline(rect.min, &spark.outline, color);
    }
    let pointer = *batch
        .pointer
        .get_or_insert_with(|| ui.ctx().pointer_hover_pos());
    drop(batch);
    // A widget only for the cell under the pointer: one per frame, not one per cell.
    if pointer.is_some_and(|p| rect.contains(p)) && ui.rect_contains_pointer(rect) {
        let text = match latest {
            Some(v) => format!("{what}, last hour: now {v:.1} %"),
            None => format!("No {what} datapoints in the last hour"),
        };
        ui.interact(rect, id, Sense::hover()).on_hover_text(text);
    }
}
