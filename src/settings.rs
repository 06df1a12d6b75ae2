//! Persisted preferences. Never credentials, never AWS data.

use crate::model::messages::without_userinfo;
use crate::model::pins::Pin;
use crate::model::prefs::Prefs;
use crate::model::{Connection, DEFAULT_REFRESH_SECS};
use serde::{Deserialize, Serialize};

/// The eframe storage key the settings live under.
pub const STORAGE_KEY: &str = "ecsdeck.settings";

/// What survives a restart; fields added later load with their defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Chosen profile; None means the default credential chain.
    pub profile: Option<String>,
    /// Chosen region.
    pub region: String,
    /// Endpoint override (LocalStack, moto).
    pub endpoint_url: Option<String>,
    /// Auto-refresh on.
    pub auto_refresh: bool,
    /// Auto-refresh interval.
    pub refresh_interval_secs: u64,
    /// Refuse every mutating action.
    pub read_only: bool,
    /// Profiles that switch read-only mode on when chosen (`*` matches anything).
    pub read_only_profiles: Vec<String>,
    /// Lines a log tail keeps (the oldest are dropped beyond that).
    pub log_buffer_lines: usize,
    /// Palette entries chosen lately (resource ARNs, commands), most recent first.
    pub recent: Vec<String>,
    /// Theme, zoom, keys, time zone and save folder (stored flat, as before they were grouped).
    #[serde(flatten)]
    pub prefs: Prefs,
    /// Services pinned to the sidebar.
    pub pins: Vec<Pin>,
    /// Screens open in windows of their own, and where those windows were.
    pub popouts: Vec<crate::model::popouts::Popout>,
    /// The newest crash report already offered (its file name), so it is offered once.
    pub crash_report_seen: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
            region: default_region(),
            endpoint_url: None,
            auto_refresh: true,
            refresh_interval_secs: DEFAULT_REFRESH_SECS,
            read_only: false,
            read_only_profiles: vec!["*prod*".to_owned()],
            log_buffer_lines: crate::model::log_buffer::DEFAULT_CAPACITY_LINES,
            recent: Vec::new(),
            prefs: Prefs::default(),
            pins: Vec::new(),
            popouts: Vec::new(),
            crash_report_seen: None,
        }
    }
}

/// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`.
pub fn default_region() -> String {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

impl Settings {
    /// The connection these settings select.
    pub fn connection(&self) -> Connection {
        Connection {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
        }
    }

    /// Reads settings saved by an earlier run; unreadable or missing settings give defaults.
    pub fn from_json(text: Option<&str>) -> Self {
        let mut settings: Self = text
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        settings.prefs = settings.prefs.checked();
        settings
    }

    /// Serialised form for storage, with any `user:password@` removed from the endpoint.
    pub fn to_json(&self) -> String {
        let stored = Self {
            endpoint_url: self.endpoint_url.as_deref().map(without_userinfo),
            pins: self
                .pins
                .iter()
                .map(|p| Pin {
                    connection: p.connection.without_secrets(),
                    ..p.clone()
                })
                .collect(),
            popouts: self
                .popouts
                .iter()
                .map(|p| crate::model::popouts::Popout {
                    connection: p.connection.without_secrets(),
                    ..p.clone()
                })
                .collect(),
            ..self.clone()
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::prefs::ThemeChoice;

    #[test]
    fn older_settings_load_with_defaults_for_new_fields() {
        let settings = Settings::from_json(Some(r#"{"profile":"prod","region":"eu-west-1"}"#));
        // Appearance saved flat by older versions still loads into the preferences.
        let flat =
            r#"{"theme":"light","vim_keys":true,"log_times_utc":true,"ui_scale_percent":125}"#;
        let older = Settings::from_json(Some(flat));
        assert_eq!(older.prefs.theme, ThemeChoice::Light);
        assert!(older.prefs.vim_keys && older.prefs.log_times_utc);
        assert_eq!(older.prefs.ui_scale_percent, 125);
        assert_eq!(settings.profile.as_deref(), Some("prod"));
        assert_eq!(settings.region, "eu-west-1");
        assert_eq!(settings.refresh_interval_secs, DEFAULT_REFRESH_SECS);
        assert!(settings.auto_refresh);
        assert_eq!(settings.log_buffer_lines, 1_000_000);
        assert_eq!(settings.prefs.theme, ThemeChoice::System);
        assert_eq!(settings.prefs.ui_scale_percent, 100);
        assert_eq!(settings.prefs.time_zone, None);
    }

    #[test]
    fn garbage_gives_defaults_and_a_round_trip_is_lossless() {
        assert_eq!(
            Settings::from_json(Some("{not json")).refresh_interval_secs,
            DEFAULT_REFRESH_SECS
        );
        let settings = Settings {
            profile: Some("x".into()),
            region: "ap-south-1".into(),
            endpoint_url: Some("http://127.0.0.1:5000".into()),
            auto_refresh: false,
            refresh_interval_secs: 60,
            read_only: true,
            read_only_profiles: vec!["*live*".into()],
            log_buffer_lines: 250_000,
            recent: vec!["command:Refresh".into()],
            prefs: Prefs {
                theme: ThemeChoice::Light,
                ui_scale_percent: 125,
                vim_keys: true,
                log_times_utc: true,
                time_zone: Some("Asia/Tokyo".into()),
                save_dir: Some("/data/exports".into()),
                ..Prefs::default()
            }
            .checked(),
            pins: Vec::new(),
            popouts: vec![crate::model::popouts::Popout {
                id: 3,
                connection: Connection::default(),
                route: crate::model::Route::Compare {
                    old: crate::model::DiffSide::Revision("web:1".into()),
                    new: crate::model::DiffSide::Revision("web:2".into()),
                },
                geometry: Some([1920, 0, 960, 1040]),
                raised: 0,
            }],
            crash_report_seen: Some("crash-2026-12-03T181900Z-4242.txt".into()),
        };
        assert_eq!(Settings::from_json(Some(&settings.to_json())), settings);
    }

    #[test]
    fn endpoint_credentials_are_not_stored() {
        let settings = Settings {
            endpoint_url: Some("https://admin:hunter2@localstack.internal:4566/path".into()),
            ..Settings::default()
        };
        let json = settings.to_json();
        assert!(
            !json.contains("hunter2") && !json.contains("admin"),
            "{json}"
        );
        assert_eq!(
            Settings::from_json(Some(&json)).endpoint_url.as_deref(),
            Some("https://localstack.internal:4566/path")
        );
        assert_eq!(
            without_userinfo("http://127.0.0.1:5000"),
            "http://127.0.0.1:5000"
        );
    }
}
