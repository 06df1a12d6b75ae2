//! The lines of a tail: a virtual list (only the rows on screen are read and laid out) that
//! follows the newest line while scrolled to the bottom, and the selected line's detail.

use crate::model::logs::filter::Highlighter;
use crate::model::logs::severity::Severity;
use crate::model::logs::tail::{NOTE_SOURCE, SAMPLED_SOURCE, TailData};
use crate::model::time_format::{clock_ms, full_ms};
use crate::model::untrusted_text::{untrusted, untrusted_block};
use crate::ui::widgets::theme::{LOG_FONT_SIZE, LOG_ROW_HEIGHT};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Ui};
use std::ops::Range;

/// Longest part of a line laid out in a row (the detail shows all of it); rows are also cut
/// to what the list's width can show, since laying out text is most of a frame's cost.
const ROW_CHARS: usize = 2_000;

/// One row, copied out of the buffer (so a frame where the worker holds the lock can draw
/// the last frame's rows).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Absolute line index.
    pub index: i64,
    /// Event time, epoch ms.
    pub timestamp_ms: i64,
    /// Detected severity.
    pub severity: Severity,
    /// Source index.
    pub source: u16,
    /// Source tag.
    pub tag: String,
    /// First line of the text, cut to what the row can show.
    pub text: String,
    /// Further lines of a multi-line event (stack traces stay in one event).
    pub more_lines: usize,
}

impl Row {
    /// Reads line `index` from `data`, its text cut to `max_chars`.
    pub fn read(data: &TailData, index: i64, max_chars: usize) -> Option<Self> {
        let (meta, text) = data.buffer.get(index)?;
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        let cut = first
            .char_indices()
            .nth(max_chars.min(ROW_CHARS))
            .map_or(first, |(i, _)| &first[..i]);
        let tag = match meta.source {
            SAMPLED_SOURCE => "AWS".to_owned(),
            NOTE_SOURCE => "ecsdeck".to_owned(),
            // Stream names come from AWS: hostile characters shown as escapes.
            s => data
                .source(s)
                .map(|s| untrusted(&s.label()).into_owned())
                .unwrap_or_default(),
        };
        Some(Self {
            index,
            timestamp_ms: meta.timestamp_ms,
            severity: meta.severity,
            source: meta.source,
            tag,
            text: cut.to_owned(),
            more_lines: lines.count(),
        })
    }
}

/// What the list needs from its page each frame.
pub struct ListInput<'a> {
    /// The tail's data, unless the worker holds the lock this frame.
    pub data: Option<&'a TailData>,
    /// Absolute indices of the rows (filtered), or `None` for every line from `first..end`.
    pub indices: Option<&'a [i64]>,
    /// Rows to show when unfiltered: `first_index..end`.
    pub all: Range<i64>,
    /// Highlight terms.
    pub highlighter: &'a Highlighter,
    /// The zone times are shown in.
    pub zone: &'a jiff::tz::TimeZone,
}

/// Scroll and selection state of the list.
#[derive(Debug)]
pub struct ListState {
    /// Keep the newest line in view.
    pub following: bool,
    /// Scroll to the end next frame.
    pub jump_to_end: bool,
    /// Rows count when the user scrolled away from the end (for "N new lines").
    pub rows_when_left: usize,
    /// The selected line (shown in the detail; where a shift-click range starts).
    pub selected: Option<i64>,
    /// The other end of a range selected with shift-click.
    pub selected_end: Option<i64>,
    /// Scroll so this line (absolute index) is at the top, next frame.
    pub scroll_to: Option<i64>,
    /// The list is scrolled to its very top (older lines may be loaded).
    pub at_top: bool,
    /// Last frame's rows, for frames without the lock.
    cache: Vec<Row>,
    cache_total: usize,
    /// Last frame's first row (absolute index) and scroll offset: when older lines are
    /// prepended, the offset moves by their height so the rows on screen stay put.
    first_row: Option<i64>,
    offset_y: f32,
}

impl Default for ListState {
    fn default() -> Self {
        Self {
            following: true,
            jump_to_end: false,
            rows_when_left: 0,
            selected: None,
            selected_end: None,
            scroll_to: None,
            at_top: false,
            cache: Vec::new(),
            cache_total: 0,
            first_row: None,
            offset_y: 0.0,
        }
    }
}

impl ListState {
    /// Rows the list showed in its last frame.
    pub fn total(&self) -> usize {
        self.cache_total
    }

    /// The selected lines, first to last (absolute indices).
    pub fn selection(&self) -> Option<std::ops::RangeInclusive<i64>> {
        let anchor = self.selected?;
        let end = self.selected_end.unwrap_or(anchor);
        Some(anchor.min(end)..=anchor.max(end))
    }

    /// Clears the selection.
    pub fn deselect(&mut self) {
        self.selected = None;
        self.selected_end = None;
    }
}

