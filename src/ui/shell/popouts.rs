//! Pop-out windows: each shows a Logs, Metrics or Compare screen in a native window of its
//! own (an egui viewport) with its own filters and scroll. Where the platform cannot open a
//! second window (and in tests) egui draws it as a window inside the main one.

use crate::model::workspace::popouts::Popout;
use crate::model::workspace::prefs::Prefs;
use crate::model::{Action, Model, Route};
use crate::ui::logs::LogsView;
use crate::ui::metrics::MetricsView;
use crate::ui::task_defs::compare_state::CompareView;
use crate::ui::task_defs::state::TaskDefsView;
use egui::{RichText, Ui, ViewportClass, ViewportCommand, ViewportId};
use std::collections::HashMap;
use std::time::SystemTime;

/// Size of a window opened for the first time, in points.
const DEFAULT_SIZE: [f32; 2] = [960.0, 640.0];
/// Room the toolbar keeps for its two buttons, in points.
const TOOLBAR_BUTTONS_WIDTH: f32 = 320.0;
/// Smallest size of a window, in points.
const MIN_SIZE: [f32; 2] = [420.0, 280.0];

/// The local state of every pop-out window, by window id.
#[derive(Debug, Default)]
pub struct PopoutViews {
    by_id: HashMap<u64, PopoutView>,
    /// The window icon, decoded once.
    icon: Option<std::sync::Arc<egui::IconData>>,
}

/// One window's own screen state.
#[derive(Debug, Default)]
struct PopoutView {
    logs: LogsView,
    metrics: MetricsView,
    compare: CompareView,
    incident: crate::ui::incident::IncidentView,
    /// The geometry the window was opened with (kept, so egui does not move it back).
    opened_at: Option<Option<[i32; 4]>>,
    /// The last `raised` acted on.
    raised_seen: u64,
}

/// What the main window lends the pop-outs.
pub struct Shared<'a> {
    /// Open drafts (a comparison may show one).
    pub drafts: &'a TaskDefsView,
    /// The main window's Logs state (a chart's "logs at this time" jumps there too).
    pub main_logs: &'a mut LogsView,
    /// Time zone, save folder and the rest (the logs' UTC switch changes them).
    pub prefs: &'a mut Prefs,
}

/// What a window's screen borrows from the main window.
struct Lent<'a> {
    drafts: &'a TaskDefsView,
    prefs: &'a mut Prefs,
}

/// Shows every open pop-out window; their actions join `actions`.
pub fn popouts_ui(
    model: &Model,
    views: &mut PopoutViews,
    shared: Shared<'_>,
    ctx: &egui::Context,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    views
        .by_id
        .retain(|id, _| model.popouts.iter().any(|p| p.id == *id));
    if views.icon.is_none() && !model.popouts.is_empty() {
        let decoded = eframe::icon_data::from_png_bytes(crate::ui::widgets::icons::WINDOW_ICON_PNG);
        views.icon = Some(std::sync::Arc::new(decoded.unwrap_or_default()));
    }
    let icon = views.icon.clone();
    let mut jumps = Vec::new();
    let mut lent = Lent {
        drafts: shared.drafts,
        prefs: shared.prefs,
    };
    for popout in &model.popouts {
        let view = views.by_id.entry(popout.id).or_default();
        let opened_at = *view.opened_at.get_or_insert(popout.geometry);
        let viewport = viewport_id(popout.id);
        let mut own = Vec::new();
        let mut back = false;
        let mut builder = builder(popout, opened_at, icon.clone());
        if ctx.embed_viewports() {
            // Drawn inside the main window: a quarter of it, so the main screen stays usable.
            let screen = ctx.content_rect().size() * 0.5;
            builder = builder.with_inner_size(screen.min(DEFAULT_SIZE.into()));
        }
        ctx.show_viewport_immediate(viewport, builder, |ui, class| {
            let out = (&mut own, &mut back);
            window_ui(model, popout, view, &mut lent, ui, class, out, now);
        });
        if back {
            actions.push(Action::ClosePopout(popout.id));
            actions.push(Action::Navigate(popout.route.clone()));
        }
        if view.raised_seen != popout.raised {
            view.raised_seen = popout.raised;
            ctx.send_viewport_cmd_to(viewport, ViewportCommand::Focus);
        }
        if let Some((target, at_ms)) = view.metrics.open_logs_at.take() {
            jumps.push(at_ms);
            actions.push(Action::Navigate(Route::Logs(target)));
        }
        for action in own {
            actions.push(match action {
                // A window's links lead within it; `reduce` sends other kinds to the main one.
                Action::Navigate(route) => Action::RetargetPopout {
                    id: popout.id,
                    route,
                },
                other => other,
            });
        }
    }
    for at_ms in jumps {
        crate::ui::logs::history::jump_to(shared.main_logs, at_ms);
        for view in views.by_id.values_mut() {
            crate::ui::logs::history::jump_to(&mut view.logs, at_ms);
        }
    }
}

