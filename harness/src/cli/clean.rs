//! `cjh clean`: removes what an interrupted run left on a shared target, the jobs whose
//! names start with a prefix, each stopped, waited for and deleted as a run's own
//! clean-up does.
//!
//! Exit codes: 0 nothing is left; 1 a job could not be removed (each is named); 2 the
//! target or prefix is not usable.

use std::time::Duration;

use clap::Args;

use super::exit::{Exit, unusable};
use crate::runner::sweep;
use crate::targets::{Signer, TargetSpec};

/// Flags of `cjh clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The http:// endpoint to clean.
    #[arg(long, value_parser = TargetSpec::parse)]
    target: TargetSpec,
    /// Remove the jobs whose names start with this (a run's prefix, or `cjh` for every
    /// run's); at least three characters, so a slip cannot sweep an account.
    #[arg(long)]
    prefix: String,
    /// SigV4-sign the requests, with credentials from the standard chain.
    #[arg(long)]
    sign: bool,
    /// The region requests are signed for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// The longest wait for one job to settle before Delete, in seconds.
    #[arg(long, default_value_t = 1800)]
    timeout_secs: u64,
}

/// Sweeps the target; returns how it ended.
pub(super) fn run(args: &CleanArgs) -> anyhow::Result<Exit> {
    if args.prefix.len() < 3 {
        return Err(unusable(
            "clean: --prefix must have at least three characters",
        ));
    }
    let spec = match &args.target {
        TargetSpec::Url(..) if args.sign => args
            .target
            .clone()
            .signed(Signer::from_chain(&args.region, None)?)
            .map_err(anyhow::Error::msg)?,
        TargetSpec::Url(..) => args.target.clone(),
        TargetSpec::Emulator(_) => {
            return Err(unusable(
                "clean needs an http:// target: an in-process emulator is fresh per scenario",
            ));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let target = spec.open()?;
    let timeout = Duration::from_secs(args.timeout_secs);
    let swept = runtime
        .block_on(sweep(target.as_ref(), &args.prefix, timeout))
        .map_err(anyhow::Error::msg)?;
    for name in &swept.removed {
        println!("removed {name}");
    }
    for left in &swept.left_behind {
        println!("left behind {left}");
    }
    println!(
        "{}: {} removed, {} left behind",
        spec.label(),
        swept.removed.len(),
        swept.left_behind.len()
    );
    Ok(Exit::held(swept.left_behind.is_empty()))
}
