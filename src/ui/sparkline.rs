//! A small line of the last hour drawn straight with the painter (no plot machinery), cheap
//! enough for every visible row of a 5,000-service table.

use super::theme::{SPARKLINE_SIZE, Tone};
use crate::model::sparklines::Spark;
use egui::{Pos2, Sense, Shape, Stroke, Ui, pos2};

/// Draws `spark` scaled to 0–100 % with its newest value beside it; gaps break the line.
pub fn sparkline_ui(ui: &mut Ui, spark: Option<&Spark>, what: &str) {
    let Some(spark) = spark.filter(|s| s.latest.is_some()) else {
        ui.weak("–")
            .on_hover_text(format!("No {what} datapoints in the last hour"));
        return;
    };
    let (rect, response) = ui.allocate_exact_size(SPARKLINE_SIZE, Sense::hover());
    let dark = ui.visuals().dark_mode;
    let latest = spark.latest.unwrap_or_default();
    let tone = match latest {
        v if v >= 85.0 => Tone::Bad,
        v if v >= 70.0 => Tone::Warn,
        _ => Tone::Busy,
    };
    let stroke = Stroke::new(1.2, tone.color(dark));
    let n = spark.values.len().max(2) as f32 - 1.0;
    let mut run: Vec<Pos2> = Vec::with_capacity(spark.values.len());
    let painter = ui.painter_at(rect);
    let flush = |run: &mut Vec<Pos2>| {
        match run.len() {
            0 => {}
            1 => {
                painter.circle_filled(run[0], 1.0, stroke.color);
            }
            _ => {
                painter.add(Shape::line(std::mem::take(run), stroke));
            }
        }
        run.clear();
    };
    for (i, v) in spark.values.iter().enumerate() {
        if v.is_nan() {
            flush(&mut run);
            continue;
        }
        let x = rect.left() + rect.width() * (i as f32 / n);
        let y = rect.bottom() - rect.height() * (v.clamp(0.0, 100.0) / 100.0);
        run.push(pos2(x, y));
    }
    flush(&mut run);
    response.on_hover_text(format!("{what}, last hour: now {latest:.1} %"));
    ui.add(egui::Label::new(format!("{latest:.0}%")).selectable(false));
}
