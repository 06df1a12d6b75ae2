//! The side-by-side view of a diff as rows: both canonical trees walked together, each field on
//! one row with its old and new value, grouped in sections (the task, then each container) so
//! unchanged sections can collapse to one line.

use super::task_def::value_text;
use super::td_normalise::Node;
use serde_json::Value;

/// How a row differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    /// The same on both sides.
    Same,
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides, different.
    Changed,
}

/// One line of the side-by-side view.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Indentation level (0 = section header).
    pub depth: usize,
    /// The field's name (`image`, `LOG_LEVEL`, `8080/tcp`).
    pub label: String,
    /// The full path, as the diff reports it.
    pub path: String,
    /// Old value as text; None when absent or for a header.
    pub old: Option<String>,
    /// New value as text.
    pub new: Option<String>,
    /// How it differs (a header takes the strongest status below it).
    pub status: RowStatus,
    /// A header row (an object, a keyed list, a container).
    pub header: bool,
    /// Index of the section the row belongs to.
    pub section: usize,
    /// A plain environment value (maskable).
    pub env_value: bool,
    /// A container image (emphasised when changed).
    pub image: bool,
}

/// One section: the task's own fields, or one container.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Title: `Task` or `Container web`.
    pub title: String,
    /// Rows of the section (indices into the row list), header included.
    pub rows: std::ops::Range<usize>,
    /// Rows in it that differ.
    pub changed: usize,
}

/// The whole side-by-side layout.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SideBySide {
    /// Every row, in order.
    pub rows: Vec<Row>,
    /// The sections they fall in.
    pub sections: Vec<Section>,
}

fn text(node: &Node) -> String {
    match node {
        Node::Scalar(v) => value_text(v),
        Node::List(items) if items.iter().all(|i| matches!(i, Node::Scalar(_))) => items
            .iter()
            .map(|i| match i {
                Node::Scalar(v) => value_text(v),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => serde_json::to_string(&other.to_value()).unwrap_or_default(),
    }
}

fn is_leaf(node: &Node) -> bool {
    match node {
        Node::Scalar(_) => true,
        Node::List(items) => items.iter().all(|i| matches!(i, Node::Scalar(_))),
        // A set of strings (`requiresCompatibilities`) reads best on one line.
        Node::Keyed(items) => items.values().all(|v| *v == Node::owned(Value::Bool(true))),
        Node::Object(_) => false,
    }
}

fn leaf_text(node: &Node) -> String {
    match node {
        Node::Keyed(items) => items.keys().cloned().collect::<Vec<_>>().join(", "),
        other => text(other),
    }
}

fn children<'n, 'a>(node: &'n Node<'a>) -> Vec<(String, bool, &'n Node<'a>)> {
    match node {
        Node::Object(fields) => fields
            .iter()
            .map(|(k, v)| (k.to_string(), false, v))
            .collect(),
        Node::Keyed(items) => items
            .iter()
            .map(|(k, v)| (k.to_string(), true, v))
            .collect(),
        Node::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), true, v))
            .collect(),
        Node::Scalar(_) => Vec::new(),
    }
}

struct Builder {
    rows: Vec<Row>,
    section: usize,
}

impl Builder {
    /// Adds the rows for one field present on either side; returns its status.
    fn field(
        &mut self,
        depth: usize,
        label: &str,
        path: &str,
        old: Option<&Node>,
        new: Option<&Node>,
    ) -> RowStatus {
        let leaf = old.is_none_or(is_leaf) && new.is_none_or(is_leaf);
        let env_value = path.contains("].environment[");
        let image = path.ends_with("].image");
        if leaf {
            let status = match (old, new) {
                (Some(a), Some(b)) if a == b => RowStatus::Same,
                (Some(_), Some(_)) => RowStatus::Changed,
                (None, Some(_)) => RowStatus::Added,
                _ => RowStatus::Removed,
            };
            self.rows.push(Row {
                depth,
                label: label.to_owned(),
                path: path.to_owned(),
                old: old.map(leaf_text),
                new: new.map(leaf_text),
                status,
                header: false,
                section: self.section,
                env_value,
                image,
            });
            return status;
        }
        let header_at = self.rows.len();
        self.rows.push(Row {
            depth,
            label: label.to_owned(),
            path: path.to_owned(),
            old: None,
            new: None,
            status: RowStatus::Same,
            header: true,
            section: self.section,
            env_value: false,
            image: false,
        });
        let status = self.children(depth + 1, path, old, new);
        let status = match (old, new) {
            (None, Some(_)) => RowStatus::Added,
            (Some(_), None) => RowStatus::Removed,
            _ => status,
        };
        self.rows[header_at].status = status;
        status
    }

