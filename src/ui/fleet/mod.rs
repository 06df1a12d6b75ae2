//! The fleet screen: every profile × region of a saved fleet at once. A strip of pairs (each
//! with its account, counts, age, or its error and fix), then one table of every service,
//! what needs attention first, searchable by service, cluster, family, image, launch type or
//! capacity provider. Opening a row switches the app to that profile, region and service.

pub mod editor;
mod pairs;
pub mod rows;

use crate::model::fleet::load::FleetLoad;
use crate::model::time_format::age;
use crate::model::{Action, Model, Route};
use crate::ui::metrics::sparkline::{SparkBatch, sparkline_ui};
use crate::ui::widgets::table::{CellStyle, Column, SortKey, TableState, table_with_cells_ui};
use crate::ui::widgets::theme::Tone;
use crate::ui::widgets::{key_values_ui, with_detail_ui};
use egui::{RichText, Ui};
use rows::{FleetRowView, FleetRows};
use std::time::SystemTime;

/// What the search box says it searches.
const SEARCH_HINT: &str = "service, cluster, family, image (api:2.4.0), launch type…  ( / )";

/// The fleet screen's own state.
#[derive(Debug, Default)]
pub struct FleetView {
    /// The services table (its filter box is the fleet search).
    pub table: TableState,
    /// The rows of the current load and search.
    pub rows: FleetRows,
    /// Why the last "Open in a new window" failed.
    pub notice: Option<String>,
}

const ATTENTION: &str = "Attention";
const CPU: &str = "CPU";
const AGE: &str = "Age";

fn columns() -> [Column<FleetRowView>; 13] {
    fn text(
        title: &'static str,
        width: f32,
        text: fn(&FleetRowView) -> String,
    ) -> Column<FleetRowView> {
        Column {
            title,
            width,
            text,
            sort: |_| SortKey::Int(0),
            style: CellStyle::Plain,
        }
    }
    [
        Column {
            title: ATTENTION,
            width: 220.0,
            text: |r| r.attention.clone(),
            sort: |r| SortKey::Int(r.rank as i64),
            style: CellStyle::Custom,
        },
        Column {
            sort: |r| SortKey::text(&r.name),
            ..text("Service", 160.0, |r| r.name.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.cluster),
            ..text("Cluster", 120.0, |r| r.cluster.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.account),
            ..text("Account", 110.0, |r| r.account.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.region),
            ..text("Region", 100.0, |r| r.region.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.profile),
            ..text("Profile", 100.0, |r| r.profile.clone())
        },
        Column {
            sort: |r| SortKey::Int(i64::from(r.desired - r.running)),
            ..text("Tasks", 60.0, |r| format!("{}/{}", r.running, r.desired))
        },
        Column {
            sort: |r| SortKey::text(&r.deployment),
            ..text("Deployment", 120.0, |r| r.deployment.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.capacity),
            ..text("Capacity", 90.0, |r| r.capacity.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.revision),
            ..text("Revision", 120.0, |r| r.revision.clone())
        },
        Column {
            sort: |r| SortKey::text(&r.images),
            ..text("Images", 200.0, |r| r.images.clone())
        },
        Column {
            title: CPU,
            width: 90.0,
            text: |_| String::new(),
            sort: |_| SortKey::Int(0),
            style: CellStyle::Custom,
        },
        Column {
            title: AGE,
            width: 50.0,
            text: |_| String::new(),
            sort: |r| SortKey::Time(r.read_at),
            style: CellStyle::Custom,
        },
    ]
}

/// The tone of a row's most urgent concern.
fn tone_of(severity: u32) -> Tone {
    match severity {
        0 => Tone::Good,
        85.. => Tone::Bad,
        _ => Tone::Warn,
    }
}

/// The fleet screen.
pub fn fleet_ui(
    model: &Model,
    view: &mut FleetView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    header_ui(model, ui, actions, now);
    if let Some(notice) = &view.notice {
        ui.colored_label(Tone::Bad.color(ui.visuals().dark_mode), notice);
    }
    let Some(load) = model.fleet.as_ref() else {
        no_fleet_ui(model, ui, actions);
        return;
    };
    if load.unranked {
        // Ranked at the next frame after RANK_INTERVAL: make sure there is one.
        ui.ctx()
            .request_repaint_after(crate::model::fleet::load::RANK_INTERVAL);
    }
    pairs::pairs_ui(model, load, ui, now);
    ui.add_space(crate::ui::widgets::theme::SECTION_GAP);
    services_ui(model, load, view, ui, actions, now);
}

