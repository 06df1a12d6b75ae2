//! One metric chart: egui_plot lines at about one point per pixel (from the series' levels of
//! detail), x axes and cursor linked across the page, deployment markers that open a diff.

use crate::model::metrics::charts::{ChartData, Unit};
use crate::model::metrics::markers::{ChartMarker, MarkerKind, marker_near};
use crate::model::time_format::chart_time_label;
use crate::ui::widgets::theme::{CHART_HEIGHT, Tone, series_color};
use egui::{Color32, Id, PointerButton, Rect, RichText, Ui};
use egui_plot::{
    Corner, GridInput, GridMark, HoverPosition, Legend, Line, LineStyle, Plot, PlotPoint,
    PlotPoints, PlotTransform, VLine,
};

/// Pixels either side of a marker that still count as pointing at it.
const MARKER_HIT_PX: f64 = 6.0;
/// Time steps offered for x grid lines, seconds.
const TIME_STEPS_SECS: [f64; 13] = [
    60.0, 300.0, 600.0, 900.0, 1_800.0, 3_600.0, 7_200.0, 10_800.0, 21_600.0, 43_200.0, 86_400.0,
    172_800.0, 604_800.0,
];

/// What the user did on a chart this frame.
#[derive(Debug, Default)]
pub struct ChartOutput {
    /// A deployment marker was clicked.
    pub clicked: Option<ChartMarker>,
    /// The x range shown (epoch seconds).
    pub shown_x: Option<(f64, f64)>,
    /// Where the plot was drawn.
    pub rect: Option<Rect>,
    /// The time under the pointer, when it is over this chart.
    pub hover_x: Option<f64>,
}

/// Colour of a deployment marker.
pub fn marker_color(kind: MarkerKind, dark_mode: bool) -> Color32 {
    match kind {
        MarkerKind::Started => Tone::Busy.color(dark_mode),
        MarkerKind::Completed => Tone::Good.color(dark_mode),
        MarkerKind::Failed => Tone::Bad.color(dark_mode),
        MarkerKind::RolledBack => Tone::Warn.color(dark_mode),
    }
}

/// Grid lines at whole minutes, hours or days, about six across.
pub(crate) fn time_grid(input: GridInput) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let wanted = ((max - min) / 6.0).max(input.base_step_size);
    let step = TIME_STEPS_SECS
        .iter()
        .copied()
        .find(|s| *s >= wanted)
        .unwrap_or(604_800.0);
    let mut marks = Vec::new();
    let mut value = (min / step).ceil() * step;
    while value <= max && marks.len() < 100 {
        marks.push(GridMark {
            value,
            step_size: step,
        });
        value += step;
    }
    marks
}

pub(crate) fn short_value(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Percent => format!("{value:.0}%"),
        other => other.format(value),
    }
}

/// Labels the markers along the top of the plot, stacking those that would overlap. Painted
/// over the plot rather than added to it, so they never stretch its bounds.
fn marker_labels_ui(ui: &Ui, markers: &[ChartMarker], transform: &PlotTransform, rect: Rect) {
    let painter = ui.painter_at(rect);
    let font = egui::FontId::proportional(10.0);
    let dark = ui.visuals().dark_mode;
    // Right edge of the last label in each row.
    let mut rows: Vec<f32> = Vec::new();
    for marker in markers {
        let x = transform
            .position_from_point(&PlotPoint::new(marker.at_secs as f64, 0.0))
            .x
            + 3.0;
        let galley = painter.layout_no_wrap(
            marker.label(),
            font.clone(),
            marker_color(marker.kind, dark),
        );
        let row = rows.iter().position(|end| *end < x).unwrap_or(rows.len());
        let end = x + galley.size().x + 6.0;
        match rows.get_mut(row) {
            Some(slot) => *slot = end,
            None => rows.push(end),
        }
        let y = rect.top() + 2.0 + row as f32 * (galley.size().y + 1.0);
        painter.galley(egui::pos2(x, y), galley, Color32::PLACEHOLDER);
    }
}

/// The plot of chart `index`: linked x axis and cursor, time grid and labels, the unit's
/// axis and hover text; zoom reset when `reset`.
fn plot_for(
    index: usize,
    unit: Unit,
    window_x: (f64, f64),
    group: Id,
    reset: bool,
) -> Plot<'static> {
    let mut plot = Plot::new(("metric-plot", index))
        .height(CHART_HEIGHT)
        .link_axis(group, [true, false])
        .link_cursor(group, [true, false])
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_zoom([true, false])
        .allow_scroll(false)
        .allow_drag(false)
        .allow_boxed_zoom(true)
        .boxed_zoom_pointer_button(PointerButton::Primary)
        .allow_double_click_reset(true)
        .include_x(window_x.0)
        .include_x(window_x.1)
        .include_y(0.0)
        .x_grid_spacer(time_grid)
        .x_axis_formatter(move |mark, range| {
            chart_time_label(mark.value, range.end() - range.start())
        })
        .y_axis_formatter(move |mark, _| short_value(unit, mark.value))
        .y_axis_min_width(44.0)
        .label_formatter(move |position: &HoverPosition<'_>| match position {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}: {}\n{}",
                unit.format(position.y),
                chart_time_label(position.x, 0.0)
            )),
            HoverPosition::Elsewhere { position } => Some(chart_time_label(position.x, 0.0)),
        });
    if unit == Unit::Percent {
        plot = plot.include_y(100.0);
    }
    if reset {
        plot = plot.reset();
    }
    plot
}