/// Draws the list; returns the number of rows.
pub fn lines_ui(ui: &mut Ui, state: &mut ListState, input: &ListInput<'_>) -> usize {
    let total = match (input.data, input.indices) {
        (None, _) => state.cache_total,
        (Some(_), Some(indices)) => indices.len(),
        (Some(_), None) => (input.all.end - input.all.start).max(0) as usize,
    };
    let mut area = egui::ScrollArea::vertical()
        .id_salt("log-lines")
        .auto_shrink([false, false])
        .stick_to_bottom(state.following);
    let position = |index: i64| match input.indices {
        Some(indices) => indices.partition_point(|i| *i < index),
        None => (index - input.all.start).max(0) as usize,
    };
    let first_row = match (input.data, input.indices) {
        (None, _) => state.first_row,
        (Some(_), Some(indices)) => indices.first().copied(),
        (Some(_), None) => (total > 0).then_some(input.all.start),
    };
    if std::mem::take(&mut state.jump_to_end) {
        area = area.vertical_scroll_offset(total as f32 * LOG_ROW_HEIGHT + 1e6);
        state.following = true;
    } else if let Some(index) = state.scroll_to.take() {
        area = area.vertical_scroll_offset(position(index) as f32 * LOG_ROW_HEIGHT);
        state.following = false;
        state.rows_when_left = total;
    } else if let (Some(new), Some(old)) = (first_row, state.first_row)
        && new < old
        && !state.following
    {
        // Older lines arrived above: keep the rows on screen where they were.
        let added = position(old);
        area = area.vertical_scroll_offset(state.offset_y + added as f32 * LOG_ROW_HEIGHT);
        state.rows_when_left += added;
    }
    state.first_row = first_row;
    let dark = ui.visuals().dark_mode;
    // Monospace: the row shows at most this many characters (the prefix takes some of them).
    let char_width = ui
        .fonts_mut(|f| f.glyph_width(&FontId::monospace(LOG_FONT_SIZE), '0'))
        .max(1.0);
    let max_chars = (ui.available_width() / char_width) as usize + 1;
    // Rows touch: the list is dense, and the row height is exact for `show_rows`.
    let spacing = std::mem::replace(&mut ui.spacing_mut().item_spacing.y, 0.0);
    let output = area.show_rows(ui, LOG_ROW_HEIGHT, total, |ui, range| {
        let rows = match input.data {
            Some(data) => {
                let rows: Vec<Row> = range
                    .clone()
                    .filter_map(|r| {
                        let index = match input.indices {
                            Some(indices) => *indices.get(r)?,
                            None => input.all.start + r as i64,
                        };
                        Row::read(data, index, max_chars)
                    })
                    .collect();
                state.cache = rows;
                &state.cache
            }
            None => &state.cache,
        };
        let selection = state.selection();
        let mut clicked = None;
        for row in rows {
            let selected = selection.as_ref().is_some_and(|s| s.contains(&row.index));
            if row_ui(ui, selected, row, input, dark) {
                clicked = Some(row.index);
            }
        }
        if let Some(index) = clicked {
            if ui.input(|i| i.modifiers.shift) && state.selected.is_some() {
                state.selected_end = Some(index);
            } else {
                let again = state.selected == Some(index) && state.selected_end.is_none();
                state.selected = (!again).then_some(index);
                state.selected_end = None;
            }
        }
    });
    ui.spacing_mut().item_spacing.y = spacing;
    state.cache_total = total;
    state.offset_y = output.state.clamped_offset().y;
    state.at_top = state.offset_y <= 0.5;
    let at_end =
        output.state.clamped_offset().y + output.inner_rect.height() >= output.content_size.y - 2.0;
    if state.following && !at_end && total as f32 * LOG_ROW_HEIGHT > output.inner_rect.height() {
        // The user scrolled up: stop following, count what arrives meanwhile.
        state.following = false;
        state.rows_when_left = total;
    } else if !state.following && at_end {
        state.following = true;
    }
    total
}

/// Space between a row's columns, in points.
const COLUMN_GAP: f32 = 8.0;

