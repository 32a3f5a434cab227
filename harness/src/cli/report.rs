//! `cjh report merge`: shards' results (`cjh run --partition K/N --results FILE`) joined
//! into one report and one verdict, as one whole run would give them.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::exit::{Exit, unusable};
use super::reports::OutputArgs;
use super::run_output::{ending, print};
use crate::baseline::{ResultsFile, merge};

/// `cjh report`.
#[derive(Debug, Args)]
pub struct ReportCommandArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

/// What `cjh report` does.
#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// Join the results files of every shard into one report; refuses a missing shard,
    /// one given twice, or shards of different corpora.
    Merge(MergeArgs),
}

/// Flags of `cjh report merge`.
#[derive(Debug, Args)]
struct MergeArgs {
    /// The shards' results files, one per shard, in any order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Write the merged results here, as one whole run's.
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    #[command(flatten)]
    outputs: OutputArgs,
}

/// Runs `cjh report`; returns how it ended.
pub(super) fn run(args: &ReportCommandArgs) -> anyhow::Result<Exit> {
    let ReportCommand::Merge(merge_args) = &args.command;
    let mut files = Vec::with_capacity(merge_args.files.len());
    for path in &merge_args.files {
        let file =
            ResultsFile::read(path).map_err(|error| unusable(format!("report merge: {error}")))?;
        files.push((path.clone(), file));
    }
    let merged = merge(files).map_err(|error| unusable(format!("report merge: {error}")))?;
    if let Some(path) = &merge_args.results {
        merged.write(path)?;
    }
    let report = merged.report();
    let invalid = merged.invalid_scenarios;
    merge_args.outputs.write(&report)?;
    print(&report, invalid)?;
    if invalid > 0 {
        return Err(unusable(format!(
            "{invalid} invalid scenario file(s) in the merged runs"
        )));
    }
    Ok(ending(&report, false))
}
