//! Every integration test in one binary: one release link of the whole dependency graph
//! instead of one per file, which dominated a cold CI build on 2 cores.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test code: a failed expectation is a test failure

mod support;

mod aws_moto;
mod change_gate;
mod cli;
mod cli_deployments;
mod cli_exec;
mod cli_fleet;
mod cli_policy;
mod deployments_emulator;
mod diff_moto;
mod emulator_bridge;
mod exec_emulator;
mod fault_credentials;
mod fault_proxy_moto;
mod fault_scenarios;
mod fleet_emulator;
mod incident_emulator;
mod layering;
mod live_tail_sdk;
mod log_tail_moto;
mod logs_loss;
mod logs_moto;
mod metrics_moto;
mod metrics_sdk;
mod pagination;
mod panics;
mod secrets_hygiene;
mod service_deployments;
mod service_ops_moto;
mod service_update_sdk;
mod settings_persist;
mod task_def_corpus;
mod task_def_diff;
mod task_def_proptest;
mod task_defs_moto;
mod ui;
mod ui_appearance;
mod ui_cockpit;
mod ui_compare;
mod ui_confirm_change;
mod ui_exec;
mod ui_fleet;
mod ui_incident;
mod ui_logs;
mod ui_metrics;
mod ui_notifications;
mod ui_palette;
mod ui_pins;
mod ui_popouts;
mod ui_service_actions;
mod ui_settings;
mod ui_tables;
mod ui_task_defs;
mod worker_moto;