    fn children(
        &mut self,
        depth: usize,
        path: &str,
        old: Option<&Node>,
        new: Option<&Node>,
    ) -> RowStatus {
        let a = old.map(children).unwrap_or_default();
        let b = new.map(children).unwrap_or_default();
        let mut status = RowStatus::Same;
        let mut visit =
            |builder: &mut Self, key: &str, bracket: bool, x: Option<&Node>, y: Option<&Node>| {
                let child = if bracket {
                    format!("{path}[{key}]")
                } else if path.is_empty() {
                    key.to_owned()
                } else {
                    format!("{path}.{key}")
                };
                if builder.field(depth, key, &child, x, y) != RowStatus::Same {
                    status = RowStatus::Changed;
                }
            };
        let keyed = matches!(old, Some(Node::Keyed(_))) || matches!(new, Some(Node::Keyed(_)));
        let mut keys: Vec<(&String, bool)> =
            a.iter().map(|(k, bracket, _)| (k, *bracket)).collect();
        keys.extend(
            b.iter()
                .filter(|(k, _, _)| !a.iter().any(|(ak, _, _)| ak == k))
                .map(|(k, bracket, _)| (k, *bracket)),
        );
        // Keyed lists read in name order with additions in place; objects in document order.
        if keyed {
            keys.sort();
        }
        for (key, bracket) in keys {
            let x = a.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| *v);
            let y = b.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| *v);
            visit(self, key, bracket, x, y);
        }
        status
    }
}

/// Rows for the side-by-side view of two canonical trees (`td_normalise::normalise`).
pub fn side_by_side(old: &Node, new: &Node) -> SideBySide {
    let mut builder = Builder {
        rows: Vec::new(),
        section: 0,
    };
    let mut sections = Vec::new();
    // Section 0: the task's own fields (everything but the containers).
    fn strip<'a>(node: &Node<'a>) -> Node<'a> {
        match node {
            Node::Object(fields) => Node::Object(
                fields
                    .iter()
                    .filter(|(k, _)| k != "containers")
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let start = builder.rows.len();
    builder.field(0, "Task", "", Some(&strip(old)), Some(&strip(new)));
    sections.push((String::from("Task"), start));
    let empty = Node::Keyed(Default::default());
    let old_containers = old.field("containers").unwrap_or(&empty);
    let new_containers = new.field("containers").unwrap_or(&empty);
    let a = children(old_containers);
    let b = children(new_containers);
    let mut names: Vec<String> = a.iter().map(|(k, _, _)| k.clone()).collect();
    let added: Vec<String> = b
        .iter()
        .map(|(k, _, _)| k.clone())
        .filter(|k| !names.contains(k))
        .collect();
    names.extend(added);
    for name in names {
        builder.section = sections.len();
        let start = builder.rows.len();
        let x = a.iter().find(|(k, _, _)| *k == name).map(|(_, _, v)| *v);
        let y = b.iter().find(|(k, _, _)| *k == name).map(|(_, _, v)| *v);
        builder.field(
            0,
            &format!("Container {name}"),
            &format!("containers[{name}]"),
            x,
            y,
        );
        sections.push((format!("Container {name}"), start));
    }
    let rows = builder.rows;
    let sections = sections
        .iter()
        .enumerate()
        .map(|(i, (title, start))| {
            let end = sections.get(i + 1).map_or(rows.len(), |(_, s)| *s);
            Section {
                title: title.clone(),
                rows: *start..end,
                changed: rows[*start..end]
                    .iter()
                    .filter(|r| !r.header && r.status != RowStatus::Same)
                    .count(),
            }
        })
        .collect();
    SideBySide { rows, sections }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_def::TaskDefDocument;
    use crate::td_normalise::normalise;

    fn doc(text: &str) -> TaskDefDocument {
        TaskDefDocument::parse(text).unwrap()
    }

    #[test]
    fn rows_align_fields_and_sections_count_their_changes() {
        let old = doc(
            r#"{"family": "f", "memory": "512", "containerDefinitions": [
                {"name": "web", "image": "r/web:1", "environment": [{"name": "A", "value": "1"}]},
                {"name": "log", "image": "fluent-bit:2"}]}"#,
        );
        let new = doc(
            r#"{"family": "f", "memory": "1024", "containerDefinitions": [
                {"name": "log", "image": "fluent-bit:2"},
                {"name": "web", "image": "r/web:2", "environment": [{"name": "A", "value": "1"},
                 {"name": "B", "value": "2"}]}]}"#,
        );
        let view = side_by_side(&normalise(&old), &normalise(&new));
        let titles: Vec<(&str, usize)> = view
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.changed))
            .collect();
        // Containers sorted by name, as ECS does not order them.
        assert_eq!(
            titles,
            [("Task", 1), ("Container log", 0), ("Container web", 2)]
        );
        let memory = view.rows.iter().find(|r| r.path == "memory").unwrap();
        assert_eq!(
            (memory.old.as_deref(), memory.new.as_deref(), memory.status),
            (Some("512"), Some("1024"), RowStatus::Changed)
        );
        let image = view
            .rows
            .iter()
            .find(|r| r.path == "containers[web].image")
            .unwrap();
        assert!(image.image && image.status == RowStatus::Changed);
        let b = view
            .rows
            .iter()
            .find(|r| r.path == "containers[web].environment[B]")
            .unwrap();
        assert!(b.env_value && b.status == RowStatus::Added && b.old.is_none());
        let header = &view.rows[view.sections[2].rows.start];
        assert!(header.header && header.status == RowStatus::Changed);
        let log = &view.rows[view.sections[1].rows.start];
        assert_eq!(log.status, RowStatus::Same);
    }
}
