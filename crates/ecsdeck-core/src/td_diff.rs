//! Semantic diff of two task definitions: compares their canonical forms (`td_normalise`) and
//! returns each change with a readable path (`containers[web].environment[LOG_LEVEL]`), plus a
//! one-line summary.

use super::task_def::{TaskDefDocument, image_tag, value_text};
use super::td_normalise::{Node, normalise};
use serde::Serialize;
use serde_json::Value;

/// What happened to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new definition.
    Added,
    /// Only in the old definition.
    Removed,
    /// In both, with different values.
    Changed,
    /// A container with a new name and nothing else changed.
    Renamed,
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Where: `memory`, `containers[web].image`, `containers[web].environment[LOG_LEVEL]`.
    pub path: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The old value (None when added).
    pub old: Option<Value>,
    /// The new value (None when removed).
    pub new: Option<Value>,
}

impl Change {
    /// True for a plain environment value, which the user may mask when sharing a screen.
    pub fn is_env_value(&self) -> bool {
        self.path.contains("].environment[")
    }

    /// The container this change is in, if any.
    pub fn container(&self) -> Option<&str> {
        let rest = self.path.strip_prefix("containers[")?;
        rest.split_once(']').map(|(name, _)| name)
    }
}

/// Every difference between two definitions, in document order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TaskDefDiff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl TaskDefDiff {
    /// True when the definitions are the same once normalised.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The semantic diff from `old` to `new`.
pub fn diff(old: &TaskDefDocument, new: &TaskDefDocument) -> TaskDefDiff {
    let mut changes = Vec::new();
    compare(
        &normalise(old),
        &normalise(new),
        String::new(),
        &mut changes,
    );
    detect_renames(&mut changes);
    TaskDefDiff { changes }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(old: &Node, new: &Node, path: String, out: &mut Vec<Change>) {
    // Equal subtrees (most of a typical diff) cost one comparison and no path strings.
    if old == new {
        return;
    }
    match (old, new) {
        (Node::Object(a), Node::Object(b)) => {
            for (key, value) in a {
                match b.iter().find(|(k, _)| k == key) {
                    // Checked before the path is built: most fields are equal.
                    Some((_, other)) if other == value => {}
                    Some((_, other)) => compare(value, other, join(&path, key), out),
                    None => one_side(join(&path, key), value, ChangeKind::Removed, out),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.iter().any(|(ak, _)| ak == k)) {
                one_side(join(&path, key), value, ChangeKind::Added, out);
            }
        }
        (Node::Keyed(a), Node::Keyed(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) if other == value => {}
                    Some(other) => compare(value, other, format!("{path}[{key}]"), out),
                    None => out.push(removed(format!("{path}[{key}]"), value)),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push(added(format!("{path}[{key}]"), value));
            }
        }
        (Node::List(a), Node::List(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, format!("{path}[{i}]"), out);
            }
        }
        _ => out.push(Change {
            path,
            kind: ChangeKind::Changed,
            old: Some(old.to_value()),
            new: Some(new.to_value()),
        }),
    }
}

/// A field on one side only. A whole keyed list (environment, secrets, ports…) is reported
/// item by item, so `+2 env` counts and masking work the same as for single items; a whole
/// container stays one change.
fn one_side(path: String, node: &Node, kind: ChangeKind, out: &mut Vec<Change>) {
    match node {
        Node::Keyed(items) if path != "containers" => {
            for (key, value) in items {
                one_side(format!("{path}[{key}]"), value, kind, out);
            }
        }
        _ if kind == ChangeKind::Added => out.push(added(path, node)),
        _ => out.push(removed(path, node)),
    }
}

fn added(path: String, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Added,
        old: None,
        new: Some(node.to_value()),
    }
}

fn removed(path: String, node: &Node) -> Change {
    Change {
        path,
        kind: ChangeKind::Removed,
        old: Some(node.to_value()),
        new: None,
    }
}

