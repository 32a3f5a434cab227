//! `cargo xtask lint`: the formatting and clippy gate CI applies, runnable
//! locally with the same flags.

use std::process::{Command, ExitCode};

use crate::error::XtaskError;
use crate::process;
use crate::workspace::Workspace;

/// Runs `cargo fmt --check`, then clippy with warnings denied, on the workspace and on
/// `cjh-emulator` alone without features (the in-memory build a dependent gets, with no
/// SQLite, which the workspace build never compiles because `cjh` turns `durable` on);
/// stops at the first failure.
pub(crate) fn run(workspace: &Workspace) -> Result<ExitCode, XtaskError> {
    ensure_components(workspace)?;
    let steps: [&[&str]; 3] = [
        &["fmt", "--all", "--check"],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[
            "clippy",
            "-p",
            "cjh-emulator",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ];
    for args in steps {
        process::run_checked(
            Command::new(workspace.cargo())
                .current_dir(workspace.root())
                .args(args),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds rustfmt and clippy through rustup when the toolchain lacks them, as a minimal
/// rustup profile does.
fn ensure_components(workspace: &Workspace) -> Result<(), XtaskError> {
    for (subcommand, component) in [("fmt", "rustfmt"), ("clippy", "clippy")] {
        let present = process::succeeds_quietly(
            Command::new(workspace.cargo()).args([subcommand, "--version"]),
        );
        if !present {
            process::run_checked(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}
