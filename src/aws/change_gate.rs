//! The change policy enforced where calls leave: every method that changes AWS asks the gate
//! first, and an interceptor on every client refuses any operation that is not a known read,
//! so a change added later without asking is still refused instead of sent.

use crate::model::changes::policy::{ChangeRules, decide};
use crate::model::{AwsError, ErrorKind};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, RwLock};

/// Every operation the crate calls that changes AWS. `tests/change_gate.rs` finds every
/// operation the sources call and fails when a non-read one is missing here.
pub const MUTATING_OPERATIONS: &[&str] = &[
    "UpdateService",
    "StopTask",
    "RunTask",
    "StopServiceDeployment",
    "ContinueServiceDeployment",
    "RegisterTaskDefinition",
    "DeregisterTaskDefinition",
    "RegisterScalableTarget",
    "ExecuteCommand",
    "StartSession",
];

/// Operations that only read, by name: everything else counts as a change.
pub fn is_read_operation(name: &str) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        // Reads by other names: a Logs Insights query (and calling it off) changes nothing;
        // a policy simulation only evaluates; ending a session this app opened only closes
        // what the policy allowed to open (and must work after read-only is turned on).
        || matches!(
            name,
            "FilterLogEvents"
                | "StartLiveTail"
                | "StartQuery"
                | "StopQuery"
                | "SimulatePrincipalPolicy"
                | "TerminateSession"
        )
}

/// The rules in force, shared by the app (which changes them) and every client it made.
#[derive(Clone, Debug)]
pub struct SharedRules(Arc<RwLock<ChangeRules>>);

impl Default for SharedRules {
    /// Refusing every change: rules nobody set allow nothing.
    fn default() -> Self {
        Self::new(ChangeRules {
            forced_read_only: true,
            ..ChangeRules::default()
        })
    }
}

impl SharedRules {
    /// Rules that allow every change (tests of the changing calls themselves).
    pub fn allowing() -> Self {
        Self::new(ChangeRules::default())
    }

    /// Rules shared from now on.
    pub fn new(rules: ChangeRules) -> Self {
        Self(Arc::new(RwLock::new(rules)))
    }

    /// Replaces the rules (the user turned read-only on or off, or changed a pattern).
    pub fn set(&self, rules: ChangeRules) {
        match self.0.write() {
            Ok(mut current) => *current = rules,
            // A writer panicked mid-update: keep going with the new rules.
            Err(poisoned) => *poisoned.into_inner() = rules,
        }
    }

    /// The rules now.
    pub fn get(&self) -> ChangeRules {
        match self.0.read() {
            Ok(rules) => rules.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// The gate of one connection: its profile as named, judged by the shared rules.
#[derive(Clone, Debug, Default)]
pub struct ChangeGate {
    rules: SharedRules,
    profile: Option<String>,
}

impl ChangeGate {
    /// The gate for a connection naming `profile`.
    pub fn new(rules: SharedRules, profile: Option<String>) -> Self {
        Self { rules, profile }
    }

    /// `Ok` when `operation` may be sent now; else a read-only error naming the rule.
    pub fn check(&self, operation: &str) -> Result<(), AwsError> {
        decide(&self.rules.get(), self.profile.as_deref()).map_err(|refusal| AwsError {
            operation: operation.to_owned(),
            code: "ReadOnly".to_owned(),
            message: format!("{refusal}; nothing was sent"),
            request_id: None,
            kind: ErrorKind::ReadOnly,
        })
    }
}

/// What the interceptor raises; its text is the refusal.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl Intercept for ChangeGate {
    fn name(&self) -> &'static str {
        "ChangeGate"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // An operation without a name cannot be shown to be a read: refuse it too.
        let name = cfg.load::<Metadata>().map_or("", Metadata::name);
        if is_read_operation(name) {
            return Ok(());
        }
        self.check(name)
            .map_err(|e| Box::new(Refused(e.message)) as BoxError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_change_counts_as_one_and_reads_do_not() {
        for op in MUTATING_OPERATIONS {
            assert!(!is_read_operation(op), "{op}");
        }
        for op in [
            "DescribeServices",
            "ListTasks",
            "GetMetricData",
            "FilterLogEvents",
            "StartLiveTail",
        ] {
            assert!(is_read_operation(op), "{op}");
        }
        for op in [
            "CreateCluster",
            "DeleteService",
            "ExecuteCommand",
            "StartSession",
            "",
        ] {
            assert!(!is_read_operation(op), "{op:?} must count as a change");
        }
    }

    #[test]
    fn a_gate_nobody_gave_rules_refuses() {
        let error = ChangeGate::default().check("UpdateService").unwrap_err();
        assert_eq!(error.kind, ErrorKind::ReadOnly);
        assert!(
            ChangeGate::new(SharedRules::allowing(), None)
                .check("UpdateService")
                .is_ok()
        );
    }

    #[test]
    fn the_gate_follows_the_shared_rules_as_they_change() {
        let rules = SharedRules::new(ChangeRules {
            patterns: vec!["*prod*".into()],
            ..ChangeRules::default()
        });
        let gate = ChangeGate::new(rules.clone(), Some("prod-admin".into()));
        let error = gate.check("UpdateService").unwrap_err();
        assert_eq!(error.kind, ErrorKind::ReadOnly);
        assert!(
            error
                .message
                .contains("profile prod-admin matches read-only pattern *prod*"),
            "{}",
            error.message
        );
        let mut open = rules.get();
        open.read_write = true;
        rules.set(open);
        assert_eq!(gate.check("UpdateService"), Ok(()));
    }
}
