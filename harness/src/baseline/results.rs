//! A run's results as a file (`cjh run --results FILE`), and shards' results joined into
//! the report one whole run would have given (`cjh report merge`).
//!
//! Each result is already held against the baseline where it ran: an entry of the
//! baseline speaks of one scenario on one target, so judging it in the shard that ran
//! that scenario is judging it over the whole. What only the whole can say, whether a
//! target answered nothing worth judging, is decided here from the answer counts of every
//! shard together. A merge refuses shards of different corpora, a shard missing or given
//! twice, and files of another format version.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::report::{RunReport, ScenarioResult, Vacuity};
use crate::runner::AnswerStats;
use crate::scenario::{Partition, Scenario};

/// The `format` of a results file.
pub const RESULTS_FORMAT: &str = "cjh-results";

/// The version of the results file this build writes and reads.
pub const RESULTS_VERSION: u32 = 1;

/// One run's results, on one shard of the corpus or the whole of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultsFile {
    /// Always [`RESULTS_FORMAT`].
    pub format: String,
    /// [`RESULTS_VERSION`] when written.
    pub version: u32,
    /// A digest of the corpus before partitioning: every scenario's id, file and snapshot.
    pub corpus: String,
    /// The corpus's scenario ids before partitioning, in run order.
    pub scenarios: Vec<String>,
    /// The shard this run ran.
    pub partition: Partition,
    /// The targets, in the order given.
    pub targets: Vec<String>,
    /// The answers each target gave, in `targets` order.
    pub stats: Vec<AnswerStats>,
    /// Scenario files that did not load.
    pub invalid_scenarios: usize,
    /// Wall time, in seconds.
    pub seconds: f64,
    /// One result per scenario of the shard and target, scenario-major.
    pub results: Vec<ScenarioResult>,
}

/// Why shards' results cannot be joined.
#[derive(Debug, Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no results files given")]
    Nothing,
    /// A file cannot be read or is not a results file.
    #[error("{path}: not a cjh results file: {problem}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A file of another version.
    #[error("{path}: results format version {found}; this cjh reads version {RESULTS_VERSION}")]
    Version {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u32,
    },
    /// Two files come from different corpora, targets or shard counts.
    #[error("{path} is not a shard of the same run as {first}: {what} differ")]
    Mismatch {
        /// The first file.
        first: PathBuf,
        /// The file that differs.
        path: PathBuf,
        /// What differs.
        what: &'static str,
    },
    /// A shard given twice.
    #[error("shard {partition} is given twice: {first} and {path}")]
    Twice {
        /// The shard.
        partition: Partition,
        /// Its first file.
        first: PathBuf,
        /// Its second file.
        path: PathBuf,
    },
    /// Shards missing.
    #[error("shards {} of {count} are missing", .missing.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))]
    Missing {
        /// The missing shard numbers.
        missing: Vec<usize>,
        /// How many shards there are.
        count: usize,
    },
}

/// The digest of a corpus: every scenario's id, file and snapshot, in order, so shards of
/// a corpus that changed between them are told apart.
pub fn corpus_digest(scenarios: &[Scenario]) -> String {
    let mut hasher = Sha256::new();
    for scenario in scenarios {
        hasher.update(scenario.id.as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(&scenario.path).unwrap_or_default());
        hasher.update([0]);
        hasher.update(std::fs::read(scenario.snapshot_path()).unwrap_or_default());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl ResultsFile {
    /// Reads a results file.
    pub fn read(path: &Path) -> Result<ResultsFile, MergeError> {
        let unreadable = |problem: String| MergeError::Unreadable {
            path: path.to_owned(),
            problem,
        };
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(RESULTS_FORMAT) {
            return Err(unreadable(format!("no \"format\": \"{RESULTS_FORMAT}\"")));
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(RESULTS_VERSION) {
            return Err(MergeError::Version {
                path: path.to_owned(),
                found: u32::try_from(version).unwrap_or(u32::MAX),
            });
        }
        serde_json::from_value(value).map_err(|e| unreadable(e.to_string()))
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the file at `path`, making its parent folders as needed.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, self.to_json())
    }

    /// The report of this run alone: vacuity judged from its own answers.
    pub fn report(&self) -> RunReport {
        RunReport {
            targets: self.targets.clone(),
            results: self.results.clone(),
            vacuous: vacuities(&self.targets, &self.stats),
            seconds: self.seconds,
        }
    }
}

/// The targets whose answers (`stats`, in `targets` order: one run's, or every shard's
/// together) prove nothing.
pub(super) fn vacuities(targets: &[String], stats: &[AnswerStats]) -> Vec<Vacuity> {
    targets
        .iter()
        .zip(stats)
        .filter_map(|(target, stats)| {
            stats.vacuity().map(|reason| Vacuity {
                target: target.clone(),
                reason,
            })
        })
        .collect()
}

/// Shards' results joined, in corpus order, as one whole run would give them: its
/// [`ResultsFile::report`] judges vacuity over every shard's answers together.
pub fn merge(files: Vec<(PathBuf, ResultsFile)>) -> Result<ResultsFile, MergeError> {
    let Some((first_path, first)) = files.first() else {
        return Err(MergeError::Nothing);
    };
    let count = first.partition.count;
    let mut seen: Vec<Option<&PathBuf>> = vec![None; count];
    let mut stats = vec![AnswerStats::default(); first.targets.len()];
    let mut results = Vec::new();
    let mut seconds: f64 = 0.0;
    for (path, file) in &files {
        let mismatch = |what| MergeError::Mismatch {
            first: first_path.clone(),
            path: path.clone(),
            what,
        };
        if file.corpus != first.corpus || file.scenarios != first.scenarios {
            return Err(mismatch("their corpora"));
        }
        if file.targets != first.targets {
            return Err(mismatch("their targets"));
        }
        if file.partition.count != count {
            return Err(mismatch("their shard counts"));
        }
        if let Some(earlier) = seen[file.partition.index - 1].replace(path) {
            return Err(MergeError::Twice {
                partition: file.partition,
                first: earlier.clone(),
                path: path.clone(),
            });
        }
        for (total, more) in stats.iter_mut().zip(&file.stats) {
            total.merge(more);
        }
        // Shards run side by side, so the run took as long as its slowest shard.
        seconds = seconds.max(file.seconds);
        results.extend(file.results.iter().cloned());
    }
    let missing: Vec<usize> = (1..=count).filter(|i| seen[i - 1].is_none()).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, count });
    }
    let position = |id: &str| first.scenarios.iter().position(|s| s == id);
    let target_position = |label: &str| first.targets.iter().position(|t| t == label);
    results.sort_by_key(|r| (position(&r.scenario), target_position(&r.target)));
    Ok(ResultsFile {
        partition: Partition::WHOLE,
        stats,
        seconds,
        results,
        ..first.clone()
    })
}
