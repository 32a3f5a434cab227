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
use super::reports::{ReportArgs, outcome_label};
use crate::baseline::{Baseline, TargetRun, gate, updated};
use crate::report::{Outcome, RunReport, ScenarioResult};
use crate::runner::{Verdict, judge};
use crate::scenario::Profile;
use crate::scenario::discover;
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
    #[command(flatten)]
    reports: ReportArgs,
}

/// Runs the corpus; returns how it ended.
pub(super) fn run(args: &RunArgs) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let targets: Vec<TargetSpec> = if args.sign {
        let signer = Signer::from_chain(&args.region, None)?;
        args.targets
            .iter()
            .map(|t| match t {
                TargetSpec::Url(..) => t.clone().signed(signer.clone()).map_err(anyhow::Error::msg),
                TargetSpec::Emulator(_) => Ok(t.clone()),
            })
            .collect::<anyhow::Result<_>>()?
    } else {
        args.targets.clone()
    };
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
    let (scenarios, errors) = discover(&args.scenarios);
    let mut err = std::io::stderr();
    for error in &errors {
        writeln!(err, "invalid scenario: {error}")?;
    }
    let selected: Vec<_> = scenarios
        .into_iter()
        .filter(|s| {
            args.filter
                .as_ref()
                .is_none_or(|f| s.id.contains(f.as_str()))
        })
        .collect();
    if selected.is_empty() {
        return Err(unusable(format!(
            "no scenario in {} matches",
            args.scenarios.display()
        )));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let interactive = err.is_terminal();
    let total = selected.len() * targets.len();
    let mut done = 0;
    let mut per_target: Vec<Vec<Verdict>> = Vec::new();
    for target in &targets {
        let mut verdicts = Vec::with_capacity(selected.len());
        for scenario in &selected {
            let verdict = runtime.block_on(judge(scenario, target, &profile));
            done += 1;
            if interactive {
                write!(
                    err,
                    "\r\x1b[2K[{done}/{total}] {} on {}",
                    scenario.id,
                    target.label()
                )?;
                err.flush()?;
            }
            verdicts.push(verdict);
        }
        per_target.push(verdicts);
    }
    if interactive {
        writeln!(err)?;
    }
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
    args.reports.write(&report)?;
    let mut out = std::io::stdout();
    write!(out, "{}", table(&report))?;
    for result in report.results.iter().filter(|r| r.outcome.fails()) {
        write!(out, "{}", failure_report(result))?;
    }
    for vacuity in &report.vacuous {
        writeln!(
            out,
            "VACUOUS {}: {} (not counted as conforming)",
            vacuity.target, vacuity.reason
        )?;
    }
    writeln!(out, "{}", summary(&report, errors.len()))?;
    let failed = report.results.iter().any(|r| r.outcome.fails());
    if !errors.is_empty() {
        return Err(unusable(format!(
            "{} invalid scenario file(s), listed above",
            errors.len()
        )));
    }
    Ok(if !report.vacuous.is_empty() {
        Exit::Vacuous
    } else {
        Exit::held(!failed || args.reports.update_baseline)
    })
}

fn table(report: &RunReport) -> String {
    let width = report
        .results
        .iter()
        .map(|r| r.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let target_width = report
        .targets
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(6)
        .max(6);
    let mut text = format!(
        "{:<width$}  {:<target_width$}  {:<15}  {:>8}\n",
        "scenario", "target", "result", "time"
    );
    for r in &report.results {
        text.push_str(&format!(
            "{:<width$}  {:<target_width$}  {:<15}  {:>6.1}ms\n",
            r.scenario,
            r.target,
            outcome_label(r.outcome),
            r.millis
        ));
    }
    text
}

fn failure_report(result: &ScenarioResult) -> String {
    let first = result.divergences.iter().find(|d| d.known.is_none());
    let mut text = format!("--- {} on {}", result.scenario, result.target);
    match first.and_then(|d| d.step) {
        Some(step) => text.push_str(&format!(" (first divergence at step {step})\n")),
        None => text.push('\n'),
    }
    if let Some(divergence) = first {
        for message in &divergence.messages {
            text.push_str(&format!("  {message}\n"));
        }
        if let Some(diff) = &divergence.diff {
            for line in diff.lines() {
                text.push_str(&format!("    {line}\n"));
            }
        }
    }
    let others = result
        .divergences
        .iter()
        .filter(|d| d.known.is_none())
        .count()
        .saturating_sub(1);
    if others > 0 {
        text.push_str(&format!("  ... and {others} more divergent steps\n"));
    }
    text
}

fn summary(report: &RunReport, invalid: usize) -> String {
    let mut parts = Vec::new();
    for target in &report.targets {
        let of = |o: Outcome| {
            report
                .results
                .iter()
                .filter(|r| &r.target == target && r.outcome == o)
                .count()
        };
        let passed = of(Outcome::Pass);
        let failed = of(Outcome::Fail) + of(Outcome::UnexpectedPass);
        let mut line = format!("{target}: {passed} passed, {failed} failed");
        let (known, pending) = (of(Outcome::Known), of(Outcome::Pending));
        if known + pending > 0 {
            line.push_str(&format!(", {known} known, {pending} pending"));
        }
        line.push_str(&format!("; {}", crate::report::stage_words(report, target)));
        let left: Vec<&String> = report
            .results
            .iter()
            .filter(|r| &r.target == target)
            .flat_map(|r| &r.left_behind)
            .collect();
        if !left.is_empty() {
            line.push_str(&format!(
                "\n{target}: clean-up left {} jobs behind: {}",
                left.len(),
                left.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        parts.push(line);
    }
    let mut text = parts.join("\n");
    if invalid > 0 {
        text.push_str(&format!("\n{invalid} invalid scenario files"));
    }
    text.push_str(&format!("\n({:.2} s)", report.seconds));
    text
}
