//! A virtualised, filterable, sortable table with keyboard selection. Sorting and filtering
//! run only when the data, filter or sort change, never per frame.

pub mod columns_menu;
pub mod fit;

use super::status_ui;
use super::theme::{HEADER_HEIGHT, ROW_HEIGHT};
use egui::{Key, Label, Modifiers, RichText, Sense, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};
use std::time::SystemTime;

/// What a column sorts by.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    /// Numbers.
    Int(i64),
    /// Times; absent sorts first.
    Time(Option<SystemTime>),
    /// Text, case-insensitive.
    Text(String),
}

impl SortKey {
    /// Case-insensitive text key.
    pub fn text(s: &str) -> Self {
        Self::Text(s.to_lowercase())
    }
}

/// How a cell is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellStyle {
    /// Plain text, truncated.
    Plain,
    /// A status word with colour and glyph.
    Status,
    /// Drawn by the caller (sparklines).
    Custom,
}

/// One column: its title, initial width, cell text and sort key.
pub struct Column<T> {
    /// Header title.
    pub title: &'static str,
    /// Initial width in points.
    pub width: f32,
    /// The cell's text (also what the filter searches).
    pub text: fn(&T) -> String,
    /// What the column sorts by.
    pub sort: fn(&T) -> SortKey,
    /// How the cell is drawn.
    pub style: CellStyle,
}

// By hand: a derive would ask `T: Clone`, and only fn pointers and text are copied.
impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Column<T> {}

/// Per-list view state: filter, sort, selection and the cached row order.
#[derive(Debug, Default)]
pub struct TableState {
    /// Filter text; every word must appear in some column.
    pub filter: String,
    /// Sorted column and ascending flag.
    pub sort: Option<(usize, bool)>,
    /// Key (ARN) of the selected row; survives refreshes and re-sorting.
    pub selected: Option<String>,
    /// Give the filter box keyboard focus next frame.
    pub focus_filter: bool,
    /// The filter box had focus at the end of the last frame (egui drops it on Esc before
    /// the app sees the key, so this is how Esc knows it belonged to the filter).
    pub filter_had_focus: bool,
    order: Vec<usize>,
    order_for: Option<OrderKey>,
    /// Lower-case text of every row, built only once a filter is typed, per data version.
    haystacks: Vec<String>,
    haystacks_for: Option<u64>,
    /// (data version, selected key) → row index, so a frame never scans the rows.
    selected_row_cache: Option<(u64, String, Option<usize>)>,
    /// (order, row) → position in the order.
    selected_position_cache: Option<(OrderKey, Option<usize>, Option<usize>)>,
    scroll_to: Option<usize>,
    /// (visible columns, row-count bucket) and the widths fitted to the content (see `fit`).
    fit: Option<(FitKey, Vec<f32>)>,
    /// Counts fits, so a new one lays the columns out afresh.
    fit_generation: u64,
    /// The caller filters the rows itself by `filter` (a search of its own) out of this
    /// many: the table then shows what it is given and counts it against this.
    pub prefiltered_from: Option<usize>,
    /// What the filter box says it searches, when not the default.
    pub filter_hint: Option<&'static str>,
}

/// What a fit of the column widths was made for: the visible columns and a row-count bucket.
type FitKey = (Vec<usize>, usize);

#[derive(Clone, Debug, PartialEq)]
struct OrderKey {
    version: u64,
    filter: String,
    sort: Option<(usize, bool)>,
}

/// What happened in the table this frame.
#[derive(Debug, Default)]
pub struct TableOutput {
    /// Index (into the data) of the row the user opened (Enter or double-click).
    pub opened: Option<usize>,
    /// Index of the selected row, if it is visible under the filter.
    pub selected: Option<usize>,
}

