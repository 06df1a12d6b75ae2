//! A draft: an unregistered edit of a task definition, as it is saved to disk.

use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a draft file holds. The text is kept as typed, even when it is not valid JSON, so a
/// crash in the middle of an edit loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// File-name-safe id.
    pub id: String,
    /// The revision it was started from, if any.
    pub base_arn: Option<String>,
    /// That revision's document as pretty JSON, for the diff before registering.
    pub base_json: Option<String>,
    /// The document as edited (JSON text).
    pub text: String,
    /// When it was last saved.
    #[serde(with = "crate::model::time_format::opt")]
    pub saved_at: Option<SystemTime>,
    /// Where it came from (profile · region), shown so a draft is registered where meant.
    pub source: String,
}

/// A new draft id from a family name and a clock reading: `web-api-1763812345678`.
pub fn new_id(family: &str, now: SystemTime) -> String {
    let millis = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let safe: String = family
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let safe = if safe.is_empty() {
        "draft".to_owned()
    } else {
        safe
    };
    format!("{safe}-{millis}")
}

/// True for ids `new_id` makes: no path separators or dots, so an id is a safe file name.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 160
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ids_are_safe_file_names() {
        let now = UNIX_EPOCH + Duration::from_millis(1_763_812_345_678);
        assert_eq!(new_id("web-api", now), "web-api-1763812345678");
        assert_eq!(new_id("../etc/passwd", now), "___etc_passwd-1763812345678");
        assert_eq!(new_id("", now), "draft-1763812345678");
        assert!(is_valid_id(&new_id("../x y", now)));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn a_draft_survives_serialisation_with_invalid_text() {
        let draft = Draft {
            id: "web-1".into(),
            base_arn: Some("arn:aws:ecs:us-east-1:1:task-definition/web:3".into()),
            base_json: Some("{}".into()),
            text: "{\"family\": \"web\",".into(),
            saved_at: Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            source: "demo · us-east-1".into(),
        };
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
    }
}