/// The fleet chooser, Reload and how far the load is.
fn header_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>, now: SystemTime) {
    ui.horizontal(|ui| {
        let current = model.fleet.as_ref().map(|f| f.name.as_str());
        let label = ui.label("Fleet shown");
        egui::ComboBox::from_id_salt("fleet-choice")
            .selected_text(current.unwrap_or("choose…"))
            .show_ui(ui, |ui| {
                for fleet in &model.fleets {
                    if ui
                        .selectable_label(current == Some(fleet.name.as_str()), &fleet.name)
                        .clicked()
                    {
                        actions.push(Action::OpenFleet(Some(fleet.name.clone())));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if model.fleet.is_some() && ui.button("⟳ Reload").clicked() {
            actions.push(Action::ReloadFleet);
        }
        if ui.button("Edit fleets…").clicked() {
            actions.push(Action::Navigate(Route::Settings));
        }
        if let Some(load) = &model.fleet {
            ui.label(RichText::new(progress_text(load, now)).weak());
        }
    });
}

/// `12 of 51 pairs read · 4,980 services · 7 need attention · 2 failed`.
fn progress_text(load: &FleetLoad, now: SystemTime) -> String {
    use crate::model::fleet::load::PairStatus;
    let done = load
        .pairs
        .iter()
        .filter(|p| !matches!(p.status, PairStatus::Loading))
        .count();
    let failed = load
        .pairs
        .iter()
        .filter(|p| matches!(p.status, PairStatus::Failed(_)))
        .count();
    let warned = load.pairs.iter().filter(|p| !p.warnings.is_empty()).count();
    let mut text = format!(
        "{done} of {} pairs read · {} services · {} need attention",
        load.pairs.len(),
        load.rows.len(),
        load.unhealthy()
    );
    if failed > 0 {
        text.push_str(&format!(" · {failed} failed"));
    }
    if warned > 0 {
        text.push_str(&format!(" · {warned} read in part"));
    }
    if let Some(started) = load.pairs.iter().map(|p| p.started_at).min() {
        text.push_str(&format!(" · started {} ago", age(started, now)));
    }
    text
}

/// No fleet loaded: which fleets there are, or how to make one.
fn no_fleet_ui(model: &Model, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.add_space(crate::ui::widgets::theme::SECTION_GAP);
    if model.fleets.is_empty() {
        ui.label(
            "A fleet is a set of profiles × regions shown together: every cluster and \
             service, what needs attention first.",
        );
        let fleet = crate::model::fleet::FleetDef::of_profiles(
            "All profiles",
            model.profiles.value().map_or(&[][..], Vec::as_slice),
            &model.connection,
        );
        let label = format!(
            "Start one: {} profiles × {}",
            fleet.members.len(),
            fleet.regions.join(", ")
        );
        if ui.button(label).clicked() {
            let name = fleet.name.clone();
            actions.push(Action::SetFleets(vec![fleet]));
            actions.push(Action::OpenFleet(Some(name)));
        }
        ui.weak("Edit it, or add more, in Settings → Fleets.");
    } else {
        ui.label("Choose a fleet above to load it.");
    }
}

/// Every service of the fleet, what needs attention first.
fn services_ui(
    model: &Model,
    load: &FleetLoad,
    view: &mut FleetView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    view.rows.refresh(load, &view.table.filter);
    view.table.prefiltered_from = Some(load.rows.len());
    view.table.filter_hint = Some(SEARCH_HINT);
    let rows = &view.rows.rows;
    let selected = view
        .table
        .selected_row(rows, view.rows.version, |r| &r.arn)
        .map(|i| &rows[i]);
    let detail = selected
        .map(|row| move |ui: &mut Ui, actions: &mut Vec<Action>| detail_ui(row, ui, actions));
    let batch = SparkBatch::new(ui.ctx());
    let dark = ui.visuals().dark_mode;
    let cell = |ui: &mut Ui, title: &str, row: &FleetRowView| match title {
        ATTENTION => {
            let tone = tone_of(row.severity);
            let text = if row.attention.is_empty() {
                "ok"
            } else {
                row.attention.as_str()
            };
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{} {text}", tone.glyph())).color(tone.color(dark)),
                )
                .truncate(),
            );
        }
        CPU => {
            let spark = model
                .sparklines_of(&row.cluster_arn)
                .value()
                .and_then(|s| s.of(&row.arn));
            sparkline_ui(ui, spark.map(|(cpu, _)| cpu), "CPU", &batch);
        }
        _ => {
            let text = row.read_at.map_or_else(|| "-".to_owned(), |t| age(t, now));
            ui.label(RichText::new(text).weak());
        }
    };
    let output = with_detail_ui(ui, "fleet-detail", actions, detail, |ui, _| {
        table_with_cells_ui(
            ui,
            "fleet",
            &mut view.table,
            rows,
            view.rows.version,
            |r| &r.arn,
            &columns(),
            &cell,
        )
    });
    batch.paint();
    if let Some(index) = output.opened {
        actions.push(open(&rows[index]));
    }
}

/// Switches to the row's profile and region and opens its service.
fn open(row: &FleetRowView) -> Action {
    Action::OpenFleetService {
        pair: row.pair,
        service: row.service,
    }
}

/// The selected row in full, with the way to it.
fn detail_ui(row: &FleetRowView, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.heading(&row.name);
    if !row.attention.is_empty() {
        let tone = tone_of(row.severity);
        ui.label(RichText::new(&row.attention).color(tone.color(ui.visuals().dark_mode)));
    }
    ui.horizontal(|ui| {
        if ui
            .button("Open ›")
            .on_hover_text("Switch to this profile and region and open the service (Enter)")
            .clicked()
        {
            actions.push(open(row));
        }
        if ui
            .button("Open in a new window")
            .on_hover_text("Another ECS Deck window on this profile, region and service")
            .clicked()
        {
            actions.push(Action::OpenFleetServiceWindow {
                pair: row.pair,
                service: row.service,
            });
        }
    });
    key_values_ui(
        ui,
        "fleet-kv",
        &[
            ("Cluster", row.cluster.clone()),
            ("Profile", row.profile.clone()),
            ("Account", row.account.clone()),
            ("Region", row.region.clone()),
            (
                "Tasks",
                format!("{} running of {} desired", row.running, row.desired),
            ),
            ("Deployment", row.deployment.clone()),
            ("Capacity", row.capacity.clone()),
            ("Revision", row.revision.clone()),
            ("Images", row.images.replace(", ", "\n")),
            ("ARN", row.arn.clone()),
        ],
    );
}
