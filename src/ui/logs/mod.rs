//! The Logs page: a tail's status (mode, delay, counters), its since and server-side filter
//! pattern, the client-side filter and highlight bar, follow/pause, and the lines.

pub(crate) mod export_bar;
pub(crate) mod group_dialog;
pub(crate) mod history;
pub(crate) mod lines;
pub(crate) mod targets_bar;

use super::widgets;
use crate::jobs::log_filter::FilterJob;
use crate::model::logs::filter::{Highlighter, LogFilter};
use crate::model::logs::severity::Severity;
use crate::model::logs::tail::{TailSpec, TailTarget, parse_since};
use crate::model::messages::RequestId;
use crate::model::time_format::epoch_ms;
use crate::model::workspace::prefs::Prefs;
use crate::model::{Action, Model};
use egui::Ui;
use lines::{ListInput, ListState};
use std::time::SystemTime;

/// State of the Logs page.
#[derive(Debug, Default)]
pub struct LogsView {
    /// The filter as typed.
    pub filter: LogFilter,
    /// Why the typed filter is not in force (the previous one is).
    pub filter_error: Option<String>,
    job: Option<FilterJob>,
    /// Highlight terms, separated by commas.
    pub highlight: String,
    highlighter: (String, Highlighter),
    /// The zone times are shown in (from the preferences, each frame).
    pub zone: crate::model::time_format::ShownZone,
    /// Frozen at this many lines (absolute end index) while paused.
    pub paused_at: Option<i64>,
    /// The list's scroll and selection.
    pub list: ListState,
    /// "Since" as typed.
    pub since: String,
    /// Server-side filter pattern as typed.
    pub pattern: String,
    /// Why "since" was refused.
    pub since_error: Option<String>,
    /// Lines of this tail before this absolute index are hidden (Clear; `i64::MAX` until
    /// the buffer is next read).
    pub cleared: Option<(RequestId, i64)>,
    /// Where Save writes.
    pub export_path: String,
    /// The export running.
    pub export_job: Option<crate::ui::logs::export_bar::ExportJob>,
    /// The last export's result (text, is an error).
    pub export_notice: Option<(String, bool)>,
    /// "Go to" as typed.
    pub go_to: String,
    /// Why "Go to" was refused.
    pub go_to_error: Option<String>,
    /// A jump to this time waits for older lines to load, epoch ms.
    pub pending_jump: Option<i64>,
    /// "Tail a log group…", while open.
    pub group_dialog: Option<crate::ui::logs::group_dialog::LogGroupDialog>,
}

impl LogsView {
    /// The highlighter the lines are drawn with (terms as last typed).
    pub fn highlighter(&self) -> &Highlighter {
        &self.highlighter.1
    }
}

/// Draws the Logs page of `target`.
pub fn logs_ui(
    model: &Model,
    view: &mut LogsView,
    prefs: &mut Prefs,
    target: &TailTarget,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let Some(tail) = model.log_tail.as_ref().filter(|t| t.spec.target == *target) else {
        ui.spinner();
        return;
    };
    view.zone.0 = prefs.log_zone();
    status_ui(model, view, ui, actions, now);
    crate::ui::logs::targets_bar::targets_bar_ui(model, target, ui, actions);
    crate::ui::logs::history::history_bar_ui(view, tail, ui, actions, now);
    ui.separator();
    filter_bar_ui(view, &mut prefs.log_times_utc, tail.id, ui);
    update_filter(view, &tail.data);
    let data = tail.data.try_read();
    if let Some(data) = data.as_deref() {
        crate::ui::logs::history::resolve_jump(view, tail, data, actions);
    }
    let end = data.as_ref().map_or(0, |d| d.buffer.end_index());
    if view.cleared == Some((tail.id, i64::MAX)) && data.is_some() {
        view.cleared = Some((tail.id, end));
        view.list.deselect();
    }
    let cleared_to = view
        .cleared
        .filter(|(id, _)| *id == tail.id)
        .map_or(0, |(_, to)| to.min(end));
    let first = data
        .as_ref()
        .map_or(0, |d| d.buffer.first_index())
        .max(cleared_to);
    if view.paused_at == Some(i64::MAX) && data.is_some() {
        view.paused_at = Some(end);
    }
    let end = view.paused_at.map_or(end, |p| p.min(end)).max(first);
    export_bar::export_bar_ui(view, &tail.data, (first..end, prefs), ui);
    let found = view.job.as_ref().and_then(|j| j.try_found());
    let indices = found.as_ref().map(|f| {
        let live = f.live(first);
        &live[..live.partition_point(|i| *i < end)]
    });
    // When the filter thread holds its results this instant, last frame's rows are drawn.
    let filtering = view.job.is_some();
    let input = ListInput {
        data: if filtering && found.is_none() {
            None
        } else {
            data.as_deref()
        },
        indices,
        all: first..end,
        highlighter: &view.highlighter.1,
        zone: &view.zone.0,
    };
    let detail = view.list.selected.zip(data.as_deref());
    let copy_keys = ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)))
        && ui.memory(|m| m.focused().is_none());
    let list_height = if detail.is_some() {
        (ui.available_height() * 0.6).max(120.0)
    } else {
        ui.available_height()
    };
    let rows = ui
        .allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
            crate::ui::logs::lines::lines_ui(ui, &mut view.list, &input)
        })
        .inner;
    let more = !matches!(&tail.older.last, Some(Ok(l)) if l.exhausted || l.buffer_full)
        && !matches!(&tail.older.last, Some(Err(_)));
    if view.list.at_top && !view.list.following && rows > 0 && more && cleared_to == 0 {
        // Scrolled above the oldest line: read older ones.
        actions.push(Action::LoadOlderLogs { back_to_ms: None });
    }
    if let Some((index, data)) = detail {
        ui.separator();
        selection_bar_ui(&mut view.list, data, index, indices, copy_keys, ui);
        crate::ui::logs::lines::detail_ui(ui, data, index, &view.zone.0);
    }
    if tail.running {
        // The delay readout and "N new lines" age even when no line arrives.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }
}

