//! `cjh run`: the scenario corpus against a target, with a progress line, a result
//! table, and for each failure the first divergent step with its diff.
//!
//! Exit codes: 0 every scenario passed; 1 a scenario failed; 2 a scenario file is
//! invalid or nothing matched the filter.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::runner::{Profile, Verdict, judge};
use crate::scenario::discover;
use crate::target::{Signer, TargetSpec};

/// Flags of `cjh run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// `emulator` (a fresh in-process emulator per scenario) or an http:// endpoint.
    #[arg(long, default_value = "emulator", value_parser = TargetSpec::parse)]
    target: TargetSpec,
    /// The scenario folder.
    #[arg(long, default_value = "scenarios")]
    scenarios: PathBuf,
    /// Run only scenarios whose id (`<area>/<name>`) contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// SigV4-sign requests to a URL target, with credentials from AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
    #[arg(long)]
    sign: bool,
    /// The region requests are signed for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// A TOML target profile: role, model, failing_model, output, wait_timeout_secs
    /// (what a real account needs for fixtures; the defaults suit the emulator).
    #[arg(long)]
    profile: Option<PathBuf>,
}

/// Runs the corpus; returns the exit code.
pub(super) fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let target = if args.sign {
        let signer = Signer::from_env(&args.region).map_err(anyhow::Error::msg)?;
        args.target
            .clone()
            .signed(signer)
            .map_err(anyhow::Error::msg)?
    } else {
        args.target.clone()
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
        writeln!(err, "no scenario in {} matches", args.scenarios.display())?;
        return Ok(ExitCode::from(2));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let profile = match &args.profile {
        Some(path) => Profile::from_file(path).map_err(anyhow::Error::msg)?,
        None => Profile::default(),
    };
    let total = selected.len();
    let mut verdicts: Vec<Verdict> = Vec::with_capacity(total);
    // One progress line rewritten in place on a terminal; only failures in a log.
    let interactive = err.is_terminal();
    for (i, scenario) in selected.iter().enumerate() {
        let verdict = runtime.block_on(judge(scenario, &target, &profile));
        let mark = if verdict.passed() { "ok" } else { "FAILED" };
        if interactive {
            write!(err, "\r\x1b[2K[{}/{total}] {} {mark}", i + 1, scenario.id)?;
            err.flush()?;
        } else if !verdict.passed() {
            writeln!(err, "[{}/{total}] {} {mark}", i + 1, scenario.id)?;
        }
        verdicts.push(verdict);
    }
    if interactive {
        writeln!(err)?;
    }
    let mut out = std::io::stdout();
    writeln!(out, "{}", table(&verdicts))?;
    for verdict in verdicts.iter().filter(|v| !v.passed()) {
        writeln!(out, "{}", failure_report(verdict))?;
    }
    let passed = verdicts.iter().filter(|v| v.passed()).count();
    let failed = total - passed;
    writeln!(
        out,
        "{passed} passed, {failed} failed ({} invalid files) against {} in {:.2} s",
        errors.len(),
        args.target.label(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn table(verdicts: &[Verdict]) -> String {
    let width = verdicts
        .iter()
        .map(|v| v.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut text = format!("{:<width$}  {:<7}  {:>8}\n", "scenario", "result", "time");
    for v in verdicts {
        let result = if v.passed() { "pass" } else { "FAIL" };
        text.push_str(&format!(
            "{:<width$}  {:<7}  {:>6.1}ms\n",
            v.scenario,
            result,
            v.elapsed.as_secs_f64() * 1000.0
        ));
    }
    text
}

fn failure_report(verdict: &Verdict) -> String {
    let mut text = format!("--- {} on {}", verdict.scenario, verdict.target);
    match verdict.first_divergent_step() {
        Some(step) => text.push_str(&format!(" (first divergence at step {step})\n")),
        None => text.push('\n'),
    }
    for failure in &verdict.failures {
        let place = failure
            .step
            .map_or("fixtures".to_owned(), |s| format!("step {s}"));
        text.push_str(&format!("  {place}: {}\n", failure.message));
    }
    if verdict.snapshot_missing {
        text.push_str("  no committed snapshot: run `cargo test --test scenarios` and review it with `cargo insta review`\n");
    }
    if let Some(divergence) = &verdict.divergence {
        let place = divergence
            .step
            .map_or("fixtures".to_owned(), |s| format!("step {s}"));
        text.push_str(&format!("  snapshot differs at {place}:\n"));
        for line in divergence.diff.lines() {
            text.push_str(&format!("    {line}\n"));
        }
    }
    text
}
