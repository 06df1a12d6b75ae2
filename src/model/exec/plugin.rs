//! AWS's `session-manager-plugin`: whether it is there, and the exact command line and
//! environment it is started with — the AWS CLI's, so a session behaves as `aws ecs
//! execute-command` or `aws ssm start-session` would.

use serde::{Deserialize, Serialize};

/// The plugin's name on PATH.
pub const PLUGIN_NAME: &str = "session-manager-plugin";

/// The newest plugin that cannot read the session from an environment variable; newer ones
/// can, and the AWS CLI then keeps the session's token out of the command line (where any
/// local user's `ps` shows it).
pub const LAST_VERSION_WITHOUT_ENV_VAR: &str = "1.2.497.0";

/// The environment variable the session is handed over in.
pub const SESSION_ENV_VAR: &str = "AWS_SSM_START_SESSION_RESPONSE";

/// AWS's install page for the plugin on this operating system.
pub fn install_url() -> &'static str {
    if cfg!(target_os = "macos") {
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/install-plugin-macos-overview.html"
    } else if cfg!(windows) {
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/install-plugin-windows.html"
    } else {
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/install-plugin-linux-overview.html"
    }
}

/// What looking for the plugin found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PluginProbe {
    /// Found and answering `--version`.
    Found {
        /// Where.
        path: String,
        /// What `--version` printed (trimmed).
        version: String,
    },
    /// Not at the path set in Settings, nor on PATH.
    Missing {
        /// Where it was looked for.
        looked_in: String,
    },
    /// There, but `--version` failed.
    Broken {
        /// Where.
        path: String,
        /// What went wrong.
        why: String,
    },
}

/// `1.2.650.0` > `1.2.497.0`: dotted numbers compared part by part, missing parts as 0;
/// anything that is not such a version is not newer.
pub fn version_newer_than(version: &str, than: &str) -> bool {
    fn parts(v: &str) -> Option<Vec<u64>> {
        let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
        v.split('.').map(|p| p.parse().ok()).collect()
    }
    let (Some(mut a), Some(mut b)) = (parts(version), parts(than)) else {
        return false;
    };
    let len = a.len().max(b.len());
    a.resize(len, 0);
    b.resize(len, 0);
    a > b
}

/// The session token SSM returns: only ever handed to the plugin. Its `Debug` hides it, and
/// it is neither serialised nor displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// Wraps a token.
    pub fn new(token: String) -> Self {
        Self(token)
    }

    /// The token, for the plugin's hand-over only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// A session AWS opened (ExecuteCommand's `session`, or StartSession's answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionGrant {
    /// The session's ID (also what TerminateSession takes).
    pub session_id: String,
    /// The data channel's URL.
    pub stream_url: String,
    /// The token that opens it.
    pub token: SessionToken,
}

/// How to start the plugin: arguments, and the environment added to the app's.
#[derive(Clone, PartialEq, Eq)]
pub struct PluginLaunch {
    /// The arguments after the program.
    pub args: Vec<String>,
    /// Variables to set (the session, when handed over in the environment).
    pub env: Vec<(String, String)>,
}

impl std::fmt::Debug for PluginLaunch {
    /// The session's JSON holds the token: shown as its variable's name only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let args: Vec<&str> = self
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| if i == 0 { "<session>" } else { a.as_str() })
            .collect();
        let env: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PluginLaunch")
            .field("args", &args)
            .field("env", &env)
            .finish()
    }
}

/// What the plugin is started with, as the AWS CLI starts it:
/// `session-manager-plugin <session> <region> StartSession <profile or ""> <parameters>
/// <endpoint>`. The session goes in [`SESSION_ENV_VAR`] when the plugin is newer than
/// [`LAST_VERSION_WITHOUT_ENV_VAR`] (as `aws ssm start-session` does), else on the command
/// line (as older plugins need).
pub fn plugin_launch(
    grant: &SessionGrant,
    region: &str,
    profile: Option<&str>,
    parameters: &serde_json::Value,
    endpoint: &str,
    plugin_version: &str,
) -> PluginLaunch {
    let session = serde_json::json!({
        "SessionId": grant.session_id,
        "TokenValue": grant.token.expose(),
        "StreamUrl": grant.stream_url,
    })
    .to_string();
    let (first, env) = if version_newer_than(plugin_version, LAST_VERSION_WITHOUT_ENV_VAR) {
        (
            SESSION_ENV_VAR.to_owned(),
            vec![(SESSION_ENV_VAR.to_owned(), session)],
        )
    } else {
        (session, Vec::new())
    };
    PluginLaunch {
        args: vec![
            first,
            region.to_owned(),
            "StartSession".to_owned(),
            profile.unwrap_or("").to_owned(),
            parameters.to_string(),
            endpoint.to_owned(),
        ],
        env,
    }
}

