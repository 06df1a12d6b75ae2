//! ECS Deck: a native desktop console for Amazon ECS.

pub mod app;
pub mod aws;
pub mod cli;
pub mod jobs;
pub mod model;
pub mod ui;
pub mod worker;

pub use app::App;
