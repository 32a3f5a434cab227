//! `cjh export`: recordings in formats other tools replay, so a team's own tests can be
//! answered by what a scenario run saw: `cjh export wiremock` (stub mappings for the
//! WireMock standalone server) and `cjh export dvr` (traffic for the Rust SDK's dvr
//! `ReplayingClient`).
//!
//! Exit codes: 0 written; 1 a recording could not be read or an output not written;
//! 2 a usage error.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::exit::Exit;
use crate::export::{dvr, wiremock};

/// Flags of `cjh export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    format: ExportFormat,
}

#[derive(Debug, Subcommand)]
enum ExportFormat {
    /// WireMock stub mappings: OUT/mappings/<area>.<name>.json per recording, loaded by
    /// `wiremock --root-dir OUT`.
    Wiremock {
        /// A recording file, or a folder of them (every *.json and *.jsonl under it).
        #[arg(long)]
        recording: PathBuf,
        /// The WireMock root folder to write `mappings/` into.
        #[arg(long)]
        out: PathBuf,
    },
    /// smithy-rs dvr traffic (NetworkTraffic JSON) for
    /// `aws_smithy_http_client::test_util::dvr::ReplayingClient::from_file`.
    Dvr {
        /// The recording file.
        #[arg(long)]
        recording: PathBuf,
        /// The traffic file to write.
        #[arg(long)]
        out: PathBuf,
        /// The endpoint the SDK client is given (`endpoint_url`); the default is the
        /// recording region's SageMaker endpoint, which the SDK resolves by itself.
        #[arg(long)]
        endpoint: Option<String>,
    },
}

/// Writes the export; returns how it ended.
pub(super) fn run(args: &ExportArgs) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout();
    match &args.format {
        ExportFormat::Wiremock {
            recording,
            out: root,
        } => {
            let export = wiremock::export(recording, root)?;
            for path in &export.files {
                writeln!(out, "wrote {}", path.display())?;
            }
            if !export.sharing.is_empty() {
                eprintln!(
                    "cjh export: these recordings send requests another one sends too, so one WireMock answers those from one recording only; serve them one at a time (POST /__admin/mappings/import with one file): {}",
                    export.sharing.join(", ")
                );
            }
            writeln!(
                out,
                "serve them with: wiremock --root-dir {}",
                root.display()
            )?;
        }
        ExportFormat::Dvr {
            recording,
            out: file,
            endpoint,
        } => {
            dvr::export(recording, endpoint.as_deref(), file)?;
            writeln!(out, "wrote {}", file.display())?;
        }
    }
    Ok(Exit::Passed)
}
