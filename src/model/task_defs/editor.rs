//! The task-definition editor's state: one document seen as a form or as JSON text, with its
//! validation and lint kept current. Switching views never loses an edit: the JSON text is
//! the truth while it does not parse, the document otherwise.

#[cfg(test)]
pub(crate) mod tests;

use super::draft::Draft;
use super::task_def::{ParseError, TaskDefDocument};
use super::task_def_lint::lint;
use super::task_def_validate::{Finding, validate};
use crate::model::changes::aws_cli::{aws_ecs, quote};
use crate::model::connection::Connection;
use serde_json::Value;

/// Which view of the document is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EditorMode {
    /// Fields grouped as the user thinks of them.
    #[default]
    Form,
    /// The JSON text.
    Json,
}

/// One open draft.
#[derive(Clone, Debug)]
pub struct Editor {
    /// Id, base and source of the draft.
    pub draft: Draft,
    /// The view shown.
    pub mode: EditorMode,
    doc: TaskDefDocument,
    json_text: String,
    parse_error: Option<ParseError>,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    edits: u64,
}

impl Editor {
    /// Opens a draft; its text is parsed and checked.
    pub fn open(draft: Draft) -> Self {
        let mut editor = Self {
            json_text: draft.text.clone(),
            draft,
            mode: EditorMode::Form,
            doc: TaskDefDocument::default(),
            parse_error: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            edits: 0,
        };
        editor.reparse();
        editor
    }

    /// A new draft based on a registered revision.
    pub fn from_revision(id: String, base: &TaskDefDocument, source: String) -> Self {
        let json = base.to_pretty_json();
        Self::open(Draft {
            id,
            base_arn: base.text("taskDefinitionArn"),
            base_json: Some(json.clone()),
            text: json,
            saved_at: None,
            source,
        })
    }

    /// The document as last parsed (while the JSON has an error, the last good one).
    pub fn doc(&self) -> &TaskDefDocument {
        &self.doc
    }

    /// The JSON text.
    pub fn json_text(&self) -> &str {
        &self.json_text
    }

    /// Why the JSON text does not parse, if it does not.
    pub fn parse_error(&self) -> Option<&ParseError> {
        self.parse_error.as_ref()
    }

    /// Errors that block registering.
    pub fn errors(&self) -> &[Finding] {
        &self.errors
    }

    /// Warnings.
    pub fn warnings(&self) -> &[Finding] {
        &self.warnings
    }

