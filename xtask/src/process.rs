//! Running child programs with their command line echoed first, so a CI log
//! shows exactly what ran and in which order.

use std::process::{Command, ExitStatus};

use crate::error::XtaskError;

/// Echoes `command`, runs it with inherited stdio and returns its status.
pub(crate) fn run(command: &mut Command) -> Result<ExitStatus, XtaskError> {
    let shown = display(command);
    eprintln!("xtask: running {shown}");
    command.status().map_err(|source| XtaskError::Spawn {
        command: shown,
        source,
    })
}

/// Like [`run`], but a non-zero exit is an error.
pub(crate) fn run_checked(command: &mut Command) -> Result<(), XtaskError> {
    let status = run(command)?;
    if status.success() {
        Ok(())
    } else {
        Err(XtaskError::Failed {
            command: display(command),
            status,
        })
    }
}

/// Runs `command` with its output captured and discarded, reporting only
/// whether it succeeded; used for probes whose failure is an expected answer.
pub(crate) fn succeeds_quietly(command: &mut Command) -> bool {
    command
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The command as a user would type it (program and arguments, space-separated).
pub(crate) fn display(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_displayed_as_it_would_be_typed() {
        let mut command = Command::new("cargo");
        command.args(["test", "--workspace"]);
        assert_eq!(display(&command), "cargo test --workspace");
    }
}
