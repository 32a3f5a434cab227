//! The `cjh` command line.

mod check_data;
mod choice;
mod export;
mod mock;
mod record;
mod run;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use check_data::CheckDataArgs;
pub use export::ExportArgs;
pub use mock::MockArgs;
pub use record::RecordArgs;
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
    /// Record scenarios against a target as recordings (see `cargo xtask record`).
    Record(RecordArgs),
    /// Serve recordings as a mock server (AWS JSON 1.1 on POST /).
    Mock(MockArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Scan recordings, scenarios and baselines for credentials and real account ids.
    CheckData(CheckDataArgs),
    /// Export recordings for other tools: WireMock stub mappings, smithy-rs dvr traffic.
    Export(ExportArgs),
}

/// Parses the command line and runs it; exit code 0 on success, 1 on error, 2 on usage.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => run::run(args),
        Command::Export(args) => export::run(args),
        Command::CheckData(args) => check_data::run(args),
        Command::Record(args) => record::run(args),
        Command::Mock(args) => mock::run(args).map(|()| ExitCode::SUCCESS),
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
