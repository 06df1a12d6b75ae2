//! The connection flags every mode shares, and how they resolve against the environment.

use crate::aws;
use crate::aws::config::default_region;
use crate::jobs::settings_file::Stored;
use crate::model::Connection;
use crate::model::changes::policy::{ChangeRules, SavedPolicy};
use clap::Args;

/// Profile, region and endpoint flags, shared by the GUI and every subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// AWS profile (default: AWS_PROFILE, then the default credential chain).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Endpoint URL override, e.g. http://127.0.0.1:5000 for LocalStack or moto.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// Refuse every change to AWS: the GUI starts in read-only mode, and scale, deploy and
    /// rollback show their plan and stop (exit code 3). Wins over --read-write.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Allow this one command to change AWS even where the saved read-only setting or a
    /// read-only profile pattern (default *prod*) would refuse it.
    #[arg(long, global = true)]
    pub read_write: bool,
    /// GUI: lines a log tail keeps (default 1,000,000; remembered).
    #[arg(long, value_parser = clap::value_parser!(usize))]
    pub log_buffer_lines: Option<usize>,
    /// GUI: the session-manager-plugin for exec and port forwarding this run (default: the
    /// one set in Settings, else PATH and AWS's install locations).
    #[arg(long)]
    pub session_manager_plugin: Option<String>,
}

impl ConnectionArgs {
    /// The change rules of this command: the flags, the saved settings (read-only, profile
    /// patterns) and the environment's profile. Settings that cannot be read refuse changes.
    pub fn change_rules(&self) -> ChangeRules {
        let stored = crate::jobs::settings_file::default_path()
            .map(|path| crate::jobs::settings_file::read(&path));
        rules_from(self, stored, aws::config::env_profile())
    }

    /// The connection these flags select, filling gaps from the environment and profile.
    pub fn resolve(&self) -> Connection {
        let profile = self
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        let profile_region = || {
            let name = profile.as_deref().unwrap_or("default");
            aws::list_profiles(&aws::ProfileSource::default())
                .ok()?
                .into_iter()
                .find(|p| p.name == name)?
                .region
        };
        let region = self.region.clone().or_else(|| {
            let from_env = default_region();
            let env_set = std::env::var_os("AWS_REGION").is_some()
                || std::env::var_os("AWS_DEFAULT_REGION").is_some();
            if env_set {
                Some(from_env)
            } else {
                profile_region()
            }
        });
        Connection {
            profile,
            region: region.unwrap_or_else(default_region),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}

/// The rules from the flags, what the settings file held (None: no config directory) and
/// the environment's profile.
fn rules_from(
    args: &ConnectionArgs,
    stored: Option<Stored>,
    env_profile: Option<String>,
) -> ChangeRules {
    let (saved, settings_unreadable) = match stored {
        None | Some(Stored::Missing) => (SavedPolicy::default(), None),
        Some(Stored::Text(text)) => match SavedPolicy::from_settings_text(Some(&text)) {
            Ok(saved) => (saved, None),
            Err(why) => (
                SavedPolicy::default(),
                Some(format!("settings.json is {why}")),
            ),
        },
        Some(Stored::Unreadable(why)) => (SavedPolicy::default(), Some(why)),
    };
    ChangeRules {
        forced_read_only: args.read_only,
        saved_read_only: saved.read_only,
        read_write: args.read_write,
        patterns: saved.read_only_profiles,
        settings_unreadable,
        env_profile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::changes::policy::{Refusal, decide};

    #[test]
    fn the_cli_reads_saved_rules_and_refuses_when_they_cannot_be_read() {
        let args = ConnectionArgs::default();
        let rules = rules_from(&args, Some(Stored::Missing), Some("prod-admin".into()));
        assert!(matches!(decide(&rules, None), Err(Refusal::Pattern { .. })));
        let saved = Stored::Text(r#"{"read_only":true,"read_only_profiles":[]}"#.into());
        let rules = rules_from(&args, Some(saved), None);
        assert_eq!(decide(&rules, Some("dev")), Err(Refusal::Saved));
        let truncated = Stored::Text(r#"{"read_only":tr"#.into());
        let rules = rules_from(&args, Some(truncated), None);
        assert!(matches!(
            decide(&rules, Some("dev")),
            Err(Refusal::SettingsUnreadable(_))
        ));
        let read_write = ConnectionArgs {
            read_write: true,
            ..ConnectionArgs::default()
        };
        let rules = rules_from(&read_write, Some(Stored::Missing), Some("prod".into()));
        assert_eq!(decide(&rules, None), Ok(()));
        let both = ConnectionArgs {
            read_only: true,
            read_write: true,
            ..ConnectionArgs::default()
        };
        let rules = rules_from(&both, Some(Stored::Missing), None);
        assert_eq!(decide(&rules, Some("dev")), Err(Refusal::Flag));
    }
}
