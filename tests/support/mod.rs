//! Shared test support: the local AWS emulator (moto + CloudWatch bridge), profile files,
//! seeders and fixtures. Each test binary uses a part of it.
#![allow(dead_code, unused_imports, clippy::expect_used, clippy::unwrap_used)]

pub mod deployment_fixtures;
pub mod deployment_seed;
pub mod emulator;
pub mod exec_fixtures;
pub mod exec_seed;
pub mod fault_proxy;
pub mod fixture_backend;
pub mod fixtures;
pub mod fleet_fixtures;
pub mod fleet_seed;
pub mod harness;
pub mod incident_fixtures;
pub mod live_tail_script;
pub mod log_fixtures;
pub mod log_seed;
pub mod metric_fixtures;
pub mod seed;

pub use emulator::Emulator;
