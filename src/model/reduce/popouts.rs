//! Pop-out windows in `reduce`: opening, retargeting and closing them, and moving the main
//! window's route when its screen leaves for a window of its own.

use super::super::{Model, Route, WorkerCommand};
use super::slots::{Freshness, cancel_key, load_visible};
use crate::model::workspace::popouts::{POPOUTS_MAX, Popout};
use std::time::SystemTime;

/// Changes the main window's route, cancelling loads nothing watches any more.
pub(crate) fn navigate(
    model: &mut Model,
    route: Route,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    let old_keys = model.watched_keys();
    model.route = route;
    settle(model, old_keys, now, out);
    crate::model::reduce::logs::on_navigate(model, now, out);
}

/// After the watched set changed: cancels what left it, loads what joined it.
fn settle(
    model: &mut Model,
    old_keys: Vec<super::super::ResourceKey>,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    let new_keys = model.watched_keys();
    for key in old_keys {
        if !new_keys.contains(&key) {
            cancel_key(model, &key, out);
        }
    }
    load_visible(model, Freshness::IfStale, now, out);
}

/// A Logs route while logs have a window: that window shows the new target (one tail runs at
/// a time) and comes to the front; the main window stays where it is. True when redirected.
pub(crate) fn redirect_logs(
    model: &mut Model,
    route: &Route,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) -> bool {
    let Route::Logs(target) = route else {
        return false;
    };
    let Some(window) = model
        .popouts
        .iter_mut()
        .find(|p| crate::model::workspace::popouts::tail_target(p).is_some())
    else {
        return false;
    };
    window.route = route.clone();
    window.raised += 1;
    crate::model::reduce::logs::ensure_tail(model, target, now, out);
    true
}

/// Opens `route` in a window of its own; the main window goes up a level if it showed it.
pub(crate) fn pop_out(
    model: &mut Model,
    route: Route,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    if !crate::model::workspace::popouts::can_pop_out(&route) {
        return;
    }
    let old_keys = model.watched_keys();
    if let Some(open) = model.popouts.iter_mut().find(|p| p.route == route) {
        open.raised += 1;
    } else if !redirect_logs(model, &route, now, out) {
        if model.popouts.len() >= POPOUTS_MAX {
            model.popouts.remove(0);
        }
        let id = model.popouts.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        model.popouts.push(Popout {
            id,
            connection: model.connection.without_secrets(),
            route: route.clone(),
            geometry: None,
            raised: 0,
        });
        if let Route::Logs(target) = &route {
            crate::model::reduce::logs::ensure_tail(model, target, now, out);
        }
    }
    if model.route == route
        && let Some(parent) = route.parent()
    {
        model.route = parent;
    }
    settle(model, old_keys, now, out);
}

/// A window's own navigation (another range of its charts, another pair to compare) stays in
/// it; a link to another kind of screen opens in the main window.
pub(crate) fn retarget(
    model: &mut Model,
    id: u64,
    route: Route,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    let Some(window) = model.popouts.iter().position(|p| p.id == id) else {
        return;
    };
    if !crate::model::workspace::popouts::same_kind(&model.popouts[window].route, &route) {
        navigate(model, route, now, out);
        return;
    }
    let old_keys = model.watched_keys();
    model.popouts[window].route = route.clone();
    if let Route::Logs(target) = &route {
        crate::model::reduce::logs::ensure_tail(model, target, now, out);
    }
    settle(model, old_keys, now, out);
}

/// Closes a window (a log tail it showed keeps running, as when leaving the Logs screen).
pub(crate) fn close(model: &mut Model, id: u64, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    let old_keys = model.watched_keys();
    model.popouts.retain(|p| p.id != id);
    settle(model, old_keys, now, out);
}

/// Remembers where a window is, for the next start.
pub(crate) fn set_geometry(model: &mut Model, id: u64, geometry: [i32; 4]) {
    if let Some(window) = model.popouts.iter_mut().find(|p| p.id == id) {
        window.geometry = Some(geometry);
    }
}

/// At start: windows restored from settings get their log tail.
pub(crate) fn on_start(model: &mut Model, now: SystemTime, out: &mut Vec<WorkerCommand>) {
    let target = model
        .popouts
        .iter()
        .find_map(crate::model::workspace::popouts::tail_target)
        .cloned();
    if let Some(target) = target {
        crate::model::reduce::logs::ensure_tail(model, &target, now, out);
    }
}
