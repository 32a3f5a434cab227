//! Reading scenario files: parse, then check everything that can be checked before a
//! run (references, step kinds, fixture names), with the file and line in every error.

use std::path::{Path, PathBuf};

use serde_json::Value;
use walkdir::WalkDir;

use super::format::{FORMAT_VERSION, FixtureStatus, ScenarioFile, Step};
use super::reference::parse_template;
use super::relation::parse_relation;

/// A loaded, checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `<area>/<name>`: the path below the scenarios folder, without `.toml`.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Its content.
    pub file: ScenarioFile,
}

impl Scenario {
    /// The snapshot file beside the scenario.
    pub fn snapshot_path(&self) -> PathBuf {
        self.path.with_extension("snap")
    }
}

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read (the error names the file).
    #[error(transparent)]
    Read(std::io::Error),
    /// The file is not valid scenario TOML (bad syntax, unknown key, wrong type).
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The file parses but says something impossible.
    #[error("{path}:{line}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// The line the problem is on (1-based).
        line: usize,
        /// What is wrong.
        problem: String,
    },
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
pub fn parse(shown: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
    let file: ScenarioFile = toml::from_str(text).map_err(|e| ScenarioError::Parse {
        path: shown.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })?;
    Checker { shown, text }.check(&file)?;
    Ok(file)
}

