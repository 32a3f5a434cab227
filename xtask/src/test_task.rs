//! `cargo xtask test`: the one command that runs every test, including the
//! real-client tests that need Python's boto3 and the AWS CLI.
//!
//! Those tests fail (rather than skip) when `CJH_PYTHON` / `CJH_AWS_CLI` are
//! unset, so this task is what makes a plain `cargo test` setup complete. It also
//! installs the pinned WireMock (npm) the export tests serve stubs with (`CJH_WIREMOCK`).

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitCode};

use crate::error::XtaskError;
use crate::prerequisites::{self, Readiness};
use crate::workspace::Workspace;
use crate::{npm, partitions, process, venv};

/// Ensures the machine's prerequisites, the venv and the npm tools, then runs
/// `cargo test --workspace <cargo_args>` and returns its exit code unchanged; exit code
/// 2, with the command that would install them, when prerequisites are missing and this
/// user cannot install them.
pub(crate) fn run(
    workspace: &Workspace,
    bootstrap_python: &Path,
    cargo_args: &[OsString],
) -> Result<ExitCode, XtaskError> {
    if let Readiness::Missing { missing, command } = prerequisites::ensure(bootstrap_python)? {
        eprintln!("xtask: the tests need programs this machine lacks:");
        for prerequisite in &missing {
            eprintln!("  - {}", prerequisite.what);
        }
        eprintln!("xtask: install them with: {command}");
        return Ok(ExitCode::from(2));
    }
    let venv = venv::ensure(
        &workspace.venv_dir(),
        &workspace.python_requirements(),
        bootstrap_python,
    )?;
    let npm_tools = npm::ensure(&workspace.npm_dir())?;
    let mut command = Command::new(workspace.cargo());
    command
        .current_dir(workspace.root())
        .args(["test", "--workspace"])
        .args(cargo_args)
        .env("CJH_PYTHON", venv.python())
        .env("CJH_AWS_CLI", venv.aws_cli())
        .env("CJH_MOTO_SERVER", venv.moto_server())
        .env("CJH_WIREMOCK", npm_tools.wiremock());
    let status = process::run(&mut command)?;
    if !status.success() {
        return Ok(exit_code(status.code()));
    }
    // The partition check belongs to the whole suite, not to a run of a few tests.
    if !cargo_args.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if partitions::nextest_available(workspace) {
        let (one, two) = partitions::check(workspace)?;
        eprintln!("xtask: nextest partitions split the scenario tests {one} + {two}, each once");
    } else {
        eprintln!("xtask: cargo-nextest is not installed; the partition check is skipped");
    }
    Ok(ExitCode::SUCCESS)
}

/// Maps a child's exit code to ours; a child killed by a signal has no code
/// and counts as a plain failure.
fn exit_code(code: Option<i32>) -> ExitCode {
    match code.map(u8::try_from) {
        Some(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_of_cargo_test_is_passed_through() {
        assert_eq!(exit_code(Some(0)), ExitCode::from(0));
        assert_eq!(exit_code(Some(101)), ExitCode::from(101));
    }

    #[test]
    fn a_child_without_an_exit_code_is_a_failure() {
        assert_eq!(exit_code(None), ExitCode::FAILURE);
        assert_eq!(exit_code(Some(-1)), ExitCode::FAILURE);
    }
}
