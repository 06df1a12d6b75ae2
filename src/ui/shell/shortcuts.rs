//! The keyboard shortcuts overlay (`?`): every command's keys, then the keys of each screen.

use super::command::UiCommand;
use egui::{RichText, Ui};

/// Keys that belong to a screen rather than to a command: (where, keys, what they do).
const SCREEN_KEYS: &[(&str, &str, &str)] = &[
    (
        "Lists",
        "↑ ↓",
        "move the selection (j k too, with vim keys on)",
    ),
    (
        "Lists",
        "PgUp PgDn Home End",
        "move by a page, to the first or last row",
    ),
    ("Lists", "Enter", "open the selected row"),
    ("Service", "+ −", "change the typed desired count by one"),
    ("Metrics", "L", "logs at the time under the pointer"),
    ("Logs", "Shift+click", "select a range of lines"),
    ("Logs", "Ctrl+C", "copy the selected lines"),
    ("Compare", "N P", "next or previous change"),
    ("Dialogs", "Enter Esc", "confirm, close"),
    ("Go to", "↑ ↓ Enter", "choose a result and go there"),
];

/// The overlay, while `open`.
pub fn shortcuts_ui(open: &mut bool, ui: &mut Ui) {
    if !*open {
        return;
    }
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("shortcuts-overlay")).show(ui.ctx(), |ui| {
        ui.set_max_width(640.0);
        ui.heading("Keyboard shortcuts");
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .max_height(ui.ctx().content_rect().height() * 0.7)
            .show(ui, |ui| {
                egui::Grid::new("shortcut-grid")
                    .num_columns(2)
                    .spacing([24.0, 4.0])
                    .striped(true)
                    .show(ui, rows_ui);
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Close").clicked() {
                close = true;
            }
            ui.weak("Esc or ? closes this. Ctrl is Cmd on macOS.");
        });
    });
    let again = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Questionmark));
    if close || again || modal.should_close() {
        *open = false;
    }
}

fn rows_ui(ui: &mut Ui) {
    section_ui(ui, "Anywhere");
    for command in UiCommand::all() {
        let keys: Vec<String> = command
            .shortcuts()
            .iter()
            .map(|s| crate::ui::shell::command::key_text(ui.ctx(), s))
            .collect();
        if keys.is_empty() {
            continue;
        }
        ui.label(RichText::new(keys.join("  or  ")).monospace());
        ui.label(command.label());
        ui.end_row();
    }
    let mut last = "";
    for (place, keys, what) in SCREEN_KEYS {
        if *place != last {
            section_ui(ui, place);
            last = place;
        }
        ui.label(RichText::new(*keys).monospace());
        ui.label(*what);
        ui.end_row();
    }
}

fn section_ui(ui: &mut Ui, title: &str) {
    ui.label(RichText::new(title).strong());
    ui.label("");
    ui.end_row();
}
