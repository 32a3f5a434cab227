//! Reading scenario files: parse, then check everything that can be checked before a
//! run (references, step kinds, fixture names), with the file and line in every error.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::check::check;
use super::error::ScenarioError;
use super::format::ScenarioFile;
use super::model::ScenarioModel;

/// A loaded, checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `<area>/<name>`: the path below the scenarios folder, without `.toml`.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Its content, checked.
    pub file: ScenarioModel,
}

impl Scenario {
    /// The snapshot file beside the scenario.
    pub fn snapshot_path(&self) -> PathBuf {
        self.path.with_extension("snap")
    }
}

/// Every `*.toml` scenario below `root`, sorted by id; errors for the files that fail.
pub fn discover(root: &Path) -> (Vec<Scenario>, Vec<ScenarioError>) {
    let mut paths: Vec<PathBuf> = WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let id = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        match load(&path, id) {
            Ok(scenario) => scenarios.push(scenario),
            Err(error) => errors.push(error),
        }
    }
    (scenarios, errors)
}

/// Reads and checks one scenario file.
pub fn load(path: &Path, id: String) -> Result<Scenario, ScenarioError> {
    let shown = path.display().to_string();
    let text = fs_err::read_to_string(path).map_err(ScenarioError::Read)?;
    let file = parse(&shown, &text)?;
    Ok(Scenario {
        id,
        path: path.to_owned(),
        file,
    })
}

/// Parses and checks scenario text; `shown` names it in errors.
pub fn parse(shown: &str, text: &str) -> Result<ScenarioModel, ScenarioError> {
    let file: ScenarioFile = toml::from_str(text).map_err(|e| ScenarioError::Parse {
        path: shown.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })?;
    check(shown, text, file)
}
