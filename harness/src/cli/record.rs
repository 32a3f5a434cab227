//! `cjh record` (run by `cargo xtask record`): scenarios against a target, written as
//! recordings, with snapshot updates proposed for review.
//!
//! Exit codes: 0 every scenario recorded and held; 1 a scenario's facts broke on the
//! target (its recording is still written); 2 invalid input or a refused account;
//! 130 interrupted (after cleaning up).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::exit::{Exit, unusable};
use crate::record::{RecordError, RecordOptions, RecordTarget, record};
use crate::scenario::Profile;
use crate::targets::Signer;

/// Flags of `cjh record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// `emulator` (the in-process emulator), `aws` (Amazon SageMaker in --region, signed
    /// with credentials from the standard chain) or an http:// endpoint.
    #[arg(long, default_value = "emulator")]
    target: String,
    /// The region to record in (and to sign for).
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// The AWS profile whose credentials sign requests, from whatever source it names
    /// (keys, assume role, credential_process, SSO); else the SDK's chain: the
    /// environment, then AWS_PROFILE or `default`, the container, instance metadata.
    #[arg(long)]
    profile: Option<String>,
    /// SigV4-sign requests to an http:// endpoint too.
    #[arg(long)]
    sign: bool,
    /// A TOML file of the values fixtures need on the target: role, model,
    /// failing_model, output, wait_timeout_secs (see `cjh run --profile`).
    #[arg(long)]
    values: Option<PathBuf>,
    /// Record only scenarios whose id (`<area>/<name>`) contains this text.
    #[arg(long)]
    scenario: Option<String>,
    /// The scenario folder.
    #[arg(long, default_value = "scenarios")]
    scenarios: PathBuf,
    /// The recordings folder.
    #[arg(long, default_value = "recordings")]
    recordings: PathBuf,
    /// Record even when the account already has compilation jobs in the region (they
    /// change the pages scenarios read, so recordings may not replay).
    #[arg(long)]
    allow_foreign_jobs: bool,
}

/// Records; returns how it ended.
pub(super) fn run(args: &RecordArgs) -> anyhow::Result<Exit> {
    let signer =
        || Signer::from_chain(&args.region, args.profile.as_deref()).map_err(|e| e.to_string());
    let target = match args.target.as_str() {
        "emulator" => RecordTarget::Emulator,
        "aws" => RecordTarget::Aws(signer().map_err(anyhow::Error::msg)?),
        url if url.starts_with("http://") || url.starts_with("https://") => {
            let signer = if args.sign {
                Some(signer().map_err(anyhow::Error::msg)?)
            } else {
                None
            };
            RecordTarget::Url(url.trim_end_matches('/').to_owned(), signer)
        }
        other => {
            return Err(unusable(format!(
                "record: target '{other}' is not 'emulator', 'aws' or an http:// URL"
            )));
        }
    };
    let profile = match &args.values {
        Some(path) => Profile::from_file(path).map_err(anyhow::Error::msg)?,
        None => Profile::default(),
    };
    let options = RecordOptions {
        target,
        scenarios: args.scenarios.clone(),
        recordings: args.recordings.clone(),
        filter: args.scenario.clone(),
        allow_foreign_jobs: args.allow_foreign_jobs,
        profile,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut err = std::io::stderr();
    let result = runtime.block_on(record(&options, |line| {
        let _ = writeln!(std::io::stderr(), "{line}");
    }));
    let summary = match result {
        Ok(summary) => summary,
        Err(error @ RecordError::Interrupted { .. }) => {
            writeln!(err, "cjh record: {error}")?;
            return Ok(Exit::Interrupted);
        }
        Err(error) => return Err(unusable(format!("record: {error}"))),
    };
    let mut out = std::io::stdout();
    writeln!(
        out,
        "wrote {} recording(s) under {}",
        summary.written.len(),
        args.recordings.display()
    )?;
    if !summary.proposed.is_empty() {
        writeln!(
            out,
            "{} snapshot(s) differ from what was recorded; review them with `cargo insta review` (nothing was accepted):",
            summary.proposed.len()
        )?;
        for path in &summary.proposed {
            writeln!(out, "  {}", path.display())?;
        }
    }
    if !summary.left_behind.is_empty() {
        writeln!(
            out,
            "jobs this run made that did not end in time and are still there (delete them by hand): {}",
            summary.left_behind.join(", ")
        )?;
    }
    for (scenario, what) in &summary.failed {
        writeln!(out, "FAILED {scenario}: {what}")?;
    }
    Ok(Exit::held(summary.failed.is_empty()))
}
