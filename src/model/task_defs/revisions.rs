//! Task-definition families and revisions, as the revision browser lists them.

use super::task_def::TaskDefDocument;
pub use super::task_def::image_tag;
use serde::Serialize;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A task-definition family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Family {
    /// Family name.
    pub name: String,
    /// True when at least one revision is ACTIVE.
    pub active: bool,
}

/// One revision of a family, summarised for the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RevisionSummary {
    /// Task-definition ARN.
    pub arn: String,
    /// Family name.
    pub family: String,
    /// Revision number.
    pub revision: u32,
    /// ACTIVE, INACTIVE or DELETE_IN_PROGRESS.
    pub status: String,
    /// When it was registered, if the API says.
    #[serde(with = "crate::model::time_format::opt")]
    pub registered_at: Option<SystemTime>,
    /// Who registered it (an IAM ARN), if the API says.
    pub registered_by: Option<String>,
    /// Task CPU as written (`"256"`, `"1 vCPU"`).
    pub cpu: Option<String>,
    /// Task memory as written.
    pub memory: Option<String>,
    /// `(container name, image)` in container order.
    pub images: Vec<(String, String)>,
    /// False when only the ARN is known (older revisions are described on demand).
    pub described: bool,
    /// What changed from the revision listed before it, in one line (None: not read).
    pub changes: Option<String>,
}

/// `family:revision` of a task-definition ARN or reference.
pub fn family_revision(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Family and revision number of a task-definition ARN (`…:task-definition/web:42`).
pub fn parse_arn(arn: &str) -> Option<(String, u32)> {
    let (family, revision) = family_revision(arn).rsplit_once(':')?;
    Some((family.to_owned(), revision.parse().ok()?))
}

/// The reference of the revision before `arn` (same form: ARN or `family:rev`), if any.
pub fn previous_revision(arn: &str) -> Option<String> {
    let (_, revision) = parse_arn(arn)?;
    let (head, _) = arn.rsplit_once(':')?;
    (revision > 1).then(|| format!("{head}:{}", revision - 1))
}

fn epoch_time(value: &Value) -> Option<SystemTime> {
    if let Some(text) = value.as_str() {
        // The AWS CLI prints `2026-10-03T14:22:07.123000+00:00`.
        let utc = text
            .strip_suffix("+00:00")
            .map_or_else(|| text.to_owned(), |t| format!("{t}Z"));
        return humantime::parse_rfc3339_weak(&utc).ok();
    }
    // The API (awsJson1.1) writes epoch seconds with a fraction.
    let secs = value.as_f64().filter(|s| s.is_finite() && *s >= 0.0)?;
    Some(UNIX_EPOCH + Duration::from_secs_f64(secs))
}

impl RevisionSummary {
    /// A row known only by its ARN.
    pub fn from_arn(arn: &str, status: &str) -> Option<Self> {
        let (family, revision) = parse_arn(arn)?;
        Some(Self {
            arn: arn.to_owned(),
            family,
            revision,
            status: status.to_owned(),
            registered_at: None,
            registered_by: None,
            cpu: None,
            memory: None,
            images: Vec::new(),
            described: false,
            changes: None,
        })
    }

    /// The summary of a described revision.
    pub fn from_document(doc: &TaskDefDocument) -> Option<Self> {
        let root = doc.as_map();
        let arn = root.get("taskDefinitionArn")?.as_str()?;
        let (family, parsed_revision) = parse_arn(arn)?;
        let revision = root
            .get("revision")
            .and_then(Value::as_u64)
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(parsed_revision);
        let images = doc
            .containers()
            .iter()
            .map(|c| {
                let text = |key: &str| c.get(key).and_then(Value::as_str).unwrap_or_default();
                (text("name").to_owned(), text("image").to_owned())
            })
            .collect();
        Some(Self {
            arn: arn.to_owned(),
            family,
            revision,
            status: doc.text("status").unwrap_or_else(|| "ACTIVE".to_owned()),
            registered_at: root.get("registeredAt").and_then(epoch_time),
            registered_by: doc.text("registeredBy"),
            cpu: doc.text("cpu"),
            memory: doc.text("memory"),
            images,
            described: true,
            changes: None,
        })
    }

    /// `web 1.4.2 · envoy v1.27` for the list.
    pub fn image_tags(&self) -> String {
        self.images
            .iter()
            .map(|(name, image)| format!("{name} {}", image_tag(image)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_ports_and_digests_are_told_apart() {
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("nginx:1.27"), "1.27");
        assert_eq!(image_tag("registry.local:5000/team/api"), "latest");
        assert_eq!(image_tag("registry.local:5000/team/api:2.0.1"), "2.0.1");
        assert_eq!(image_tag("repo/app@sha256:abc"), "sha256:abc");
    }

    #[test]
    fn arns_give_family_and_revision() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web-api:42";
        assert_eq!(parse_arn(arn), Some(("web-api".to_owned(), 42)));
        assert_eq!(family_revision(arn), "web-api:42");
        assert_eq!(parse_arn("web-api"), None);
        assert_eq!(
            previous_revision(arn).as_deref(),
            Some("arn:aws:ecs:us-east-1:123456789012:task-definition/web-api:41")
        );
        assert_eq!(previous_revision("web:1"), None);
        assert_eq!(previous_revision("web"), None);
    }

    #[test]
    fn a_described_revision_summarises_its_containers_and_size() {
        let doc = TaskDefDocument::parse(
            r#"{"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/web:7",
                "revision": 7, "status": "INACTIVE", "cpu": "256", "memory": 512,
                "registeredAt": 1700000000.5, "registeredBy": "arn:aws:iam::1:user/ana",
                "containerDefinitions": [{"name": "web", "image": "nginx:1.27"},
                                         {"name": "log", "image": "fluent-bit"}]}}"#,
        )
        .unwrap();
        let row = RevisionSummary::from_document(&doc).unwrap();
        assert_eq!(row.revision, 7);
        assert_eq!(row.status, "INACTIVE");
        assert_eq!(row.memory.as_deref(), Some("512"));
        assert_eq!(row.image_tags(), "web 1.27 · log latest");
        assert_eq!(
            row.registered_at,
            Some(UNIX_EPOCH + Duration::from_secs_f64(1_700_000_000.5))
        );
        assert!(row.described);
        let cli = serde_json::json!("2026-10-03T14:22:07.123000+00:00");
        assert!(epoch_time(&cli).is_some());
    }
}
