//! The comparison screen: the semantic diff of two task definitions, side by side (aligned by
//! field, unchanged sections folded) or as unified text, with change-to-change navigation.

use super::compare_state::{CompareMode, CompareView};
use super::dialogs::diff_text_ui;
use super::state::TaskDefsView;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::td_diff_render::{MASK, to_markdown, to_text};
use crate::model::task_defs::td_diff_rows::{Row, RowStatus, Section};
use crate::model::{Action, AwsError, DiffSide, Model};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{Key, Modifiers, RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// Where one side's document is.
enum SideState<'a> {
    Ready(&'a TaskDefDocument, u64),
    Loading,
    Failed(&'a AwsError),
    Missing,
}

fn side<'a>(model: &'a Model, drafts: &'a TaskDefsView, side: &DiffSide) -> SideState<'a> {
    match side {
        DiffSide::Revision(arn) => {
            let loadable = model.task_definition(arn);
            match (loadable.fetched(), loadable.error()) {
                (_, Some(error)) => SideState::Failed(error),
                (Some(fetched), None) => SideState::Ready(&fetched.value, fetched.version),
                (None, None) => SideState::Loading,
            }
        }
        DiffSide::Draft(id) => match drafts.editors.get(id) {
            Some(slot) => SideState::Ready(slot.editor.doc(), slot.editor.edits()),
            None => SideState::Missing,
        },
    }
}

/// The comparison of `old` and `new`.
pub fn compare_ui(
    model: &Model,
    drafts: &TaskDefsView,
    view: &mut CompareView,
    old: &DiffSide,
    new: &DiffSide,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let title = format!("{} → {}", old.label(), new.label());
    ui.label(RichText::new(&title).strong().size(16.0));
    let (a, b) = match (side(model, drafts, old), side(model, drafts, new)) {
        (SideState::Ready(a, va), SideState::Ready(b, vb)) => ((a, va), (b, vb)),
        (x, y) => {
            for (label, state) in [(old.label(), x), (new.label(), y)] {
                match state {
                    SideState::Failed(error) => {
                        ui.label(format!(
                            "{label} could not be read (it may have been deleted):"
                        ));
                        error_box_ui(ui, error);
                    }
                    SideState::Missing => {
                        ui.label(format!("{label} is no longer open."));
                    }
                    SideState::Loading => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(format!("Loading {label}…"));
                        });
                    }
                    SideState::Ready(..) => {}
                }
            }
            return;
        }
    };
    view.update(((old.clone(), a.1), (new.clone(), b.1)), a.0, b.0);
    let Some(computed) = &view.computed else {
        return;
    };
    let summary = computed.summary.clone();
    let equal = computed.diff.is_empty();
    if equal {
        ui.label(
            RichText::new(
                "The two definitions are the same: only server-managed fields, AWS defaults or \
                 the order of containers and lists differ.",
            )
            .color(Tone::Good.color(ui.visuals().dark_mode)),
        );
    } else {
        ui.label(RichText::new(summary).strong());
    }
    toolbar_ui(view, ui, actions, old, new, &title);
    keys(view, ui);
    ui.separator();
    match view.mode {
        CompareMode::SideBySide => side_by_side_ui(view, ui),
        CompareMode::Unified => {
            let unified = view.computed.as_ref().map_or("", |c| c.unified.as_str());
            egui::ScrollArea::vertical()
                .id_salt("compare-unified")
                .auto_shrink([false, false])
                .show(ui, |ui| diff_text_ui(ui, unified));
        }
    }
}

fn toolbar_ui(
    view: &mut CompareView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    old: &DiffSide,
    new: &DiffSide,
    title: &str,
) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut view.mode, CompareMode::SideBySide, "Side by side");
        ui.selectable_value(&mut view.mode, CompareMode::Unified, "Unified");
        ui.separator();
        ui.checkbox(&mut view.only_changes, "Only changes");
        ui.checkbox(&mut view.mask_env, "Mask environment values")
            .on_hover_text("Show plain environment values as dots, e.g. to share your screen");
        ui.separator();
        let count = view.change_positions().len();
        let at = view.cursor.map_or_else(
            || format!("{count} changes"),
            |c| format!("change {} of {count}", c + 1),
        );
        if ui
            .add_enabled(count > 0, egui::Button::new("◀ Previous"))
            .on_hover_text("Previous change (P)")
            .clicked()
        {
            view.step(false);
        }
        if ui
            .add_enabled(count > 0, egui::Button::new("Next ▶"))
            .on_hover_text("Next change (N)")
            .clicked()
        {
            view.step(true);
        }
        ui.label(RichText::new(at).weak());
        ui.separator();
        // Rendered on demand: a large diff's text is not rebuilt every frame.
        if ui.button("Copy as text").clicked()
            && let Some(computed) = &view.computed
        {
            ui.ctx()
                .copy_text(to_text(&computed.diff, title, view.mask_env));
        }
        if ui.button("Copy as Markdown").clicked()
            && let Some(computed) = &view.computed
        {
            ui.ctx()
                .copy_text(to_markdown(&computed.diff, title, view.mask_env));
        }
        if ui
            .button("⇄ Swap")
            .on_hover_text("Swap old and new")
            .clicked()
        {
            actions.push(Action::Navigate(crate::model::Route::Compare {
                old: new.clone(),
                new: old.clone(),
            }));
        }
    });
}