impl TableState {
    /// Row indices in display order, recomputed only when data, filter or sort change.
    fn refresh_order<T>(&mut self, rows: &[T], version: u64, columns: &[Column<T>]) {
        let key = OrderKey {
            version,
            filter: self.filter.clone(),
            sort: self.sort,
        };
        if self.order_for.as_ref() == Some(&key) {
            return;
        }
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() || self.prefiltered_from.is_some() {
            self.order = (0..rows.len()).collect();
        } else {
            if self.haystacks_for != Some(version) {
                self.haystacks = rows
                    .iter()
                    .map(|row| {
                        let texts: Vec<String> = columns.iter().map(|c| (c.text)(row)).collect();
                        texts.join("\u{1f}").to_lowercase()
                    })
                    .collect();
                self.haystacks_for = Some(version);
            }
            let haystacks = &self.haystacks;
            self.order = (0..rows.len())
                .filter(|&i| words.iter().all(|w| haystacks[i].contains(w.as_str())))
                .collect();
        }
        if let Some((column, ascending)) = self.sort
            && let Some(column) = columns.get(column)
        {
            self.order.sort_by_cached_key(|&i| (column.sort)(&rows[i]));
            if !ascending {
                self.order.reverse();
            }
        }
        self.order_for = Some(key);
    }

    /// Number of rows shown under the current filter.
    pub fn shown(&self) -> usize {
        self.order.len()
    }

    /// Index of the selected row in `rows` (data of `version`), cached across frames.
    pub fn selected_row<T>(
        &mut self,
        rows: &[T],
        version: u64,
        key: fn(&T) -> &str,
    ) -> Option<usize> {
        let selected = self.selected.as_deref()?;
        if let Some((v, s, row)) = &self.selected_row_cache
            && *v == version
            && s == selected
        {
            return *row;
        }
        let row = rows.iter().position(|r| key(r) == selected);
        self.selected_row_cache = Some((version, selected.to_owned(), row));
        row
    }

    /// Position of the selected row in the current order, cached across frames.
    fn position_of_selected<T>(
        &mut self,
        rows: &[T],
        version: u64,
        key: fn(&T) -> &str,
    ) -> Option<usize> {
        let row = self.selected_row(rows, version, key)?;
        let order_key = self.order_for.clone()?;
        if let Some((k, r, position)) = &self.selected_position_cache
            && *k == order_key
            && *r == Some(row)
        {
            return *position;
        }
        let position = self.order.iter().position(|&i| i == row);
        self.selected_position_cache = Some((order_key, Some(row), position));
        position
    }

    fn select_position<T>(&mut self, rows: &[T], key: fn(&T) -> &str, position: usize) {
        if let Some(&i) = self.order.get(position) {
            self.selected = Some(key(&rows[i]).to_owned());
            self.scroll_to = Some(position);
        }
    }

    /// Arrow keys, Home/End, PageUp/PageDown move the selection; Enter opens it.
    fn keyboard<T>(
        &mut self,
        ui: &Ui,
        rows: &[T],
        version: u64,
        key: fn(&T) -> &str,
    ) -> Option<usize> {
        let modal_open = ui.ctx().memory(|m| m.top_modal_layer().is_some());
        if ui.ctx().egui_wants_keyboard_input() || modal_open || self.order.is_empty() {
            return None;
        }
        let last = self.order.len() - 1;
        let current = self.position_of_selected(rows, version, key);
        let pressed = |k: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, k));
        const PAGE: usize = 20;
        let vim = vim_keys(ui.ctx());
        let target = if pressed(Key::ArrowDown) || (vim && pressed(Key::J)) {
            Some(current.map_or(0, |p| (p + 1).min(last)))
        } else if pressed(Key::ArrowUp) || (vim && pressed(Key::K)) {
            Some(current.map_or(0, |p| p.saturating_sub(1)))
        } else if pressed(Key::PageDown) {
            Some(current.map_or(0, |p| (p + PAGE).min(last)))
        } else if pressed(Key::PageUp) {
            Some(current.map_or(0, |p| p.saturating_sub(PAGE)))
        } else if pressed(Key::Home) {
            Some(0)
        } else if pressed(Key::End) {
            Some(last)
        } else {
            None
        };
        if let Some(target) = target {
            self.select_position(rows, key, target);
            return None;
        }
        if pressed(Key::Enter) {
            return current.map(|p| self.order[p]);
        }
        None
    }
}