/// The native window of pop-out `id`.
pub fn viewport_id(id: u64) -> ViewportId {
    ViewportId::from_hash_of(("ecsdeck-popout", id))
}

fn builder(
    popout: &Popout,
    opened_at: Option<[i32; 4]>,
    icon: Option<std::sync::Arc<egui::IconData>>,
) -> egui::ViewportBuilder {
    let mut builder = egui::ViewportBuilder::default()
        .with_title(crate::model::workspace::popouts::title(&popout.route))
        .with_app_id("ecsdeck")
        .with_min_inner_size(MIN_SIZE);
    builder = match opened_at {
        Some([left, top, width, height]) => builder
            .with_position([left as f32, top as f32])
            .with_inner_size([
                (width as f32).max(MIN_SIZE[0]),
                (height as f32).max(MIN_SIZE[1]),
            ]),
        None => builder.with_inner_size(DEFAULT_SIZE),
    };
    if let Some(icon) = icon {
        builder = builder.with_icon(icon);
    }
    builder
}

#[expect(clippy::too_many_arguments, reason = "one window's borrowed parts")]
fn window_ui(
    model: &Model,
    popout: &Popout,
    view: &mut PopoutView,
    lent: &mut Lent<'_>,
    ui: &mut Ui,
    class: ViewportClass,
    (actions, back): (&mut Vec<Action>, &mut bool),
    now: SystemTime,
) {
    let mut content = |ui: &mut Ui| {
        toolbar_ui(popout, ui, actions, back);
        ui.separator();
        screen_ui(model, popout, view, lent, ui, actions, now);
    };
    if class == ViewportClass::EmbeddedWindow {
        content(ui);
        return;
    }
    egui::CentralPanel::default().show(ui, |ui| content(ui));
    let (close, geometry) = ui.input(|i| {
        let info = i.viewport();
        let geometry = info.outer_rect.zip(info.inner_rect).map(|(outer, inner)| {
            [outer.min.x, outer.min.y, inner.width(), inner.height()].map(|v| v.round() as i32)
        });
        (info.close_requested(), geometry)
    });
    if close {
        actions.push(Action::ClosePopout(popout.id));
    } else if let Some(geometry) = geometry
        && popout.geometry != Some(geometry)
    {
        actions.push(Action::SetPopoutGeometry {
            id: popout.id,
            geometry,
        });
    }
}

/// Title, "Back to main window" (sets `back`) and "Close window".
fn toolbar_ui(popout: &Popout, ui: &mut Ui, actions: &mut Vec<Action>, back: &mut bool) {
    ui.horizontal(|ui| {
        if let Some(icon) = crate::ui::widgets::icons::ResourceIcon::of_route(&popout.route) {
            crate::ui::widgets::icons::icon_ui(ui, icon);
        }
        let title = popout.route.crumbs().into_iter().map(|(label, _)| label);
        let title = RichText::new(title.collect::<Vec<_>>().join(" › ")).strong();
        ui.scope(|ui| {
            // The buttons keep their room; a long title is cut short in a narrow window.
            ui.set_max_width((ui.available_width() - TOOLBAR_BUTTONS_WIDTH).max(60.0));
            ui.add(egui::Label::new(title).truncate());
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("🗙 Close window")
                .on_hover_text("Close this window")
                .clicked()
            {
                actions.push(Action::ClosePopout(popout.id));
            }
            if ui
                .button("🗖 Back to main window")
                .on_hover_text("Close this window and show this screen in the main window")
                .clicked()
            {
                *back = true;
            }
        });
    });
}

fn screen_ui(
    model: &Model,
    popout: &Popout,
    view: &mut PopoutView,
    lent: &mut Lent<'_>,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    match &popout.route {
        Route::Logs(target) => {
            crate::ui::logs::logs_ui(model, &mut view.logs, lent.prefs, target, ui, actions, now)
        }
        Route::Metrics(key) => {
            let metrics = (&mut view.metrics, &*lent.prefs);
            crate::ui::metrics::metrics_ui(model, metrics, key, ui, actions, now);
        }
        Route::Incident(key) => {
            let incident = (&mut view.incident, &*lent.prefs);
            crate::ui::incident::incident_ui(model, incident, key, ui, actions, now);
        }
        Route::Compare { old, new } => {
            let compare = &mut view.compare;
            crate::ui::task_defs::compare::compare_ui(
                model,
                lent.drafts,
                compare,
                old,
                new,
                ui,
                actions,
            );
        }
        _ => {
            ui.label("This screen has no window of its own.");
        }
    }
}
