//! A task definition kept as the JSON document it is. The form reads and edits fields in
//! place, so everything it does not model (unknown or future fields, key order, numbers
//! written as numbers) survives a round trip untouched.

use serde_json::{Map, Value};

/// Fields ECS sets itself; they are stripped before RegisterTaskDefinition.
pub const SERVER_MANAGED: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "requiresAttributes",
    "compatibilities",
];

/// Why a text is not a task definition, and where (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    /// Line of the problem.
    pub line: usize,
    /// Column of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// One task definition document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskDefDocument {
    root: Map<String, Value>,
}

/// What a container-level or task-level text field holds: ECS accepts `"cpu": 512` and
/// `"cpu": "512"` alike.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Writes `text` into `slot` keeping the JSON type the document already used there, so an
/// edit does not turn `"cpu": 256` into `"cpu": "512"` (or the reverse).
fn set_keeping_type(object: &mut Map<String, Value>, key: &str, text: Option<&str>) {
    let Some(text) = text else {
        object.shift_remove(key);
        return;
    };
    let new = match object.get(key) {
        Some(Value::Number(_)) => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::from(text)),
        Some(Value::Bool(_)) => text
            .parse::<bool>()
            .map_or_else(|_| Value::from(text), Value::from),
        _ => Value::from(text),
    };
    if object.get(key) != Some(&new) {
        object.insert(key.to_owned(), new);
    }
}

impl TaskDefDocument {
    /// Parses a `describe-task-definition` output (`{"taskDefinition": …, "tags": …}`) or a
    /// `register-task-definition` input (the fields at the top level).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ParseError {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        Self::from_value(value)
    }

    /// A document from an already parsed JSON value (see [`Self::parse`]).
    pub fn from_value(value: Value) -> Result<Self, ParseError> {
        let Value::Object(mut outer) = value else {
            return Err(ParseError {
                line: 1,
                column: 1,
                message: "a task definition is a JSON object".to_owned(),
            });
        };
        // Unwrapped until no wrapper is left, so a document written out parses back to itself.
        while is_describe_response(&outer) {
            let Some(Value::Object(mut root)) = outer.shift_remove("taskDefinition") else {
                break;
            };
            // describe-task-definition returns the tags beside the definition.
            if let Some(tags) = outer.shift_remove("tags")
                && tags.as_array().is_some_and(|t| !t.is_empty())
                && !root.contains_key("tags")
            {
                root.insert("tags".to_owned(), tags);
            }
            outer = root;
        }
        Ok(Self { root: outer })
    }

    /// The whole document.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.root
    }

    /// The document as pretty JSON, keys in their original order.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.root).unwrap_or_default()
    }

    /// What RegisterTaskDefinition takes: the document without the server-managed fields.
    pub fn register_input(&self) -> Map<String, Value> {
        let mut input = self.root.clone();
        for key in SERVER_MANAGED {
            input.shift_remove(*key);
        }
        input
    }

    /// `family`, if set.
    pub fn family(&self) -> Option<&str> {
        self.root.get("family").and_then(Value::as_str)
    }

    /// A task-level scalar as text (`cpu`, `memory`, `networkMode`, `executionRoleArn`, …).
    pub fn text(&self, key: &str) -> Option<String> {
        self.root.get(key).and_then(as_text)
    }

    /// Sets a task-level scalar (None removes it), keeping the JSON type already used.
    pub fn set_text(&mut self, key: &str, value: Option<&str>) {
        set_keeping_type(&mut self.root, key, value);
    }

    /// The container definitions, in order.
    pub fn containers(&self) -> &[Value] {
        self.root
            .get("containerDefinitions")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    fn container_mut(&mut self, index: usize) -> Option<&mut Map<String, Value>> {
        self.root
            .get_mut("containerDefinitions")?
            .as_array_mut()?
            .get_mut(index)?
            .as_object_mut()
    }

    /// A container-level scalar as text (`name`, `image`, `cpu`, `memory`, `user`, …).
    pub fn container_text(&self, index: usize, key: &str) -> Option<String> {
        self.containers().get(index)?.get(key).and_then(as_text)
    }

    /// Sets a container-level scalar (None removes it); false if there is no such container.
    pub fn set_container_text(&mut self, index: usize, key: &str, value: Option<&str>) -> bool {
        match self.container_mut(index) {
            Some(container) => {
                set_keeping_type(container, key, value);
                true
            }
            None => false,
        }
    }

    /// A container's plain environment, in order.
    pub fn environment(&self, index: usize) -> Vec<(String, String)> {
        let Some(list) = self
            .containers()
            .get(index)
            .and_then(|c| c.get("environment"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|e| {
                let name = e.get("name")?.as_str()?.to_owned();
                let value = e.get("value").and_then(as_text).unwrap_or_default();
                Some((name, value))
            })
            .collect()
    }

    /// Sets (in place, or appended), or with None removes, one environment variable.
    pub fn set_environment_var(&mut self, index: usize, name: &str, value: Option<&str>) -> bool {
        let Some(container) = self.container_mut(index) else {
            return false;
        };
        let list = container
            .entry("environment")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = list.as_array_mut() else {
            return false;
        };
        let position = list
            .iter()
            .position(|e| e.get("name").and_then(Value::as_str) == Some(name));
        match (position, value) {
            (Some(i), Some(value)) => {
                if let Some(entry) = list[i].as_object_mut() {
                    entry.insert("value".to_owned(), Value::from(value));
                }
            }
            (Some(i), None) => {
                list.remove(i);
            }
            (None, Some(value)) => {
                let mut entry = Map::new();
                entry.insert("name".to_owned(), Value::from(name));
                entry.insert("value".to_owned(), Value::from(value));
                list.push(Value::Object(entry));
            }
            (None, None) => {}
        }
        true
    }
}

/// serde_json's message ends with " at line L column C"; the position is reported apart.
fn strip_position(message: &str) -> String {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head)
        .to_owned()
}

/// A describe-task-definition response: the definition under `taskDefinition`, beside it at
/// most its `tags` and the CLI's `ResponseMetadata`. Any other key makes it a definition.
fn is_describe_response(outer: &Map<String, Value>) -> bool {
    outer.get("taskDefinition").is_some_and(Value::is_object)
        && outer
            .keys()
            .all(|k| matches!(k.as_str(), "taskDefinition" | "tags" | "ResponseMetadata"))
}

/// Every path where two JSON values differ (`containerDefinitions[0].image`), for tests and
/// the draft-vs-base summary. Objects compare by key, arrays by position.
pub fn changed_paths(before: &Value, after: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    collect_changes(before, after, String::new(), &mut paths);
    paths
}

fn collect_changes(before: &Value, after: &Value, path: String, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match b.get(key) {
                    Some(other) => collect_changes(value, other, child, out),
                    None => out.push(child),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                });
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let child = format!("{path}[{i}]");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => collect_changes(x, y, child, out),
                    _ => out.push(child),
                }
            }
        }
        _ if before != after => out.push(path),
        _ => {}
    }
}

/// The tag of an image reference: `1.4.2`, `latest` when none is written, or the digest.
pub fn image_tag(image: &str) -> &str {
    if let Some((_, digest)) = image.split_once('@') {
        return digest;
    }
    // A colon after the last slash is a tag; one before it is a registry port.
    let last = image.rsplit('/').next().unwrap_or(image);
    last.rsplit_once(':').map_or("latest", |(_, tag)| tag)
}

#[cfg(test)]
mod tests;

mod display_path;
mod paths;
pub use paths::{ScalarKind, pointer_token, value_text};
