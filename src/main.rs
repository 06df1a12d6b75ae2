//! `ecsdeck`: the desktop app, or a headless command when given one.

// Windows: a GUI program, so starting the app opens no console window; commands attach to
// the console they were started from (app::console).
#![cfg_attr(windows, windows_subsystem = "windows")]

use clap::Parser;
use ecsdeck::cli::{self, Cli};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let started = Instant::now();
    ecsdeck::app::console::attach_parent();
    ecsdeck::app::log::init();
    // Panics print through the log's mask from the first line on (the GUI adds its reports).
    ecsdeck::app::crash_report::install(None);
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command, &args.connection),
        None => {
            let flags = args.connection;
            let overrides = ecsdeck::app::StartOverrides {
                profile: flags.profile,
                region: flags.region,
                endpoint_url: flags.endpoint_url,
                read_only: flags.read_only,
                log_buffer_lines: flags.log_buffer_lines,
                session_manager_plugin: flags.session_manager_plugin,
                open_service: args.open_cluster.zip(args.open_service),
                transient: args.transient,
            };
            ecsdeck::app::run_gui(&overrides, started, args.smoke_test)
        }
    }
}
