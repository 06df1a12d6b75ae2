//! Paths as users and the diff name them: `containers[web].environment[ADMIN_PASSWORD]`
//! rather than `containerDefinitions[0].environment[1].name`. Validation and lint keep the
//! positional path (the form finds its field by it) and show this one.

use super::TaskDefDocument;
use crate::td_normalise::item_identity;
use serde_json::Value;

/// One step of a positional path: a field, and the index into it when it is a list.
fn steps(path: &str) -> Vec<(&str, Option<usize>)> {
    path.split('.')
        .map(|step| match step.split_once('[') {
            Some((field, rest)) => match rest.strip_suffix(']').and_then(|n| n.parse().ok()) {
                Some(index) => (field, Some(index)),
                None => (step, None),
            },
            None => (step, None),
        })
        .collect()
}

impl TaskDefDocument {
    /// `path` with every list position replaced by the item's name where it has one: a
    /// container by its `name`, a variable or secret by its name, a port by `8080/tcp`, a
    /// volume or mount by its name or path. A position whose item has no name stays.
    pub fn display_path(&self, path: &str) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut here: Option<&Value> = None;
        let mut in_container = false;
        // The fields of the item just named: `environment[X].name` is the pair itself.
        let mut names_item: Vec<&'static str> = Vec::new();
        for (field, index) in steps(path) {
            let parent = if out.is_empty() {
                self.as_map().get(field)
            } else {
                here.and_then(|value| value.get(field))
            };
            let fields = std::mem::take(&mut names_item);
            let Some(index) = index else {
                if !fields.contains(&field) {
                    out.push(field.to_owned());
                }
                here = parent;
                continue;
            };
            let item = parent.and_then(|list| list.get(index));
            here = item;
            let Some(item) = item else {
                out.push(format!("{field}[{index}]"));
                continue;
            };
            if out.is_empty() && field == "containerDefinitions" {
                in_container = true;
                let name = item.get("name").and_then(Value::as_str);
                out.push(match name.filter(|n| !n.is_empty()) {
                    Some(name) => format!("containers[{name}]"),
                    None => format!("containers[#{index}]"),
                });
                continue;
            }
            match item_identity(field, in_container, item) {
                Some((id, fields)) => {
                    out.push(format!("{field}[{id}]"));
                    names_item = fields;
                }
                None => out.push(format!("{field}[{index}]")),
            }
        }
        out.join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> TaskDefDocument {
        TaskDefDocument::parse(
            r#"{"family": "web", "networkMode": "awsvpc",
                "volumes": [{"name": "data"}],
                "containerDefinitions": [
                  {"name": "web", "image": "r/web:1",
                   "environment": [{"name": "LOG_LEVEL", "value": "info"},
                                   {"name": "ADMIN_PASSWORD", "value": "x"}],
                   "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
                   "portMappings": [{"containerPort": 8080, "hostPort": 8081}],
                   "mountPoints": [{"containerPath": "/data", "sourceVolume": "data"}]},
                  {"image": "r/side:1", "environment": [{"value": "no name"}]}
                ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn positions_become_the_names_the_diff_uses() {
        let doc = doc();
        let cases = [
            (
                "containerDefinitions[0].environment[1].name",
                "containers[web].environment[ADMIN_PASSWORD]",
            ),
            (
                "containerDefinitions[0].environment[0].value",
                "containers[web].environment[LOG_LEVEL]",
            ),
            ("containerDefinitions[0].image", "containers[web].image"),
            (
                "containerDefinitions[0].secrets[0].valueFrom",
                "containers[web].secrets[DB]",
            ),
            (
                "containerDefinitions[0].portMappings[0].hostPort",
                "containers[web].portMappings[8080/tcp].hostPort",
            ),
            (
                "containerDefinitions[0].mountPoints[0].sourceVolume",
                "containers[web].mountPoints[/data].sourceVolume",
            ),
            ("volumes[0].name", "volumes[data]"),
            ("cpu", "cpu"),
            ("executionRoleArn", "executionRoleArn"),
        ];
        for (path, shown) in cases {
            assert_eq!(doc.display_path(path), shown, "{path}");
        }
    }

    #[test]
    fn what_has_no_name_keeps_its_position() {
        let doc = doc();
        assert_eq!(
            doc.display_path("containerDefinitions[1].environment[0].name"),
            "containers[#1].environment[0].name"
        );
        assert_eq!(
            doc.display_path("containerDefinitions[7].image"),
            "containerDefinitions[7].image"
        );
        assert_eq!(doc.display_path("tags[x].key"), "tags[x].key");
    }
}