    /// Findings at `path` or below it (`containerDefinitions[0]` gets that container's).
    pub fn findings_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (bool, &'a Finding)> {
        let hit = move |f: &&Finding| {
            f.path == path
                || f.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        self.errors
            .iter()
            .filter(hit)
            .map(|f| (true, f))
            .chain(self.warnings.iter().filter(hit).map(|f| (false, f)))
    }

    /// Counts every change; the draft is saved when it moves.
    pub fn edits(&self) -> u64 {
        self.edits
    }

    /// Changes the document through the form; the JSON text follows.
    /// Refused (false) while the JSON text has an error, so that text is not overwritten.
    pub fn edit(&mut self, change: impl FnOnce(&mut TaskDefDocument)) -> bool {
        if self.parse_error.is_some() {
            return false;
        }
        let before = self.doc.clone();
        change(&mut self.doc);
        if self.doc != before {
            self.json_text = self.doc.to_pretty_json();
            self.recheck();
            self.edits += 1;
        }
        true
    }

    /// Replaces the JSON text (typing in the JSON view, paste, import).
    pub fn set_json_text(&mut self, text: String) {
        if text == self.json_text {
            return;
        }
        self.json_text = text;
        self.reparse();
        self.edits += 1;
    }

    /// Lets a text widget edit the JSON text in place; `edit` returns true if it changed it.
    pub fn edit_json_text(&mut self, edit: impl FnOnce(&mut String) -> bool) {
        if edit(&mut self.json_text) {
            self.reparse();
            self.edits += 1;
        }
    }

    fn reparse(&mut self) {
        match TaskDefDocument::parse(&self.json_text) {
            Ok(doc) => {
                self.doc = doc;
                self.parse_error = None;
                self.recheck();
            }
            Err(error) => self.parse_error = Some(error),
        }
    }

    fn recheck(&mut self) {
        self.errors = validate(&self.doc);
        self.warnings = lint(&self.doc);
    }

    /// The draft as it should be saved now.
    pub fn to_draft(&self) -> Draft {
        Draft {
            text: self.json_text.clone(),
            ..self.draft.clone()
        }
    }

    /// The register-task-definition input as pretty JSON, when it can be registered.
    pub fn register_input(&self) -> Result<String, String> {
        if let Some(error) = &self.parse_error {
            return Err(format!("the JSON has an error: {error}"));
        }
        if let Some(first) = self.errors.first() {
            return Err(format!(
                "{} error(s) to fix first, e.g. {}: {}",
                self.errors.len(),
                first.path,
                first.message
            ));
        }
        serde_json::to_string_pretty(&Value::Object(self.doc.register_input()))
            .map_err(|e| e.to_string())
    }

    /// A unified diff of the register inputs, base → draft (empty base for a new definition).
    pub fn diff_text(&self) -> String {
        let base = self
            .draft
            .base_json
            .as_deref()
            .and_then(|json| TaskDefDocument::parse(json).ok())
            .map(|doc| pretty(&doc))
            .unwrap_or_default();
        let new = pretty(&self.doc);
        let old_name = self.draft.base_arn.as_deref().unwrap_or("(new)");
        similar::TextDiff::from_lines(&base, &new)
            .unified_diff()
            .context_radius(3)
            .header(old_name, "draft")
            .to_string()
    }
}

fn pretty(doc: &TaskDefDocument) -> String {
    let mut text =
        serde_json::to_string_pretty(&Value::Object(doc.register_input())).unwrap_or_default();
    text.push('\n');
    text
}

/// Task-level fields an AWS error message may name.
const TASK_FIELDS: &[&str] = &[
    "executionRoleArn",
    "taskRoleArn",
    "networkMode",
    "requiresCompatibilities",
    "runtimePlatform",
    "ephemeralStorage",
    "pidMode",
    "ipcMode",
    "volumes",
    "family",
    "memory",
    "cpu",
];

/// The field an AWS error message is about, so the form can show it there: a container
/// named in quotes (`container 'web'`), else a task-level field named in the message.
pub fn aws_error_path(doc: &TaskDefDocument, message: &str) -> Option<String> {
    for (index, container) in doc.containers().iter().enumerate() {
        if let Some(name) = container.get("name").and_then(Value::as_str)
            && !name.is_empty()
            && (message.contains(&format!("'{name}'")) || message.contains(&format!("\"{name}\"")))
        {
            return Some(format!("containerDefinitions[{index}]"));
        }
    }
    let lower = message.to_ascii_lowercase();
    TASK_FIELDS
        .iter()
        .find(|field| {
            let field = field.to_ascii_lowercase();
            lower.match_indices(&field).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + field.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .map(|field| (*field).to_owned())
}

/// The `aws` command that registers `input` against `connection`.
pub fn register_cli_command(input: &str, connection: &Connection) -> String {
    let compact = serde_json::from_str::<Value>(input)
        .ok()
        .and_then(|v| serde_json::to_string(&v).ok())
        .unwrap_or_else(|| input.to_owned());
    format!(
        "{} --cli-input-json {}",
        aws_ecs(connection, "register-task-definition"),
        quote(&compact)
    )
}

/// The `aws` command that deregisters `arn`.
pub fn deregister_cli_command(arn: &str, connection: &Connection) -> String {
    format!(
        "{} --task-definition {}",
        aws_ecs(connection, "deregister-task-definition"),
        quote(arn)
    )
}
