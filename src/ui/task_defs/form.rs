//! The task-definition form: task-level settings, volumes, tags, then one collapsible section
//! per container. Only expanded sections are built, so a 50-container definition stays cheap.

use super::container::{ListSection, Row, container_body_ui, grid_ui, lists_ui, rows_ui};
use super::fields::{
    Edit, Findings, FormData, choice_row_ui, col, edit_button, editable, finding_line_ui,
    finding_path, findings_ui, set_form_editable, summary_text, text_row_ui,
};
use crate::model::task_defs::task_def::{ScalarKind, TaskDefDocument};
use crate::ui::widgets::theme::Tone;
use ScalarKind::{Int, Text};
use egui::{RichText, Ui};
use serde_json::Value;

const COMPATIBILITIES: [&str; 3] = ["FARGATE", "EC2", "EXTERNAL"];

const SIZE: [Row; 2] = [
    ("Task CPU", "cpu", Text, "256 or 1 vCPU"),
    ("Task memory", "memory", Text, "512 (MiB) or 1 GB"),
];

const ROLES: [Row; 3] = [
    ("Task role", "taskRoleArn", Text, "arn:aws:iam::…:role/…"),
    (
        "Execution role",
        "executionRoleArn",
        Text,
        "arn:aws:iam::…:role/ecsTaskExecutionRole",
    ),
    (
        "Ephemeral storage (GiB)",
        "ephemeralStorage/sizeInGiB",
        Int,
        "21–200 (Fargate)",
    ),
];

/// Choices: label, key, options.
const CHOICES: [(&str, &str, &[&str]); 2] = [
    (
        "Operating system",
        "runtimePlatform/operatingSystemFamily",
        &[
            "LINUX",
            "WINDOWS_SERVER_2019_FULL",
            "WINDOWS_SERVER_2019_CORE",
            "WINDOWS_SERVER_2022_FULL",
            "WINDOWS_SERVER_2022_CORE",
        ],
    ),
    (
        "CPU architecture",
        "runtimePlatform/cpuArchitecture",
        &["X86_64", "ARM64"],
    ),
];

const TASK_LISTS: [ListSection; 2] = [
    ListSection {
        title: "Volumes",
        key: "volumes",
        noun: "Volume",
        note: Some(
            "Host path for bind mounts, or an EFS file system; other kinds are kept as written (edit them in JSON).",
        ),
        columns: &[
            col("name", "Volume", Text, 120.0),
            col("host/sourcePath", "Host path", Text, 160.0),
            col(
                "efsVolumeConfiguration/fileSystemId",
                "EFS file system",
                Text,
                140.0,
            ),
            col(
                "efsVolumeConfiguration/rootDirectory",
                "EFS root",
                Text,
                100.0,
            ),
        ],
    },
    ListSection {
        title: "Tags",
        key: "tags",
        noun: "Tag",
        note: None,
        columns: &[
            col("key", "Key", Text, 160.0),
            col("value", "Value", Text, 220.0),
        ],
    },
];

/// Draws the form for `doc`; changes are queued in `edits`. A read-only form can be read,
/// expanded and selected, not changed.
pub fn task_def_form_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    findings: Findings<'_>,
    editable: bool,
    edits: &mut Vec<Edit>,
) {
    set_form_editable(ui, editable);
    let form = FormData { doc, findings };
    egui::CollapsingHeader::new(RichText::new("Task").strong())
        .id_salt("td-task")
        .default_open(true)
        .show(ui, |ui| task_level_ui(ui, form, edits));
    lists_ui(ui, form, "", &TASK_LISTS, edits);
    ui.add_space(6.0);
    containers_ui(ui, doc, findings, edits);
    set_form_editable(ui, true);
}

fn task_level_ui(ui: &mut Ui, form: FormData<'_>, edits: &mut Vec<Edit>) {
    let FormData { doc, findings } = form;
    grid_ui(ui, "td-task-grid", |ui| {
        text_row_ui(ui, form, "Family", "/family", Text, "web-api", edits);
        ui.label("Launch types");
        ui.vertical(|ui| {
            ui.horizontal(|ui| compatibilities_ui(ui, doc, edits));
            findings_ui(ui, findings, "/requiresCompatibilities");
        });
        ui.end_row();
        let modes = ["awsvpc", "bridge", "host", "none"];
        choice_row_ui(ui, doc, "Network mode", "/networkMode", &modes, edits);
        findings_row_ui(ui, findings, "/networkMode");
        rows_ui(ui, form, "", &SIZE, edits);
        for (label, key, options) in CHOICES {
            choice_row_ui(ui, doc, label, &format!("/{key}"), options, edits);
        }
        rows_ui(ui, form, "", &ROLES, edits);
    });
}

