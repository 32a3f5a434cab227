//! The ways an xtask can fail, each naming the command or path involved so
//! the message alone tells the user what to look at.

use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

/// Failure of one step of a task.
#[derive(Debug, thiserror::Error)]
pub(crate) enum XtaskError {
    /// The program could not be started at all (missing from `PATH`, say).
    #[error("could not start `{command}`")]
    Spawn {
        command: String,
        #[source]
        source: io::Error,
    },
    /// The program ran and reported failure.
    #[error("`{command}` failed with {status}")]
    Failed { command: String, status: ExitStatus },
    /// Reading or writing a file of the task's own failed.
    #[error("could not access {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The venv was built, yet a program the tests need is not in it.
    #[error("{} is missing after installing {}", missing.display(), requirements.display())]
    VenvIncomplete {
        missing: PathBuf,
        requirements: PathBuf,
    },
    /// A program the tests run is not installed, and no task of ours installs it.
    #[error("`{tool}` is needed by {needed_by} but cannot be run; {hint}")]
    ToolMissing {
        tool: String,
        needed_by: String,
        hint: String,
    },
    /// npm installed the packages, yet a program the tests need is not there.
    #[error("{} is missing after `npm install {packages}`", missing.display())]
    NpmIncomplete { missing: PathBuf, packages: String },
    /// nextest's partitions do not split the scenario tests exactly.
    #[error("the nextest partitions of the scenario tests are wrong: {problem}")]
    Partition { problem: String },
}
