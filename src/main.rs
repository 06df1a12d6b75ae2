//! `ecsdeck`: the desktop app, or a headless command when given one.

use clap::Parser;
use ecsdeck::cli::{self, Cli};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let started = Instant::now();
    ecsdeck::app_log::init();
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command, &args.connection),
        None => ecsdeck::app::run_gui(&args.connection, started, args.smoke_test),
    }
}
