//! Masks credentials in text that leaves the process: crash reports and the app's own log.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a masked value.
pub const MASK: &str = "[redacted]";

/// AWS access key ids (long-term `AKIA…`, temporary `ASIA…`) and anything shaped like a secret
/// access key or session token: 40 or more base64 characters in a row. Hex digests and other
/// long tokens are masked too; a crash report does not need them.
static SECRET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{16}\b|[A-Za-z0-9/+=]{40,}").ok()
});

/// The `user:password@` of a URL (an endpoint override may carry one).
static USERINFO: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(://)[^/@\s]+@").ok());

/// Values of environment variables (and tags) as the SDK's debug output and request bodies
/// show them: `"value":"…"` in JSON (also escaped inside a debug string) and
/// `value: Some("…")` in a debug struct.
static ENV_VALUE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(\\?"value\\?"\s*:\s*\\?")[^"\\]*|(value: Some\(")[^"]*"#).ok());

/// `text` (JSON, or a diff of it) with every environment value masked.
pub fn mask_env_values(text: &str) -> Cow<'_, str> {
    match ENV_VALUE.as_ref() {
        Some(env_value) => env_value.replace_all(text, format!("$1$2{MASK}")),
        None => Cow::Borrowed(MASK),
    }
}

/// A line for the app's log: [`redact`], and every environment value masked too.
pub fn redact_log_line(text: &str) -> Cow<'_, str> {
    let Some(env_value) = ENV_VALUE.as_ref() else {
        return Cow::Borrowed(MASK);
    };
    match redact(text) {
        Cow::Borrowed(text) => env_value.replace_all(text, format!("$1$2{MASK}")),
        Cow::Owned(text) => Cow::Owned(
            env_value
                .replace_all(&text, format!("$1$2{MASK}"))
                .into_owned(),
        ),
    }
}

/// `text` with every access key id and secret-shaped token replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    // The patterns are constants known to compile; were they not, mask everything.
    let (Some(secret), Some(userinfo)) = (SECRET.as_ref(), USERINFO.as_ref()) else {
        return Cow::Borrowed(MASK);
    };
    match secret.replace_all(text, MASK) {
        Cow::Borrowed(text) => userinfo.replace_all(text, format!("${{1}}{MASK}@")),
        Cow::Owned(text) => Cow::Owned(
            userinfo
                .replace_all(&text, format!("${{1}}{MASK}@"))
                .into_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_key_ids_secret_keys_and_session_tokens() {
        let text = "id AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
                    token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ== temp ASIAXXXXXXXXXXXXXXXX";
        let masked = redact(text);
        assert_eq!(
            masked,
            "id [redacted] secret [redacted] token [redacted] temp [redacted]"
        );
        assert_eq!(
            redact("cannot reach http://admin:hunter2@127.0.0.1:5000/x"),
            "cannot reach http://[redacted]@127.0.0.1:5000/x"
        );
    }

    #[test]
    fn log_lines_lose_environment_values_in_json_escaped_json_and_debug_structs() {
        let json = r#"{"environment":[{"name":"DB_PASSWORD","value":"hunter2"}],"x":1}"#;
        assert_eq!(
            redact_log_line(json),
            r#"{"environment":[{"name":"DB_PASSWORD","value":"[redacted]"}],"x":1}"#
        );
        let escaped = r#"body: b"{\"name\":\"DB_PASSWORD\",\"value\" : \"hunter2\"}""#;
        assert!(!redact_log_line(escaped).contains("hunter2"), "{escaped}");
        let debug = r#"KeyValuePair { name: Some("DB_PASSWORD"), value: Some("hunter2") }"#;
        assert_eq!(
            redact_log_line(debug),
            r#"KeyValuePair { name: Some("DB_PASSWORD"), value: Some("[redacted]") }"#
        );
        assert_eq!(
            redact_log_line("key AKIAIOSFODNN7EXAMPLE"),
            "key [redacted]"
        );
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let text = "arn:aws:ecs:us-east-1:123456789012:service/prod/web scaled to 4 (panicked at src/ui/table.rs:12:5)";
        assert_eq!(redact(text), text);
        assert!(matches!(redact(text), Cow::Borrowed(_)));
    }
}
