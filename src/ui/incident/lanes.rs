//! The timeline's lanes under the charts: one row per kind of event, each event a point (a
//! bar for spans such as a crash loop or a deployment), coloured by how it reads. Hovering
//! names it; clicking opens its detail; a drag selects a range like on the charts.

use super::charts::{drag_select, time_plot};
use super::{IncidentView, Selection};
use crate::model::Action;
use crate::model::incident::timeline::{EventTone, IncidentKey, Lane, Timeline};
use crate::model::time_format::chart_time_label;
use crate::ui::widgets::theme::Tone;
use egui::{Color32, Id, RichText, Ui};
use egui_plot::{HoverPosition, Line, MarkerShape, PlotPoints, Points};

/// Height of one lane, points.
const LANE_HEIGHT: f32 = 26.0;
/// Spans narrower than this are drawn as their point alone.
const MIN_SPAN_PX: f64 = 3.0;
/// Pixels either side of an event that still count as pointing at it.
const HIT_PX: f64 = 7.0;

/// The colour of an event's tone.
pub fn tone_color(tone: EventTone, dark: bool) -> Color32 {
    match tone {
        EventTone::Info => Tone::Busy.color(dark),
        EventTone::Good => Tone::Good.color(dark),
        EventTone::Warn => Tone::Warn.color(dark),
        EventTone::Bad => Tone::Bad.color(dark),
    }
}

/// The y of a lane: the first at the top.
fn lane_y(lane: Lane) -> f64 {
    -(Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0) as f64)
}

fn lane_at(y: f64) -> Option<Lane> {
    let index = (-y).round();
    (index >= 0.0)
        .then(|| Lane::ALL.get(index as usize).copied())
        .flatten()
}

/// Draws the lanes; returns nothing, the selection goes to `view`.
pub(crate) fn lanes_ui(
    view: &mut IncidentView,
    key: &IncidentKey,
    timeline: &Timeline,
    link: (Id, bool),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Timeline").strong());
    let rows = Lane::ALL.len() as f32;
    let plot = time_plot("incident-lanes", LANE_HEIGHT * rows + 30.0, timeline, link)
        .include_y(0.5)
        .include_y(-(rows as f64) + 0.5)
        .show_grid([true, false])
        .y_axis_formatter(|mark, _| {
            if mark.value.fract().abs() > 1e-6 {
                return String::new();
            }
            lane_at(mark.value).map_or_else(String::new, |l| l.label().to_owned())
        })
        .label_formatter(|position: &HoverPosition<'_>| {
            let (HoverPosition::NearDataPoint { position, .. }
            | HoverPosition::Elsewhere { position }) = position;
            Some(chart_time_label(position.x, 0.0))
        });
    let selected = match view.selection {
        Some(Selection::Event(i)) => Some(i),
        _ => None,
    };
    let dark = ui.visuals().dark_mode;
    let response = plot.show(ui, |plot_ui| {
        draw_events(plot_ui, timeline, selected, dark);
        let per_px = plot_ui.transform().dvalue_dpos()[0].abs();
        plot_ui
            .pointer_coordinate()
            .filter(|_| plot_ui.response().hovered())
            .and_then(|p| {
                let lane = lane_at(p.y)?;
                timeline.nearest(lane, p.x, per_px * HIT_PX)
            })
    });
    let hovered = response.inner;
    if let Some(index) = hovered
        && let Some(event) = timeline.events.get(index)
    {
        let clicked = response.response.clicked();
        response.response.clone().on_hover_text(format!(
            "{}\n{}\nClick for detail",
            chart_time_label(event.at_secs as f64, 0.0),
            event.title
        ));
        if clicked {
            view.select(key, Selection::Event(index), actions);
        }
    }
    drag_select(view, key, &response, actions);
    legend_ui(timeline, ui);
}

/// One `Points` per lane and tone (not per event: a day of a busy service is thousands),
/// a bar per span, and a ring round the selected event.
fn draw_events(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    timeline: &Timeline,
    selected: Option<usize>,
    dark: bool,
) {
    let min_span_secs = plot_ui.transform().dvalue_dpos()[0].abs() * MIN_SPAN_PX;
    for lane in Lane::ALL {
        let y = lane_y(lane);
        for tone in [
            EventTone::Info,
            EventTone::Good,
            EventTone::Warn,
            EventTone::Bad,
        ] {
            let color = tone_color(tone, dark);
            let mut points = Vec::new();
            for (i, event) in timeline.lane(lane).filter(|(_, e)| e.tone == tone) {
                points.push([event.at_secs as f64, y]);
                // A span narrower than a few pixels is its point alone (a day's scaling
                // activities would otherwise be hundreds of plot items).
                let wide = |until: i64| (until - event.at_secs) as f64 >= min_span_secs;
                if let Some(until) = event.until_secs.filter(|u| wide(*u)) {
                    plot_ui.line(
                        Line::new(
                            "",
                            PlotPoints::from(vec![[event.at_secs as f64, y], [until as f64, y]]),
                        )
                        .id(("span", i))
                        .color(color.gamma_multiply(0.7))
                        .width(6.0)
                        .allow_hover(false),
                    );
                }
            }
            if !points.is_empty() {
                plot_ui.points(
                    Points::new("", PlotPoints::from(points))
                        .id(("lane", lane, tone))
                        .shape(MarkerShape::Circle)
                        .radius(4.5)
                        .filled(true)
                        .color(color)
                        .allow_hover(false),
                );
            }
        }
    }
    if let Some(event) = selected.and_then(|i| timeline.events.get(i)) {
        plot_ui.points(
            Points::new(
                "",
                PlotPoints::from(vec![[event.at_secs as f64, lane_y(event.lane)]]),
            )
            .id("selected")
            .shape(MarkerShape::Circle)
            .radius(8.0)
            .filled(false)
            .color(if dark { Color32::WHITE } else { Color32::BLACK })
            .allow_hover(false),
        );
    }
}

/// How many events each lane has, for the keyboard and screen readers too.
fn legend_ui(timeline: &Timeline, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        for lane in Lane::ALL {
            let count = timeline.lane(lane).count();
            ui.weak(format!("{}: {count}", lane.label()));
        }
    });
}
