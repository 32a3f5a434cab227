//! Baselines: the known divergences of an implementation under test, which may only
//! shrink.
//!
//! A baseline is a TOML file of `[[divergence]]` entries (scenario, step, optional JSON
//! path, reason) and `[[pending]]` marks (scenario, reason). A run against a target passes
//! when every divergence it finds is listed; a listed divergence that no longer happens
//! fails the run as "unexpectedly passing", so the file is shrunk as the implementation
//! improves; a pending scenario is run and reported but never fails, so adding scenarios
//! to the corpus does not break other projects' CI at once. Entries match on scenario and
//! step; `path` tells a reader where in the step the difference is.

mod apply;
mod file;
mod gate;
mod results;

pub use apply::{StepKey, classify, divergent_steps, judge};
pub use file::{Baseline, BaselineError, FixturesWord, KnownDivergence, Pending, StepRef};
pub use gate::{TargetRun, gate, updated};
pub use results::{MergeError, RESULTS_FORMAT, RESULTS_VERSION, ResultsFile, corpus_digest, merge};