/// Copy the selected line or range (button or Ctrl+C), and close the detail.
fn selection_bar_ui(
    list: &mut ListState,
    data: &crate::model::logs::tail::TailData,
    index: i64,
    indices: Option<&[i64]>,
    copy_keys: bool,
    ui: &mut Ui,
) {
    ui.horizontal(|ui| {
        let selection = list.selection().unwrap_or(index..=index);
        let label = if selection.start() == selection.end() {
            "Copy line".to_owned()
        } else {
            format!("Copy lines {}–{}", selection.start(), selection.end())
        };
        if ui
            .button(label)
            .on_hover_text("Ctrl+C; shift-click another line to select a range")
            .clicked()
            || copy_keys
        {
            let text = crate::ui::logs::export_bar::selection_text(data, selection, indices);
            ui.ctx().copy_text(text);
        }
        if ui.button("Close").clicked() {
            list.deselect();
        }
    });
}

/// Mode, delay, counters, since and server filter, and the tail's own controls.
fn status_ui(
    model: &Model,
    view: &mut LogsView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let Some(tail) = &model.log_tail else {
        return;
    };
    let status = &tail.status;
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Logs · {}", tail.spec.target.label()));
        let mode = status.mode.label();
        match (&tail.running, &status.mode) {
            (true, _) => {
                widgets::status_with_tone_ui(ui, &mode, crate::ui::widgets::theme::Tone::Good)
            }
            (false, _) => {
                widgets::status_with_tone_ui(ui, &mode, crate::ui::widgets::theme::Tone::Muted)
            }
        }
        if let Some(delay) = status.delay_ms {
            ui.label(format!("newest line {:.1} s behind", delay as f64 / 1000.0))
                .on_hover_text("How long after its event time the newest line reached the app.");
        }
        if let Some(data) = tail.data.try_read() {
            ui.label(format!(
                "{} lines · {} dropped from the buffer",
                data.buffer.len(),
                data.buffer.dropped()
            ));
        }
        if status.duplicates > 0 {
            ui.weak(format!("{} repeats dropped", status.duplicates));
        }
        if status.sampled > 0 {
            widgets::status_with_tone_ui(
                ui,
                &format!("{} events not shown (sampled by AWS)", status.sampled),
                crate::ui::widgets::theme::Tone::Warn,
            );
        }
        if tail.running {
            if ui
                .button("Stop")
                .on_hover_text("Stop reading; the lines stay")
                .clicked()
            {
                actions.push(Action::StopTail);
            }
        } else if ui.button("Restart").clicked() {
            actions.push(Action::StartTail(tail.spec.clone()));
        }
    });
    for notice in &status.notices {
        ui.weak(notice);
    }
    if let Some(error) = &status.error {
        widgets::error_box_ui(ui, error);
    }
    since_and_pattern_ui(view, &tail.spec, ui, actions, now);
}

