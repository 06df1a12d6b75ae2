//! Form building blocks over a task-definition document: every widget reads its value from
//! the document each frame and, when the user changes it, queues an edit at a JSON pointer.

use crate::model::task_defs::task_def::{ScalarKind, TaskDefDocument, pointer_token, value_text};
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};
use serde_json::{Map, Value};

/// A change to apply to the document after the frame's form is drawn.
pub type Edit = Box<dyn FnOnce(&mut TaskDefDocument)>;

fn read_only_id() -> egui::Id {
    egui::Id::unique("td-form-read-only")
}

/// Marks the form drawn next as read-only (fields can be read, selected and expanded, not changed).
pub fn set_form_editable(ui: &Ui, editable: bool) {
    ui.data_mut(|d| d.insert_temp(read_only_id(), !editable));
}

/// False while a read-only form is drawn.
pub fn editable(ui: &Ui) -> bool {
    !ui.data(|d| d.get_temp::<bool>(read_only_id()).unwrap_or(false))
}

/// A small button that is disabled in a read-only form.
pub fn edit_button(ui: &mut Ui, text: &str) -> egui::Response {
    ui.add_enabled(editable(ui), egui::Button::new(text).small())
}

/// `/containerDefinitions/0/image` → `containerDefinitions[0].image`, the findings' notation.
pub fn finding_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(token);
        }
    }
    out
}

/// One finding as the form shows it: `(is_error, path, message)`.
pub type FormFinding = (bool, String, String);

/// Findings for the form.
pub type Findings<'a> = &'a [FormFinding];

/// The findings exactly at `pointer`, in red (errors) or amber (warnings), under its field.
pub fn findings_ui(ui: &mut Ui, findings: Findings<'_>, pointer: &str) {
    let path = finding_path(pointer);
    for (error, at, message) in findings {
        if *at == path {
            finding_line_ui(ui, *error, message);
        }
    }
}

/// One finding line.
pub fn finding_line_ui(ui: &mut Ui, error: bool, message: &str) {
    let tone = if error { Tone::Bad } else { Tone::Warn };
    let color = tone.color(ui.visuals().dark_mode);
    ui.label(
        RichText::new(format!("{} {message}", tone.glyph()))
            .small()
            .color(color),
    );
}

/// The document and its findings, as every form field reads them.
#[derive(Clone, Copy)]
pub struct FormData<'a> {
    /// The document.
    pub doc: &'a TaskDefDocument,
    /// Its findings.
    pub findings: Findings<'a>,
}

/// A labelled one-line field in a two-column grid (the label names it for screen readers).
pub fn text_row_ui(
    ui: &mut Ui,
    FormData { doc, findings }: FormData<'_>,
    label: &str,
    pointer: &str,
    kind: ScalarKind,
    hint: &str,
    edits: &mut Vec<Edit>,
) {
    let label = ui.label(label);
    ui.vertical(|ui| {
        text_cell_ui(ui, doc, pointer, kind, hint, 260.0, edits).labelled_by(label.id);
        findings_ui(ui, findings, pointer);
    });
    ui.end_row();
}

/// A bare text field for `pointer` (table cells).
pub fn text_cell_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    pointer: &str,
    kind: ScalarKind,
    hint: &str,
    width: f32,
    edits: &mut Vec<Edit>,
) -> egui::Response {
    let mut text = doc.text_at(pointer);
    // Sized explicitly: inside a grid a text field otherwise shrinks to the column's last width.
    let response = ui.add_sized(
        [width, crate::ui::widgets::theme::ROW_HEIGHT],
        egui::TextEdit::singleline(&mut text)
            .hint_text(hint)
            .interactive(editable(ui)),
    );
    if response.changed() {
        let pointer = pointer.to_owned();
        edits.push(Box::new(move |doc| {
            doc.set_text_at(&pointer, &text, kind);
        }));
    }
    response
}

/// A checkbox for a boolean field; `absent` is what ECS assumes when the field is missing.
pub fn bool_row_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    label: &str,
    pointer: &str,
    absent: bool,
    edits: &mut Vec<Edit>,
) {
    let mut value = doc.at(pointer).and_then(Value::as_bool).unwrap_or(absent);
    let enabled = editable(ui);
    if ui
        .add_enabled(enabled, egui::Checkbox::new(&mut value, label))
        .changed()
    {
        let pointer = pointer.to_owned();
        edits.push(Box::new(move |doc| {
            doc.set_at(&pointer, Some(Value::Bool(value)));
        }));
    }
}

