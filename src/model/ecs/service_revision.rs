//! A service revision (DescribeServiceRevisions) kept as the JSON ECS returned, so "what
//! changed" between two revisions compares every service-level field — network, load
//! balancers and their advanced configuration, capacity providers, Service Connect, volumes —
//! including fields newer than the app, and the image digests each container resolved to.

use crate::model::untrusted_text::untrusted;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Fields that name or date the revision rather than configure the service.
const IDENTITY: [&str; 6] = [
    "serviceRevisionArn",
    "serviceArn",
    "clusterArn",
    "createdAt",
    "taskDefinition",
    "containerImages",
];

/// One container's image as the revision resolved it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerImage {
    /// Container name.
    pub container: String,
    /// Image as written in the task definition.
    pub image: String,
    /// The digest it resolved to.
    pub digest: Option<String>,
}

/// A service revision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceRevision {
    /// Service revision ARN.
    pub arn: String,
    /// Its task definition ARN.
    pub task_definition: String,
    /// Each container's image and digest.
    pub images: Vec<ContainerImage>,
    /// When ECS created it.
    pub created_at: Option<SystemTime>,
    /// The revision as ECS returned it.
    pub json: Value,
}

/// One service-level field that differs between two revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// `networkConfiguration.awsvpcConfiguration.subnets[0]`.
    pub path: String,
    /// Before, None when added.
    pub before: Option<String>,
    /// After, None when removed.
    pub after: Option<String>,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|s| untrusted(s).into_owned())
        .unwrap_or_default()
}

impl ServiceRevision {
    /// Reads one element of DescribeServiceRevisions' `serviceRevisions`.
    pub fn from_json(json: Value) -> Self {
        let images = json
            .get("containerImages")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|image| ContainerImage {
                        container: text(image, "containerName"),
                        image: text(image, "image"),
                        digest: Some(text(image, "imageDigest")).filter(|d| !d.is_empty()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let created_at = json
            .get("createdAt")
            .and_then(Value::as_f64)
            .filter(|secs| secs.is_finite() && *secs >= 0.0)
            .map(|secs| UNIX_EPOCH + Duration::from_secs_f64(secs));
        Self {
            arn: text(&json, "serviceRevisionArn"),
            task_definition: text(&json, "taskDefinition"),
            images,
            created_at,
            json,
        }
    }

    /// Every service-level field as `path = value`, in document order.
    pub fn service_fields(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(map) = self.json.as_object() {
            for (key, value) in map {
                if !IDENTITY.contains(&key.as_str()) {
                    flatten(key, value, &mut out);
                }
            }
        }
        out
    }
}

fn flatten(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                flatten(&format!("{path}.{key}"), inner, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, inner) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), inner, out);
            }
        }
        Value::String(s) => out.push((untrusted(path).into_owned(), untrusted(s).into_owned())),
        other => out.push((untrusted(path).into_owned(), other.to_string())),
    }
}

/// The service-level fields that differ from `old` to `new`, in `new`'s order then the
/// removed ones.
pub fn field_changes(old: &ServiceRevision, new: &ServiceRevision) -> Vec<FieldChange> {
    let before: Vec<(String, String)> = old.service_fields();
    let after: Vec<(String, String)> = new.service_fields();
    let find = |list: &[(String, String)], path: &str| {
        list.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone())
    };
    let mut changes: Vec<FieldChange> = after
        .iter()
        .filter_map(|(path, value)| {
            let was = find(&before, path);
            (was.as_deref() != Some(value)).then(|| FieldChange {
                path: path.clone(),
                before: was,
                after: Some(value.clone()),
            })
        })
        .collect();
    changes.extend(
        before
            .iter()
            .filter(|(path, _)| find(&after, path).is_none())
            .map(|(path, value)| FieldChange {
                path: path.clone(),
                before: Some(value.clone()),
                after: None,
            }),
    );
    changes
}

/// Each container's image and digest before and after, for containers whose image or digest
/// changed (a tag that moved shows as the same image with a new digest).
pub fn image_changes(
    old: &ServiceRevision,
    new: &ServiceRevision,
) -> Vec<(String, Option<ContainerImage>, Option<ContainerImage>)> {
    let mut names: Vec<&str> = new.images.iter().map(|i| i.container.as_str()).collect();
    for image in &old.images {
        if !names.contains(&image.container.as_str()) {
            names.push(&image.container);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let before = old.images.iter().find(|i| i.container == name).cloned();
            let after = new.images.iter().find(|i| i.container == name).cloned();
            (before != after).then(|| (name.to_owned(), before, after))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn revision(subnets: &[&str], digest: &str, extra: Value) -> ServiceRevision {
        let mut json = json!({
            "serviceRevisionArn": "arn:aws:ecs:us-east-1:1:service-revision/prod/api/1",
            "taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/api:3",
            "createdAt": 1_800_000_000.5,
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets}},
            "containerImages": [
                {"containerName": "app", "image": "api:2.4", "imageDigest": digest}
            ]
        });
        if let (Some(map), Some(more)) = (json.as_object_mut(), extra.as_object()) {
            map.extend(more.clone());
        }
        ServiceRevision::from_json(json)
    }

    #[test]
    fn fields_changed_added_and_removed_with_their_paths() {
        let old = revision(
            &["subnet-a", "subnet-b"],
            "sha256:1",
            json!({"launchType": "FARGATE"}),
        );
        let new = revision(
            &["subnet-a", "subnet-c"],
            "sha256:2",
            json!({"serviceConnectConfiguration": {"enabled": true}}),
        );
        let changes = field_changes(&old, &new);
        let paths: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.path.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            paths,
            [
                (
                    "networkConfiguration.awsvpcConfiguration.subnets[1]",
                    Some("subnet-b"),
                    Some("subnet-c")
                ),
                ("serviceConnectConfiguration.enabled", None, Some("true")),
                ("launchType", Some("FARGATE"), None),
            ]
        );
        let images = image_changes(&old, &new);
        assert_eq!(images.len(), 1, "same tag, new digest");
        assert_eq!(images[0].0, "app");
        assert!(old.created_at.is_some());
    }

    #[test]
    fn hostile_text_is_escaped() {
        let old = revision(&["subnet-a"], "sha256:1", json!({}));
        let new = revision(&["subnet-\u{1b}[2J"], "sha256:1", json!({}));
        let changes = field_changes(&old, &new);
        assert!(
            !changes[0]
                .after
                .as_deref()
                .unwrap_or_default()
                .contains('\u{1b}')
        );
    }
}
