//! The Python venv that holds the pinned `boto3` and `awscli` clients.
//!
//! Installing from PyPI takes tens of seconds, so it is done only when needed:
//! after a successful install the requirements file is copied into the venv
//! (the stamp), and the next run reuses the venv while the stamp still equals
//! the requirements file and the clients import. Any change rebuilds the venv
//! from scratch, so packages dropped from the file do not linger.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::XtaskError;
use crate::process;

/// Name of the stamp file inside the venv.
const STAMP_FILE: &str = "cjh-requirements.txt";

/// A venv whose clients match the requirements file.
#[derive(Debug, Clone)]
pub(crate) struct Venv {
    dir: PathBuf,
}

impl Venv {
    /// The venv's Python interpreter.
    pub(crate) fn python(&self) -> PathBuf {
        self.dir.join("bin").join("python")
    }

    /// The venv's AWS CLI entry point.
    pub(crate) fn aws_cli(&self) -> PathBuf {
        self.dir.join("bin").join("aws")
    }

    /// The `moto_server` script, the peer implementation the gate tests run against.
    pub(crate) fn moto_server(&self) -> PathBuf {
        self.dir.join("bin").join("moto_server")
    }
}

/// Returns the venv at `dir`, creating or rebuilding it with `bootstrap_python`
/// when it does not match `requirements`.
pub(crate) fn ensure(
    dir: &Path,
    requirements: &Path,
    bootstrap_python: &Path,
) -> Result<Venv, XtaskError> {
    let venv = Venv {
        dir: dir.to_path_buf(),
    };
    let wanted = read(requirements)?;
    if is_current(&venv, &wanted) {
        eprintln!("xtask: Python venv {} is up to date", dir.display());
        return Ok(venv);
    }
    eprintln!(
        "xtask: building Python venv {} from {}",
        dir.display(),
        requirements.display()
    );
    // The stamp goes first so an interrupted rebuild is never taken as current.
    remove_stamp(dir)?;
    process::run_checked(
        Command::new(bootstrap_python)
            .args(["-m", "venv", "--clear"])
            .arg(dir),
    )?;
    process::run_checked(
        Command::new(venv.python())
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "-r",
            ])
            .arg(requirements),
    )?;
    for program in [venv.python(), venv.aws_cli()] {
        if !program.is_file() {
            return Err(XtaskError::VenvIncomplete {
                missing: program,
                requirements: requirements.to_path_buf(),
            });
        }
    }
    let stamp = dir.join(STAMP_FILE);
    fs::write(&stamp, wanted).map_err(|source| XtaskError::Io {
        path: stamp,
        source,
    })?;
    Ok(venv)
}

/// True when the venv was built from exactly `wanted` and still works; the
/// import check catches a venv whose base interpreter has gone away.
fn is_current(venv: &Venv, wanted: &str) -> bool {
    let stamp_matches = fs::read_to_string(venv.dir.join(STAMP_FILE)).is_ok_and(|s| s == wanted);
    stamp_matches
        && venv.aws_cli().is_file()
        && process::succeeds_quietly(
            Command::new(venv.python()).args(["-c", "import boto3, awscli"]),
        )
}

fn read(path: &Path) -> Result<String, XtaskError> {
    fs::read_to_string(path).map_err(|source| XtaskError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn remove_stamp(dir: &Path) -> Result<(), XtaskError> {
    let stamp = dir.join(STAMP_FILE);
    match fs::remove_file(&stamp) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(XtaskError::Io {
            path: stamp,
            source,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_venv_without_a_stamp_is_not_current() {
        let venv = Venv {
            dir: PathBuf::from("/nonexistent/cjh-venv"),
        };
        assert!(!is_current(&venv, "boto3==1\n"));
    }

    #[test]
    fn the_clients_are_looked_up_in_the_venv_bin_directory() {
        let venv = Venv {
            dir: PathBuf::from("/w/target/cjh-venv"),
        };
        assert_eq!(venv.python(), Path::new("/w/target/cjh-venv/bin/python"));
        assert_eq!(venv.aws_cli(), Path::new("/w/target/cjh-venv/bin/aws"));
    }
}
