//! The user's preferences for how things are shown and where files go: saved in the settings
//! as they are, read by the views. What a screen shows depends on these, never on the
//! caller's environment, so a test pins it here.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Smallest zoom kept, in percent (egui's own zoom keys are held within these too).
pub const UI_SCALE_MIN: u32 = 50;
/// Largest zoom kept, in percent.
pub const UI_SCALE_MAX: u32 = 300;

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Light text on dark.
    Dark,
    /// Dark text on light.
    Light,
    /// As the operating system says (dark when it says nothing).
    #[default]
    System,
}

/// Appearance, keys, time zone and save folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Colour theme.
    pub theme: ThemeChoice,
    /// Zoom, in percent.
    pub ui_scale_percent: u32,
    /// j and k move in lists.
    pub vim_keys: bool,
    /// Log lines show UTC rather than local time.
    pub log_times_utc: bool,
    /// The zone "local time" means (an IANA name such as `Europe/Berlin`); `None`: the
    /// operating system's.
    pub time_zone: Option<String>,
    /// Where exports are offered to be saved; `None`: Downloads (Pictures for charts).
    pub save_dir: Option<PathBuf>,
    /// The operating system's Downloads and Pictures folders, looked up once at start.
    #[serde(skip)]
    pub system_dirs: SystemDirs,
    /// Columns each table hides (table id → column titles).
    pub hidden_columns: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The command an exec session last ran in each container (`family/container` → command).
    pub exec_commands: std::collections::BTreeMap<String, String>,
    /// `time_zone` resolved (the system's when it names no known zone); set by
    /// [`Prefs::checked`] and [`Prefs::set_time_zone`].
    #[serde(skip)]
    pub zone: LocalZone,
}

/// The operating system's folders for downloads and pictures (the home folder where it has
/// none), found by the app at start: the views never ask the environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SystemDirs {
    /// Downloads.
    pub downloads: PathBuf,
    /// Pictures.
    pub pictures: PathBuf,
}

/// What kind of file is being saved (each has its own default folder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    /// Log lines, CSV, JSON.
    Document,
    /// A chart's PNG.
    Picture,
}

/// A resolved time zone, compared by the name it was resolved from.
#[derive(Clone, Debug)]
pub struct LocalZone {
    name: Option<String>,
    zone: jiff::tz::TimeZone,
}

impl Default for LocalZone {
    fn default() -> Self {
        Self::resolve(None)
    }
}

impl PartialEq for LocalZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for LocalZone {}

impl LocalZone {
    fn resolve(name: Option<&str>) -> Self {
        let zone = name
            .and_then(|n| jiff::tz::TimeZone::get(n).ok())
            .unwrap_or_else(jiff::tz::TimeZone::system);
        Self {
            name: name.map(str::to_owned),
            zone,
        }
    }
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            ui_scale_percent: 100,
            vim_keys: false,
            log_times_utc: false,
            time_zone: None,
            save_dir: None,
            // What the AWS console leaves out too; the Columns menu brings it back.
            hidden_columns: [("services".to_owned(), ["Created".to_owned()].into())].into(),
            exec_commands: Default::default(),
            system_dirs: SystemDirs::default(),
            zone: LocalZone::default(),
        }
    }
}

impl Prefs {
    /// These preferences with their zoom held within bounds and their time zone resolved
    /// (after loading them).
    pub fn checked(mut self) -> Self {
        self.ui_scale_percent = self.ui_scale_percent.clamp(UI_SCALE_MIN, UI_SCALE_MAX);
        self.zone = LocalZone::resolve(self.time_zone.as_deref());
        self
    }

    /// Sets the local time zone by IANA name (`None` or empty: the system's); an unknown
    /// name is refused with the reason and changes nothing.
    pub fn set_time_zone(&mut self, name: Option<&str>) -> Result<(), String> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = name {
            jiff::tz::TimeZone::get(n).map_err(|e| format!("unknown time zone {n:?}: {e}"))?;
        }
        self.time_zone = name.map(str::to_owned);
        self.zone = LocalZone::resolve(name);
        Ok(())
    }

    /// The zone log times are shown in: UTC, or the local zone (a cheap clone).
    pub fn log_zone(&self) -> jiff::tz::TimeZone {
        if self.log_times_utc {
            jiff::tz::TimeZone::UTC
        } else {
            self.zone.zone.clone()
        }
    }

    /// The local zone's name as shown (`Europe/Berlin`, or the system's name for it).
    pub fn local_zone_name(&self) -> String {
        self.zone
            .zone
            .iana_name()
            .map_or_else(|| "system time zone".to_owned(), str::to_owned)
    }

    /// The folder a file of `kind` is offered to be saved in.
    pub fn save_dir_for(&self, kind: SaveKind) -> &Path {
        match (&self.save_dir, kind) {
            (Some(dir), _) => dir,
            (None, SaveKind::Document) => &self.system_dirs.downloads,
            (None, SaveKind::Picture) => &self.system_dirs.pictures,
        }
    }

    /// The path a file named `file_name` of `kind` is offered under.
    pub fn save_path(&self, kind: SaveKind, file_name: &str) -> String {
        self.save_dir_for(kind)
            .join(file_name)
            .display()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_zone_is_used_and_an_unknown_one_refused() {
        let mut prefs = Prefs::default();
        prefs.set_time_zone(Some("Asia/Tokyo")).unwrap();
        assert_eq!(prefs.local_zone_name(), "Asia/Tokyo");
        let noon = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        assert_eq!(noon.to_zoned(prefs.log_zone()).hour(), 20);
        assert!(prefs.set_time_zone(Some("Mars/Olympus")).is_err());
        assert_eq!(prefs.time_zone.as_deref(), Some("Asia/Tokyo"));
        prefs.log_times_utc = true;
        assert_eq!(noon.to_zoned(prefs.log_zone()).hour(), 11);
    }

    #[test]
    fn a_loaded_zone_is_resolved_and_zoom_bounded() {
        let json = r#"{"time_zone":"America/New_York","ui_scale_percent":900}"#;
        let prefs = serde_json::from_str::<Prefs>(json).unwrap().checked();
        assert_eq!(prefs.local_zone_name(), "America/New_York");
        assert_eq!(prefs.ui_scale_percent, UI_SCALE_MAX);
    }

    #[test]
    fn the_save_folder_overrides_the_system_ones() {
        let mut prefs = Prefs {
            system_dirs: SystemDirs {
                downloads: "/home/a/Downloads".into(),
                pictures: "/home/a/Pictures".into(),
            },
            ..Prefs::default()
        };
        assert_eq!(
            prefs.save_dir_for(SaveKind::Picture),
            Path::new("/home/a/Pictures")
        );
        prefs.save_dir = Some("/data/exports".into());
        assert_eq!(
            prefs.save_dir_for(SaveKind::Document),
            Path::new("/data/exports")
        );
    }
}
