//! Column widths from the content: each column as wide as its widest text (measured on the
//! longest texts of the first rows) and its header, within a minimum and a maximum. Computed
//! once per table and set of visible columns, never per frame.

use super::{CellStyle, Column};
use egui::{FontId, TextStyle, Ui};

/// Rows looked at for the widest texts (the first ones: a 5,000-row list costs no more).
const MEASURED_ROWS: usize = 2_000;
/// Texts measured per column: the longest by character count.
const MEASURED_TEXTS: usize = 4;
/// No column is narrower.
pub const MIN_WIDTH: f32 = 40.0;
/// No column is wider when it is fitted (a long reason is clipped; drag to widen it).
pub const MAX_WIDTH: f32 = 360.0;
/// Room around a cell's text (the table's spacing is added by the table).
const PADDING: f32 = 6.0;
/// A status cell's glyph and gap before its word.
const STATUS_GLYPH: f32 = 18.0;
/// The sort arrow a header may carry.
const SORT_ARROW: f32 = 8.0;

/// The fitted width of each of `visible` (indices into `columns`).
pub fn fitted_widths<T>(ui: &Ui, rows: &[T], columns: &[Column<T>], visible: &[usize]) -> Vec<f32> {
    let body = TextStyle::Body.resolve(ui.style());
    visible
        .iter()
        .map(|&i| {
            let column = &columns[i];
            let header = text_width(ui, column.title, &body) + SORT_ARROW;
            let content = match column.style {
                CellStyle::Custom => column.width,
                CellStyle::Plain | CellStyle::Status => {
                    let glyph = if column.style == CellStyle::Status {
                        STATUS_GLYPH
                    } else {
                        0.0
                    };
                    longest_texts(rows, column)
                        .iter()
                        .map(|t| text_width(ui, t, &body))
                        .fold(0.0, f32::max)
                        + glyph
                }
            };
            (header.max(content) + PADDING).clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

fn text_width(ui: &Ui, text: &str, font: &FontId) -> f32 {
    ui.painter()
        .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
        .size()
        .x
}

/// The [`MEASURED_TEXTS`] longest texts of `column` among the first rows.
fn longest_texts<T>(rows: &[T], column: &Column<T>) -> Vec<String> {
    let mut longest: Vec<String> = Vec::with_capacity(MEASURED_TEXTS + 1);
    for row in rows.iter().take(MEASURED_ROWS) {
        let text = (column.text)(row);
        let chars = text.chars().count();
        if longest.len() == MEASURED_TEXTS
            && longest.last().is_some_and(|l| l.chars().count() >= chars)
        {
            continue;
        }
        let at = longest.partition_point(|l| l.chars().count() >= chars);
        longest.insert(at, text);
        longest.truncate(MEASURED_TEXTS);
    }
    longest
}
