//! Profiles from the AWS config files, and an `SdkConfig` per connection.

use super::change_gate::{ChangeGate, SharedRules};
use super::ecs::Ecs;
use super::retry_policy::NoBlindRetry;
use super::throttle_meter::ThrottleMeter;
use crate::model::Connection;
use crate::model::changes::policy::ChangeRules;
use crate::model::connection::profiles::{CredentialSource, ProfileInfo};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Connect timeout: a dead endpoint should fail fast, not hang a view.
const CONNECT_TIMEOUT_SECS: u64 = 5;
/// Time for one attempt of one call.
const ATTEMPT_TIMEOUT_SECS: u64 = 30;
/// Attempts per call, with adaptive (client-side rate limited) retry. Eight, because a list of
/// 5,000 services is 500 DescribeServices calls and one call out of retries fails the whole
/// load: at 30 % throttling, four attempts lose a 500-service load one time in three, eight
/// one time in 300.
pub use crate::model::error::MAX_ATTEMPTS;

fn aws_file(env_var: &str, default_name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env_var) {
        return Some(PathBuf::from(path));
    }
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aws").join(default_name))
}

/// Where the AWS config and credentials files are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSource {
    /// The config file; None means `AWS_CONFIG_FILE` or `~/.aws/config`.
    pub config: Option<PathBuf>,
    /// The credentials file; None means `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    pub credentials: Option<PathBuf>,
}

impl ProfileSource {
    /// Explicit files (tests, or a user pointing at another set).
    pub fn files(config: PathBuf, credentials: PathBuf) -> Self {
        Self {
            config: Some(config),
            credentials: Some(credentials),
        }
    }

    fn config_path(&self) -> Option<PathBuf> {
        self.config
            .clone()
            .or_else(|| aws_file("AWS_CONFIG_FILE", "config"))
    }

    fn credentials_path(&self) -> Option<PathBuf> {
        self.credentials
            .clone()
            .or_else(|| aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
    }

    fn sdk_files(&self) -> Option<ProfileFiles> {
        if self.config.is_none() && self.credentials.is_none() {
            return None;
        }
        let mut builder = ProfileFiles::builder();
        if let Some(path) = self.config_path() {
            builder = builder.with_file(ProfileFileKind::Config, path);
        }
        if let Some(path) = self.credentials_path() {
            builder = builder.with_file(ProfileFileKind::Credentials, path);
        }
        Some(builder.build())
    }
}

#[derive(Default)]
struct Section {
    keys: BTreeMap<String, String>,
}

/// Cuts an inline comment: ` #` or ` ;` after whitespace, as the AWS CLI reads it.
fn strip_inline_comment(text: &str) -> &str {
    let cut = text
        .char_indices()
        .find(|&(i, c)| (c == '#' || c == ';') && text[..i].ends_with(char::is_whitespace))
        .map_or(text.len(), |(i, _)| i);
    text[..cut].trim()
}

/// Parses an INI-style AWS file into `profile name → keys`; `config_style` strips `profile `.
fn parse_profiles(text: &str, config_style: bool, into: &mut BTreeMap<String, Section>) {
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = strip_inline_comment(line)
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
        {
            let header = header.trim();
            current = if !config_style || header == "default" {
                Some(header.to_owned())
            } else {
                // `[sso-session x]` and `[services x]` are not profiles.
                header.strip_prefix("profile ").map(|n| n.trim().to_owned())
            };
            if let Some(name) = &current {
                into.entry(name.clone()).or_default();
            }
            continue;
        }
        // Indented lines continue a nested key (e.g. `s3 =`); they don't matter here.
        if raw.starts_with(char::is_whitespace) {
            continue;
        }
        if let (Some(name), Some((key, value))) = (&current, line.split_once('=')) {
            into.entry(name.clone()).or_default().keys.insert(
                key.trim().to_lowercase(),
                strip_inline_comment(value).to_owned(),
            );
        }
    }
}

fn source_of(section: &Section) -> CredentialSource {
    let has = |k: &str| section.keys.contains_key(k);
    if has("sso_start_url") || has("sso_session") {
        CredentialSource::Sso
    } else if has("credential_process") {
        CredentialSource::Process
    } else if has("role_arn") {
        CredentialSource::AssumeRole
    } else if has("aws_access_key_id") {
        CredentialSource::Static
    } else {
        CredentialSource::Other
    }
}

/// Profiles from two file contents (config, credentials), sorted by name.
pub fn profiles_from(config: &str, credentials: &str) -> Vec<ProfileInfo> {
    let mut sections = BTreeMap::new();
    parse_profiles(credentials, false, &mut sections);
    parse_profiles(config, true, &mut sections);
    sections
        .iter()
        .map(|(name, section)| ProfileInfo {
            name: name.clone(),
            region: section.keys.get("region").cloned(),
            source: source_of(section),
        })
        .collect()
}

