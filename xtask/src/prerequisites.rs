//! The programs the tests run that cargo cannot bring: Chromium (the HTML report is
//! rendered in it), xmllint (the JUnit report is validated with it), Java and npm (the
//! pinned WireMock standalone), and a Python whose `venv` works (the real clients).
//!
//! `cargo xtask test` checks them before building anything. On a Debian machine, as
//! root, it installs what is missing with apt-get, so the README's two commands are the
//! whole set-up; as another user, or without apt-get, it prints the one command that
//! installs them and stops with exit code 2, rather than fail tests half an hour later.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::XtaskError;
use crate::process;

/// One program and the Debian package that brings it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prerequisite {
    /// What the tests need, in words.
    pub(crate) what: &'static str,
    /// The Debian package that provides it.
    pub(crate) package: &'static str,
    probe: Probe,
}

/// How to tell whether a prerequisite is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// A program of this name is on `PATH`.
    OnPath(&'static str),
    /// `python3 -m venv` creates a venv: Debian splits ensurepip out of python3, so
    /// `venv` can import and still fail.
    PythonVenv,
}

/// Everything the tests need beyond Rust.
pub(crate) const PREREQUISITES: &[Prerequisite] = &[
    Prerequisite {
        what: "chromium (renders the HTML report)",
        package: "chromium",
        probe: Probe::OnPath("chromium"),
    },
    Prerequisite {
        what: "xmllint (validates the JUnit report)",
        package: "libxml2-utils",
        probe: Probe::OnPath("xmllint"),
    },
    Prerequisite {
        what: "java (runs the WireMock standalone)",
        package: "default-jre-headless",
        probe: Probe::OnPath("java"),
    },
    Prerequisite {
        what: "npm (installs the pinned WireMock)",
        package: "npm",
        probe: Probe::OnPath("npm"),
    },
    Prerequisite {
        what: "python3 -m venv (the real-client tests)",
        package: "python3-venv",
        probe: Probe::PythonVenv,
    },
];

/// What the machine lacks, or what was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Readiness {
    /// Everything is there (possibly after installing it).
    Ready,
    /// Something is missing and this user cannot install it; the command that would.
    Missing {
        missing: Vec<Prerequisite>,
        command: String,
    },
}

/// Checks every prerequisite with `python` as the interpreter, and installs what is
/// missing when this is root on a machine with apt-get.
pub(crate) fn ensure(python: &Path) -> Result<Readiness, XtaskError> {
    let missing = missing(python);
    if missing.is_empty() {
        return Ok(Readiness::Ready);
    }
    let packages: Vec<&str> = missing.iter().map(|p| p.package).collect();
    let root = is_root();
    let command = install_command(&packages, root);
    if find_on_path("apt-get").is_none() || !root {
        return Ok(Readiness::Missing { missing, command });
    }
    eprintln!(
        "xtask: installing what the tests need: {}",
        packages.join(" ")
    );
    process::run_checked(Command::new("apt-get").arg("update"))?;
    process::run_checked(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&packages),
    )?;
    let still = self::missing(python);
    if let Some(first) = still.first() {
        return Err(XtaskError::ToolMissing {
            tool: first.what.to_owned(),
            needed_by: "the tests".to_owned(),
            hint: format!(
                "it is still missing after `apt-get install {}`",
                first.package
            ),
        });
    }
    Ok(Readiness::Ready)
}

/// The prerequisites that are not there.
fn missing(python: &Path) -> Vec<Prerequisite> {
    PREREQUISITES
        .iter()
        .copied()
        .filter(|p| !present(p.probe, python))
        .collect()
}

fn present(probe: Probe, python: &Path) -> bool {
    match probe {
        Probe::OnPath(program) => find_on_path(program).is_some(),
        Probe::PythonVenv => venv_works(python),
    }
}

/// Creates a throwaway venv; only that proves `venv` and `ensurepip` work.
fn venv_works(python: &Path) -> bool {
    let dir = std::env::temp_dir().join(format!("cjh-venv-probe-{}", std::process::id()));
    let works = process::succeeds_quietly(Command::new(python).args(["-m", "venv"]).arg(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    works
}

/// The program's path, searched along `PATH` as a shell would.
fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Whether this process runs as root, asked of `id -u` (the crate forbids the unsafe
/// call that would ask the kernel directly).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// The one command a user runs to install `packages` (through sudo unless already root).
pub(crate) fn install_command(packages: &[&str], as_root: bool) -> String {
    let sudo = if as_root { "" } else { "sudo " };
    format!(
        "{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prerequisite_names_a_debian_package() {
        for prerequisite in PREREQUISITES {
            assert!(!prerequisite.package.is_empty(), "{}", prerequisite.what);
        }
    }

    #[test]
    fn the_install_command_names_every_missing_package_once() {
        let command = install_command(&["chromium", "libxml2-utils"], false);
        assert_eq!(
            command,
            "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libxml2-utils"
        );
    }

    #[test]
    fn a_program_on_the_path_is_found_and_a_made_up_one_is_not() {
        assert!(find_on_path("sh").is_some());
        assert!(find_on_path("cjh-no-such-program-anywhere").is_none());
    }

    #[test]
    fn an_interpreter_that_does_not_exist_has_no_working_venv() {
        assert!(!venv_works(Path::new("/nonexistent/python3")));
    }
}
