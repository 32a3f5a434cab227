//! A Python tool from pinned packages, in a venv of its own under target/: for clients
//! whose dependencies would constrain the pins of xtask/python-requirements.txt.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{TestResult, client_program};

/// `program` (a path inside the venv, such as `bin/mitmdump`) of the venv
/// `target/<venv>`, made with `CJH_PYTHON` and `requirements` whenever that file changed
/// since the last install (a stamp file in the venv holds its text).
pub(crate) fn pinned_tool(venv: &str, requirements: &Path, program: &str) -> TestResult<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let wanted = std::fs::read_to_string(requirements)?;
    let venv = root.join("target").join(venv);
    let tool = venv.join(program);
    let stamp = venv.join("cjh-requirements.txt");
    if tool.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(tool);
    }
    let python = client_program("CJH_PYTHON")?;
    let _ = std::fs::remove_file(&stamp);
    let steps: [(PathBuf, Vec<&std::ffi::OsStr>); 2] = [
        (
            python,
            vec![
                "-m".as_ref(),
                "venv".as_ref(),
                "--clear".as_ref(),
                venv.as_os_str(),
            ],
        ),
        (
            venv.join("bin/python"),
            vec![
                "-m".as_ref(),
                "pip".as_ref(),
                "install".as_ref(),
                "--disable-pip-version-check".as_ref(),
                "--no-input".as_ref(),
                "-q".as_ref(),
                "-r".as_ref(),
                requirements.as_os_str(),
            ],
        ),
    ];
    for (step, args) in steps {
        let output = Command::new(&step).args(&args).output()?;
        if !output.status.success() {
            return Err(format!(
                "installing {}: {} {args:?} exited with {}\n{}",
                requirements.display(),
                step.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
    }
    if !tool.is_file() {
        return Err(format!("{} is missing after the install", tool.display()).into());
    }
    std::fs::write(&stamp, wanted)?;
    Ok(tool)
}
