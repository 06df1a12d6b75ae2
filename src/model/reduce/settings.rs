//! The settings a reduce step changes: refresh, the change policy, log and recorder limits,
//! notifications.

use super::slots::{Freshness, load_visible};
use crate::model::Model;
use crate::model::messages::{Action, WorkerCommand};
use std::time::SystemTime;

/// Applies a settings action; turning read-only off or lifting a profile rule is proposed
/// first, like any change.
pub(super) fn apply(
    model: &mut Model,
    action: Action,
    now: SystemTime,
    out: &mut Vec<WorkerCommand>,
) {
    match action {
        Action::SetAutoRefresh(on) => model.policy.auto_refresh = on,
        Action::SetRefreshInterval(secs) => model.policy.refresh_interval_secs = secs.max(1),
        Action::SetReadOnly(false) if model.read_only() => {
            model.proposal =
                crate::model::changes::proposal::propose(model, Action::SetReadOnly(false))
                    .map(Box::new);
        }
        Action::SetReadOnly(on) => set_read_only(model, on),
        Action::SetReadOnlyProfiles(patterns) => {
            let action = Action::SetReadOnlyProfiles(patterns.clone());
            match crate::model::changes::proposal::propose(model, action) {
                Some(lifts) => model.proposal = Some(Box::new(lifts)),
                None => set_patterns(model, patterns),
            }
        }
        Action::SetLogCapacity(lines) => model.policy.log_buffer_lines = lines,
        Action::SetLogCapacityMib(mib) => model.policy.log_buffer_mib = mib.max(1),
        Action::SetRecorderLimits(limits) => model.policy.stopped_task_recorder = limits,
        Action::SetNotifications(prefs) => {
            model.policy.notifications = prefs;
            // Hooks and alarms of pinned services are watched only while their notice is on.
            load_visible(model, Freshness::IfStale, now, out);
        }
        _ => {}
    }
}

/// The read-only profile patterns, in the rules and in the saved policy.
pub(super) fn set_patterns(model: &mut Model, patterns: Vec<String>) {
    model.change_rules.patterns.clone_from(&patterns);
    model.policy.read_only_profiles = patterns;
}

/// Read-only on is saved as the user's choice. Off (after the user confirmed it) clears
/// that choice and, where a profile pattern or unreadable settings would still refuse,
/// overrides them for this connection; `--read-only` is never overridden.
pub(super) fn set_read_only(model: &mut Model, on: bool) {
    let rules = &mut model.change_rules;
    rules.saved_read_only = on;
    rules.read_write = false;
    if !on && model.refusal().is_some_and(|r| r.can_override()) {
        model.change_rules.read_write = true;
    }
}
