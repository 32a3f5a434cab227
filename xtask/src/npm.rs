//! The pinned npm tools of the export tests: the `wiremock` package, which ships the
//! WireMock standalone jar and a launcher (`wiremock`, run with `java`), so the WireMock
//! export is proven against WireMock itself.
//!
//! Like the Python venv, it lives under `target/` and is installed only when needed:
//! after a successful install the pinned package list is written into the folder (the
//! stamp), and the next run reuses it while the stamp matches and the launcher and jar
//! are there. Any change reinstalls from scratch.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::XtaskError;
use crate::process;

/// The packages installed, exactly pinned.
pub(crate) const PACKAGES: &[&str] = &["wiremock@3.13.2"];

/// Name of the stamp file inside the folder.
const STAMP_FILE: &str = "cjh-npm-packages.txt";

/// A folder whose packages match [`PACKAGES`].
#[derive(Debug, Clone)]
pub(crate) struct NpmTools {
    dir: PathBuf,
}

impl NpmTools {
    /// The WireMock launcher (it starts `java -jar` on the bundled standalone jar).
    pub(crate) fn wiremock(&self) -> PathBuf {
        self.dir.join("node_modules").join(".bin").join("wiremock")
    }

    /// Where the package keeps its jar.
    fn wiremock_jars(&self) -> PathBuf {
        self.dir.join("node_modules").join("wiremock").join("build")
    }
}

/// Returns the tools at `dir`, installing [`PACKAGES`] with `npm` when they do not
/// match, and checks that `java` (which the launcher runs) is there.
pub(crate) fn ensure(dir: &Path) -> Result<NpmTools, XtaskError> {
    let tools = NpmTools {
        dir: dir.to_path_buf(),
    };
    let wanted = stamp_text();
    if !process::succeeds_quietly(Command::new("java").arg("-version")) {
        return Err(XtaskError::ToolMissing {
            tool: "java".to_owned(),
            needed_by: "the WireMock standalone server of the export tests".to_owned(),
            hint: "install a Java 11+ runtime (Debian: apt-get install default-jre-headless)"
                .to_owned(),
        });
    }
    if is_current(&tools, &wanted) {
        eprintln!("xtask: npm tools {} are up to date", dir.display());
        return Ok(tools);
    }
    eprintln!(
        "xtask: installing {} into {}",
        PACKAGES.join(" "),
        dir.display()
    );
    // Start clean, stamp last, so an interrupted install is never taken as current.
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|source| XtaskError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    fs::create_dir_all(dir).map_err(|source| XtaskError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    process::run_checked(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                "--prefix",
            ])
            .arg(dir)
            .args(PACKAGES),
    )?;
    let launcher = tools.wiremock();
    if !launcher.is_file() {
        return Err(XtaskError::NpmIncomplete {
            missing: launcher,
            packages: PACKAGES.join(" "),
        });
    }
    let stamp = dir.join(STAMP_FILE);
    fs::write(&stamp, wanted).map_err(|source| XtaskError::Io {
        path: stamp,
        source,
    })?;
    Ok(tools)
}

fn stamp_text() -> String {
    let mut text = PACKAGES.join("\n");
    text.push('\n');
    text
}

/// True when the folder was installed from exactly `wanted` and still has the launcher
/// and a jar.
fn is_current(tools: &NpmTools, wanted: &str) -> bool {
    let stamp_matches = fs::read_to_string(tools.dir.join(STAMP_FILE)).is_ok_and(|s| s == wanted);
    let has_jar = fs::read_dir(tools.wiremock_jars()).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "jar"))
    });
    stamp_matches && tools.wiremock().is_file() && has_jar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_package_is_pinned_to_an_exact_version() {
        for package in PACKAGES {
            let version = package.rsplit_once('@').map(|(_, v)| v).unwrap_or("");
            assert!(
                !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{package} is not pinned to an exact version"
            );
        }
    }

    #[test]
    fn a_folder_without_a_stamp_is_not_current() {
        let tools = NpmTools {
            dir: PathBuf::from("/nonexistent/cjh-npm"),
        };
        assert!(!is_current(&tools, &stamp_text()));
    }

    #[test]
    fn the_launcher_is_the_package_bin_entry() {
        let tools = NpmTools {
            dir: PathBuf::from("/w/target/cjh-npm"),
        };
        assert_eq!(
            tools.wiremock(),
            Path::new("/w/target/cjh-npm/node_modules/.bin/wiremock")
        );
    }
}
