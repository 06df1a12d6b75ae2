//! The emulator's CloudWatch bridge: Smithy RPC v2 CBOR (what aws-sdk-cloudwatch speaks) in,
//! moto's JSON 1.0 behind it. Driven by a CBOR client in Python against the real emulator.

use crate::support;

use std::process::Command;
use support::Emulator;

/// Runs `tests/support/<script>` with the venv's Python and `args`; fails the test with its
/// output unless it exits 0, and gives back its stdout.
fn run_check(script: &str, args: &[&str]) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(format!("{root}/.venv/bin/python"))
        .arg(format!("{root}/tests/support/{script}"))
        .args(args)
        .output()
        .expect("run the check");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn cloudwatch_cbor_requests_round_trip_through_the_bridge() {
    let emulator = Emulator::start();
    let stdout = run_check("bridge_check.py", &[&emulator.endpoint]);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json summary");
    assert_eq!(summary["points"], 3);
    assert!(
        summary["error_type"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

/// The emulator's GetMetricData index answers exactly as moto's own scan, over random data.
#[test]
fn metric_index_matches_moto() {
    let stdout = run_check("metric_index_check.py", &[]);
    assert!(stdout.starts_with("OK "), "{stdout}");
}

/// The emulator's deployment engine, checked with boto3 (every strategy, hooks, timeouts,
/// alarms, stop, supersede, paging); the Rust side of the same engine is
/// deployments_emulator.rs.
#[test]
fn the_deployment_engine_passes_its_own_checks() {
    let emulator = Emulator::start();
    let stdout = run_check("deployments_check.py", &[&emulator.endpoint]);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json summary");
    assert_eq!(summary["ok"], true);
}

/// The emulator's incident engine, checked with boto3 on an emulator of its own: a bad deploy
/// (out of memory, then failed load-balancer health checks) until the circuit breaker rolls it
/// back, stopped tasks with ECS's stop codes, reasons and exit codes, service events, alarm
/// history (DescribeAlarmHistory, which moto lacks, over CBOR, JSON 1.0 and query), scaling
/// activities (DescribeScalingActivities, also missing from moto) and an error-log spike.
#[test]
fn the_incident_engine_passes_its_own_checks() {
    let stdout = run_check("incident_check.py", &[]);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json summary");
    assert_eq!(summary["ok"], true);
    assert_eq!(
        summary["bad_deploy"]["statuses"][2], "ROLLBACK_SUCCESSFUL",
        "{summary}"
    );
}

/// The emulator's ECS Exec and SSM sessions, checked with boto3 on an emulator of its own:
/// exec off then on for a service's new tasks, managed agents and runtime ids, ExecuteCommand
/// and its refusals, SSM StartSession/TerminateSession on an ECS target, and IAM
/// SimulatePrincipalPolicy over moto's roles (moto has none of these).
#[test]
fn the_exec_sessions_pass_their_own_checks() {
    let stdout = run_check("exec_sessions_check.py", &[]);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json summary");
    assert_eq!(summary["ok"], true, "{summary}");
    assert_eq!(summary["saw"]["iam"][3], "explicitDeny", "{summary}");
}
