//! A terminal drawn by egui from the vt100 screen of a session: colours and attributes, a
//! cursor, scrollback on the wheel, a drag selection copied with the platform's shortcut,
//! keys and pastes sent to the program, and its size following the space it is given.

use super::keys::{KeyAction, key_action};
use crate::model::exec::terminal::{SharedTerminal, TerminalInput};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Rect, Sense, Ui, Vec2, pos2, vec2};

/// Set in the context's data while a terminal has keyboard focus: the app's shortcuts then
/// leave every key to the program in it.
pub const TERMINAL_FOCUS: &str = "ecsdeck-terminal-focus";

/// Lines the wheel moves per notch.
const WHEEL_LINES: f32 = 3.0;

/// A cell of the screen: (row, column).
type Cell = (u16, u16);

/// What the view keeps of one terminal between frames.
#[derive(Clone, Debug, Default)]
pub struct TerminalView {
    /// The selection, from where the drag started to where it is.
    selection: Option<(Cell, Cell)>,
    /// Wheel movement not yet a whole line.
    wheel: f32,
}

/// The 16 ANSI colours (xterm's), normal then bright.
const ANSI: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 49, 49),
    (13, 188, 121),
    (229, 229, 16),
    (36, 114, 200),
    (188, 63, 188),
    (17, 168, 205),
    (204, 204, 204),
    (102, 102, 102),
    (241, 76, 76),
    (35, 209, 139),
    (245, 245, 67),
    (59, 142, 234),
    (214, 112, 214),
    (41, 184, 219),
    (242, 242, 242),
];

/// A vt100 colour as egui's; `default` for the terminal's own.
fn color(c: vt100::Color, default: Color32, bold: bool) -> Color32 {
    match c {
        vt100::Color::Default => default,
        vt100::Color::Idx(i) => {
            // Bold brightens the eight base colours, as xterm does.
            let i = if bold && i < 8 { i + 8 } else { i };
            indexed(i)
        }
        vt100::Color::Rgb(r, g, b) => Color32::from_rgb(r, g, b),
    }
}

/// xterm's 256 colours: 16 ANSI, a 6×6×6 cube, 24 greys.
fn indexed(i: u8) -> Color32 {
    match i {
        0..=15 => {
            let (r, g, b) = ANSI[usize::from(i)];
            Color32::from_rgb(r, g, b)
        }
        16..=231 => {
            let level = |n: u8| if n == 0 { 0 } else { 55 + n * 40 };
            let n = i - 16;
            Color32::from_rgb(level(n / 36), level((n / 6) % 6), level(n % 6))
        }
        _ => {
            let grey = 8 + (i - 232) * 10;
            Color32::from_gray(grey)
        }
    }
}

fn ordered((a, b): (Cell, Cell)) -> (Cell, Cell) {
    if a <= b { (a, b) } else { (b, a) }
}

fn selected(selection: Option<(Cell, Cell)>, cell: Cell) -> bool {
    selection.is_some_and(|s| {
        let (start, end) = ordered(s);
        cell >= start && cell <= end
    })
}

/// Draws `terminal` in the space left, titled `title` for screen readers and tests.
pub fn terminal_ui(terminal: &SharedTerminal, title: &str, view: &mut TerminalView, ui: &mut Ui) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let cell = ui
        .painter()
        .layout_no_wrap("M".to_owned(), font.clone(), Color32::PLACEHOLDER)
        .size();
    let cell = vec2(cell.x.max(1.0), cell.y.max(1.0));
    let available = ui.available_size();
    let rows = ((available.y / cell.y).floor() as u16).max(2);
    let cols = ((available.x / cell.x).floor() as u16).max(10);
    if terminal.size() != (rows.max(2), cols.max(10)) {
        // A selection of the old size may lie outside the new one.
        view.selection = None;
    }
    terminal.resize(rows, cols);
    let (rows, cols) = terminal.size();
    let size = vec2(f32::from(cols) * cell.x, f32::from(rows) * cell.y);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    if response.clicked() || response.drag_started() {
        response.request_focus();
    }
    let focused = response.has_focus();
    if focused {
        ui.ctx()
            .data_mut(|d| d.insert_temp(egui::Id::unique(TERMINAL_FOCUS), true));
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                egui::EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: true,
                },
            );
        });
    }
    select_ui(view, &response, rect, cell, (rows, cols));
    if response.hovered() {
        scroll(terminal, view, ui);
    }
    if focused {
        input(terminal, view, ui);
    }
    draw(terminal, view, ui, rect, (cell, &font), focused);
    let label = format!("Terminal {title}");
    response.widget_info(|| {
        let contents = terminal.contents();
        egui::WidgetInfo::labeled(egui::Role::Terminal, true, format!("{label}\n{contents}"))
    });
}

fn cell_at(rect: Rect, cell: Vec2, (rows, cols): (u16, u16), pos: egui::Pos2) -> Cell {
    let col = ((pos.x - rect.left()) / cell.x)
        .floor()
        .clamp(0.0, f32::from(cols - 1));
    let row = ((pos.y - rect.top()) / cell.y)
        .floor()
        .clamp(0.0, f32::from(rows - 1));
    (row as u16, col as u16)
}

fn select_ui(
    view: &mut TerminalView,
    response: &egui::Response,
    rect: Rect,
    cell: Vec2,
    size: (u16, u16),
) {
    if response.drag_started()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let at = cell_at(rect, cell, size, pos);
        view.selection = Some((at, at));
    } else if response.dragged()
        && let (Some(pos), Some((start, _))) = (response.interact_pointer_pos(), view.selection)
    {
        view.selection = Some((start, cell_at(rect, cell, size, pos)));
    } else if response.clicked() {
        view.selection = None;
    }
}

