//! Which columns each table shows: a "Columns" menu beside the filter, the choice kept per
//! table in the settings (`Prefs::hidden_columns`). The tables read it from the context, as
//! they read the vim keys, and the app copies a change back into the settings.

use super::Column;
use egui::Ui;
use std::collections::{BTreeMap, BTreeSet};

/// Hidden column titles by table id.
pub type HiddenColumns = BTreeMap<String, BTreeSet<String>>;

fn hidden_id() -> egui::Id {
    egui::Id::unique("ecsdeck-hidden-columns")
}

fn changed_id() -> egui::Id {
    egui::Id::unique("ecsdeck-hidden-columns-changed")
}

/// Puts the saved choice where the tables read it.
pub fn set_hidden_columns(ctx: &egui::Context, hidden: &HiddenColumns) {
    ctx.data_mut(|d| d.insert_temp(hidden_id(), hidden.clone()));
}

/// The choice as changed in a Columns menu since the last call, for the settings.
pub fn take_hidden_columns_change(ctx: &egui::Context) -> Option<HiddenColumns> {
    ctx.data_mut(|d| {
        let changed = d.remove_temp::<bool>(changed_id()).unwrap_or(false);
        changed.then(|| d.get_temp::<HiddenColumns>(hidden_id()).unwrap_or_default())
    })
}

/// The titles hidden in table `id`.
pub fn hidden_of(ctx: &egui::Context, id: &str) -> BTreeSet<String> {
    ctx.data(|d| {
        d.get_temp::<HiddenColumns>(hidden_id())
            .and_then(|all| all.get(id).cloned())
            .unwrap_or_default()
    })
}

/// Indices of the columns shown: all but the hidden ones, the first always.
pub fn visible_columns<T>(columns: &[Column<T>], hidden: &BTreeSet<String>) -> Vec<usize> {
    (0..columns.len())
        .filter(|&i| i == 0 || !hidden.contains(columns[i].title))
        .collect()
}

/// The "Columns" menu of table `id`: a tick per column but the first.
pub fn columns_menu_ui<T>(ui: &mut Ui, id: &str, columns: &[Column<T>], hidden: &BTreeSet<String>) {
    ui.menu_button("Columns", |ui| {
        for column in columns.iter().skip(1) {
            let mut shown = !hidden.contains(column.title);
            if ui.checkbox(&mut shown, column.title).changed() {
                let mut now = hidden.clone();
                if shown {
                    now.remove(column.title);
                } else {
                    now.insert(column.title.to_owned());
                }
                ui.ctx().data_mut(|d| {
                    let all = d.get_temp_mut_or_default::<HiddenColumns>(hidden_id());
                    if now.is_empty() {
                        all.remove(id);
                    } else {
                        all.insert(id.to_owned(), now);
                    }
                    d.insert_temp(changed_id(), true);
                });
            }
        }
    });
}