struct Checker<'a> {
    shown: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn invalid(&self, line: usize, problem: String) -> ScenarioError {
        ScenarioError::Invalid {
            path: self.shown.to_owned(),
            line,
            problem,
        }
    }

    /// The line of the first occurrence of `needle` at or after `from_line`, else `from_line`.
    fn line_of(&self, needle: &str, from_line: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(from_line.saturating_sub(1))
            .find(|(_, line)| line.contains(needle))
            .map_or(from_line, |(i, _)| i + 1)
    }

    /// The line of the `n`th occurrence (0-based) of a table header.
    fn header_line(&self, header: &str, n: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.trim() == header)
            .nth(n)
            .map_or(1, |(i, _)| i + 1)
    }

    fn check(&self, file: &ScenarioFile) -> Result<(), ScenarioError> {
        if file.format != FORMAT_VERSION {
            return Err(self.invalid(
                self.line_of("format", 1),
                format!(
                    "format {} is not supported; this build reads format {FORMAT_VERSION}",
                    file.format
                ),
            ));
        }
        let mut aliases: Vec<&str> = Vec::new();
        for (i, fixture) in file.fixtures.iter().enumerate() {
            let line = self.header_line("[[fixture]]", i);
            let name = fixture.name.as_str();
            let shape_ok = !name.is_empty()
                && name.len() <= 40
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !name.starts_with('-')
                && !name.ends_with('-');
            if !shape_ok {
                return Err(self.invalid(line, format!("fixture name '{name}' must be 1-40 lower-case letters, digits and inner hyphens")));
            }
            if aliases.contains(&name) || name == "prefix" || name == "profile" {
                return Err(self.invalid(
                    line,
                    format!("fixture name '{name}' is used twice or reserved"),
                ));
            }
            let previous_waited = i > 0
                && !matches!(
                    file.fixtures[i - 1].status,
                    FixtureStatus::Any | FixtureStatus::Starting | FixtureStatus::Stopping
                );
            if fixture.same_time_as_previous && (i == 0 || previous_waited) {
                return Err(self.invalid(
                    line,
                    format!(
                        "fixture '{name}' cannot share the previous fixture's CreationTime: there is none, or it was waited for (only an ANY, STARTING or STOPPING fixture leaves the clock where it was)"
                    ),
                ));
            }
            if fixture.device.is_some() && fixture.platform.is_some() {
                return Err(self.invalid(
                    line,
                    format!("fixture '{name}' has both device and platform"),
                ));
            }
            aliases.push(name);
        }
        let shared = file.fixtures.iter().position(|f| f.same_time_as_previous);
        if let Some(i) = shared
            && file.assumes.virtual_clock.is_none()
        {
            return Err(self.invalid(
                self.header_line("[[fixture]]", i),
                format!(
                    "fixture '{}' shares the previous CreationTime, which only a virtual clock can promise: declare it with assumes.virtual_clock = \"<the coincidence needed>\"",
                    file.fixtures[i].name
                ),
            ));
        }
        let mut step_ids: Vec<&str> = Vec::new();
        for (i, step) in file.steps.iter().enumerate() {
            let line = self.header_line("[[step]]", i);
            self.check_step(step, i, line, &aliases, &step_ids)?;
            if let Some(id) = &step.id {
                if step_ids.contains(&id.as_str()) || aliases.contains(&id.as_str()) {
                    return Err(self.invalid(
                        line,
                        format!("step id '{id}' is used twice or names a fixture"),
                    ));
                }
                step_ids.push(id);
            }
        }
        if file.steps.is_empty() {
            return Err(self.invalid(1, "a scenario needs at least one [[step]]".to_owned()));
        }
        Ok(())
    }

    fn check_step(
        &self,
        step: &Step,
        index: usize,
        line: usize,
        aliases: &[&str],
        earlier: &[&str],
    ) -> Result<(), ScenarioError> {
        let kinds = [
            step.call.is_some(),
            step.paginate.is_some(),
            step.wait.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(self.invalid(
                line,
                format!(
                    "step {} needs exactly one of call, paginate and wait",
                    index + 1
                ),
            ));
        }
        if let Some(op) = &step.paginate
            && op != "ListCompilationJobs"
        {
            return Err(self.invalid(
                line,
                format!("only ListCompilationJobs can be paginated, not {op}"),
            ));
        }
        if step.wait.is_some()
            && (step.request.is_some()
                || step.raw_body.is_some()
                || step.target_header.is_some()
                || !step.expect.is_empty())
        {
            return Err(self.invalid(
                line,
                "a wait step sends nothing, so it takes no request, raw_body, target_header or expect".to_owned(),
            ));
        }
        if let Some(wait) = &step.wait
            && !aliases.contains(&wait.fixture.as_str())
        {
            return Err(self.invalid(
                line,
                format!(
                    "wait names fixture '{}', which the scenario does not have",
                    wait.fixture
                ),
            ));
        }
        if step.request.is_some() && step.raw_body.is_some() {
            return Err(self.invalid(line, "a step has request or raw_body, not both".to_owned()));
        }
        let mut templates: Vec<String> = Vec::new();
        if let Some(request) = &step.request {
            let json = serde_json::to_value(request).unwrap_or(Value::Null);
            collect_strings(&json, &mut templates);
        }
        templates.extend(step.raw_body.iter().cloned());
        templates.extend(step.expect.message.iter().cloned());
        if let Some(fields) = &step.expect.fields {
            let json = serde_json::to_value(fields).unwrap_or(Value::Null);
            collect_strings(&json, &mut templates);
        }
        for template in &templates {
            if let Err(bad) = parse_template(template, aliases, earlier) {
                let needle = format!("${{{}", bad.text.chars().take(20).collect::<String>());
                return Err(self.invalid(self.line_of(&needle, line), bad.to_string()));
            }
        }
        for fact in step.expect.times.iter().flatten() {
            if let Err(problem) = parse_relation(fact, aliases, earlier) {
                return Err(self.invalid(self.line_of("times", line), problem));
            }
        }
        let names = step.expect.names.iter().flatten();
        let pages = step.expect.pages.iter().flatten().flatten();
        for name in names.chain(pages) {
            if name != "<other>" && !aliases.contains(&name.as_str()) {
                return Err(self.invalid(
                    self.line_of(&format!("\"{name}\""), line),
                    format!(
                        "expected name '{name}' is not a fixture (use \"<other>\" for other jobs)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}
