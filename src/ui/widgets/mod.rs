//! Small shared widgets: status text, error boxes, freshness, key/value grids, copy and link buttons.

pub mod icons;
pub(crate) mod selection;
pub mod table;
pub mod theme;

use crate::model::time_format::{age, short_utc};
use crate::model::{AwsError, ErrorKind};
use egui::{RichText, Ui};
use std::time::SystemTime;
use theme::Tone;

/// A status word with its tone's colour and glyph.
pub fn status_ui(ui: &mut Ui, status: &str) {
    let tone = crate::ui::widgets::theme::tone_of(status);
    status_with_tone_ui(ui, status, tone);
}

/// A status word with an explicit tone.
pub fn status_with_tone_ui(ui: &mut Ui, text: &str, tone: Tone) {
    let color = tone.color(ui.visuals().dark_mode);
    ui.label(RichText::new(format!("{} {text}", tone.glyph())).color(color));
}

/// What the user can do about an error, by kind.
pub fn error_hint(error: &AwsError) -> &'static str {
    match error.kind {
        ErrorKind::Credentials => "Credentials are missing or expired: see the banner above.",
        ErrorKind::AccessDenied => {
            "Your role is not allowed to make this call; the rest of the app still works."
        }
        ErrorKind::NotFound => "It may have been deleted. Go up (Esc) to pick another.",
        ErrorKind::Throttling => "AWS is throttling requests; ECS Deck retries with backoff.",
        ErrorKind::Network => "Check the endpoint and your network; auto-refresh keeps retrying.",
        ErrorKind::Timeout => "The call timed out; auto-refresh keeps retrying.",
        ErrorKind::ReadOnly => {
            "Nothing was sent. The status bar says which rule keeps it read-only."
        }
        ErrorKind::Service | ErrorKind::Internal => "",
    }
}

/// An error in place of (or above) the data it failed to load: code, message, request id.
pub fn error_box_ui(ui: &mut Ui, error: &AwsError) {
    let fill = crate::ui::widgets::theme::error_fill(ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(fill)
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            let bad = Tone::Bad.color(ui.visuals().dark_mode);
            let title = if error.code.is_empty() {
                format!("{} failed", error.operation)
            } else {
                format!("{} failed: {}", error.operation, error.code)
            };
            ui.label(RichText::new(title).strong().color(bad));
            ui.label(&error.message);
            if let Some(id) = &error.request_id {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("Request id: {id}")).small().weak());
                    if ui
                        .small_button("Copy")
                        .on_hover_text("Copy the request id")
                        .clicked()
                    {
                        ui.ctx().copy_text(id.clone());
                    }
                });
            }
            let hint = error_hint(error);
            if !hint.is_empty() {
                ui.label(RichText::new(hint).small());
            }
        });
}

/// "fetched 12s ago" with the exact time on hover; "loading…" while pending.
pub fn freshness_ui(ui: &mut Ui, fetched_at: Option<SystemTime>, pending: bool, now: SystemTime) {
    let text = match (fetched_at, pending) {
        (Some(t), true) => format!("fetched {} ago · refreshing…", age(t, now)),
        (Some(t), false) => format!("fetched {} ago", age(t, now)),
        (None, true) => "loading…".to_owned(),
        (None, false) => "not loaded".to_owned(),
    };
    let response = ui.label(RichText::new(text).small().weak());
    if let Some(t) = fetched_at {
        response.on_hover_text(format!("Fetched at {} UTC", short_utc(t)));
    }
}

/// A two-column grid of labelled values.
pub fn key_values_ui(ui: &mut Ui, id: &str, rows: &[(&str, String)]) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (key, value) in rows {
                ui.label(RichText::new(*key).weak());
                ui.add(egui::Label::new(value.as_str()).wrap());
                ui.end_row();
            }
        });
}

/// "Copy ARN" and "Open in console" buttons for one resource.
pub fn resource_links_ui(ui: &mut Ui, arn: &str, console_url: &str) {
    ui.horizontal(|ui| {
        if ui.button("Copy ARN").on_hover_text(arn).clicked() {
            ui.ctx().copy_text(arn.to_owned());
        }
        ui.hyperlink_to("Open in AWS console ↗", console_url);
    });
}

/// `Some(t)` as a UTC time, `None` as a dash.
pub fn time_text(t: Option<SystemTime>) -> String {
    t.map_or_else(|| "-".to_owned(), short_utc)
}

/// Shows a load's error (if any) and a spinner when nothing is loaded yet; returns the data.
pub fn loadable_ui<'a, T>(
    ui: &mut Ui,
    loadable: &'a crate::model::Loadable<T>,
    what: &str,
) -> Option<&'a crate::model::Fetched<T>> {
    if let Some(error) = loadable.error() {
        error_box_ui(ui, error);
        ui.add_space(crate::ui::widgets::theme::SECTION_GAP);
    }
    let fetched = loadable.fetched();
    if fetched.is_none() && loadable.is_pending() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Loading {what}…"));
        });
    }
    fetched
}

/// A right-hand detail pane, resizable and scrolling, when `detail` is given; `main` fills
/// the rest (a nested central panel, so it never draws under the pane). `actions` is handed
/// to each in turn.
pub fn with_detail_ui<A, R>(
    ui: &mut Ui,
    id: &str,
    actions: &mut A,
    detail: Option<impl FnOnce(&mut Ui, &mut A)>,
    main: impl FnOnce(&mut Ui, &mut A) -> R,
) -> R {
    if let Some(detail) = detail {
        egui::Panel::right(id)
            .default_size(crate::ui::widgets::theme::DETAIL_WIDTH)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt(id)
                    .show(ui, |ui| detail(ui, actions));
            });
    }
    egui::CentralPanel::no_frame()
        .show(ui, |ui| main(ui, actions))
        .inner
}

/// A link to a task-definition revision (`web:42 ›`) that opens it in the revision browser.
pub fn revision_link_ui(ui: &mut Ui, arn: &str, actions: &mut Vec<crate::model::Action>) {
    let label = format!(
        "{} ›",
        crate::model::task_defs::revisions::family_revision(arn)
    );
    if ui
        .link(label)
        .on_hover_text("Open this task-definition revision")
        .clicked()
    {
        actions.push(crate::model::Action::Navigate(
            crate::model::Route::Revision {
                arn: arn.to_owned(),
            },
        ));
    }
}

/// A dismissable result line (text, is an error): weak when it went well, red when not.
pub fn notice_ui(ui: &mut Ui, notice: &mut Option<(String, bool)>) {
    let Some((text, error)) = notice.as_ref() else {
        return;
    };
    let color = if *error {
        ui.visuals().error_fg_color
    } else {
        ui.visuals().weak_text_color()
    };
    ui.colored_label(color, text);
    if ui.small_button("×").clicked() {
        *notice = None;
    }
}

/// "Show environment values": off until clicked (a preview may be on a shared screen); the
/// choice is remembered for `id` while the app runs. True when values are to be shown.
pub fn reveal_env_ui(ui: &mut Ui, id: &str) -> bool {
    let key = egui::Id::unique(("reveal-env", id));
    let mut shown = ui.data(|d| d.get_temp::<bool>(key)).unwrap_or(false);
    if ui
        .checkbox(&mut shown, "Show environment values")
        .on_hover_text("Environment values are masked (••••••) until you choose to see them")
        .changed()
    {
        ui.data_mut(|d| d.insert_temp(key, shown));
    }
    shown
}
