//! The `cjh` command line.

mod run;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use run::RunArgs;
pub use serve::ServeArgs;

/// cjh: emulator and contract-test harness for the SageMaker compilation-job API.
#[derive(Debug, Parser)]
#[command(name = "cjh", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the emulator as an HTTP server (AWS JSON 1.1 on POST /).
    Serve(ServeArgs),
    /// Run the scenario corpus against a target and compare with the snapshots.
    Run(RunArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
}

/// Parses the command line and runs it; exit code 0 on success, 1 on error, 2 on usage.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => run::run(args),
        Command::Schema => {
            print!("{}", crate::scenario::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("cjh: {error:#}");
            ExitCode::FAILURE
        }
    }
}