/// A choice among `options` ("" = unset, shown as `(not set)`).
pub fn choice_row_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    label: &str,
    pointer: &str,
    options: &[&str],
    edits: &mut Vec<Edit>,
) {
    let label_response = ui.label(label);
    let current = doc.text_at(pointer);
    let shown = if current.is_empty() {
        "(not set)".to_owned()
    } else {
        current.clone()
    };
    let mut chosen = None;
    if !editable(ui) {
        ui.label(shown).labelled_by(label_response.id);
        ui.end_row();
        return;
    }
    egui::ComboBox::from_id_salt(pointer)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for option in std::iter::once(&"").chain(options) {
                let text = if option.is_empty() {
                    "(not set)"
                } else {
                    option
                };
                if ui.selectable_label(current == *option, text).clicked() {
                    chosen = Some((*option).to_owned());
                }
            }
        })
        .response
        .labelled_by(label_response.id);
    ui.end_row();
    if let Some(value) = chosen.filter(|v| *v != current) {
        let pointer = pointer.to_owned();
        edits.push(Box::new(move |doc| {
            doc.set_text_at(&pointer, &value, ScalarKind::Text);
        }));
    }
}

/// A list of strings edited one per line (`command`, `entryPoint`, health-check command).
pub fn lines_row_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    findings: Findings<'_>,
    label: &str,
    pointer: &str,
    edits: &mut Vec<Edit>,
) {
    let label_response = ui.label(label).on_hover_text("One argument per line");
    ui.vertical(|ui| {
        let mut text = doc.strings_at(pointer).join("\n");
        let response = ui.add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(1)
                .desired_width(260.0)
                .hint_text("one argument per line")
                .interactive(editable(ui)),
        );
        let response = response.labelled_by(label_response.id);
        if response.changed() {
            let pointer = pointer.to_owned();
            edits.push(Box::new(move |doc| {
                let items: Vec<String> = if text.is_empty() {
                    Vec::new()
                } else {
                    text.split('\n').map(str::to_owned).collect()
                };
                doc.set_strings_at(&pointer, &items);
            }));
        }
        findings_ui(ui, findings, pointer);
    });
    ui.end_row();
}

/// One column of an object list.
pub struct ListColumn {
    /// The object key.
    pub key: &'static str,
    /// Header text.
    pub title: &'static str,
    /// What type new values get.
    pub kind: ScalarKind,
    /// Field width.
    pub width: f32,
}

/// A list of objects as rows of fields with remove buttons and an Add button. Keys the
/// columns do not show stay in each object untouched.
pub fn object_list_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    findings: Findings<'_>,
    pointer: &str,
    columns: &[ListColumn],
    add_label: &str,
    edits: &mut Vec<Edit>,
) {
    let items = doc.list_at(pointer);
    if !items.is_empty() {
        egui::Grid::new(pointer)
            .num_columns(columns.len() + 1)
            .spacing([6.0, 2.0])
            .show(ui, |ui| {
                // Each cell is named by its column header, for screen readers and tests.
                let headers: Vec<egui::Id> = columns
                    .iter()
                    .map(|column| ui.label(RichText::new(column.title).small().weak()).id)
                    .collect();
                ui.end_row();
                for index in 0..items.len() {
                    for (column, header) in columns.iter().zip(&headers) {
                        let at = format!("{pointer}/{index}/{}", column.key);
                        if column.kind == ScalarKind::Bool {
                            bool_row_ui(ui, doc, column.title, &at, false, edits);
                        } else {
                            text_cell_ui(
                                ui,
                                doc,
                                &at,
                                column.kind,
                                column.title,
                                column.width,
                                edits,
                            )
                            .labelled_by(*header);
                        }
                    }
                    if edit_button(ui, "×").on_hover_text("Remove").clicked() {
                        let pointer = pointer.to_owned();
                        edits.push(Box::new(move |doc| {
                            doc.remove_at(&pointer, index);
                        }));
                    }
                    ui.end_row();
                }
            });
        for index in 0..items.len() {
            let item = format!("{pointer}/{index}");
            let path = finding_path(&item);
            for (error, at, message) in findings {
                if at.starts_with(&path) && at[path.len()..].starts_with(['.', '[']) || *at == path
                {
                    finding_line_ui(
                        ui,
                        *error,
                        &format!("{}: {message}", &at[path.len()..].trim_start_matches('.')),
                    );
                }
            }
        }
    }
    if edit_button(ui, &format!("+ {add_label}")).clicked() {
        let pointer = pointer.to_owned();
        edits.push(Box::new(move |doc| {
            doc.push_at(&pointer, Value::Object(Map::new()));
        }));
    }
}

