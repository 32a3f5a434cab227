//! `cjh verify --recording FILE|DIR [--target emulator|URL]`: a recording's requests
//! sent again, in order, and each answer compared with the recorded one. The work is
//! `crate::verify`; this reads the files, picks the target and prints the verdicts.
//!
//! Exit codes: 0 every exchange agrees; 1 one diverges, is unanswered, or a job could not
//! be seeded or removed; 2 a recording or the settings file cannot be read, or a usage
//! error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cjh_emulator::Settings;
use clap::Args;

use crate::recording::Recording;
use crate::targets::{EmulatorTarget, Signer, TargetSpec, UrlTarget};
use crate::verify::{VerifyTarget, verify};

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
}

/// Verifies every recording; returns the exit code.
pub(super) fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let recordings = match Recording::load_all(&args.recording) {
        Ok(recordings) if !recordings.is_empty() => recordings,
        Ok(_) => {
            eprintln!(
                "cjh verify: no recordings under {}",
                args.recording.display()
            );
            return Ok(ExitCode::from(2));
        }
        Err(error) => {
            eprintln!("cjh verify: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let target = match &args.target {
        TargetSpec::Emulator(_) => {
            let settings = match &args.settings {
                Some(path) => match Settings::from_file(path) {
                    Ok(settings) => settings,
                    Err(error) => {
                        eprintln!("cjh verify: {}: {error}", path.display());
                        return Ok(ExitCode::from(2));
                    }
                },
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
            let run = uuid::Uuid::new_v4().simple().to_string();
            VerifyTarget::Url {
                target: Box::new(UrlTarget::new(url, signer)?),
                prefix: format!("cjh-verify-{}-", &run[..6]),
            }
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut out = std::io::stdout();
    let mut passed = true;
    for recording in &recordings {
        let verdict = runtime.block_on(verify(recording, &target));
        passed &= verdict.passed();
        write!(out, "{}", verdict.render())?;
    }
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