/// How the plugin carries an exec session into `ssm_target` (the ECS endpoint, as `aws ecs
/// execute-command` tells it).
pub fn exec_launch(
    grant: &SessionGrant,
    ssm_target: &str,
    connection: &crate::model::Connection,
    plugin_version: &str,
) -> PluginLaunch {
    let endpoint = service_endpoint(
        "ecs",
        &connection.region,
        connection.endpoint_url.as_deref(),
    );
    let parameters = serde_json::json!({ "Target": ssm_target });
    plugin_launch(
        grant,
        &connection.region,
        connection.profile.as_deref(),
        &parameters,
        &endpoint,
        plugin_version,
    )
}

/// How the plugin carries a port forward: the StartSession request as sent (target, document,
/// its parameters) and the SSM endpoint, as `aws ssm start-session` tells it.
pub fn forward_launch(
    grant: &SessionGrant,
    (ssm_target, document, parameters): (&str, &str, &serde_json::Value),
    connection: &crate::model::Connection,
    plugin_version: &str,
) -> PluginLaunch {
    let endpoint = service_endpoint(
        "ssm",
        &connection.region,
        connection.endpoint_url.as_deref(),
    );
    let request = serde_json::json!({
        "Target": ssm_target,
        "DocumentName": document,
        "Parameters": parameters,
    });
    plugin_launch(
        grant,
        &connection.region,
        connection.profile.as_deref(),
        &request,
        &endpoint,
        plugin_version,
    )
}

/// The endpoint the plugin is told about: the connection's override, else the service's
/// regional endpoint (what the AWS CLI's client would use).
pub fn service_endpoint(service: &str, region: &str, endpoint_override: Option<&str>) -> String {
    match endpoint_override {
        Some(url) => url.to_owned(),
        None if region.starts_with("cn-") => format!("https://{service}.{region}.amazonaws.com.cn"),
        None => format!("https://{service}.{region}.amazonaws.com"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> SessionGrant {
        SessionGrant {
            session_id: "ecs-execute-command-0abc".into(),
            stream_url: "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/x".into(),
            token: SessionToken::new("AAEAAsecret-token".into()),
        }
    }

    #[test]
    fn versions_compare_part_by_part() {
        assert!(version_newer_than("1.2.650.0", "1.2.497.0"));
        assert!(version_newer_than(" 1.2.650.0\n", "1.2.497.0"));
        assert!(version_newer_than("1.3", "1.2.497.0"));
        assert!(!version_newer_than("1.2.497.0", "1.2.497.0"));
        assert!(!version_newer_than("1.2.463.0", "1.2.497.0"));
        assert!(!version_newer_than("unknown", "1.2.497.0"));
    }

    #[test]
    fn a_new_plugin_gets_the_session_in_its_environment_not_its_arguments() {
        let params = serde_json::json!({"Target": "ecs:prod_abc_def"});
        let launch = plugin_launch(
            &grant(),
            "us-east-1",
            Some("platform"),
            &params,
            "https://ecs.us-east-1.amazonaws.com",
            "1.2.650.0",
        );
        assert_eq!(
            launch.args,
            [
                SESSION_ENV_VAR,
                "us-east-1",
                "StartSession",
                "platform",
                r#"{"Target":"ecs:prod_abc_def"}"#,
                "https://ecs.us-east-1.amazonaws.com"
            ]
        );
        assert_eq!(launch.env.len(), 1);
        let session: serde_json::Value =
            serde_json::from_str(&launch.env[0].1).expect("session JSON");
        assert_eq!(session["TokenValue"], "AAEAAsecret-token");
        assert!(launch.args.iter().all(|a| !a.contains("secret")));
        assert!(!format!("{launch:?}").contains("secret"));
        assert!(!format!("{:?}", grant()).contains("secret"));
    }

    #[test]
    fn an_old_plugin_gets_the_session_as_its_first_argument() {
        let launch = plugin_launch(
            &grant(),
            "eu-west-1",
            None,
            &serde_json::json!({}),
            "http://127.0.0.1:4566",
            "1.2.463.0",
        );
        assert!(launch.env.is_empty());
        assert!(launch.args[0].contains("\"SessionId\":\"ecs-execute-command-0abc\""));
        assert_eq!(launch.args[3], "");
        assert!(!format!("{launch:?}").contains("secret"));
    }

    #[test]
    fn endpoints_are_the_override_or_the_regional_one() {
        assert_eq!(
            service_endpoint("ssm", "eu-west-1", None),
            "https://ssm.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            service_endpoint("ecs", "cn-north-1", None),
            "https://ecs.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            service_endpoint("ecs", "us-east-1", Some("http://127.0.0.1:5000")),
            "http://127.0.0.1:5000"
        );
    }
}
