//! Where the workspace and its tools are, found once so every task agrees.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Paths and programs shared by all tasks.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    root: PathBuf,
    cargo: OsString,
}

impl Workspace {
    /// Locates the workspace from this crate's own manifest directory, so the
    /// tasks work from any current directory.
    pub(crate) fn locate() -> Self {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf);
        // `cargo xtask` runs under cargo, which sets CARGO to its own path; using
        // it keeps the toolchain the user picked (e.g. `cargo +1.95 xtask`).
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        Self { root, cargo }
    }

    /// The workspace root (the directory holding the root `Cargo.toml`).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The cargo program to run nested cargo commands with.
    pub(crate) fn cargo(&self) -> &OsString {
        &self.cargo
    }

    /// The pinned Python requirements of the real-client tests.
    pub(crate) fn python_requirements(&self) -> PathBuf {
        self.root.join("xtask").join("python-requirements.txt")
    }

    /// Where the Python clients live. It is under `target/` so `cargo clean`
    /// removes it and git never sees it.
    pub(crate) fn venv_dir(&self) -> PathBuf {
        self.root.join("target").join("cjh-venv")
    }

    /// Where the npm tools of the export tests (WireMock) live, beside the venv.
    pub(crate) fn npm_dir(&self) -> PathBuf {
        self.root.join("target").join("cjh-npm")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_root_holds_the_requirements_file() {
        let workspace = Workspace::locate();
        assert!(workspace.root().join("Cargo.toml").is_file());
        assert!(workspace.python_requirements().is_file());
    }
}
