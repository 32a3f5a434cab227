//! `cjh run`: the scenario corpus against one or more targets, with a progress line, a
//! result table, for each failure the first divergent step with its diff, baselines of
//! known divergences, and JUnit, Markdown and HTML reports.
//!
//! Exit codes: 0 every scenario passed or diverged only as its baseline says; 1 a
//! scenario failed, or a baselined divergence no longer happens; 2 a scenario file or
//! the baseline is invalid, or nothing matched the filter; 3 a target is vacuous (every
//! answer the same error, or every list empty).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::exit::{Exit, unusable};
use super::reports::ReportArgs;
use super::run_output::{ending, print};
use crate::baseline::{
    Baseline, RESULTS_FORMAT, RESULTS_VERSION, ResultsFile, TargetRun, corpus_digest, gate, updated,
};
use crate::runner::{AnswerStats, Parallel, Verdict, judge_corpus};
use crate::scenario::{Partition, Profile, discover};
use crate::targets::{Signer, TargetSpec};

/// Flags of `cjh run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// `emulator` (a fresh in-process emulator per scenario) or an http:// endpoint;
    /// repeat for a scenario x target matrix.
    #[arg(long = "target", default_value = "emulator", value_parser = TargetSpec::parse)]
    targets: Vec<TargetSpec>,
    /// The scenario folder.
    #[arg(long, default_value = "scenarios")]
    scenarios: PathBuf,
    /// Run only scenarios whose id (`<area>/<name>`) contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// SigV4-sign requests to URL targets, with credentials from the AWS SDK's chain:
    /// the environment, else the AWS_PROFILE (or default) profile (keys, assume role,
    /// credential_process, SSO), else the container endpoint or instance metadata.
    #[arg(long)]
    sign: bool,
    /// The region requests are signed for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// A TOML target profile: role, model, failing_model, output, wait_timeout_secs
    /// (what a real account needs for fixtures; the defaults suit the emulator).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Scenarios run at once on a URL target (each in-process emulator is its own, so
    /// any number is safe there). Defaults to the number of --regions, else 1: a shared
    /// real account is slow but also rate-limited, so running side by side is chosen,
    /// not assumed.
    #[arg(long)]
    jobs: Option<usize>,
    /// Regions the workers own, one each (comma-separated): every scenario then runs side
    /// by side with others, each alone in its region. Without them, scenarios that list
    /// jobs run alone, after the rest: a List's pages are cut from every job of the
    /// region, so another scenario's jobs would move them.
    #[arg(long, value_delimiter = ',')]
    regions: Vec<String>,
    /// Run shard K of N of the corpus (round-robin by scenario id), as one job of a CI
    /// matrix; join the shards' --results with `cjh report merge`.
    #[arg(long, value_name = "K/N")]
    partition: Option<Partition>,
    /// Write this run's results (a versioned JSON file) here, for `cjh report merge`.
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    #[command(flatten)]
    reports: ReportArgs,
}

