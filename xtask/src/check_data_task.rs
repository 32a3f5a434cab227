//! `cargo xtask check-data`: the secret scan over the committed data, run from the
//! workspace root so CI and a developer check the same folders.

use std::process::{Command, ExitCode};

use crate::error::XtaskError;
use crate::process;
use crate::workspace::Workspace;

/// The folders that hold committed data: recordings, scenarios with their
/// snapshots, and baselines.
pub(crate) const DATA_FOLDERS: &[&str] = &["recordings", "scenarios", "baselines"];

/// Runs `cargo run -q -p cjh -- check-data recordings scenarios baselines` and passes
/// its exit code through (1 when anything was found).
pub(crate) fn run(workspace: &Workspace) -> Result<ExitCode, XtaskError> {
    let mut command = Command::new(workspace.cargo());
    command
        .current_dir(workspace.root())
        .args(["run", "-q", "-p", "cjh", "--", "check-data"])
        .args(DATA_FOLDERS);
    let status = process::run(&mut command)?;
    Ok(match status.code().map(u8::try_from) {
        Some(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::FAILURE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_folder_is_in_the_workspace() {
        let workspace = Workspace::locate();
        for folder in DATA_FOLDERS {
            assert!(workspace.root().join(folder).is_dir(), "{folder}");
        }
    }
}
