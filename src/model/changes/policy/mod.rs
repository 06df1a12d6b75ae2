//! The change policy: the one decision whether a connection may change AWS, made from every
//! rule at once. The desktop app, the CLI and the AWS layer all ask [`decide`].

use crate::model::glob_matches;
use serde::{Deserialize, Serialize};

/// Every rule that can keep a connection read-only, as the app or a command sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeRules {
    /// `--read-only` on the command line: wins over everything.
    pub forced_read_only: bool,
    /// The saved read-only setting (the user's own choice).
    pub saved_read_only: bool,
    /// `--read-write` (one CLI command), or read-only turned off in the app after a
    /// confirmation: overrides the saved setting, the patterns and unreadable settings.
    pub read_write: bool,
    /// Profile patterns that keep a profile read-only (`*` matches any run of characters).
    pub patterns: Vec<String>,
    /// Why the saved settings could not be read, if they could not: then nothing is known
    /// about the user's rules, so changes are refused.
    pub settings_unreadable: Option<String>,
    /// The profile the SDK uses when the connection names none (`AWS_PROFILE`, then
    /// `AWS_DEFAULT_PROFILE`), captured once from the environment.
    pub env_profile: Option<String>,
}

/// The rule that refused a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `--read-only` was given.
    Flag,
    /// Read-only is the saved setting.
    Saved,
    /// The effective profile matches a read-only pattern.
    Pattern {
        /// The effective profile.
        profile: String,
        /// The pattern it matches.
        pattern: String,
    },
    /// The settings file could not be read.
    SettingsUnreadable(String),
}

impl Refusal {
    /// Whether `--read-write` (or turning read-only off) would lift this refusal.
    pub fn can_override(&self) -> bool {
        !matches!(self, Self::Flag)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Flag => write!(f, "read-only: --read-only was given"),
            Self::Saved => write!(f, "read-only: read-only mode is on in the saved settings"),
            Self::Pattern { profile, pattern } => write!(
                f,
                "read-only: profile {profile} matches read-only pattern {pattern}"
            ),
            Self::SettingsUnreadable(why) => write!(
                f,
                "read-only: the settings could not be read ({why}), so the read-only rules \
                 are unknown"
            ),
        }
    }
}

/// The profile a connection really uses: the one it names, else the environment's, else
/// `default` — the order the SDK's credential chain follows.
pub fn effective_profile(named: Option<&str>, env_profile: Option<&str>) -> String {
    named
        .filter(|p| !p.is_empty())
        .or(env_profile.filter(|p| !p.is_empty()))
        .unwrap_or("default")
        .to_owned()
}

impl ChangeRules {
    /// The profile a connection naming `named` uses under these rules.
    pub fn profile_of(&self, named: Option<&str>) -> String {
        effective_profile(named, self.env_profile.as_deref())
    }
}

/// Whether a connection using `named` may change AWS: `Ok`, or the rule that refuses it.
pub fn decide(rules: &ChangeRules, named: Option<&str>) -> Result<(), Refusal> {
    if rules.forced_read_only {
        return Err(Refusal::Flag);
    }
    if rules.read_write {
        return Ok(());
    }
    if let Some(why) = &rules.settings_unreadable {
        return Err(Refusal::SettingsUnreadable(why.clone()));
    }
    if rules.saved_read_only {
        return Err(Refusal::Saved);
    }
    let profile = rules.profile_of(named);
    match rules.patterns.iter().find(|p| glob_matches(p, &profile)) {
        Some(pattern) => Err(Refusal::Pattern {
            profile,
            pattern: pattern.clone(),
        }),
        None => Ok(()),
    }
}

/// The part of the saved settings the change policy reads (the CLI reads only this).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedPolicy {
    /// The saved read-only setting.
    pub read_only: bool,
    /// The saved read-only profile patterns.
    pub read_only_profiles: Vec<String>,
}

impl Default for SavedPolicy {
    fn default() -> Self {
        Self {
            read_only: false,
            read_only_profiles: crate::model::DEFAULT_READ_ONLY_PROFILES
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
        }
    }
}

impl SavedPolicy {
    /// Reads the policy from the saved settings' text: `None` (no file) gives the defaults;
    /// text that is not a settings object is an error, never the defaults.
    pub fn from_settings_text(text: Option<&str>) -> Result<Self, String> {
        match text {
            None => Ok(Self::default()),
            Some(text) => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
                if !value.is_object() {
                    return Err("not a settings object".to_owned());
                }
                serde_json::from_value(value).map_err(|e| format!("not valid settings: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests;