/// Draws a row; true when it was clicked. Painted by hand rather than as a button: the
/// time, level and tag are laid out as galleys of their own (level and tag repeat, so egui's
/// galley cache serves them), and only the message is laid out fresh, cut to the width left.
fn row_ui(ui: &mut Ui, selected: bool, row: &Row, input: &ListInput<'_>, dark: bool) -> bool {
    let size = egui::vec2(ui.available_width(), LOG_ROW_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::Button,
            ui.is_enabled(),
            selected,
            row_label(row, input.zone),
        )
    });
    if !ui.is_rect_visible(rect) {
        return response.clicked();
    }
    let visuals = ui.visuals();
    let fill = if selected {
        Some(visuals.selection.bg_fill)
    } else if response.hovered() {
        Some(visuals.widgets.hovered.weak_bg_fill)
    } else {
        None
    };
    if let Some(fill) = fill {
        let radius = visuals.widgets.hovered.corner_radius;
        ui.painter().rect_filled(rect, radius, fill);
    }
    let text_color = visuals.text_color();
    let font = FontId::monospace(LOG_FONT_SIZE);
    let muted = crate::ui::widgets::theme::Tone::Muted.color(dark);
    let level_color =
        crate::ui::widgets::theme::severity_tone(row.severity).map_or(muted, |t| t.color(dark));
    let tag_color = match row.source {
        SAMPLED_SOURCE | NOTE_SOURCE => crate::ui::widgets::theme::Tone::Warn.color(dark),
        s => crate::ui::widgets::theme::series_color(usize::from(s), dark),
    };
    let painter = ui.painter();
    let left = rect.left() + ui.spacing().button_padding.x;
    let mut x = left;
    let columns = [
        (clock_ms(row.timestamp_ms, input.zone), muted),
        (format!("{:<5}", row.severity.label()), level_color),
        (row.tag.clone(), tag_color),
    ];
    for (text, color) in columns {
        let galley = painter.layout_no_wrap(text, font.clone(), color);
        let y = rect.center().y - galley.size().y / 2.0;
        let width = galley.size().x;
        painter.galley(egui::pos2(x, y), galley, color);
        x += width + COLUMN_GAP;
    }
    let width_left = rect.right() - ui.spacing().button_padding.x - x;
    if width_left > 0.0 {
        let mut job = message_job(row, input, dark, text_color);
        job.wrap = egui::text::TextWrapping::truncate_at_width(width_left);
        let galley = painter.layout_job(job);
        let y = rect.center().y - galley.size().y / 2.0;
        painter.galley(egui::pos2(x, y), galley, text_color);
    }
    response.clicked()
}

/// What a screen reader (and a test) reads for a row.
fn row_label(row: &Row, zone: &jiff::tz::TimeZone) -> String {
    let more = match row.more_lines {
        0 => String::new(),
        n => format!("  [+{n} lines]"),
    };
    format!(
        "{} {:<5} {} {}{more}",
        clock_ms(row.timestamp_ms, zone),
        row.severity.label(),
        row.tag,
        row.text
    )
}

/// The row's message as a layout job: the text with highlights, then "[+N lines]".
fn message_job(row: &Row, input: &ListInput<'_>, dark: bool, text_color: Color32) -> LayoutJob {
    let font = FontId::monospace(LOG_FONT_SIZE);
    let plain = |color: Color32| TextFormat::simple(font.clone(), color);
    let muted = crate::ui::widgets::theme::Tone::Muted.color(dark);
    let mut job = LayoutJob::default();
    let text_color = match crate::ui::widgets::theme::severity_tone(row.severity) {
        Some(
            tone @ (crate::ui::widgets::theme::Tone::Bad | crate::ui::widgets::theme::Tone::Warn),
        ) => tone.color(dark),
        _ => text_color,
    };
    let mut at = 0;
    for (range, term) in input.highlighter.spans(&row.text) {
        if range.start > at {
            job.append(&row.text[at..range.start], 0.0, plain(text_color));
        }
        let mut format = plain(text_color);
        format.background = crate::ui::widgets::theme::highlight_fill(term, dark);
        job.append(&row.text[range.clone()], 0.0, format);
        at = range.end;
    }
    if at < row.text.len() || row.text.is_empty() {
        job.append(&row.text[at..], 0.0, plain(text_color));
    }
    if row.more_lines > 0 {
        job.append(&format!("  [+{} lines]", row.more_lines), 0.0, plain(muted));
    }
    job
}

/// The selected line in full: time, source, and the text (JSON pretty-printed).
pub fn detail_ui(ui: &mut Ui, data: &TailData, index: i64, zone: &jiff::tz::TimeZone) {
    let Some((meta, text)) = data.buffer.get(index) else {
        ui.weak("That line has left the buffer.");
        return;
    };
    let source = data.source(meta.source);
    ui.horizontal_wrapped(|ui| {
        ui.strong(full_ms(meta.timestamp_ms, zone));
        ui.label(meta.severity.label());
        if let Some(s) = source {
            ui.label(untrusted(&format!("{} · {}", s.group, s.stream)));
        }
    });
    let pretty = serde_json::from_str::<serde_json::Value>(text.trim())
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        // Pretty-printing turns `\u202e` written in the JSON into the character itself.
        .map(|p| untrusted_block(&p).into_owned());
    let shown = pretty.as_deref().unwrap_or(text);
    egui::ScrollArea::vertical()
        .id_salt("log-detail")
        .max_height(ui.available_height())
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(egui::RichText::new(shown).monospace().size(LOG_FONT_SIZE))
                    .selectable(true)
                    .wrap(),
            );
        });
}
