//! `cargo xtask`: the project's own build tasks, written in Rust so they run
//! wherever cargo runs (see `.cargo/config.toml` for the alias).

mod check_data_task;
mod cli;
mod error;
mod lint_task;
mod npm;
mod partitions;
mod prerequisites;
mod process;
mod record_task;
mod test_task;
mod venv;
mod workspace;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
