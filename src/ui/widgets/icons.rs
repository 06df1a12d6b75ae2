//! The resource icons: cluster, service, task, revision, log and chart, drawn as vectors so
//! they stay sharp at any zoom and take the theme's colours. One stroke width, one grid.

/// The window and taskbar icon (rendered from icons/ecsdeck.svg).
pub const WINDOW_ICON_PNG: &[u8] = include_bytes!("../../../icons/png/ecsdeck-256.png");

use crate::model::Route;
use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, vec2};

/// Side of an icon, in points.
pub const ICON_SIZE: f32 = 14.0;

/// A kind of thing the app shows, each with its own icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceIcon {
    /// An ECS cluster.
    Cluster,
    /// A service.
    Service,
    /// A task (one running copy of a task definition).
    Task,
    /// A task-definition revision, family or draft.
    Revision,
    /// Logs.
    Log,
    /// Metric charts.
    Chart,
}

impl ResourceIcon {
    /// All icons, in the order of the icon sheet.
    pub const ALL: [Self; 6] = [
        Self::Cluster,
        Self::Service,
        Self::Task,
        Self::Revision,
        Self::Log,
        Self::Chart,
    ];

    /// The icon of the screen a route shows, if it has one.
    pub fn of_route(route: &Route) -> Option<Self> {
        match route {
            Route::Cluster { .. } => Some(Self::Cluster),
            Route::Service { .. } | Route::Deploy { .. } | Route::DeploymentChanges { .. } => {
                Some(Self::Service)
            }
            Route::Task { .. } | Route::Exec { .. } => Some(Self::Task),
            Route::Family { .. }
            | Route::Revision { .. }
            | Route::Draft { .. }
            | Route::Compare { .. } => Some(Self::Revision),
            Route::Logs(_) => Some(Self::Log),
            Route::Metrics(_) | Route::Incident(_) => Some(Self::Chart),
            Route::Clusters
            | Route::TaskDefinitions
            | Route::Journal
            | Route::Settings
            | Route::Sessions
            | Route::Fleet => None,
        }
    }
}

/// Draws `icon` in the text's weak colour, as a label would sit in the line.
pub fn icon_ui(ui: &mut Ui, icon: ResourceIcon) {
    let (rect, _) = ui.allocate_exact_size(vec2(ICON_SIZE, ICON_SIZE), Sense::hover());
    if ui.is_rect_visible(rect) {
        let color = ui.visuals().weak_text_color();
        paint(ui.painter(), rect, icon, color);
    }
}

/// `icon` as an atom of a button or label, in the colour of the text beside it.
pub fn atom(icon: ResourceIcon) -> egui::Atom<'static> {
    egui::Atom::paint(vec2(ICON_SIZE, ICON_SIZE), move |ui, args| {
        paint(ui.painter(), args.rect, icon, args.fallback_text_color);
    })
}

/// An icon-sized gap, so rows without an icon line up with those that have one.
pub fn blank_atom() -> egui::Atom<'static> {
    egui::Atom::paint(vec2(ICON_SIZE, ICON_SIZE), |_, _| {})
}

/// The atom of a route's icon, or an empty one (a button's text stays where it was).
pub fn route_atom(route: &Route) -> Option<egui::Atom<'static>> {
    ResourceIcon::of_route(route).map(atom)
}