fn vim_keys_id() -> egui::Id {
    egui::Id::unique("ecsdeck-vim-keys")
}

/// Turns j/k movement in every list on or off.
pub fn set_vim_keys(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(vim_keys_id(), on));
}

fn vim_keys(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(vim_keys_id()).unwrap_or(false))
}

/// The filter box with its counts.
fn filter_ui(ui: &mut Ui, state: &mut TableState, total: usize) {
    ui.horizontal(|ui| {
        let escape_in_filter = state.filter_had_focus && ui.input(|i| i.key_pressed(Key::Escape));
        let label = ui.label(if state.prefiltered_from.is_some() {
            "Search"
        } else {
            "Filter"
        });
        let response = ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text(state.filter_hint.unwrap_or("type to filter  ( / )"))
                .desired_width(if state.filter_hint.is_some() {
                    420.0
                } else {
                    240.0
                }),
        );
        let response = response.labelled_by(label.id);
        if state.focus_filter {
            response.request_focus();
            state.focus_filter = false;
        }
        if escape_in_filter {
            state.filter.clear();
        }
        state.filter_had_focus = response.has_focus();
        let shown = state.shown();
        let total = state.prefiltered_from.unwrap_or(total);
        let counts = if shown == total {
            format!("{total} rows")
        } else {
            format!("{shown} of {total} rows")
        };
        ui.label(RichText::new(counts).small().weak());
    });
}

/// Draws the table with its filter box; `version` identifies the data (`Fetched::version`),
/// `key` gives each row's stable key (its ARN).
pub fn table_ui<T>(
    ui: &mut Ui,
    id: &str,
    state: &mut TableState,
    rows: &[T],
    version: u64,
    key: fn(&T) -> &str,
    columns: &[Column<T>],
) -> TableOutput {
    table_with_cells_ui(ui, id, state, rows, version, key, columns, &|_, _, _| {})
}

/// [`table_ui`] where `custom` draws the cells of `CellStyle::Custom` columns (given the
/// column's title and the row). Columns are as wide as their content; when they do not fit
/// the window the table scrolls sideways, and the Columns menu hides any but the first.
#[allow(clippy::too_many_arguments)]
pub fn table_with_cells_ui<T>(
    ui: &mut Ui,
    id: &str,
    state: &mut TableState,
    rows: &[T],
    version: u64,
    key: fn(&T) -> &str,
    columns: &[Column<T>],
    custom: &dyn Fn(&mut Ui, &str, &T),
) -> TableOutput {
    state.refresh_order(rows, version, columns);
    let hidden = columns_menu::hidden_of(ui.ctx(), id);
    ui.horizontal(|ui| {
        filter_ui(ui, state, rows.len());
        columns_menu::columns_menu_ui(ui, id, columns, &hidden);
    });
    state.refresh_order(rows, version, columns);
    let mut output = TableOutput {
        opened: state.keyboard(ui, rows, version, key),
        selected: None,
    };
    if state.order.is_empty() {
        let text = if rows.is_empty() {
            "Nothing here.".to_owned()
        } else {
            format!("No row matches \u{201c}{}\u{201d}.", state.filter)
        };
        ui.label(RichText::new(text).weak());
        return output;
    }
    let visible = columns_menu::visible_columns(columns, &hidden);
    // Fitted again when the columns shown change or the rows grow past a power of two.
    let fit_key = (visible.clone(), rows.len().next_power_of_two());
    if state.fit.as_ref().is_none_or(|(k, _)| *k != fit_key) {
        let widths = fit::fitted_widths(ui, rows, columns, &visible);
        state.fit = Some((fit_key, widths));
        state.fit_generation += 1;
    }
    let widths = state
        .fit
        .as_ref()
        .map(|(_, w)| w.clone())
        .unwrap_or_default();
    let spacing = ui.spacing().item_spacing.x;
    let total: f32 = widths.iter().map(|w| w + spacing).sum();
    let fits = total <= ui.available_width();
    // A new fit starts the columns afresh; a user's drag then holds until the next one.
    let salt = format!("{id}-{}", state.fit_generation);
    let layout = Layout {
        salt: &salt,
        visible: &visible,
        widths: &widths,
        fill_last: fits,
    };
    let clicked = if fits {
        draw_ui(ui, state, (rows, version, key), columns, &layout, custom)
    } else {
        egui::ScrollArea::horizontal()
            .id_salt((id, "sideways"))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                draw_ui(ui, state, (rows, version, key), columns, &layout, custom)
            })
            .inner
    };
    if let Some((index, open)) = clicked {
        state.selected = Some(key(&rows[index]).to_owned());
        if open {
            output.opened = Some(index);
        }
    }
    output.selected = state
        .position_of_selected(rows, version, key)
        .map(|p| state.order[p]);
    output
}

