//! A family's revision list as its history: each revision with one line of what changed
//! from the revision listed before it, read by the semantic diff (`td_diff`), so defaults
//! written out or a reordered list read as "no changes".

use super::revisions::RevisionSummary;
use super::task_def::TaskDefDocument;
use super::td_diff::diff;

/// The line of a revision whose definition equals the one before it.
pub const NO_CHANGES: &str = "no changes";
/// The line of the first revision of a family.
pub const FIRST: &str = "first revision";

/// One line: what changed from `previous` to `doc`.
pub fn change_line(previous: &TaskDefDocument, doc: &TaskDefDocument) -> String {
    let changes = diff(previous, doc);
    if changes.is_empty() {
        NO_CHANGES.to_owned()
    } else {
        changes.summary()
    }
}

/// Sets `changes` of each row (newest first) whose document and whose predecessor's are in
/// `docs` (the documents of the first rows, in the same order). The oldest row of all, when
/// described, reads as the first revision if it is revision 1.
pub fn add_change_lines(rows: &mut [RevisionSummary], docs: &[TaskDefDocument]) {
    for (i, pair) in docs.windows(2).enumerate() {
        if let Some(row) = rows.get_mut(i) {
            row.changes = Some(change_line(&pair[1], &pair[0]));
        }
    }
    let all_read = docs.len() == rows.len();
    if let Some(last) = rows.last_mut()
        && last.revision == 1
        && all_read
    {
        last.changes = Some(FIRST.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(
        revision: u32,
        image: &str,
        env: &[(&str, &str)],
        extra: serde_json::Value,
    ) -> TaskDefDocument {
        let env: Vec<_> = env
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect();
        let mut value = json!({
            "taskDefinitionArn": format!("arn:aws:ecs:us-east-1:123456789012:task-definition/web:{revision}"),
            "family": "web", "revision": revision,
            "containerDefinitions": [{"name": "app", "image": image, "environment": env}]
        });
        // `extra` is written into the container.
        let container = value.pointer_mut("/containerDefinitions/0");
        if let (Some(serde_json::Value::Object(map)), Some(extra)) = (container, extra.as_object())
        {
            map.extend(extra.clone());
        }
        TaskDefDocument::from_value(value).unwrap()
    }

    #[test]
    fn each_revision_says_what_changed_from_the_one_before() {
        let docs = vec![
            // 4: defaults written out (a re-registration by another tool).
            doc(
                4,
                "r/app:2.4.0",
                &[("MODE", "fast")],
                json!({"essential": true, "cpu": 0}),
            ),
            doc(3, "r/app:2.4.0", &[("MODE", "fast")], json!({})),
            doc(2, "r/app:2.3.1", &[("MODE", "slow")], json!({})),
            doc(1, "r/app:2.3.1", &[("MODE", "slow")], json!({})),
        ];
        let mut rows: Vec<RevisionSummary> = docs
            .iter()
            .filter_map(RevisionSummary::from_document)
            .collect();
        add_change_lines(&mut rows, &docs);
        let lines: Vec<&str> = rows.iter().map(|r| r.changes.as_deref().unwrap()).collect();
        assert_eq!(
            lines,
            [
                NO_CHANGES,
                "image app: 2.3.1 → 2.4.0; ~1 env",
                NO_CHANGES,
                FIRST
            ]
        );
    }

    #[test]
    fn a_row_whose_predecessor_was_not_read_has_no_line() {
        let docs = [
            doc(9, "r/app:2", &[], json!({})),
            doc(8, "r/app:1", &[], json!({})),
        ];
        let mut rows: Vec<RevisionSummary> = docs
            .iter()
            .filter_map(RevisionSummary::from_document)
            .collect();
        rows.push(
            RevisionSummary::from_arn("arn:aws:ecs:us-east-1:1:task-definition/web:7", "INACTIVE")
                .unwrap(),
        );
        add_change_lines(&mut rows, &docs[..]);
        assert_eq!(rows[0].changes.as_deref(), Some("image app: 1 → 2"));
        assert_eq!(rows[1].changes, None, "7 was not read");
        assert_eq!(rows[2].changes, None);
    }
}
