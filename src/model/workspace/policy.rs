//! How the app refreshes, which profiles it keeps read-only, and how much of a log it keeps:
//! chosen on the Settings screen, held by the model as it is and saved as it is.

use crate::model::logs::buffer::{DEFAULT_CAPACITY_LINES, DEFAULT_CAPACITY_MIB};
use crate::model::{DEFAULT_READ_ONLY_PROFILES, DEFAULT_REFRESH_SECS};
use serde::{Deserialize, Serialize};

/// The user's standing choices for refreshing, read-only rules and log size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Refresh what is on screen by itself.
    pub auto_refresh: bool,
    /// Seconds between refreshes.
    pub refresh_interval_secs: u64,
    /// Profiles that switch read-only mode on when chosen (`*` matches anything).
    pub read_only_profiles: Vec<String>,
    /// Lines a new log tail keeps (the oldest are dropped beyond that).
    pub log_buffer_lines: usize,
    /// MiB of text a new log tail keeps (the oldest lines are dropped beyond that).
    pub log_buffer_mib: usize,
    /// How long and how much the stopped-task recorder keeps.
    pub stopped_task_recorder: crate::model::incident::recorder::RecorderLimits,
    /// Which desktop notifications pinned services send (all off until turned on).
    pub notifications: crate::model::incident::notify::NoticePrefs,
    /// The session-manager-plugin's path for ECS Exec and port forwarding; None looks on
    /// PATH and in AWS's install locations.
    pub session_manager_plugin: Option<String>,
    /// The program that opens a terminal window for "Open in a terminal window" (the
    /// `ecsdeck exec` command line is appended); None: the platform's own.
    pub system_terminal: Option<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            auto_refresh: true,
            refresh_interval_secs: DEFAULT_REFRESH_SECS,
            read_only_profiles: DEFAULT_READ_ONLY_PROFILES
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
            log_buffer_lines: DEFAULT_CAPACITY_LINES,
            log_buffer_mib: DEFAULT_CAPACITY_MIB,
            stopped_task_recorder: Default::default(),
            notifications: Default::default(),
            session_manager_plugin: None,
            system_terminal: None,
        }
    }
}
