//! A semantic diff as text, Markdown or JSON (CLI output, "copy diff" in the app).

use super::task_def::value_text;
use super::td_diff::{Change, ChangeKind, TaskDefDiff};
use serde_json::{Value, json};

/// What a masked environment value shows instead of itself.
pub const MASK: &str = "••••••";

fn shown(change: &Change, value: &Option<Value>, mask_env: bool) -> String {
    match value {
        None => String::new(),
        Some(_) if mask_env && change.is_env_value() => MASK.to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other @ (Value::Object(_) | Value::Array(_))) => {
            serde_json::to_string(other).unwrap_or_default()
        }
        Some(other) => value_text(other),
    }
}

/// The sign of a change in text output.
pub fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
        ChangeKind::Renamed => ">",
    }
}

/// `title: summary` then one line per change.
pub fn to_text(diff: &TaskDefDiff, title: &str, mask_env: bool) -> String {
    let mut out = format!("{title}: {}\n", diff.summary());
    for change in &diff.changes {
        let old = shown(change, &change.old, mask_env);
        let new = shown(change, &change.new, mask_env);
        let line = match change.kind {
            ChangeKind::Added => format!("+ {}: {new}", change.path),
            ChangeKind::Removed => format!("- {}: {old}", change.path),
            ChangeKind::Changed | ChangeKind::Renamed => {
                format!("{} {}: {old} → {new}", sign(change.kind), change.path)
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    let text = text.replace('|', "\\|").replace('\n', " ");
    if text.is_empty() {
        String::new()
    } else {
        format!("`{text}`")
    }
}

/// A Markdown section: heading, summary, and a table of changes.
pub fn to_markdown(diff: &TaskDefDiff, title: &str, mask_env: bool) -> String {
    let mut out = format!("### {title}\n\n**{}**\n", diff.summary());
    if diff.is_empty() {
        return out;
    }
    out.push_str("\n| | Field | Old | New |\n|---|---|---|---|\n");
    for change in &diff.changes {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            sign(change.kind),
            change.path.replace('|', "\\|"),
            cell(&shown(change, &change.old, mask_env)),
            cell(&shown(change, &change.new, mask_env)),
        ));
    }
    out
}

/// JSON: `{"old", "new", "equal", "summary", "changes": [{path, kind, old, new}]}`.
pub fn to_json(diff: &TaskDefDiff, old: &str, new: &str, mask_env: bool) -> Value {
    let changes: Vec<Value> = diff
        .changes
        .iter()
        .map(|c| {
            let value = |v: &Option<Value>| match v {
                Some(_) if mask_env && c.is_env_value() => Value::from(MASK),
                Some(v) => v.clone(),
                None => Value::Null,
            };
            json!({"path": c.path, "kind": c.kind, "old": value(&c.old), "new": value(&c.new)})
        })
        .collect();
    json!({
        "old": old,
        "new": new,
        "equal": diff.is_empty(),
        "summary": diff.summary(),
        "changes": changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_def::TaskDefDocument;
    use crate::td_diff::diff;

    fn pair() -> TaskDefDiff {
        let a = TaskDefDocument::parse(
            r#"{"family": "f", "containerDefinitions": [{"name": "web", "image": "r/web:1",
                "environment": [{"name": "TOKEN_TTL", "value": "30"}]}]}"#,
        )
        .unwrap();
        let b = TaskDefDocument::parse(
            r#"{"family": "f", "containerDefinitions": [{"name": "web", "image": "r/web:2",
                "environment": [{"name": "TOKEN_TTL", "value": "60|x"}]}]}"#,
        )
        .unwrap();
        diff(&a, &b)
    }

    #[test]
    fn text_lists_each_change_and_masks_env_values_on_request() {
        let text = to_text(&pair(), "f:1 → f:2", false);
        assert_eq!(
            text,
            "f:1 → f:2: image web: 1 → 2; ~1 env\n\
             ~ containers[web].image: r/web:1 → r/web:2\n\
             ~ containers[web].environment[TOKEN_TTL]: 30 → 60|x\n"
        );
        let masked = to_text(&pair(), "t", true);
        assert!(masked.contains(&format!("{MASK} → {MASK}")) && !masked.contains("60|x"));
        assert!(
            masked.contains("r/web:2"),
            "only environment values are masked"
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_json_says_equal() {
        let md = to_markdown(&pair(), "f:1 → f:2", false);
        assert!(
            md.contains("| ~ | `containers[web].environment[TOKEN_TTL]` | `30` | `60\\|x` |"),
            "{md}"
        );
        let json = to_json(&pair(), "f:1", "f:2", true);
        assert_eq!(json["equal"], false);
        assert_eq!(json["changes"][1]["new"], MASK);
        assert_eq!(json["changes"][0]["kind"], "changed");
    }
}