/// The value of a nested key, for headers and summaries.
pub fn summary_text(value: Option<&Value>) -> String {
    value.map(value_text).unwrap_or_default()
}

/// The keys of the object at `pointer` (except `skip`) as editable key/value rows.
pub fn map_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    pointer: &str,
    skip: &[&str],
    noun: &str,
    edits: &mut Vec<Edit>,
) {
    let entries: Vec<(String, String)> = doc
        .at(pointer)
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter(|(k, _)| !skip.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), value_text(v)))
                .collect()
        })
        .unwrap_or_default();
    if !entries.is_empty() {
        egui::Grid::new((pointer, "map"))
            .num_columns(3)
            .spacing([6.0, 2.0])
            .show(ui, |ui| {
                let key_header = ui
                    .label(RichText::new(format!("{noun} name")).small().weak())
                    .id;
                let value_header = ui.label(RichText::new("Value").small().weak()).id;
                ui.end_row();
                for (key, value) in entries {
                    let mut new_key = key.clone();
                    let response = ui.add_sized(
                        [180.0, crate::ui::widgets::theme::ROW_HEIGHT],
                        egui::TextEdit::singleline(&mut new_key).interactive(editable(ui)),
                    );
                    if response.labelled_by(key_header).changed() {
                        let pointer = pointer.to_owned();
                        let old = key.clone();
                        edits.push(Box::new(move |doc| {
                            doc.rename_key_at(&pointer, &old, &new_key);
                        }));
                    }
                    let at = format!("{pointer}/{}", pointer_token(&key));
                    let mut text = value;
                    let response = ui.add_sized(
                        [260.0, crate::ui::widgets::theme::ROW_HEIGHT],
                        egui::TextEdit::singleline(&mut text).interactive(editable(ui)),
                    );
                    if response.labelled_by(value_header).changed() {
                        let at = at.clone();
                        edits.push(Box::new(move |doc| {
                            doc.set_at(&at, Some(Value::from(text)));
                        }));
                    }
                    if edit_button(ui, "×").on_hover_text("Remove").clicked() {
                        edits.push(Box::new(move |doc| {
                            doc.set_at(&at, None);
                        }));
                    }
                    ui.end_row();
                }
            });
    }
    if edit_button(ui, &format!("+ {noun}")).clicked() {
        let pointer = pointer.to_owned();
        edits.push(Box::new(move |doc| {
            let taken = doc
                .at(&pointer)
                .and_then(Value::as_object)
                .map_or(0, Map::len);
            let key = format!("option-{}", taken + 1);
            doc.set_at(
                &format!("{pointer}/{}", pointer_token(&key)),
                Some(Value::from("")),
            );
        }));
    }
}

/// A list column.
pub const fn col(
    key: &'static str,
    title: &'static str,
    kind: ScalarKind,
    width: f32,
) -> ListColumn {
    ListColumn {
        key,
        title,
        kind,
        width,
    }
}

/// Findings as the form shows them: (is error, path, message).
pub fn findings_of(doc: &crate::model::task_defs::task_def::TaskDefDocument) -> Vec<FormFinding> {
    crate::model::task_defs::task_def_validate::validate(doc)
        .into_iter()
        .map(|f| (true, f.path, f.message))
        .chain(
            crate::model::task_defs::task_def_lint::lint(doc)
                .into_iter()
                .map(|f| (false, f.path, f.message)),
        )
        .collect()
}
