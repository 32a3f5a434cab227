//! `cjh verify --recording FILE|DIR [--target emulator|URL]`: a recording's requests
//! sent again, in order, and each answer compared with the recorded one. The work is
//! `crate::verify`; this reads the files, picks the target, prints the verdicts and
//! writes the reports and baseline `cjh run` would (a baseline applies to URL targets;
//! the emulator's known gaps are kept apart, see recordings/real-aws/known-gaps.toml).
//!
//! Exit codes: 0 every exchange agrees, or diverges only as the baseline says; 1 one
//! diverges otherwise, is unanswered, a job could not be seeded or removed, or a baseline
//! entry no longer happens; 2 a recording, the settings file or the baseline cannot be
//! read, or a usage error.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use cjh_emulator::Settings;
use clap::Args;

use super::exit::{Exit, unusable};
use super::reports::{ReportArgs, outcome_label};
use crate::baseline::{Baseline, updated};
use crate::mock::MatchRules;
use crate::recording::Recording;
use crate::targets::{EmulatorTarget, Signer, TargetSpec, UrlTarget};
use crate::verify::{Verified, VerifyTarget, run_report, verify};

/// Flags of `cjh verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A recording, or a folder of them (every `*.jsonl` and `*.json` under it).
    #[arg(long)]
    recording: PathBuf,
    /// `emulator` (in-process, its clock following the recording) or an http(s) URL.
    #[arg(long, default_value = "emulator", value_parser = TargetSpec::parse)]
    target: TargetSpec,
    /// Emulator settings (TOML, keys as in docs/settings.md): the recorded endpoint's
    /// durations, paging or account where they differ from the scenario runs' settings.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// SigV4-sign requests to a URL target, with credentials from the AWS SDK's chain.
    #[arg(long)]
    sign: bool,
    /// The region requests are signed for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Matching rules (TOML, as `cjh mock` reads them); default: the file beside the
    /// recording (`NAME.rules.toml`, or `rules.toml` in a folder), if any. On a URL
    /// target the members they correlate get the run prefix, as job names do.
    #[arg(long)]
    rules: Option<PathBuf>,
    #[command(flatten)]
    reports: ReportArgs,
}

/// Verifies every recording; returns how it ended.
pub(super) fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let recordings = match Recording::load_all(&args.recording) {
        Ok(recordings) if !recordings.is_empty() => recordings,
        Ok(_) => {
            return Err(unusable(format!(
                "verify: no recordings under {}",
                args.recording.display()
            )));
        }
        Err(error) => return Err(unusable(format!("verify: {error}"))),
    };
    let target = match &args.target {
        TargetSpec::Emulator(_) => {
            let settings = match &args.settings {
                Some(path) => Settings::from_file(path)
                    .map_err(|error| unusable(format!("verify: {}: {error}", path.display())))?,
                None => EmulatorTarget::scenario_settings(),
            };
            VerifyTarget::Emulator(Box::new(settings))
        }
        TargetSpec::Url(url, _) => {
            let signer = if args.sign {
                Some(Signer::from_chain(&args.region, None)?)
            } else {
                None
            };
            let rules = match &args.rules {
                Some(path) => MatchRules::load(path),
                None => MatchRules::load_beside(&args.recording),
            };
            let rules = rules.map_err(|error| unusable(format!("verify: {error}")))?;
            let run = uuid::Uuid::new_v4().simple().to_string();
            VerifyTarget::Url {
                target: Box::new(UrlTarget::new(url, signer)?),
                prefix: format!("cjh-verify-{}-", &run[..6]),
                rules,
            }
        }
    };
    let baseline = match &args.reports.baseline {
        Some(path) => Some(
            Baseline::read(path)
                .map_err(|error| unusable(format!("verify: invalid baseline: {error}")))?,
        ),
        None => None,
    };
    let baselined = baseline
        .as_ref()
        .filter(|_| matches!(args.target, TargetSpec::Url(..)));
    if args.reports.update_baseline && baselined.is_none() {
        return Err(unusable(
            "verify: --update-baseline needs a URL target: a baseline lists a peer's \
             divergences, and the emulator's gaps belong in a known-gaps file",
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let mut out = std::io::stdout();
    let mut verified = Vec::new();
    for recording in &recordings {
        let began = Instant::now();
        let verdict = runtime.block_on(verify(recording, &target));
        write!(out, "{}", verdict.render())?;
        verified.push(Verified {
            recording,
            verdict,
            elapsed: began.elapsed(),
        });
    }
    let label = args.target.label();
    let report = run_report(
        &verified,
        &label,
        baselined,
        started.elapsed().as_secs_f64(),
    );
    for result in report
        .results
        .iter()
        .filter(|r| r.baseline_reason.is_some())
    {
        writeln!(
            out,
            "{}: {} under the baseline",
            result.scenario,
            outcome_label(result.outcome)
        )?;
    }
    if args.reports.update_baseline
        && let (Some(path), Some(old)) = (&args.reports.baseline, baselined)
    {
        let new = updated(old, &report, std::slice::from_ref(&label));
        std::fs::write(path, new.to_toml())?;
        eprintln!(
            "wrote {} known divergences to {}",
            new.divergences.len(),
            path.display()
        );
    }
    args.reports.write(&report)?;
    let failed = report
        .results
        .iter()
        .any(|r| r.outcome.fails() || !r.left_behind.is_empty());
    Ok(Exit::held(!failed || args.reports.update_baseline))
}
