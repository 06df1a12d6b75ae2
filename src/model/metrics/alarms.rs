//! CloudWatch metric alarms as the deployment settings name them: each with its state, so
//! the service page says which alarm watching a deployment is in ALARM right now.

use crate::model::time_format;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// The most alarms listed (DescribeAlarms pages of 100): enough to pick from, bounded in
/// an account with thousands.
pub const MAX_ALARMS: usize = 1_000;

/// One metric alarm and its state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmState {
    /// Alarm name.
    pub name: String,
    /// OK, ALARM or INSUFFICIENT_DATA.
    pub state: String,
    /// Why, as CloudWatch says.
    pub reason: Option<String>,
    /// When the state last changed.
    #[serde(with = "time_format::opt")]
    pub updated_at: Option<SystemTime>,
}

/// The account's alarms as loaded, and whether the list stopped at [`MAX_ALARMS`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarms {
    /// Alarms by name.
    pub list: Vec<AlarmState>,
    /// More exist than were listed.
    pub truncated: bool,
}

impl Alarms {
    /// The state of `name`: None when it is not among those listed (deleted, or past the cap).
    pub fn state_of(&self, name: &str) -> Option<&AlarmState> {
        self.list.iter().find(|a| a.name == name)
    }
}