fn compatibilities_ui(ui: &mut Ui, doc: &TaskDefDocument, edits: &mut Vec<Edit>) {
    let current = doc.strings_at("/requiresCompatibilities");
    for compatibility in COMPATIBILITIES {
        let mut on = current.iter().any(|c| c == compatibility);
        let enabled = editable(ui);
        let response = ui.add_enabled(enabled, egui::Checkbox::new(&mut on, compatibility));
        if response.changed() {
            let mut next: Vec<String> = current
                .iter()
                .filter(|c| *c != compatibility)
                .cloned()
                .collect();
            if on {
                next.push(compatibility.to_owned());
            }
            edits.push(Box::new(move |doc| {
                doc.set_strings_at("/requiresCompatibilities", &next);
            }));
        }
    }
}

fn findings_row_ui(ui: &mut Ui, findings: Findings<'_>, pointer: &str) {
    let path = finding_path(pointer);
    if findings.iter().any(|(_, at, _)| *at == path) {
        ui.label("");
        ui.vertical(|ui| findings_ui(ui, findings, pointer));
        ui.end_row();
    }
}

fn counts(findings: Findings<'_>, path: &str) -> (usize, usize) {
    let mut errors = 0;
    let mut warnings = 0;
    for (error, at, _) in findings {
        let inside = at == path
            || at
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with(['.', '[']));
        if inside {
            if *error {
                errors += 1;
            } else {
                warnings += 1;
            }
        }
    }
    (errors, warnings)
}

fn containers_ui(
    ui: &mut Ui,
    doc: &TaskDefDocument,
    findings: Findings<'_>,
    edits: &mut Vec<Edit>,
) {
    let containers = doc.containers();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Containers ({})", containers.len())).strong());
        if edit_button(ui, "+ Container").clicked() {
            edits.push(Box::new(|doc| {
                let count = doc.containers().len();
                doc.push_at(
                    "/containerDefinitions",
                    serde_json::json!({"name": format!("container-{}", count + 1), "image": "", "essential": true}),
                );
            }));
        }
    });
    for (error, at, message) in findings {
        if at == "containerDefinitions" {
            finding_line_ui(ui, *error, message);
        }
    }
    let total = containers.len();
    for (index, container) in containers.iter().enumerate() {
        let name = summary_text(container.get("name"));
        let image = summary_text(container.get("image"));
        let (errors, warnings) = counts(findings, &format!("containerDefinitions[{index}]"));
        ui.push_id(("container", index), |ui| {
            let header = container_header(ui, &name, &image, errors, warnings);
            let response = egui::CollapsingHeader::new(header)
                .id_salt(("td-container", index))
                .show(ui, |ui| {
                    container_toolbar_ui(ui, index, total, container, edits);
                    container_body_ui(ui, FormData { doc, findings }, index, edits);
                });
            response
                .header_response
                .on_hover_text(format!("Container {name}"));
        });
    }
}

fn container_header(ui: &Ui, name: &str, image: &str, errors: usize, warnings: usize) -> RichText {
    let mut text = format!("{name} — {image}");
    if errors > 0 {
        text.push_str(&format!("   {} {errors}", Tone::Bad.glyph()));
    }
    if warnings > 0 {
        text.push_str(&format!("   {} {warnings}", Tone::Warn.glyph()));
    }
    let rich = RichText::new(text);
    if errors > 0 {
        rich.color(Tone::Bad.color(ui.visuals().dark_mode))
    } else {
        rich
    }
}

fn container_toolbar_ui(
    ui: &mut Ui,
    index: usize,
    total: usize,
    container: &Value,
    edits: &mut Vec<Edit>,
) {
    const LIST: &str = "/containerDefinitions";
    ui.horizontal(|ui| {
        let enabled = editable(ui);
        if ui
            .add_enabled(enabled && index > 0, egui::Button::new("↑ Up").small())
            .clicked()
        {
            edits.push(Box::new(move |doc| {
                doc.move_item(LIST, index, index - 1);
            }));
        }
        if ui
            .add_enabled(
                enabled && index + 1 < total,
                egui::Button::new("↓ Down").small(),
            )
            .clicked()
        {
            edits.push(Box::new(move |doc| {
                doc.move_item(LIST, index, index + 1);
            }));
        }
        if edit_button(ui, "Duplicate").clicked() {
            let mut copy = container.clone();
            if let Some(map) = copy.as_object_mut() {
                let name = summary_text(map.get("name"));
                map.insert("name".to_owned(), Value::from(format!("{name}-copy")));
            }
            edits.push(Box::new(move |doc| {
                doc.push_at(LIST, copy);
            }));
        }
        if edit_button(ui, "Remove container").clicked() {
            edits.push(Box::new(move |doc| {
                doc.remove_at(LIST, index);
            }));
        }
    });
}