/// Reads profiles from the files of `source`.
/// Missing files are normal (env or SSO-only setups); unreadable ones are an error.
pub fn list_profiles(source: &ProfileSource) -> Result<Vec<ProfileInfo>, String> {
    let read = |path: Option<PathBuf>| -> Result<String, String> {
        let Some(path) = path else {
            return Ok(String::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    };
    let config = read(source.config_path())?;
    let credentials = read(source.credentials_path())?;
    Ok(profiles_from(&config, &credentials))
}

/// The SDK configuration for a connection: the standard credential chain (env, profile,
/// SSO, credential_process, IMDS…), the chosen region, endpoint override and adaptive retry.
pub async fn sdk_config(connection: &Connection, source: &ProfileSource) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(connection.region.clone()))
        .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS))
                .operation_attempt_timeout(Duration::from_secs(ATTEMPT_TIMEOUT_SECS))
                .build(),
        );
    // The profile the change policy judges is the one the calls use: the SDK itself reads
    // only AWS_PROFILE, so AWS_DEFAULT_PROFILE (as the AWS CLI honours it) is passed on.
    if let Some(profile) = connection.profile.clone().or_else(env_profile) {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &connection.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(files) = source.sdk_files() {
        loader = loader.profile_files(files);
    }
    loader.load().await
}

/// `AWS_PROFILE`, then `AWS_DEFAULT_PROFILE`: the profile used when a connection names none.
pub fn env_profile() -> Option<String> {
    ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|p| !p.is_empty()))
}

/// The default change rules (the default read-only patterns, nothing saved), with the
/// environment's profile.
pub fn standard_rules() -> ChangeRules {
    ChangeRules {
        patterns: crate::model::changes::policy::SavedPolicy::default().read_only_profiles,
        env_profile: env_profile(),
        ..ChangeRules::default()
    }
}

/// ECS calls for a connection, under the default change rules.
pub async fn connect(connection: &Connection, source: &ProfileSource) -> Ecs {
    let rules = SharedRules::new(standard_rules());
    connect_metered(connection, source, ThrottleMeter::default(), rules).await
}

/// ECS calls for a connection, every client counting its throttled attempts in `meter` and
/// refusing changes the shared `rules` do not allow.
pub async fn connect_metered(
    connection: &Connection,
    source: &ProfileSource,
    meter: ThrottleMeter,
    rules: SharedRules,
) -> Ecs {
    let config = sdk_config(connection, source).await;
    let gate = ChangeGate::new(rules, connection.profile.clone());
    let ecs = aws_sdk_ecs::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let scaling = aws_sdk_applicationautoscaling::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let metrics = aws_sdk_cloudwatch::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let ecr = aws_sdk_ecr::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let elb = aws_sdk_elasticloadbalancingv2::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let ssm = aws_sdk_ssm::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    let iam = aws_sdk_iam::config::Builder::from(&config)
        .interceptor(gate.clone())
        .interceptor(meter.clone())
        .retry_classifier(NoBlindRetry);
    Ecs::new(
        aws_sdk_ecs::Client::from_conf(ecs.build()),
        connection.endpoint_url.clone(),
    )
    .with_scaling(aws_sdk_applicationautoscaling::Client::from_conf(
        scaling.build(),
    ))
    .with_metrics(aws_sdk_cloudwatch::Client::from_conf(metrics.build()))
    .with_ecr(aws_sdk_ecr::Client::from_conf(ecr.build()))
    .with_elb(aws_sdk_elasticloadbalancingv2::Client::from_conf(
        elb.build(),
    ))
    .with_ssm(aws_sdk_ssm::Client::from_conf(ssm.build()))
    .with_iam(aws_sdk_iam::Client::from_conf(iam.build()))
    .with_logs(logs_client(
        &config,
        connection.endpoint_url.is_some(),
        meter,
        gate.clone(),
    ))
    .with_gate(gate)
}

/// The CloudWatch Logs client; with an endpoint override, Live Tail goes to that endpoint
/// instead of its `stream-` host.
pub fn logs_client(
    config: &SdkConfig,
    endpoint_override: bool,
    meter: ThrottleMeter,
    gate: ChangeGate,
) -> aws_sdk_cloudwatchlogs::Client {
    let mut builder = aws_sdk_cloudwatchlogs::config::Builder::from(config)
        .interceptor(gate)
        .interceptor(meter)
        .retry_classifier(NoBlindRetry);
    if endpoint_override {
        builder = builder.interceptor(crate::aws::logs::live_tail::StripStreamHost);
    }
    aws_sdk_cloudwatchlogs::Client::from_conf(builder.build())
}

/// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`.
pub fn default_region() -> String {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_merge_both_files_and_know_their_credential_source() {
        let config = "\
[default]
region = eu-west-1

[profile prod]
sso_session = corp
sso_account_id = 123
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[profile tool]   # a tool profile
credential_process = /usr/bin/get-creds --id a#b
region = eu-north-1 ; inline comment
# a comment
[profile admin]
role_arn = arn:aws:iam::1:role/admin
source_profile = default
s3 =
  max_concurrent_requests = 20
";
        let credentials = "[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n[ci]\naws_access_key_id=AKIB\n";
        let profiles = profiles_from(config, credentials);
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["admin", "ci", "default", "prod", "tool"]);
        let get = |n: &str| profiles.iter().find(|p| p.name == n).expect("profile");
        assert_eq!(get("prod").source, CredentialSource::Sso);
        assert_eq!(get("prod").region.as_deref(), Some("us-east-1"));
        assert_eq!(get("tool").source, CredentialSource::Process);
        assert_eq!(get("tool").region.as_deref(), Some("eu-north-1"));
        assert_eq!(get("admin").source, CredentialSource::AssumeRole);
        assert_eq!(get("default").source, CredentialSource::Static);
        assert_eq!(get("default").region.as_deref(), Some("eu-west-1"));
        assert_eq!(get("ci").source, CredentialSource::Static);
    }
}