/// The lines of `chart`'s series between `x_min` and `x_max`, at most two points a pixel.
fn series_lines_ui(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    chart: &ChartData,
    index: usize,
    (x_min, x_max): (f64, f64),
    width_px: usize,
    show_on_demand: bool,
    dark: bool,
) {
    for (i, series) in chart.series.iter().enumerate() {
        if series.on_demand && !show_on_demand {
            continue;
        }
        let points = series.lod.visible(x_min, x_max, width_px * 2);
        // A gap breaks the line: one item per run of datapoints, one legend entry by name
        // (egui_plot would draw NaN points, not skip them).
        let runs = points
            .split(|p| !p[1].is_finite())
            .filter(|run| !run.is_empty());
        for (k, run) in runs.enumerate() {
            // An on-demand statistic (Minimum) is thinner and fainter rather than dashed:
            // egui_plot tessellates every dash on its own, which tripled the page's frame
            // time with a week of data (BENCHMARKS.md, metrics page).
            let (color, width) = if series.on_demand {
                (series_color(i, dark).gamma_multiply(0.6), 1.0)
            } else {
                (series_color(i, dark), 1.5)
            };
            let line = Line::new(series.label.as_str(), PlotPoints::from(run.to_vec()))
                .id((index, i, k))
                .color(color)
                .width(width);
            plot_ui.line(line);
        }
    }
}

/// Draws `chart` (index `index` on the page). `group` links the x axes and cursors of the
/// page's charts; `reset` drops any zoom (a new range was chosen); markers are labelled only
/// where `label_markers`.
#[allow(clippy::too_many_arguments)]
pub fn chart_ui(
    ui: &mut Ui,
    chart: &ChartData,
    index: usize,
    window_x: (f64, f64),
    markers: &[ChartMarker],
    group: Id,
    show_on_demand: bool,
    reset: bool,
    label_markers: bool,
) -> ChartOutput {
    let unit = chart.unit;
    ui.horizontal(|ui| {
        ui.label(RichText::new(&chart.title).strong());
        if chart.is_empty() {
            ui.weak("no datapoints in this range");
        }
    });
    let dark = ui.visuals().dark_mode;
    let width_px = ui.available_width().max(100.0) as usize;
    let plot = plot_for(index, unit, window_x, group, reset);
    let response = plot.show(ui, |plot_ui| {
        let bounds = plot_ui.plot_bounds();
        let (mut x_min, mut x_max) = (bounds.min()[0], bounds.max()[0]);
        // Before the first layout the bounds are not the data's: show it all.
        if x_max <= window_x.0 || x_min >= window_x.1 || x_max <= x_min {
            (x_min, x_max) = window_x;
        }
        series_lines_ui(
            plot_ui,
            chart,
            index,
            (x_min, x_max),
            width_px,
            show_on_demand,
            dark,
        );
        for marker in markers {
            plot_ui.vline(
                VLine::new("", marker.at_secs as f64)
                    .color(marker_color(marker.kind, dark))
                    .style(LineStyle::dashed_loose())
                    .width(1.2),
            );
        }
        let per_px = plot_ui.transform().dvalue_dpos()[0].abs();
        let pointer = plot_ui
            .response()
            .hovered()
            .then(|| plot_ui.pointer_coordinate())
            .flatten();
        let hovered =
            pointer.and_then(|p| marker_near(markers, p.x, per_px * MARKER_HIT_PX).cloned());
        (hovered, (x_min, x_max), pointer.map(|p| p.x))
    });
    let (hovered, shown_x, hover_x) = response.inner;
    if label_markers {
        marker_labels_ui(ui, markers, &response.transform, response.response.rect);
    }
    let mut output = ChartOutput {
        clicked: None,
        shown_x: Some(shown_x),
        rect: Some(response.response.rect),
        hover_x,
    };
    if let Some(marker) = hovered {
        let clicked = response.response.clicked();
        let hint = match marker.diff_pair() {
            Some((old, _)) => format!(
                "{} at {}\nClick to compare with {}",
                marker.label(),
                chart_time_label(marker.at_secs as f64, 0.0),
                crate::model::ecs::short_id(&old)
            ),
            None => format!("{} (no earlier revision to compare)", marker.label()),
        };
        response.response.on_hover_text(hint);
        if clicked && marker.diff_pair().is_some() {
            output.clicked = Some(marker);
        }
    }
    output
}
