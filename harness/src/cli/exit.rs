//! How a command ends, and the one place that turns it into a process exit code.
//!
//! Every command returns `anyhow::Result<Exit>`: the outcome says what its work
//! found, the error why it could not do it ([`Unusable`] when the input is at fault). Scripts and CI gates read the codes, so they
//! are decided here alone: 0 passed, 1 something judged failed or the command broke,
//! 2 the input cannot be used, 3 a target answered nothing worth judging, 130
//! interrupted.

use std::process::ExitCode;

use thiserror::Error;

/// What a command's work found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything held.
    Passed,
    /// Something it judged failed: a scenario, a verification, a scan, a clean-up.
    Failed,
    /// A target was vacuous: every answer the same error, or every list empty.
    Vacuous,
    /// Stopped by Ctrl-C before it finished.
    Interrupted,
}

impl Exit {
    /// `Passed` when `held`, else `Failed`.
    pub fn held(held: bool) -> Exit {
        if held { Exit::Passed } else { Exit::Failed }
    }
}

/// The command's input cannot be used: a file that does not parse, a flag that does not
/// fit the target, a filter that matches nothing. Fixing the command line is the remedy,
/// so it exits 2; any other error means the command broke on the way and exits 1.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct Unusable(pub String);

/// An [`Unusable`] error with this message, ready to return from a command.
pub fn unusable(message: impl std::fmt::Display) -> anyhow::Error {
    Unusable(message.to_string()).into()
}

/// The exit code of a command's result; an error is printed on stderr first, once.
pub fn exit_code(result: anyhow::Result<Exit>) -> ExitCode {
    match result {
        Ok(Exit::Passed) => ExitCode::SUCCESS,
        Ok(Exit::Failed) => ExitCode::FAILURE,
        Ok(Exit::Vacuous) => ExitCode::from(3),
        Ok(Exit::Interrupted) => ExitCode::from(130),
        Err(error) => {
            eprintln!("cjh: {error:#}");
            if error.is::<Unusable>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_has_its_own_code() {
        let codes: Vec<String> = [
            Ok(Exit::Passed),
            Ok(Exit::Failed),
            Err(unusable("bad file")),
            Ok(Exit::Vacuous),
            Ok(Exit::Interrupted),
        ]
        .into_iter()
        .map(|result| format!("{:?}", exit_code(result)))
        .collect();
        let expected: Vec<String> = [0u8, 1, 2, 3, 130]
            .into_iter()
            .map(|code| format!("{:?}", ExitCode::from(code)))
            .collect();
        assert_eq!(codes, expected);
    }

    #[test]
    fn a_broken_command_exits_one() {
        let error = anyhow::anyhow!("target unreachable");
        assert_eq!(
            format!("{:?}", exit_code(Err(error))),
            format!("{:?}", ExitCode::FAILURE)
        );
    }
}
