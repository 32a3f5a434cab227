//! The baseline file format.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Known divergences.
    #[serde(default, rename = "divergence", skip_serializing_if = "Vec::is_empty")]
    pub divergences: Vec<KnownDivergence>,
    /// Scenarios that are new or pending for this implementation.
    #[serde(default, rename = "pending", skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Pending>,
}

/// One known divergence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownDivergence {
    /// `<area>/<name>`.
    pub scenario: String,
    /// The divergent step (1-based), or `"fixtures"`.
    pub step: StepRef,
    /// Where in the step's request or answer the difference is (for readers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why the implementation differs.
    pub reason: String,
}

/// A scenario not yet expected to pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// `<area>/<name>`.
    pub scenario: String,
    /// Why it is pending.
    pub reason: String,
}

/// A step number or the fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StepRef {
    /// A step, 1-based.
    Step(usize),
    /// The fixtures (`"fixtures"`).
    Fixtures(FixturesWord),
}

/// The word `fixtures`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixturesWord {
    /// `"fixtures"`.
    Fixtures,
}

impl StepRef {
    /// The step as the runner numbers it (`None` for fixtures).
    pub fn step(self) -> Option<usize> {
        match self {
            StepRef::Step(n) => Some(n),
            StepRef::Fixtures(_) => None,
        }
    }

    /// The reference for a runner step.
    pub fn of(step: Option<usize>) -> StepRef {
        step.map_or(StepRef::Fixtures(FixturesWord::Fixtures), StepRef::Step)
    }
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not readable (the error names the file).
    #[error(transparent)]
    Read(std::io::Error),
    /// Not a baseline.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What the parser said, with line.
        message: String,
    },
}

impl Baseline {
    /// Reads a baseline; a missing file is an empty baseline (the first run creates it).
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = match fs_err::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Baseline::default()),
            Err(error) => return Err(BaselineError::Read(error)),
        };
        toml::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.display().to_string(),
            message: e.to_string().trim_end().to_owned(),
        })
    }

    /// The file text, with a header saying how to change it.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# Known divergences of an implementation from the cjh scenario corpus.\n# Rewrite with `cjh run --target URL --baseline FILE --update-baseline`; every\n# reason is a person's explanation and should be checked after a rewrite.\n\n{body}"
        )
    }

    /// The pending mark of a scenario.
    pub fn pending_reason(&self, scenario: &str) -> Option<&str> {
        self.pending
            .iter()
            .find(|p| p.scenario == scenario)
            .map(|p| p.reason.as_str())
    }

    /// The entries of a scenario.
    pub fn entries(&self, scenario: &str) -> impl Iterator<Item = &KnownDivergence> {
        self.divergences
            .iter()
            .filter(move |d| d.scenario == scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbers_or_the_word_fixtures_and_survive_a_rewrite() {
        let text = r#"
[[divergence]]
scenario = "a/b"
step = "fixtures"
reason = "no lifecycle"

[[divergence]]
scenario = "a/b"
step = 2
path = "response.__type"
reason = "other code"

[[pending]]
scenario = "a/c"
reason = "new"
"#;
        let baseline: Baseline = toml::from_str(text).unwrap_or_default();
        assert_eq!(baseline.divergences.len(), 2);
        assert_eq!(baseline.divergences[0].step.step(), None);
        assert_eq!(baseline.divergences[1].step.step(), Some(2));
        assert_eq!(baseline.pending_reason("a/c"), Some("new"));
        let again: Baseline = toml::from_str(&baseline.to_toml()).unwrap_or_default();
        assert_eq!(again, baseline);
    }

    #[test]
    fn unknown_keys_and_other_words_are_refused() {
        let unknown = "[[divergence]]\nscenario = \"a\"\nstep = 1\nreason = \"r\"\nwhy = \"x\"\n";
        assert!(toml::from_str::<Baseline>(unknown).is_err());
        let word = "[[divergence]]\nscenario = \"a\"\nstep = \"setup\"\nreason = \"r\"\n";
        assert!(toml::from_str::<Baseline>(word).is_err());
    }
}
