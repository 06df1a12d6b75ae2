//! Persisted preferences. Never credentials, never AWS data.

use crate::model::Connection;
use crate::model::workspace::pins::Pin;
use crate::model::workspace::policy::Policy;
use crate::model::workspace::prefs::Prefs;
use serde::{Deserialize, Serialize};

/// The eframe storage key the settings live under.
pub const STORAGE_KEY: &str = "ecsdeck.settings";

/// What survives a restart; fields added later load with their defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Profile, region and endpoint, as the model holds them.
    #[serde(flatten)]
    pub connection: Connection,
    /// Refreshing, read-only rules and log size, as the model holds them.
    #[serde(flatten)]
    pub policy: Policy,
    /// Refuse every mutating action (the user's own choice, not a profile rule's).
    pub read_only: bool,
    /// Palette entries chosen lately (resource ARNs, commands), most recent first.
    pub recent: Vec<String>,
    /// Theme, zoom, keys, time zone and save folder (stored flat, as before they were grouped).
    #[serde(flatten)]
    pub prefs: Prefs,
    /// Services pinned to the sidebar.
    pub pins: Vec<Pin>,
    /// Screens open in windows of their own, and where those windows were.
    pub popouts: Vec<crate::model::workspace::popouts::Popout>,
    /// The newest crash report already offered (its file name), so it is offered once.
    pub crash_report_seen: Option<String>,
    /// The renderer that last opened the window: tried first at the next start.
    pub renderer: Option<crate::model::workspace::renderer::Renderer>,
    /// Saved fleets: profiles × regions shown together.
    pub fleets: Vec<crate::model::fleet::FleetDef>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connection: Connection {
                profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
                region: crate::aws::config::default_region(),
                endpoint_url: None,
            },
            policy: Policy::default(),
            read_only: false,
            recent: Vec::new(),
            prefs: Prefs::default(),
            pins: Vec::new(),
            popouts: Vec::new(),
            crash_report_seen: None,
            renderer: None,
            fleets: Vec::new(),
        }
    }
}

/// The settings to start with, and why the saved ones could not be read if they could not:
/// the settings file when there is one, else what an older version kept in eframe's storage.
/// An unreadable file is kept aside (`settings.json.unreadable`) before anything replaces it.
pub fn load(
    path: Option<&std::path::Path>,
    eframe_stored: Option<&str>,
) -> (Settings, Option<String>) {
    use crate::jobs::settings_file::{Stored, keep_aside, read};
    let Some(path) = path else {
        return (Settings::from_json(eframe_stored), None);
    };
    let why = match read(path) {
        Stored::Missing => return (Settings::from_json(eframe_stored), None),
        Stored::Text(text) => match Settings::parse(&text) {
            Ok(settings) => return (settings, None),
            Err(why) => format!("{}: {why}", path.display()),
        },
        Stored::Unreadable(why) => why,
    };
    let kept = keep_aside(path).map_or_else(String::new, |aside| {
        format!("; the file was copied to {}", aside.display())
    });
    ::log::error!("the settings could not be read ({why}): starting read-only{kept}");
    (Settings::default(), Some(format!("{why}{kept}")))
}

impl Settings {
    /// Reads settings saved by an earlier run (eframe's storage); unreadable or missing
    /// settings give defaults.
    pub fn from_json(text: Option<&str>) -> Self {
        text.and_then(|t| Self::parse(t).ok()).unwrap_or_default()
    }