/// Runs the corpus; returns how it ended.
pub(super) fn run(args: &RunArgs) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let targets = signed_targets(args)?;
    let profile = match &args.profile {
        Some(path) => Profile::from_file(path).map_err(anyhow::Error::msg)?,
        None => Profile::default(),
    };
    let baseline = match &args.reports.baseline {
        Some(path) => {
            Baseline::read(path).map_err(|error| unusable(format!("invalid baseline: {error}")))?
        }
        None => Baseline::default(),
    };
    let parallel = parallel(args)?;
    let partition = args.partition.unwrap_or(Partition::WHOLE);
    if partition != Partition::WHOLE && args.reports.update_baseline {
        return Err(unusable(
            "--update-baseline needs the whole corpus: a shard does not see every listed divergence",
        ));
    }
    let (scenarios, errors) = discover(&args.scenarios);
    let mut err = std::io::stderr();
    for error in &errors {
        writeln!(err, "invalid scenario: {error}")?;
    }
    let corpus: Vec<_> = scenarios
        .into_iter()
        .filter(|s| {
            args.filter
                .as_ref()
                .is_none_or(|f| s.id.contains(f.as_str()))
        })
        .collect();
    let selected: Vec<_> = corpus
        .iter()
        .enumerate()
        .filter(|(position, _)| partition.holds(*position))
        .map(|(_, scenario)| scenario.clone())
        .collect();
    if selected.is_empty() {
        return Err(unusable(format!(
            "no scenario in {} matches{}",
            args.scenarios.display(),
            match args.partition {
                Some(partition) => format!(" in shard {partition}"),
                None => String::new(),
            }
        )));
    }
    let per_target = judge_all(&selected, &targets, &profile, &parallel)?;
    let runs: Vec<TargetRun<'_>> = targets
        .iter()
        .zip(&per_target)
        .map(|(target, verdicts)| TargetRun {
            label: target.label(),
            baselined: args.reports.baseline.is_some() && matches!(target, TargetSpec::Url(..)),
            verdicts,
        })
        .collect();
    let report = gate(&selected, &runs, &baseline, started.elapsed().as_secs_f64());
    if args.reports.update_baseline
        && let Some(path) = &args.reports.baseline
    {
        let baselined: Vec<String> = runs
            .iter()
            .filter(|r| r.baselined)
            .map(|r| r.label.clone())
            .collect();
        let new = updated(&baseline, &report, &baselined);
        std::fs::write(path, new.to_toml())?;
        writeln!(
            err,
            "wrote {} known divergences to {}",
            new.divergences.len(),
            path.display()
        )?;
    }
    if let Some(path) = &args.results {
        let file = ResultsFile {
            format: RESULTS_FORMAT.to_owned(),
            version: RESULTS_VERSION,
            corpus: corpus_digest(&corpus),
            scenarios: corpus.iter().map(|s| s.id.clone()).collect(),
            partition,
            targets: report.targets.clone(),
            stats: per_target.iter().map(|v| AnswerStats::of(v)).collect(),
            invalid_scenarios: errors.len(),
            seconds: report.seconds,
            results: report.results.clone(),
        };
        file.write(path)?;
    }
    args.reports.write(&report)?;
    print(&report, errors.len())?;
    if !errors.is_empty() {
        return Err(unusable(format!(
            "{} invalid scenario file(s), listed above",
            errors.len()
        )));
    }
    Ok(ending(&report, args.reports.update_baseline))
}

/// The targets, URL ones signed when `--sign` asks.
fn signed_targets(args: &RunArgs) -> anyhow::Result<Vec<TargetSpec>> {
    if !args.sign {
        return Ok(args.targets.clone());
    }
    let signer = Signer::from_chain(&args.region, None)?;
    args.targets
        .iter()
        .map(|t| match t {
            TargetSpec::Url(..) => t.clone().signed(signer.clone()).map_err(anyhow::Error::msg),
            TargetSpec::Emulator(_) => Ok(t.clone()),
        })
        .collect()
}

/// `--jobs` and `--regions`, checked.
fn parallel(args: &RunArgs) -> anyhow::Result<Parallel> {
    let jobs = args.jobs.unwrap_or(args.regions.len().max(1));
    if jobs == 0 {
        return Err(unusable("--jobs must be at least 1"));
    }
    if !args.regions.is_empty() && jobs > args.regions.len() {
        return Err(unusable(format!(
            "--jobs {jobs} needs as many --regions (one per worker); {} given",
            args.regions.len()
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for region in &args.regions {
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(unusable(format!(
                "--regions: '{region}' is not a region name"
            )));
        }
        if !seen.insert(region) {
            return Err(unusable(format!("--regions: '{region}' is given twice")));
        }
    }
    Ok(Parallel {
        jobs,
        regions: args.regions.clone(),
    })
}

/// Every scenario on every target, with a progress line on a terminal.
fn judge_all(
    selected: &[crate::scenario::Scenario],
    targets: &[TargetSpec],
    profile: &Profile,
    parallel: &Parallel,
) -> anyhow::Result<Vec<Vec<Verdict>>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut err = std::io::stderr();
    let interactive = err.is_terminal();
    let total = selected.len() * targets.len();
    let mut done = 0;
    let mut per_target = Vec::with_capacity(targets.len());
    for target in targets {
        let label = target.label();
        let verdicts = runtime.block_on(judge_corpus(
            selected,
            target,
            profile,
            parallel,
            |scenario, _| {
                done += 1;
                if interactive {
                    let _ = write!(err, "\r\x1b[2K[{done}/{total}] {} on {label}", scenario.id);
                    let _ = err.flush();
                }
            },
        ));
        per_target.push(verdicts);
    }
    if interactive {
        writeln!(err)?;
    }
    Ok(per_target)
}
