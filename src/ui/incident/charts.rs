//! The cockpit's charts: CPU, memory and error lines per minute on the timeline's time axis,
//! with the deployment markers. Dragging across any of them selects a range (its merged
//! logs open beside it); clicking the error rate selects that minute.

use super::{IncidentView, Selection};
use crate::model::Action;
use crate::model::incident::timeline::{IncidentKey, Timeline};
use crate::model::metrics::charts::Unit;
use crate::model::time_format::chart_time_label;
use crate::ui::metrics::plot::{marker_color, short_value, time_grid};
use crate::ui::widgets::theme::{Tone, series_color};
use egui::{Id, RichText, Ui};
use egui_plot::{Corner, Legend, Line, LineStyle, Plot, PlotPoints, PlotResponse, Span, VLine};

/// Height of each chart, points.
const CHART_HEIGHT: f32 = 120.0;
/// Width of every plot's y axis, points.
const AXIS_WIDTH: f32 = 96.0;
/// Drags shorter than this (seconds) are clicks, not ranges.
const MIN_RANGE_SECS: f64 = 30.0;

/// A time plot of the cockpit: linked x axis and cursor, zoom with Ctrl+scroll, no pan or
/// box zoom (a drag selects a range instead).
pub(crate) fn time_plot(
    id: &'static str,
    height: f32,
    timeline: &Timeline,
    (group, reset): (Id, bool),
) -> Plot<'static> {
    let plot = Plot::new(id)
        .height(height)
        .link_axis(group, [true, false])
        .link_cursor(group, [true, false])
        .allow_zoom([true, false])
        .allow_scroll(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(true)
        .include_x(timeline.start_secs as f64)
        .include_x(timeline.end_secs as f64)
        .x_grid_spacer(time_grid)
        .x_axis_formatter(|mark, range| chart_time_label(mark.value, range.end() - range.start()))
        // One width for every plot, the lanes' names included, so their time axes line up.
        .y_axis_min_width(AXIS_WIDTH);
    if reset { plot.reset() } else { plot }
}

/// Turns a drag across `response` into a range selection, and draws the range being dragged.
pub(crate) fn drag_select<R>(
    view: &mut IncidentView,
    key: &IncidentKey,
    response: &PlotResponse<R>,
    actions: &mut Vec<Action>,
) {
    let at = |pos: egui::Pos2| response.transform.value_from_position(pos).x;
    let pointer = response.response.interact_pointer_pos();
    if response.response.drag_started()
        && let Some(pos) = pointer
    {
        view.drag_from = Some(at(pos));
    }
    let Some(from) = view.drag_from else {
        return;
    };
    if response.response.dragged()
        && let Some(pos) = pointer
    {
        let x = response.transform.position_from_point_x(from);
        let rect = egui::Rect::from_x_y_ranges(
            x.min(pos.x)..=x.max(pos.x),
            response.response.rect.y_range(),
        );
        let fill = Tone::Busy.color(true).gamma_multiply(0.25);
        response
            .response
            .ctx
            .layer_painter(response.response.layer_id)
            .rect_filled(rect, 0.0, fill);
    }
    if response.response.drag_stopped() {
        view.drag_from = None;
        if let Some(pos) = pointer {
            let to = at(pos);
            let (a, b) = (from.min(to), from.max(to));
            if b - a >= MIN_RANGE_SECS {
                view.select(key, Selection::Range(a as i64, b as i64), actions);
            }
        }
    }
}

/// Markers and the selected range, drawn on every chart.
fn overlays(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    timeline: &Timeline,
    selection: Option<&Selection>,
    dark: bool,
) {
    for marker in &timeline.markers {
        plot_ui.vline(
            VLine::new("", marker.at_secs as f64)
                .color(marker_color(marker.kind, dark))
                .style(LineStyle::dashed_loose())
                .width(1.2),
        );
    }
    if let Some(Selection::Range(from, to)) = selection {
        plot_ui.span(
            Span::new("", *from as f64..=*to as f64)
                .fill(Tone::Busy.color(dark).gamma_multiply(0.2))
                .border_width(0.0),
        );
    }
}

/// CPU, memory and the error rate.
pub(crate) fn charts_ui(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    link: (Id, bool),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    if let Some(data) = &timeline.charts {
        for (chart, id) in data.charts.iter().zip(["incident-cpu", "incident-memory"]) {
            ui.label(RichText::new(&chart.title).strong());
            let unit = chart.unit;
            let plot = time_plot(id, CHART_HEIGHT, timeline, link)
                .legend(Legend::default().position(Corner::LeftTop))
                .include_y(0.0)
                .include_y(if unit == Unit::Percent { 100.0 } else { 0.0 })
                .y_axis_formatter(move |mark, _| short_value(unit, mark.value));
            let selection = view.selection.clone();
            let dark = ui.visuals().dark_mode;
            let width_px = ui.available_width().max(100.0) as usize;
            let response = plot.show(ui, |plot_ui| {
                let bounds = plot_ui.plot_bounds();
                let (mut x_min, mut x_max) = (bounds.min()[0], bounds.max()[0]);
                // Before the first layout the bounds are not the data's: show it all.
                if x_max <= x_min {
                    (x_min, x_max) = (timeline.start_secs as f64, timeline.end_secs as f64);
                }
                for (i, series) in chart
                    .series
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !s.on_demand)
                {
                    // About a point per pixel, from the series' levels of detail.
                    for (k, run) in series
                        .lod
                        .visible(x_min, x_max, width_px * 2)
                        .split(|p| !p[1].is_finite())
                        .filter(|r| !r.is_empty())
                        .enumerate()
                    {
                        let points: Vec<[f64; 2]> = run.to_vec();
                        plot_ui.line(
                            Line::new(series.label.as_str(), PlotPoints::from(points))
                                .id((id, i, k))
                                .color(series_color(i, dark))
                                .width(1.5),
                        );
                    }
                }
                overlays(plot_ui, timeline, selection.as_ref(), dark);
            });
            drag_select(view, key, &response, actions);
        }
    } else {
        ui.weak("CPU and memory could not be read (see above).");
    }
    error_rate_ui(view, key, timeline, link, ui, actions);
}

fn error_rate_ui(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    link: (Id, bool),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Error lines per minute").strong())
        .on_hover_text("Click a minute for the merged logs of every task at that minute");
    let selection = view.selection.clone();
    let plot = time_plot("incident-errors", CHART_HEIGHT * 0.8, timeline, link)
        .include_y(0.0)
        .include_y(1.0)
        .y_axis_formatter(|mark, _| format!("{:.0}", mark.value));
    let dark = ui.visuals().dark_mode;
    let response = plot.show(ui, |plot_ui| {
        let points: Vec<[f64; 2]> = timeline
            .error_rate
            .minutes
            .iter()
            .map(|(at, n)| [*at as f64 + 30.0, f64::from(*n)])
            .collect();
        plot_ui.line(
            Line::new("errors", PlotPoints::from(points))
                .color(Tone::Bad.color(dark))
                .fill(0.0)
                .width(1.5),
        );
        overlays(plot_ui, timeline, selection.as_ref(), dark);
        plot_ui.pointer_coordinate().map(|p| p.x)
    });
    if response.response.clicked()
        && let Some(x) = response.inner
    {
        let minute = (x as i64).div_euclid(60) * 60;
        view.select(key, Selection::Range(minute, minute + 60), actions);
    }
    drag_select(view, key, &response, actions);
}