    /// Reads a settings file's text; text that is not settings is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not valid settings: {e}"))?;
        if !value.is_object() {
            return Err("not valid settings: not a JSON object".to_owned());
        }
        let mut settings: Self =
            serde_json::from_value(value).map_err(|e| format!("not valid settings: {e}"))?;
        settings.prefs = settings.prefs.checked();
        if settings.connection.region.is_empty() {
            settings.connection.region = crate::aws::config::default_region();
        }
        Ok(settings)
    }

    /// Serialised form for storage, with any `user:password@` removed from the endpoint.
    pub fn to_json(&self) -> String {
        let stored = Self {
            connection: self.connection.without_secrets(),
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
                .map(|p| crate::model::workspace::popouts::Popout {
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
    use crate::model::DEFAULT_REFRESH_SECS;
    use crate::model::connection::without_userinfo;
    use crate::model::workspace::prefs::ThemeChoice;

    #[test]
    fn the_cli_reads_the_read_only_rules_the_app_saves() {
        let settings = Settings {
            read_only: true,
            policy: Policy {
                read_only_profiles: vec!["live-*".into(), "*prod*".into()],
                ..Policy::default()
            },
            ..Settings::default()
        };
        let saved = crate::model::changes::policy::SavedPolicy::from_settings_text(Some(
            &settings.to_json(),
        ))
        .unwrap();
        assert!(saved.read_only);
        assert_eq!(saved.read_only_profiles, settings.policy.read_only_profiles);
        assert!(Settings::parse("[]").is_err(), "an array is not settings");
    }

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
        assert_eq!(settings.connection.profile.as_deref(), Some("prod"));
        assert_eq!(settings.connection.region, "eu-west-1");
        assert_eq!(settings.policy.refresh_interval_secs, DEFAULT_REFRESH_SECS);
        assert!(settings.policy.auto_refresh);
        assert_eq!(settings.policy.log_buffer_lines, 1_000_000);
        assert_eq!(settings.policy.read_only_profiles, ["*prod*"]);
        assert_eq!(settings.prefs.theme, ThemeChoice::System);
        assert_eq!(settings.prefs.ui_scale_percent, 100);
        assert_eq!(settings.prefs.time_zone, None);
    }

    #[test]
    fn settings_saved_flat_before_the_grouping_load_into_the_groups() {
        let flat = r#"{"profile":"sandbox","region":"eu-west-1","endpoint_url":"http://h:1",
            "auto_refresh":false,"refresh_interval_secs":60,"read_only":true,
            "read_only_profiles":["*live*"],"log_buffer_lines":50000,"theme":"dark"}"#;
        let settings = Settings::from_json(Some(flat));
        assert_eq!(settings.connection.profile.as_deref(), Some("sandbox"));
        assert_eq!(
            settings.connection.endpoint_url.as_deref(),
            Some("http://h:1")
        );
        assert!(!settings.policy.auto_refresh && settings.read_only);
        assert_eq!(settings.policy.refresh_interval_secs, 60);
        assert_eq!(settings.policy.read_only_profiles, ["*live*"]);
        assert_eq!(settings.policy.log_buffer_lines, 50_000);
        // And they are written back the same way: flat, the names unchanged.
        let json: serde_json::Value = serde_json::from_str(&settings.to_json()).unwrap();
        assert_eq!(json["region"], "eu-west-1");
        assert_eq!(json["refresh_interval_secs"], 60);
        assert_eq!(json["theme"], "dark");
    }

    #[test]
    fn garbage_gives_defaults_and_a_round_trip_is_lossless() {
        assert_eq!(
            Settings::from_json(Some("{not json"))
                .policy
                .refresh_interval_secs,
            DEFAULT_REFRESH_SECS
        );
        let settings = Settings {
            connection: Connection {
                profile: Some("x".into()),
                region: "ap-south-1".into(),
                endpoint_url: Some("http://127.0.0.1:5000".into()),
            },
            policy: Policy {
                auto_refresh: false,
                refresh_interval_secs: 60,
                read_only_profiles: vec!["*live*".into()],
                log_buffer_lines: 250_000,
                log_buffer_mib: 64,
                stopped_task_recorder: crate::model::incident::recorder::RecorderLimits {
                    max_age_days: 30,
                    max_mib: 64,
                },
                notifications: crate::model::incident::notify::NoticePrefs {
                    crash_loop: true,
                    ..Default::default()
                },
                session_manager_plugin: Some("/opt/aws/session-manager-plugin".into()),
                system_terminal: Some("xterm -e".into()),
            },
            read_only: true,
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
            popouts: vec![crate::model::workspace::popouts::Popout {
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
            renderer: Some(crate::model::workspace::renderer::Renderer::Gl),
            fleets: vec![crate::model::fleet::FleetDef {
                name: "everything".into(),
                regions: vec!["us-east-1".into(), "eu-west-1".into()],
                members: vec![crate::model::fleet::FleetMember {
                    profile: Some("prod".into()),
                    regions: vec!["ap-south-1".into()],
                }],
            }],
        };
        assert_eq!(Settings::from_json(Some(&settings.to_json())), settings);
    }

    #[test]
    fn endpoint_credentials_are_not_stored() {
        let mut settings = Settings::default();
        settings.connection.endpoint_url =
            Some("https://admin:hunter2@localstack.internal:4566/path".into());
        let json = settings.to_json();
        assert!(
            !json.contains("hunter2") && !json.contains("admin"),
            "{json}"
        );
        assert_eq!(
            Settings::from_json(Some(&json))
                .connection
                .endpoint_url
                .as_deref(),
            Some("https://localstack.internal:4566/path")
        );
        assert_eq!(
            without_userinfo("http://127.0.0.1:5000"),
            "http://127.0.0.1:5000"
        );
    }
}