/// A container removed under one name and added under another with identical contents is a
/// rename: one change instead of two.
fn detect_renames(changes: &mut Vec<Change>) {
    let is_container = |c: &Change| {
        c.path.starts_with("containers[")
            && c.path.ends_with(']')
            && c.path.matches('[').count() == 1
    };
    let mut i = 0;
    while i < changes.len() {
        if changes[i].kind == ChangeKind::Removed && is_container(&changes[i]) {
            let partner = changes.iter().position(|c| {
                c.kind == ChangeKind::Added && is_container(c) && c.new == changes[i].old
            });
            if let Some(j) = partner {
                let old_name = changes[i].container().unwrap_or_default().to_owned();
                let new_name = changes[j].container().unwrap_or_default().to_owned();
                changes[i] = Change {
                    path: changes[i].path.clone(),
                    kind: ChangeKind::Renamed,
                    old: Some(Value::from(old_name)),
                    new: Some(Value::from(new_name)),
                };
                changes.remove(j);
            }
        }
        i += 1;
    }
}

/// `repo/app:1.4.2` vs `repo/app:1.5.0` → `1.4.2 → 1.5.0`; other images in full.
fn image_change(old: &str, new: &str) -> String {
    let repo = |image: &str| {
        let tag = image_tag(image);
        image
            .strip_suffix(tag)
            .map(|r| r.trim_end_matches([':', '@']).to_owned())
            .unwrap_or_else(|| image.to_owned())
    };
    if repo(old) == repo(new) {
        format!("{} → {}", image_tag(old), image_tag(new))
    } else {
        format!("{old} → {new}")
    }
}

fn counted(parts: &mut Vec<String>, what: &str, added: usize, removed: usize, changed: usize) {
    if added > 0 {
        parts.push(format!("+{added} {what}"));
    }
    if removed > 0 {
        parts.push(format!("−{removed} {what}"));
    }
    if changed > 0 {
        parts.push(format!("~{changed} {what}"));
    }
}

impl TaskDefDiff {
    /// One line: `image web: 1.4.2 → 1.5.0; +2 env; memory 512 → 1024`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no differences".to_owned();
        }
        // Ordered by what matters in an incident, whatever order the documents use.
        const IMAGE: u8 = 0;
        const CONTAINER: u8 = 1;
        const SIZE: u8 = 4;
        let mut parts: Vec<(u8, String)> = Vec::new();
        let mut env = (0, 0, 0);
        let mut secrets = (0, 0, 0);
        let mut other = 0;
        for change in &self.changes {
            let text = |v: &Option<Value>| v.as_ref().map(value_text).unwrap_or_default();
            let tally = |t: &mut (usize, usize, usize)| match change.kind {
                ChangeKind::Added => t.0 += 1,
                ChangeKind::Removed => t.1 += 1,
                _ => t.2 += 1,
            };
            let container = change.container().unwrap_or_default();
            let container_level = change.path.starts_with("containers[")
                && change.path.matches('[').count() == 1
                && change.path.ends_with(']');
            if change.path.contains("].environment[") {
                tally(&mut env);
            } else if change.path.contains("].secrets[") {
                tally(&mut secrets);
            } else if container_level && change.kind == ChangeKind::Renamed {
                let (old, new) = (text(&change.old), text(&change.new));
                parts.push((CONTAINER, format!("renamed {old} → {new}")));
            } else if container_level && change.kind == ChangeKind::Added {
                parts.push((CONTAINER, format!("+container {container}")));
            } else if container_level && change.kind == ChangeKind::Removed {
                parts.push((CONTAINER, format!("−container {container}")));
            } else if change.path.ends_with("].image") && change.kind == ChangeKind::Changed {
                let (old, new) = (text(&change.old), text(&change.new));
                let line = format!("image {container}: {}", image_change(&old, &new));
                parts.push((IMAGE, line));
            } else if matches!(change.path.as_str(), "cpu" | "memory")
                && change.kind == ChangeKind::Changed
            {
                let (old, new) = (text(&change.old), text(&change.new));
                parts.push((SIZE, format!("{} {old} → {new}", change.path)));
            } else {
                other += 1;
            }
        }
        parts.sort_by_key(|(rank, _)| *rank);
        let mut parts: Vec<String> = parts.into_iter().map(|(_, text)| text).collect();
        let size_at = parts
            .iter()
            .position(|p| p.starts_with("cpu ") || p.starts_with("memory "))
            .unwrap_or(parts.len());
        let mut counts = Vec::new();
        counted(&mut counts, "env", env.0, env.1, env.2);
        counted(&mut counts, "secret", secrets.0, secrets.1, secrets.2);
        parts.splice(size_at..size_at, counts);
        if other > 0 {
            parts.push(format!(
                "{other} other change{}",
                if other == 1 { "" } else { "s" }
            ));
        }
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests;
