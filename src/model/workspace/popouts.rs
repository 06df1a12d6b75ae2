//! Pop-out windows: a log tail, a set of charts or a comparison in a native window of its own,
//! kept (with where the window was) across restarts.

use crate::model::logs::tail::TailTarget;
use crate::model::{Connection, ResourceKey, Route};
use serde::{Deserialize, Serialize};

/// Most windows open at once (each one's data is refreshed with the main window's).
pub const POPOUTS_MAX: usize = 8;

/// One pop-out window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Popout {
    /// Stable for the window's life (its viewport id is made from it).
    pub id: u64,
    /// Profile, region and endpoint it was opened with.
    pub connection: Connection,
    /// What it shows: a Logs, Metrics or Compare route.
    pub route: Route,
    /// Where the window was: outer left, top, inner width, height, in points.
    #[serde(default)]
    pub geometry: Option<[i32; 4]>,
    /// Bumped each time the window should come to the front (not saved).
    #[serde(skip)]
    pub raised: u64,
}

/// True for the screens that can have a window of their own.
pub fn can_pop_out(route: &Route) -> bool {
    matches!(
        route,
        Route::Logs(_) | Route::Metrics(_) | Route::Incident(_) | Route::Compare { .. }
    )
}

/// True when both routes are the same kind of screen (a window's own links stay in it).
pub fn same_kind(a: &Route, b: &Route) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The log target a window shows, if it shows logs.
pub fn tail_target(popout: &Popout) -> Option<&TailTarget> {
    match &popout.route {
        Route::Logs(target) => Some(target),
        _ => None,
    }
}

/// The windows of `connection`: a window of another account's data is not restored into this one.
pub fn of_connection(popouts: &[Popout], connection: &Connection) -> Vec<Popout> {
    let own = connection.without_secrets();
    popouts
        .iter()
        .filter(|p| p.connection == own && can_pop_out(&p.route))
        .take(POPOUTS_MAX)
        .cloned()
        .collect()
}

/// The remote data the windows show.
pub fn keys(popouts: &[Popout]) -> impl Iterator<Item = ResourceKey> + '_ {
    popouts.iter().flat_map(|p| p.route.visible_keys())
}

/// A window title: what it shows, then the app's name.
pub fn title(route: &Route) -> String {
    let crumbs: Vec<String> = route.crumbs().into_iter().map(|(label, _)| label).collect();
    format!("{} — ECS Deck", crumbs.join(" › "))
}
