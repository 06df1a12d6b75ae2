//! The shell around the screens: menus and bars, the connection bar, banners, pins,
//! pop-out windows, settings, shortcuts, the journal and the command list.

pub(crate) mod about;
pub(crate) mod bars;
pub mod command;
pub(crate) mod confirm_change;
pub(crate) mod connection;
pub(crate) mod crash_banner;
pub(crate) mod journal;
pub(crate) mod pins;
pub mod popouts;
pub(crate) mod screen;
pub mod settings;
pub(crate) mod shortcuts;
