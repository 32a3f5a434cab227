//! `cargo xtask record`: runs `cjh record` with the given flags in-process, from the
//! workspace root, so `scenarios/` and `recordings/` resolve as committed.

use std::ffi::OsString;
use std::process::ExitCode;

use crate::error::XtaskError;
use crate::workspace::Workspace;

/// Runs `cjh record <args>` from the workspace root and returns its exit code.
pub(crate) fn run(workspace: &Workspace, args: &[OsString]) -> Result<ExitCode, XtaskError> {
    std::env::set_current_dir(workspace.root()).map_err(|source| XtaskError::Io {
        path: workspace.root().to_path_buf(),
        source,
    })?;
    let command = [OsString::from("cjh"), OsString::from("record")];
    Ok(cjh::cli::main_with(
        command.into_iter().chain(args.iter().cloned()),
    ))
}
