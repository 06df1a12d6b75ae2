//! The only place SDK types appear; converts them to model types at the boundary.

pub mod alarms;
pub mod autoscaling;
pub mod change_gate;
pub mod config;
mod deployment_convert;
pub mod ecr;
pub mod ecs;
mod ecs_convert;
pub mod error;
pub mod exec;
pub mod family_overview;
pub mod fleet;
pub mod incident;
pub mod logs;
pub mod metrics;
mod raw_body;
pub mod retry_policy;
pub mod run_task;
pub mod service_deployments;
pub mod service_ops;
pub mod task_defs;
pub mod throttle_meter;

pub use config::{ProfileSource, connect, list_profiles};
pub use ecs::Ecs;