/// How the visible columns are laid out this frame.
struct Layout<'a> {
    salt: &'a str,
    visible: &'a [usize],
    widths: &'a [f32],
    /// The columns fit: the last one takes the rest of the width.
    fill_last: bool,
}

/// The header and the rows; returns the row clicked (and whether it was a double click).
fn draw_ui<T>(
    ui: &mut Ui,
    state: &mut TableState,
    (rows, version, key): (&[T], u64, fn(&T) -> &str),
    columns: &[Column<T>],
    layout: &Layout<'_>,
    custom: &dyn Fn(&mut Ui, &str, &T),
) -> Option<(usize, bool)> {
    let mut builder = TableBuilder::new(ui)
        .id_salt(layout.salt)
        .striped(true)
        .sense(Sense::click())
        .resizable(true)
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for (n, width) in layout.widths.iter().enumerate() {
        let last = n + 1 == layout.widths.len();
        builder = builder.column(if last && layout.fill_last {
            TableColumn::remainder().at_least(*width).clip(true)
        } else {
            TableColumn::initial(*width)
                .at_least(fit::MIN_WIDTH)
                .clip(true)
                .resizable(true)
        });
    }
    if let Some(position) = state.scroll_to.take() {
        builder = builder.scroll_to_row(position, None);
    }
    let selected_position = state.position_of_selected(rows, version, key);
    let mut clicked: Option<(usize, bool)> = None;
    builder
        .header(HEADER_HEIGHT, |mut header| {
            for &i in layout.visible {
                header.col(|ui| header_cell_ui(ui, state, i, columns[i].title));
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, state.order.len(), |mut row| {
                let position = row.index();
                let index = state.order[position];
                let item = &rows[index];
                row.set_selected(selected_position == Some(position));
                for &i in layout.visible {
                    let column = &columns[i];
                    row.col(|ui| match column.style {
                        CellStyle::Plain => {
                            let text = (column.text)(item);
                            ui.add(Label::new(text).truncate().selectable(false));
                        }
                        CellStyle::Status => status_ui(ui, &(column.text)(item)),
                        CellStyle::Custom => custom(ui, column.title, item),
                    });
                }
                let response = row.response();
                if response.double_clicked() {
                    clicked = Some((index, true));
                } else if response.clicked() {
                    clicked = Some((index, false));
                }
            });
        });
    clicked
}

/// A column's title; a click sorts by it (ascending, descending, then unsorted).
fn header_cell_ui(ui: &mut Ui, state: &mut TableState, i: usize, title: &str) {
    let arrow = match state.sort {
        Some((c, true)) if c == i => " ▲",
        Some((c, false)) if c == i => " ▼",
        _ => "",
    };
    let title = RichText::new(format!("{title}{arrow}")).strong();
    if ui
        .add(egui::Button::new(title).frame(false))
        .on_hover_text("Sort")
        .clicked()
    {
        state.sort = match state.sort {
            Some((c, true)) if c == i => Some((i, false)),
            Some((c, false)) if c == i => None,
            _ => Some((i, true)),
        };
    }
}
