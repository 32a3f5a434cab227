//! Command-line surface of `cargo xtask` and the dispatch to each task.
//!
//! This is the only place that uses `anyhow`: the tasks return typed errors,
//! and here they are turned into one printable chain for the user.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{check_data_task, lint_task, record_task, test_task, workspace::Workspace};

/// Project tasks that need more than one cargo command.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install what the tests need (as root on Debian), prepare the Python clients and
    /// WireMock, run `cargo test --workspace`, then check nextest's partitions.
    ///
    /// Anything after `--` is passed on to `cargo test`.
    Test {
        /// Interpreter used to create the venv (it must have `venv` and `ensurepip`).
        #[arg(long, env = "CJH_BOOTSTRAP_PYTHON", default_value = "python3")]
        python: PathBuf,
        /// Extra arguments for `cargo test`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        cargo_args: Vec<OsString>,
    },
    /// Check formatting and run clippy with warnings denied.
    Lint,
    /// Scan recordings, scenarios and baselines for credentials and real account ids.
    CheckData,
    /// Record scenarios as recordings: `--target emulator|aws|URL`, `--region`,
    /// `--profile`, `--scenario PATTERN` (see `cjh record --help`).
    Record {
        /// Flags for `cjh record`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

/// Parses the command line, runs the chosen task and returns its exit code.
pub(crate) fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let workspace = Workspace::locate();
    let code = match cli.command {
        Command::Test { python, cargo_args } => test_task::run(&workspace, &python, &cargo_args)?,
        Command::Lint => lint_task::run(&workspace)?,
        Command::CheckData => check_data_task::run(&workspace)?,
        Command::Record { args } => record_task::run(&workspace, &args)?,
    };
    Ok(code)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn arguments_after_a_double_dash_reach_cargo_test_unchanged() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from(["xtask", "test", "--", "-p", "cjh", "--", "--nocapture"])?;
        let Command::Test { cargo_args, .. } = cli.command else {
            panic!("expected the test command, found {:?}", cli.command);
        };
        assert_eq!(cargo_args, ["-p", "cjh", "--", "--nocapture"]);
        Ok(())
    }

    #[test]
    fn cargo_test_flags_are_accepted_without_a_double_dash() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from(["xtask", "test", "--no-run"])?;
        let Command::Test { cargo_args, .. } = cli.command else {
            panic!("expected the test command, found {:?}", cli.command);
        };
        assert_eq!(cargo_args, ["--no-run"]);
        Ok(())
    }

    #[test]
    fn check_data_is_a_command_of_its_own() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from(["xtask", "check-data"])?;
        assert!(matches!(cli.command, Command::CheckData));
        Ok(())
    }
}
