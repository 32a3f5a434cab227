//! The `cjh` command line.

mod check_data;
mod clean;
mod exit;
mod export;
mod import;
mod mock;
mod proxy;
mod record;
mod report;
mod reports;
mod run;
mod run_output;
mod serve;
mod setting_flags;
mod verify;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use check_data::CheckDataArgs;
pub use clean::CleanArgs;
pub use exit::{Exit, Unusable, exit_code, unusable};
pub use export::ExportArgs;
pub use import::ImportArgs;
pub use mock::MockArgs;
pub use proxy::ProxyArgs;
pub use record::RecordArgs;
pub use report::ReportCommandArgs;
pub use run::RunArgs;
pub use serve::ServeArgs;
pub use setting_flags::SettingFlags;
pub use verify::VerifyArgs;

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
    /// Remove the jobs an interrupted run left on a target (names starting with a prefix).
    Clean(CleanArgs),
    /// Record scenarios against a target as recordings (see `cargo xtask record`).
    Record(RecordArgs),
    /// Serve recordings as a mock server (AWS JSON 1.1 on POST /).
    Mock(MockArgs),
    /// Record an application's traffic: a reverse proxy that re-signs each request.
    Proxy(ProxyArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Scan recordings, scenarios and baselines for credentials and real account ids.
    CheckData(CheckDataArgs),
    /// Export recordings for other tools: WireMock stub mappings, smithy-rs dvr traffic.
    Export(ExportArgs),
    /// Import another tool's recording (placebo, VCR.py, HAR, dvr) as a cjh recording.
    Import(ImportArgs),
    /// Send a recording's requests to a target again and compare the answers.
    Verify(VerifyArgs),
    /// Work with results files: `merge` joins the shards of a partitioned run.
    Report(ReportCommandArgs),
}

/// Shows what the libraries report through `log` (such as a state database that stopped
/// while serving) on stderr, in the shape of the binary's own messages; a second call, as
/// when `cargo xtask` runs several commands in one process, keeps the first logger.
fn install_logger() {
    let _ = env_logger::Builder::from_env(env_logger::Env::new().filter_or("CJH_LOG", "warn"))
        .format(|out, record| writeln!(out, "cjh: {}", record.args()))
        .try_init();
}

/// Parses the command line and runs it; exit code 0 on success, 1 on error, 2 on usage.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs `cjh` with `args` (the first is the program name), as the binary would; for
/// tools such as `cargo xtask` that run a command in-process instead of spawning it.
pub fn main_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run(cli),
        Err(usage) => {
            let _ = usage.print();
            ExitCode::from(if usage.use_stderr() { 2 } else { 0 })
        }
    }
}

fn run(cli: Cli) -> ExitCode {
    install_logger();
    exit_code(match &cli.command {
        Command::Serve(args) => serve::run(args).map(|()| Exit::Passed),
        Command::Run(args) => run::run(args),
        Command::Clean(args) => clean::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Verify(args) => verify::run(args),
        Command::CheckData(args) => check_data::run(args),
        Command::Record(args) => record::run(args),
        Command::Mock(args) => mock::run(args).map(|()| Exit::Passed),
        Command::Proxy(args) => proxy::run(args),
        Command::Report(args) => report::run(args),
        Command::Schema => {
            print!("{}", crate::scenario::json_schema());
            Ok(Exit::Passed)
        }
    })
}
