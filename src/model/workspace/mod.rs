//! The user's own arrangement: pinned services, pop-out windows and preferences.

pub mod pins;
pub mod policy;
pub mod popouts;
pub mod prefs;
pub mod renderer;
