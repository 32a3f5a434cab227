//! The baseline and report flags `cjh run` and `cjh verify` share (the report flags
//! `cjh report merge` too), and writing the reports they ask for.

use std::path::PathBuf;

use clap::Args;

use crate::report::{Outcome, RunReport};

/// `--baseline`, `--update-baseline`, `--junit`, `--markdown`, `--html`.
#[derive(Debug, Args)]
pub(super) struct ReportArgs {
    /// Known divergences of the URL targets (TOML); the run fails on any other, and on
    /// any listed one that no longer happens.
    #[arg(long)]
    pub(super) baseline: Option<PathBuf>,
    /// Rewrite the baseline file to the divergences of this run, then pass.
    #[arg(long, requires = "baseline")]
    pub(super) update_baseline: bool,
    #[command(flatten)]
    pub(super) outputs: OutputArgs,
}

/// `--junit`, `--markdown`, `--html`: the reports a run, a verification or a merge writes.
#[derive(Debug, Args)]
pub(super) struct OutputArgs {
    /// Write a JUnit XML report here.
    #[arg(long)]
    pub(super) junit: Option<PathBuf>,
    /// Write a Markdown report here (for a pull-request comment).
    #[arg(long)]
    pub(super) markdown: Option<PathBuf>,
    /// Write a self-contained HTML report here.
    #[arg(long)]
    pub(super) html: Option<PathBuf>,
}

/// A report renderer.
type Render = fn(&RunReport) -> String;

impl ReportArgs {
    /// Writes every report asked for, making parent folders as needed.
    pub(super) fn write(&self, report: &RunReport) -> anyhow::Result<()> {
        self.outputs.write(report)
    }
}

impl OutputArgs {
    /// Writes every report asked for, making parent folders as needed.
    pub(super) fn write(&self, report: &RunReport) -> anyhow::Result<()> {
        let outputs: [(&Option<PathBuf>, Render); 3] = [
            (&self.junit, crate::report::junit),
            (&self.markdown, crate::report::markdown),
            (&self.html, crate::report::html),
        ];
        for (path, render) in outputs {
            if let Some(path) = path {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, render(report))?;
            }
        }
        Ok(())
    }
}

/// How a result's outcome reads in a table or a line of output.
pub(super) fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Known => "known",
        Outcome::Pending => "pending",
        Outcome::Fail => "FAIL",
        Outcome::UnexpectedPass => "UNEXPECTED PASS",
        Outcome::NotApplicable => "not applicable",
    }
}
