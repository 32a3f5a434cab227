//! Matching rules beyond exactness, kept in a small TOML file beside a recording
//! (`mine.jsonl` has `mine.rules.toml`; a folder has `rules.toml`), for applications
//! whose requests are not the same twice:
//!
//! ```toml
//! correlate = ["CompilationJobName"]   # names the application generates
//! ignore = ["ClientToken"]             # not compared at all
//! [regex]
//! NameContains = "^run-[0-9]+$"        # any value matching in full
//! [operation.ListCompilationJobs]      # added to the above for this operation only
//! ignore = ["CreationTimeAfter"]
//! ```
//!
//! The rules apply to top-level request members: those at the top to every operation,
//! those under `[operation.NAME]` besides to that operation's requests. A *correlated*
//! member matches the recorded value at its first appearance; from then on the two are
//! bound, so that recorded name matches only that new one, and every answer says the
//! new one in place of the recorded one (ARNs too), so the application sees its own
//! names. The binding is made by the mock that answers (see `correlate`), not while
//! matching: wiremock-rs asks matchers of mocks that then lose on priority.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The rules file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRules {
    /// Members whose values the application generates, matched by correlation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlate: Vec<String>,
    /// Members left out of the comparison.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Members whose incoming value must match a pattern in full (the recorded value is
    /// not compared).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regex: BTreeMap<String, String>,
    /// Rules for one operation's requests (by its name, `ListCompilationJobs`), added to
    /// those above.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operation: BTreeMap<String, OperationRules>,
}

/// The rules of one operation (`[operation.NAME]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationRules {
    /// Members matched by correlation in this operation's requests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlate: Vec<String>,
    /// Members left out of the comparison.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Members whose incoming value must match a pattern in full.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regex: BTreeMap<String, String>,
}

/// The rules that hold for one operation's requests: the file's own and its section's,
/// patterns compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Effective {
    pub(crate) correlate: Vec<String>,
    pub(crate) ignore: Vec<String>,
    pub(crate) patterns: Vec<(String, Regex)>,
}

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// It cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not the rules' TOML.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        source: toml::de::Error,
    },
    /// A pattern does not compile.
    #[error("{}: regex for {member}: {source}", path.display())]
    Pattern {
        /// The file.
        path: PathBuf,
        /// The member.
        member: String,
        /// Why.
        source: regex::Error,
    },
}

impl MatchRules {
    /// Where the rules of a recording file or folder live.
    pub fn beside(recording: &Path) -> PathBuf {
        if recording.is_dir() {
            recording.join("rules.toml")
        } else {
            recording.with_extension("rules.toml")
        }
    }

    /// Reads and checks a rules file.
    pub fn load(path: &Path) -> Result<MatchRules, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            path: path.to_owned(),
            source,
        })?;
        let rules: MatchRules = toml::from_str(&text).map_err(|source| RulesError::Parse {
            path: path.to_owned(),
            source,
        })?;
        rules
            .patterns()
            .map_err(|(member, source)| RulesError::Pattern {
                path: path.to_owned(),
                member,
                source,
            })?;
        Ok(rules)
    }

    /// The rules beside a recording, or none when there is no file.
    pub fn load_beside(recording: &Path) -> Result<MatchRules, RulesError> {
        let path = MatchRules::beside(recording);
        if path.is_file() {
            MatchRules::load(&path)
        } else {
            Ok(MatchRules::default())
        }
    }

    /// The file's text.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Whether every member of every operation is matched exactly.
    pub fn is_exact(&self) -> bool {
        self.correlate.is_empty()
            && self.ignore.is_empty()
            && self.regex.is_empty()
            && self
                .operation
                .values()
                .all(|o| o.correlate.is_empty() && o.ignore.is_empty() && o.regex.is_empty())
    }

    /// Every pattern of the file, anchored so it matches in full (`operation.NAME.member`
    /// names a section's in an error).
    pub(crate) fn patterns(&self) -> Result<Vec<(String, Regex)>, (String, regex::Error)> {
        let mut out = compile(&self.regex, "")?;
        for (name, section) in &self.operation {
            out.extend(compile(&section.regex, &format!("operation.{name}."))?);
        }
        Ok(out)
    }

    /// The members correlated in `operation`'s requests: the file's own, then its
    /// section's. Nothing is compiled, so a caller per request pays no regex build.
    pub(crate) fn correlated<'a>(&'a self, operation: Option<&str>) -> Vec<&'a str> {
        let section = operation.and_then(|o| self.operation.get(o));
        self.correlate
            .iter()
            .chain(section.into_iter().flat_map(|s| &s.correlate))
            .map(String::as_str)
            .collect()
    }

    /// The rules for `operation`'s requests (`None`: a request with no operation).
    pub(crate) fn effective(&self, operation: Option<&str>) -> Effective {
        let section = operation.and_then(|o| self.operation.get(o));
        let mut effective = Effective {
            correlate: self
                .correlated(operation)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            ignore: self.ignore.clone(),
            patterns: compile(&self.regex, "").unwrap_or_default(),
        };
        if let Some(section) = section {
            effective.ignore.extend(section.ignore.iter().cloned());
            effective
                .patterns
                .extend(compile(&section.regex, "").unwrap_or_default());
        }
        effective
    }
}

fn compile(
    regex: &BTreeMap<String, String>,
    label: &str,
) -> Result<Vec<(String, Regex)>, (String, regex::Error)> {
    regex
        .iter()
        .map(|(member, pattern)| {
            Regex::new(&format!("^(?:{pattern})$"))
                .map(|r| (member.clone(), r))
                .map_err(|e| (format!("{label}{member}"), e))
        })
        .collect()
}
