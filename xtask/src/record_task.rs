//! `cargo xtask record`: builds cjh and runs `cjh record` with the given flags from the
//! workspace root, so `scenarios/` and `recordings/` resolve as committed.

use std::ffi::OsString;
use std::process::{Command, ExitCode};

use crate::error::XtaskError;
use crate::process;
use crate::workspace::Workspace;

/// Runs `cargo run -q -p cjh -- record <args>` and passes its exit code through.
pub(crate) fn run(workspace: &Workspace, args: &[OsString]) -> Result<ExitCode, XtaskError> {
    let mut command = Command::new(workspace.cargo());
    command
        .current_dir(workspace.root())
        .args(["run", "-q", "-p", "cjh", "--", "record"])
        .args(args);
    let status = process::run(&mut command)?;
    Ok(match status.code().map(u8::try_from) {
        Some(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::FAILURE,
    })
}
