//! Older lines and jumping to a time on the Logs page: "Load older" (also when the list is
//! scrolled to its top), "Go to" a time (loading back to it first when it is older than the
//! oldest line), and what the last load did.

use super::LogsView;
use crate::model::logs::tail::{TailData, parse_since};
use crate::model::time_format::{epoch_ms, full_ms};
use crate::model::{Action, LogTailState};
use crate::ui::widgets;
use egui::Ui;
use std::time::SystemTime;

/// "Go to", "Load older" and the last load's result, on one row.
pub(crate) fn history_bar_ui(
    view: &mut LogsView,
    tail: &LogTailState,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let older = &tail.older;
    let no_more = matches!(&older.last, Some(Ok(l)) if l.exhausted || l.buffer_full);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Go to").id;
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.go_to)
                    .id_salt("log-go-to")
                    .desired_width(170.0)
                    .hint_text("14:05, 30m, 2026-12-01T10:00:00Z"),
            )
            .labelled_by(label);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Go").clicked() || entered {
            match parse_go_to(&view.go_to, now, &view.zone.0) {
                Ok(at_ms) => {
                    view.go_to_error = None;
                    jump_to(view, at_ms);
                }
                Err(e) => view.go_to_error = Some(e),
            }
        }
        if let Some(e) = &view.go_to_error {
            widgets::status_with_tone_ui(ui, e, crate::ui::widgets::theme::Tone::Bad);
        }
        ui.separator();
        let loading = older.loading.is_some();
        if ui
            .add_enabled(!loading && !no_more, egui::Button::new("Load older"))
            .on_hover_text("Read lines from before the oldest one (also on scrolling to the top)")
            .clicked()
        {
            actions.push(Action::LoadOlderLogs { back_to_ms: None });
        }
        if loading {
            ui.spinner();
            ui.weak(match older.back_to_ms {
                Some(t) => format!("loading back to {}…", full_ms(t, &view.zone.0)),
                None => "loading older lines…".to_owned(),
            });
        }
        match &older.last {
            Some(Ok(l)) if l.buffer_full => {
                ui.weak("The buffer is full: older lines would push out the newest.");
            }
            Some(Ok(l)) if l.exhausted => {
                ui.weak("No older lines (30 days searched).");
            }
            Some(Ok(l)) if !loading => {
                ui.weak(format!(
                    "{} older lines loaded; from {}",
                    l.lines,
                    full_ms(l.covered_from_ms, &view.zone.0)
                ));
            }
            _ => {}
        }
    });
    if let Some(Err(error)) = &older.last {
        widgets::error_box_ui(ui, error);
    }
}

/// A time typed in "Go to": a clock time today (`14:05`, `14:05:30`, in the zone shown), a
/// duration back from now, or a timestamp.
fn parse_go_to(text: &str, now: SystemTime, zone: &jiff::tz::TimeZone) -> Result<i64, String> {
    let now_ms = epoch_ms(now);
    let text = text.trim();
    if let Ok(time) = text.parse::<jiff::civil::Time>() {
        let today = jiff::Timestamp::from_millisecond(now_ms)
            .map_err(|e| e.to_string())?
            .to_zoned(zone.clone())
            .date();
        let at = today
            .to_datetime(time)
            .to_zoned(zone.clone())
            .map_err(|e| e.to_string())?;
        let ms = at.timestamp().as_millisecond();
        // A clock time later than now means yesterday.
        return Ok(if ms > now_ms { ms - 86_400_000 } else { ms });
    }
    parse_since(text, now_ms)
}

/// Scrolls to the first line at or after `at_ms`, loading older lines first when needed.
pub(crate) fn jump_to(view: &mut LogsView, at_ms: i64) {
    view.pending_jump = Some(at_ms);
}

/// Carries out a pending jump once the lines it needs are there (or can't be).
pub(crate) fn resolve_jump(
    view: &mut LogsView,
    tail: &LogTailState,
    data: &TailData,
    actions: &mut Vec<Action>,
) {
    let Some(at_ms) = view.pending_jump else {
        return;
    };
    let older = &tail.older;
    let can_load = !matches!(&older.last, Some(Ok(l)) if l.exhausted || l.buffer_full)
        && !matches!(&older.last, Some(Err(_)) if older.back_to_ms == Some(at_ms));
    if data.covered_from_ms == 0 {
        // The tail has not started reading yet.
        return;
    }
    if at_ms < data.covered_from_ms && can_load {
        if older.loading.is_none() {
            actions.push(Action::LoadOlderLogs {
                back_to_ms: Some(at_ms),
            });
        }
        return;
    }
    let newest_ms = data
        .buffer
        .get(data.buffer.end_index() - 1)
        .map(|(meta, _)| meta.timestamp_ms);
    if newest_ms.is_none_or(|newest| newest < at_ms) && tail.running {
        // The lines at that time have not arrived yet.
        return;
    }
    view.pending_jump = None;
    if let Some(index) = first_at_or_after(data, at_ms) {
        view.list.scroll_to = Some(index);
        view.list.selected = Some(index);
        view.list.selected_end = None;
    }
}

/// The first line with a timestamp at or after `at_ms` (lines are in time order, but for a
/// few late ones), or the last line.
pub(crate) fn first_at_or_after(data: &TailData, at_ms: i64) -> Option<i64> {
    let buffer = &data.buffer;
    if buffer.is_empty() {
        return None;
    }
    let (mut low, mut high) = (buffer.first_index(), buffer.end_index());
    while low < high {
        let mid = low + (high - low) / 2;
        match buffer.get(mid) {
            Some((meta, _)) if meta.timestamp_ms < at_ms => low = mid + 1,
            _ => high = mid,
        }
    }
    Some(low.min(buffer.end_index() - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn go_to_reads_clock_times_durations_and_timestamps() {
        // 2026-12-01 10:00:00 UTC.
        let now = UNIX_EPOCH + Duration::from_secs(1_796_119_200);
        let now_ms = epoch_ms(now);
        let utc = &jiff::tz::TimeZone::UTC;
        assert_eq!(parse_go_to("09:30", now, utc), Ok(now_ms - 1_800_000));
        assert_eq!(parse_go_to("09:30:15", now, utc), Ok(now_ms - 1_785_000));
        // Later than now today: yesterday.
        assert_eq!(
            parse_go_to("10:30", now, utc),
            Ok(now_ms + 1_800_000 - 86_400_000)
        );
        assert_eq!(parse_go_to("30m", now, utc), Ok(now_ms - 1_800_000));
        assert_eq!(
            parse_go_to("2026-12-01T09:00:00Z", now, utc),
            Ok(now_ms - 3_600_000)
        );
        assert!(parse_go_to("soon", now, utc).is_err());
        // A clock time is read in the zone shown: 18:30 in Tokyo is 09:30 UTC.
        let tokyo = &jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
        assert_eq!(parse_go_to("18:30", now, tokyo), Ok(now_ms - 1_800_000));
    }

    #[test]
    fn finds_the_first_line_at_a_time() {
        let mut data = TailData {
            buffer: crate::model::logs::buffer::LogBuffer::new(100),
            ..TailData::default()
        };
        assert_eq!(first_at_or_after(&data, 5), None);
        for t in [10, 20, 20, 30] {
            data.buffer.push(t, 0, "x");
        }
        assert_eq!(first_at_or_after(&data, 0), Some(0));
        assert_eq!(first_at_or_after(&data, 20), Some(1));
        assert_eq!(first_at_or_after(&data, 21), Some(3));
        assert_eq!(first_at_or_after(&data, 99), Some(3));
    }
}