/// Paints `icon` into `rect` (square) with `color`.
pub fn paint(painter: &egui::Painter, rect: Rect, icon: ResourceIcon, color: Color32) {
    let side = rect.width().min(rect.height());
    let origin = rect.center() - vec2(side, side) * 0.5;
    // A 14-unit grid, whatever the size: every icon uses the same stroke.
    let at = |x: f32, y: f32| -> Pos2 { origin + vec2(x, y) * (side / 14.0) };
    let stroke = Stroke::new(side / 14.0 * 1.3, color);
    let boxed = |x0: f32, y0: f32, x1: f32, y1: f32| Rect::from_min_max(at(x0, y0), at(x1, y1));
    let radius = side / 14.0 * 1.5;
    match icon {
        ResourceIcon::Cluster => {
            for (x, y) in [(1.5, 1.5), (7.5, 1.5), (1.5, 7.5), (7.5, 7.5)] {
                painter.rect_filled(boxed(x, y, x + 5.0, y + 5.0), radius, color);
            }
        }
        ResourceIcon::Service => {
            // Copies of one task behind each other: the back one shows only around the front.
            let back = vec![
                at(4.5, 4.5),
                at(4.5, 1.5),
                at(12.5, 1.5),
                at(12.5, 9.5),
                at(9.5, 9.5),
            ];
            painter.line(back, stroke);
            let front = boxed(1.5, 4.5, 9.5, 12.5);
            painter.rect_stroke(front, radius, stroke, StrokeKind::Middle);
        }
        ResourceIcon::Task => {
            // A container: a cube seen from above a corner.
            let (top, mid) = (at(7.0, 1.0), at(7.0, 7.0));
            let hexagon = vec![
                top,
                at(12.5, 4.0),
                at(12.5, 10.0),
                at(7.0, 13.0),
                at(1.5, 10.0),
                at(1.5, 4.0),
            ];
            painter.add(Shape::closed_line(hexagon, stroke));
            painter.line_segment([at(1.5, 4.0), mid], stroke);
            painter.line_segment([at(12.5, 4.0), mid], stroke);
            painter.line_segment([mid, at(7.0, 13.0)], stroke);
        }
        ResourceIcon::Revision => {
            // A page with a folded corner and two lines of text.
            let page = vec![
                at(2.5, 1.0),
                at(8.5, 1.0),
                at(11.5, 4.0),
                at(11.5, 13.0),
                at(2.5, 13.0),
            ];
            painter.add(Shape::closed_line(page, stroke));
            painter.line(vec![at(8.5, 1.0), at(8.5, 4.0), at(11.5, 4.0)], stroke);
            painter.line_segment([at(4.5, 7.5), at(9.5, 7.5)], stroke);
            painter.line_segment([at(4.5, 10.5), at(9.5, 10.5)], stroke);
        }
        ResourceIcon::Log => {
            // A terminal: a prompt and a line of output.
            painter.rect_stroke(
                boxed(1.0, 2.0, 13.0, 12.0),
                radius,
                stroke,
                StrokeKind::Middle,
            );
            painter.line(vec![at(3.5, 5.0), at(6.0, 7.0), at(3.5, 9.0)], stroke);
            painter.line_segment([at(7.5, 9.0), at(10.5, 9.0)], stroke);
        }
        ResourceIcon::Chart => {
            painter.line(vec![at(1.5, 1.5), at(1.5, 12.5), at(12.5, 12.5)], stroke);
            let trend = vec![at(3.5, 10.0), at(6.0, 6.5), at(8.5, 8.5), at(12.0, 3.0)];
            painter.line(trend, stroke);
        }
    }
}

/// Paints every icon in a row at `size`: the icon sheet the snapshot tests keep.
pub fn icon_sheet_ui(ui: &mut Ui, size: f32) {
    ui.horizontal(|ui| {
        for icon in ResourceIcon::ALL {
            let (rect, _) = ui.allocate_exact_size(vec2(size, size), Sense::hover());
            paint(ui.painter(), rect, icon, ui.visuals().text_color());
            ui.add_space(size * 0.5);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn every_icon_draws_inside_its_square() {
        let ctx = egui::Context::default();
        for icon in ResourceIcon::ALL {
            let mut bounds = Rect::NOTHING;
            let _ = ctx.run_ui(Default::default(), |ui| {
                let layer = egui::LayerId::background();
                let painter = egui::Painter::new(ui.ctx().clone(), layer, Rect::EVERYTHING);
                let rect = Rect::from_min_size(pos2(10.0, 10.0), vec2(28.0, 28.0));
                let before = ui
                    .ctx()
                    .graphics(|g| g.get(layer).map_or(0, |l| l.all_entries().len()));
                paint(&painter, rect, icon, Color32::WHITE);
                ui.ctx().graphics(|g| {
                    let list = g.get(layer).expect("painted");
                    assert!(list.all_entries().len() > before, "{icon:?} paints nothing");
                    for clipped in list.all_entries().skip(before) {
                        bounds = bounds.union(clipped.shape.visual_bounding_rect());
                    }
                });
            });
            let square = Rect::from_min_size(pos2(10.0, 10.0), vec2(28.0, 28.0)).expand(1.5);
            assert!(
                square.contains_rect(bounds),
                "{icon:?} leaves its square: {bounds:?}"
            );
        }
    }

    #[test]
    fn each_screen_with_a_resource_has_its_icon() {
        assert_eq!(
            ResourceIcon::of_route(&Route::Logs(crate::model::logs::tail::TailTarget::Group {
                group: "/ecs/api".into(),
                prefix: None,
            })),
            Some(ResourceIcon::Log)
        );
        assert_eq!(ResourceIcon::of_route(&Route::Clusters), None);
    }
}
