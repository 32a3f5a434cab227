//! `cargo xtask check-data`: the secret scan over the committed data, run in-process
//! from the workspace root so CI and a developer check the same folders.

use std::process::ExitCode;

use crate::error::XtaskError;
use crate::workspace::Workspace;

/// The folders that hold committed data: recordings, scenarios with their
/// snapshots, and baselines.
pub(crate) const DATA_FOLDERS: &[&str] = &["recordings", "scenarios", "baselines"];

/// Runs `cjh check-data recordings scenarios baselines` in-process from the workspace
/// root and returns its exit code (1 when anything was found).
pub(crate) fn run(workspace: &Workspace) -> Result<ExitCode, XtaskError> {
    std::env::set_current_dir(workspace.root()).map_err(|source| XtaskError::Io {
        path: workspace.root().to_path_buf(),
        source,
    })?;
    let command = ["cjh", "check-data"]
        .into_iter()
        .chain(DATA_FOLDERS.iter().copied());
    Ok(cjh::cli::main_with(command))
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
