//! One container's fields in the task-definition form, described as data: which keys, which
//! labels, which types.

use super::fields::col;
use super::fields::{
    Edit, FormData, ListColumn, bool_row_ui, choice_row_ui, findings_ui, lines_row_ui, map_ui,
    object_list_ui, text_row_ui,
};
use crate::model::task_defs::task_def::ScalarKind;
use egui::{RichText, Ui};

use ScalarKind::{Bool, Int, Text};

/// Scalar rows: label, key (a pointer below the container), type, hint.
pub type Row = (&'static str, &'static str, ScalarKind, &'static str);

const BASICS: [Row; 9] = [
    ("Name", "name", Text, "web"),
    ("Image", "image", Text, "repo/app:1.2.3"),
    ("CPU units", "cpu", Int, "0"),
    ("Memory hard limit (MiB)", "memory", Int, ""),
    ("Memory reservation (MiB)", "memoryReservation", Int, ""),
    ("User", "user", Text, "1000:1000"),
    ("Working directory", "workingDirectory", Text, "/app"),
    ("Stop timeout (s)", "stopTimeout", Int, "30"),
    ("Start timeout (s)", "startTimeout", Int, ""),
];

const HEALTH: [Row; 4] = [
    ("Interval (s)", "healthCheck/interval", Int, "30"),
    ("Timeout (s)", "healthCheck/timeout", Int, "5"),
    ("Retries", "healthCheck/retries", Int, "3"),
    ("Start period (s)", "healthCheck/startPeriod", Int, "0"),
];

const AWSLOGS: [Row; 3] = [
    (
        "awslogs group",
        "logConfiguration/options/awslogs-group",
        Text,
        "/ecs/web",
    ),
    (
        "awslogs region",
        "logConfiguration/options/awslogs-region",
        Text,
        "us-east-1",
    ),
    (
        "awslogs stream prefix",
        "logConfiguration/options/awslogs-stream-prefix",
        Text,
        "web",
    ),
];

const LOG_DRIVERS: [&str; 7] = [
    "awslogs",
    "awsfirelens",
    "fluentd",
    "json-file",
    "splunk",
    "syslog",
    "none",
];

/// A list of objects under the container: title, key, Add-button noun, note, columns.
pub struct ListSection {
    /// Section title.
    pub title: &'static str,
    /// The list's key (a pointer below the base).
    pub key: &'static str,
    /// What the Add button adds.
    pub noun: &'static str,
    /// A line of help above the list.
    pub note: Option<&'static str>,
    /// Its columns.
    pub columns: &'static [ListColumn],
}

const LISTS_BEFORE: [ListSection; 3] = [
    ListSection {
        title: "Port mappings",
        key: "portMappings",
        noun: "Port",
        note: None,
        columns: &[
            col("containerPort", "Container port", Int, 70.0),
            col("hostPort", "Host port", Int, 70.0),
            col("protocol", "Protocol", Text, 50.0),
            col("appProtocol", "App protocol", Text, 60.0),
            col("name", "Port name", Text, 100.0),
        ],
    },
    ListSection {
        title: "Environment",
        key: "environment",
        noun: "Variable",
        note: None,
        columns: &[
            col("name", "Variable", Text, 180.0),
            col("value", "Value", Text, 240.0),
        ],
    },
    ListSection {
        title: "Secrets",
        key: "secrets",
        noun: "Secret",
        note: Some("References only: the value stays in Secrets Manager or SSM."),
        columns: &[
            col("name", "Secret", Text, 160.0),
            col("valueFrom", "valueFrom (ARN)", Text, 320.0),
        ],
    },
];

const LISTS_AFTER: [ListSection; 3] = [
    ListSection {
        title: "Depends on",
        key: "dependsOn",
        noun: "Dependency",
        note: Some("Condition: START, COMPLETE, SUCCESS or HEALTHY."),
        columns: &[
            col("containerName", "Container", Text, 140.0),
            col("condition", "Condition", Text, 120.0),
        ],
    },
    ListSection {
        title: "Mount points",
        key: "mountPoints",
        noun: "Mount point",
        note: None,
        columns: &[
            col("sourceVolume", "Volume", Text, 120.0),
            col("containerPath", "Container path", Text, 180.0),
            col("readOnly", "Read-only", Bool, 40.0),
        ],
    },
    ListSection {
        title: "Ulimits",
        key: "ulimits",
        noun: "Ulimit",
        note: None,
        columns: &[
            col("name", "Ulimit", Text, 100.0),
            col("softLimit", "Soft", Int, 80.0),
            col("hardLimit", "Hard", Int, 80.0),
        ],
    },
];

/// A collapsible section, open when it has items; its open state does not depend on the count.
fn section_ui(ui: &mut Ui, title: &str, count: Option<usize>, add: impl FnOnce(&mut Ui)) {
    let text = match count {
        Some(n) => format!("{title} ({n})"),
        None => title.to_owned(),
    };
    egui::CollapsingHeader::new(text)
        .id_salt(title)
        .default_open(count.is_some_and(|n| n > 0))
        .show(ui, add);
}

/// Text rows below `base`.
pub fn rows_ui(ui: &mut Ui, form: FormData<'_>, base: &str, rows: &[Row], edits: &mut Vec<Edit>) {
    for (label, key, kind, hint) in rows {
        text_row_ui(
            ui,
            form,
            label,
            &format!("{base}/{key}"),
            *kind,
            hint,
            edits,
        );
    }
}

/// List sections below `base`.
pub fn lists_ui(
    ui: &mut Ui,
    form: FormData<'_>,
    base: &str,
    sections: &[ListSection],
    edits: &mut Vec<Edit>,
) {
    for section in sections {
        let pointer = format!("{base}/{}", section.key);
        let count = form.doc.list_at(&pointer).len();
        section_ui(ui, section.title, Some(count), |ui| {
            if let Some(note) = section.note {
                ui.label(RichText::new(note).small().weak());
            }
            object_list_ui(
                ui,
                form.doc,
                form.findings,
                &pointer,
                section.columns,
                section.noun,
                edits,
            );
        });
    }
}

/// Fields of container `index`.
pub fn container_body_ui(ui: &mut Ui, form: FormData<'_>, index: usize, edits: &mut Vec<Edit>) {
    let FormData { doc, findings } = form;
    let base = format!("/containerDefinitions/{index}");
    let at = |key: &str| format!("{base}/{key}");
    findings_ui(ui, findings, &base);
    grid_ui(ui, ("container-grid", index), |ui| {
        rows_ui(ui, form, &base, &BASICS[..2], edits);
        ui.label("");
        ui.vertical(|ui| {
            for (label, key, absent) in [
                ("Essential", "essential", true),
                ("Read-only root filesystem", "readonlyRootFilesystem", false),
            ] {
                bool_row_ui(ui, doc, label, &at(key), absent, edits);
                findings_ui(ui, findings, &at(key));
            }
        });
        ui.end_row();
        rows_ui(ui, form, &base, &BASICS[2..], edits);
        lines_row_ui(ui, doc, findings, "Entry point", &at("entryPoint"), edits);
        lines_row_ui(ui, doc, findings, "Command", &at("command"), edits);
    });
    lists_ui(ui, form, &base, &LISTS_BEFORE, edits);
    section_ui(ui, "Health check", None, |ui| {
        grid_ui(ui, ("health-grid", index), |ui| {
            let pointer = at("healthCheck/command");
            lines_row_ui(ui, doc, findings, "Health command", &pointer, edits);
            rows_ui(ui, form, &base, &HEALTH, edits);
        });
    });
    section_ui(ui, "Logging", None, |ui| {
        grid_ui(ui, ("log-grid", index), |ui| {
            let pointer = at("logConfiguration/logDriver");
            choice_row_ui(ui, doc, "Log driver", &pointer, &LOG_DRIVERS, edits);
            rows_ui(ui, form, &base, &AWSLOGS, edits);
        });
        ui.label(RichText::new("Other driver options").small().weak());
        let skip = ["awslogs-group", "awslogs-region", "awslogs-stream-prefix"];
        map_ui(
            ui,
            doc,
            &at("logConfiguration/options"),
            &skip,
            "Option",
            edits,
        );
        findings_ui(ui, findings, &at("logConfiguration"));
    });
    lists_ui(ui, form, &base, &LISTS_AFTER, edits);
}

/// A two-column label/field grid.
pub fn grid_ui(ui: &mut Ui, id: impl std::hash::Hash + std::fmt::Debug, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, add);
}