/// N and P move between changes when no text field has the keyboard.
fn keys(view: &mut CompareView, ui: &Ui) {
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::N)) {
        view.step(true);
    }
    if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::P)) {
        view.step(false);
    }
}

fn status_tone(status: RowStatus) -> Option<Tone> {
    match status {
        RowStatus::Same => None,
        RowStatus::Added => Some(Tone::Good),
        RowStatus::Removed => Some(Tone::Bad),
        RowStatus::Changed => Some(Tone::Warn),
    }
}

fn value_cell(ui: &mut Ui, row: &Row, value: Option<&str>, tone: Option<Tone>, mask: bool) {
    let Some(value) = value else {
        return;
    };
    let shown = if mask && row.env_value { MASK } else { value };
    let mut text = RichText::new(shown).monospace();
    if let Some(tone) = tone {
        text = text.color(tone.color(ui.visuals().dark_mode));
    }
    if row.image && row.status == RowStatus::Changed {
        text = text.strong();
    }
    ui.add(egui::Label::new(text).truncate())
        .on_hover_text(shown);
}

/// A row's field name, indented by depth and signed by status; the first row of an unchanged
/// section is a link that folds or unfolds it (true when clicked).
fn field_cell_ui(ui: &mut Ui, row: &Row, section: &Section, is_section: bool, open: bool) -> bool {
    ui.add_space(row.depth as f32 * 14.0);
    let sign = match row.status {
        RowStatus::Added => "+ ",
        RowStatus::Removed => "− ",
        RowStatus::Changed => "~ ",
        RowStatus::Same => "  ",
    };
    if is_section && section.changed == 0 {
        let fields = section.rows.len().saturating_sub(1);
        let hint = if open { "hide" } else { "show" };
        let text = format!("{sign}{} — unchanged ({fields} fields, {hint})", row.label);
        return ui.link(text).clicked();
    }
    let mut label = RichText::new(format!("{sign}{}", row.label));
    if row.header {
        label = label.strong();
    }
    if let Some(tone) = status_tone(row.status) {
        label = label.color(tone.color(ui.visuals().dark_mode));
    }
    ui.add(egui::Label::new(label).truncate())
        .on_hover_text(&row.path);
    false
}

/// Old and new aligned by field, unchanged sections folded.
fn side_by_side_ui(view: &mut CompareView, ui: &mut Ui) {
    let Some(computed) = &view.computed else {
        return;
    };
    let layout = &computed.layout;
    let visible = view.visible().to_vec();
    let cursor = view.cursor_position();
    let mask = view.mask_env;
    let mut toggle = None;
    let mut builder = TableBuilder::new(ui)
        .id_salt("compare-table")
        .striped(true)
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(
            Column::initial(300.0)
                .at_least(120.0)
                .clip(true)
                .resizable(true),
        )
        .column(
            Column::initial(380.0)
                .at_least(80.0)
                .clip(true)
                .resizable(true),
        )
        .column(Column::remainder().at_least(80.0).clip(true));
    if let Some(position) = view.scroll_to.take() {
        builder = builder.scroll_to_row(position, Some(egui::Align::Center));
    }
    builder
        .header(crate::ui::widgets::theme::HEADER_HEIGHT, |mut header| {
            for title in ["Field", "Old", "New"] {
                header.col(|ui| {
                    ui.label(RichText::new(title).strong());
                });
            }
        })
        .body(|body| {
            body.rows(
                crate::ui::widgets::theme::ROW_HEIGHT,
                visible.len(),
                |mut table_row| {
                    let position = table_row.index();
                    let row = &layout.rows[visible[position]];
                    table_row.set_selected(cursor == Some(position));
                    let section = &layout.sections[row.section];
                    let is_section = visible[position] == section.rows.start;
                    table_row.col(|ui| {
                        let open = view.expanded.contains(&row.section);
                        if field_cell_ui(ui, row, section, is_section, open) {
                            toggle = Some(row.section);
                        }
                    });
                    table_row.col(|ui| {
                        let tone = matches!(row.status, RowStatus::Removed | RowStatus::Changed)
                            .then_some(Tone::Bad);
                        value_cell(ui, row, row.old.as_deref(), tone, mask);
                    });
                    table_row.col(|ui| {
                        let tone = matches!(row.status, RowStatus::Added | RowStatus::Changed)
                            .then_some(Tone::Good);
                        value_cell(ui, row, row.new.as_deref(), tone, mask);
                    });
                },
            );
        });
    if let Some(section) = toggle
        && !view.expanded.remove(&section)
    {
        view.expanded.insert(section);
    }
}