fn scroll(terminal: &SharedTerminal, view: &mut TerminalView, ui: &Ui) {
    let delta = ui.input(|i| i.smooth_scroll_delta.y);
    if delta == 0.0 {
        return;
    }
    let line = ui.text_style_height(&egui::TextStyle::Monospace);
    // A notch is about one line of points: it moves WHEEL_LINES lines.
    view.wheel += delta / line * WHEEL_LINES;
    let lines = view.wheel.trunc();
    if lines.abs() >= 1.0 {
        view.wheel -= lines;
        let mut screen = terminal.screen();
        let now = screen.screen().scrollback() as f32;
        let to = (now + lines).max(0.0) as usize;
        screen.screen_mut().set_scrollback(to);
        view.selection = None;
    }
}

fn input(terminal: &SharedTerminal, view: &mut TerminalView, ui: &Ui) {
    let events = ui.input(|i| i.events.clone());
    if events.is_empty() {
        return;
    }
    let (app_cursor, bracketed) = {
        let screen = terminal.screen();
        (
            screen.screen().application_cursor(),
            screen.screen().bracketed_paste(),
        )
    };
    let alt = ui.input(|i| i.modifiers.alt);
    for event in &events {
        match key_action(event, app_cursor, bracketed, view.selection.is_some()) {
            KeyAction::Send(mut bytes) => {
                // Alt+key: the key's text after ESC, as xterm's metaSendsEscape.
                if alt && matches!(event, egui::Event::Text(_)) {
                    bytes.insert(0, 0x1b);
                }
                // Typing returns to the live screen.
                terminal.screen().screen_mut().set_scrollback(0);
                view.selection = None;
                terminal.send(TerminalInput::Bytes(bytes));
            }
            KeyAction::Copy => {
                if let Some(selection) = view.selection.take() {
                    let ((r0, c0), (r1, c1)) = ordered(selection);
                    let text = terminal
                        .screen()
                        .screen()
                        .contents_between(r0, c0, r1, c1 + 1);
                    ui.ctx().copy_text(text);
                }
            }
            KeyAction::None => {}
        }
    }
}

fn draw(
    terminal: &SharedTerminal,
    view: &TerminalView,
    ui: &Ui,
    rect: Rect,
    (cell, font): (Vec2, &FontId),
    focused: bool,
) {
    let visuals = ui.visuals();
    let (fg, bg) = (visuals.text_color(), visuals.extreme_bg_color);
    let highlight = visuals.selection.bg_fill;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, bg);
    let parser = terminal.screen();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    for row in 0..rows.get() {
        let y = rect.top() + f32::from(row) * cell.y;
        let mut job = LayoutJob::default();
        for col in 0..cols.get() {
            let Some(c) = screen.cell(row, col) else {
                continue;
            };
            if c.is_wide_continuation() {
                continue;
            }
            let (mut text_fg, mut text_bg) = (
                color(c.fgcolor(), fg, c.bold()),
                color(c.bgcolor(), Color32::TRANSPARENT, false),
            );
            if c.inverse() {
                let inverse_bg = if text_bg == Color32::TRANSPARENT {
                    bg
                } else {
                    text_bg
                };
                (text_fg, text_bg) = (inverse_bg, text_fg);
            }
            if selected(view.selection, (row, col)) {
                text_bg = highlight;
            }
            if c.dim() {
                text_fg = text_fg.gamma_multiply(0.6);
            }
            let contents = if c.has_contents() { c.contents() } else { " " };
            job.append(
                contents,
                0.0,
                TextFormat {
                    font_id: font.clone(),
                    color: text_fg,
                    background: text_bg,
                    italics: c.italic(),
                    underline: if c.underline() {
                        egui::Stroke::new(1.0, text_fg)
                    } else {
                        egui::Stroke::NONE
                    },
                    ..TextFormat::default()
                },
            );
        }
        let galley = painter.layout_job(job);
        painter.galley(pos2(rect.left(), y), galley, fg);
    }
    if !screen.hide_cursor() && screen.scrollback() == 0 {
        let (row, col) = screen.cursor_position();
        let at = pos2(
            rect.left() + f32::from(col) * cell.x,
            rect.top() + f32::from(row) * cell.y,
        );
        let cursor = Rect::from_min_size(at, cell);
        if focused {
            painter.rect_filled(cursor, 0.0, fg.gamma_multiply(0.6));
        } else {
            painter.rect_stroke(
                cursor,
                0.0,
                egui::Stroke::new(1.0, fg.gamma_multiply(0.6)),
                egui::StrokeKind::Inside,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_xterm() {
        assert_eq!(indexed(1), Color32::from_rgb(205, 49, 49));
        assert_eq!(indexed(16), Color32::from_rgb(0, 0, 0));
        assert_eq!(indexed(231), Color32::from_rgb(255, 255, 255));
        assert_eq!(indexed(232), Color32::from_gray(8));
        assert_eq!(
            color(vt100::Color::Idx(1), Color32::WHITE, true),
            indexed(9),
            "bold brightens"
        );
        assert_eq!(
            color(vt100::Color::Default, Color32::WHITE, false),
            Color32::WHITE
        );
    }

    #[test]
    fn a_selection_covers_the_cells_between_its_ends_either_way() {
        let selection = Some(((2, 5), (1, 3)));
        assert!(selected(selection, (1, 3)));
        assert!(selected(selection, (1, 70)));
        assert!(selected(selection, (2, 5)));
        assert!(!selected(selection, (2, 6)));
        assert!(!selected(None, (0, 0)));
    }
}