/// "Since" and the CloudWatch filter pattern; Apply restarts the tail with them.
fn since_and_pattern_ui(
    view: &mut LogsView,
    spec: &TailSpec,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    ui.horizontal(|ui| {
        ui.label("Since");
        ui.add(
            egui::TextEdit::singleline(&mut view.since)
                .desired_width(150.0)
                .hint_text("10m, 1h, 2026-12-01T10:00:00Z"),
        );
        ui.label("CloudWatch filter pattern");
        ui.add(
            egui::TextEdit::singleline(&mut view.pattern)
                .desired_width(220.0)
                .hint_text("ERROR, \"text\", { $.level = \"error\" }"),
        );
        if ui
            .button("Apply")
            .on_hover_text("Restart the tail from this time with this pattern")
            .clicked()
        {
            let since = if view.since.trim().is_empty() {
                Ok(spec.since_ms)
            } else {
                parse_since(&view.since, epoch_ms(now))
            };
            match since {
                Ok(since_ms) => {
                    view.since_error = None;
                    let pattern = view.pattern.trim();
                    actions.push(Action::StartTail(TailSpec {
                        since_ms,
                        filter_pattern: (!pattern.is_empty()).then(|| pattern.to_owned()),
                        ..spec.clone()
                    }));
                }
                Err(e) => view.since_error = Some(e),
            }
        }
        if let Some(e) = &view.since_error {
            widgets::status_with_tone_ui(ui, e, crate::ui::widgets::theme::Tone::Bad);
        }
    });
}

/// Filter text, regex, case, invert, level; highlights; time zone; pause and follow.
fn filter_bar_ui(view: &mut LogsView, utc: &mut bool, tail_id: RequestId, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Filter").id;
        ui.add(
            egui::TextEdit::singleline(&mut view.filter.pattern)
                .id_salt("log-filter")
                .desired_width(220.0)
                .hint_text("text or regex"),
        )
        .labelled_by(label);
        ui.toggle_value(&mut view.filter.regex, ".*")
            .on_hover_text("Regular expression");
        ui.toggle_value(&mut view.filter.case_sensitive, "Aa")
            .on_hover_text("Match case");
        ui.toggle_value(&mut view.filter.invert, "¬")
            .on_hover_text("Show lines that do not match");
        let label = ui.label("Level").id;
        egui::ComboBox::from_id_salt("log-level")
            .selected_text(match view.filter.min_severity {
                Severity::Unknown => "All levels".to_owned(),
                s => format!("{}+", s.label()),
            })
            .show_ui(ui, |ui| {
                for s in Severity::ALL {
                    let label = match s {
                        Severity::Unknown => "All levels".to_owned(),
                        s => format!("{}+", s.label()),
                    };
                    ui.selectable_value(&mut view.filter.min_severity, s, label);
                }
            })
            .response
            .labelled_by(label);
        let label = ui.label("Highlight").id;
        ui.add(
            egui::TextEdit::singleline(&mut view.highlight)
                .id_salt("log-highlight")
                .desired_width(160.0)
                .hint_text("term, term, …"),
        )
        .labelled_by(label);
        ui.toggle_value(utc, "UTC")
            .on_hover_text("Times in UTC (else local time)");
        ui.separator();
        let paused = view.paused_at.is_some();
        if ui.button(if paused { "Resume" } else { "Pause" }).clicked() {
            if paused {
                view.paused_at = None;
                view.list.jump_to_end = true;
            } else {
                // Resolved to the current last line when the lines are next read.
                view.paused_at = Some(i64::MAX);
            }
        }
        if ui
            .button("Clear")
            .on_hover_text("Hide the lines so far (Save all still has them)")
            .clicked()
        {
            view.cleared = Some((tail_id, i64::MAX));
        }
        let total = view.list.total();
        if !view.list.following && total > view.list.rows_when_left {
            if ui
                .button(format!(
                    "Show {} new lines",
                    total - view.list.rows_when_left
                ))
                .clicked()
            {
                view.list.jump_to_end = true;
            }
        } else if !view.list.following && ui.button("Newest").clicked() {
            view.list.jump_to_end = true;
        }
        if let Some(e) = &view.filter_error {
            widgets::status_with_tone_ui(
                ui,
                &format!("Filter not applied: {e}"),
                crate::ui::widgets::theme::Tone::Bad,
            );
        }
    });
}

/// Starts, replaces or drops the filter thread to match what is typed; the highlighter too.
fn update_filter(view: &mut LogsView, tail: &crate::model::logs::tail::SharedTail) {
    if view.highlighter.0 != view.highlight {
        let terms: Vec<String> = view
            .highlight
            .split(',')
            .map(|t| t.trim().to_owned())
            .collect();
        view.highlighter = (view.highlight.clone(), Highlighter::new(&terms));
    }
    if view.filter.is_everything() {
        view.job = None;
        view.filter_error = None;
        return;
    }
    let current = view
        .job
        .as_ref()
        .is_some_and(|j| j.filter() == &view.filter && j.is_for(tail));
    if current {
        return;
    }
    match view.filter.compile() {
        Ok(compiled) => {
            view.filter_error = None;
            view.job = Some(FilterJob::start(tail, view.filter.clone(), compiled));
        }
        // The previous filter stays in force; the error shows inline.
        Err(e) => view.filter_error = Some(e),
    }
}
