//! ECS Deck: a native desktop console for Amazon ECS.

pub mod app;
pub mod app_log;
pub mod aws;
pub mod background;
pub mod chart_export;
pub mod cli;
mod cli_connection;
pub mod cli_diff;
pub mod cli_logs;
pub mod cli_metrics;
mod cli_output;
pub mod cli_service;
pub mod cli_taskdef;
pub mod command;
pub mod crash_report;
pub mod drafts;
pub mod log_export;
pub mod model;
pub mod palette;
pub mod settings;
pub mod ui;
pub mod worker;

pub use app::App;
